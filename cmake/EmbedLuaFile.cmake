file(READ ${IN} body)
file(WRITE ${OUT} "// Generated from ${IN}; edit the .lua file.\n#include <string_view>\nnamespace ${NS} {\nextern const std::string_view ${NAME};\nconst std::string_view ${NAME} = R\"owlua(${body})owlua\";\n}\n")
