# ow_embed_lua(<target> <namespace> <file.lua>... [LIBRARY <lib.lua>...])
# Compiles each Lua script into the target as `extern const std::string_view <namespace>::k<Name>`,
# where <Name> is the file's base name in CamelCase (remark_set.lua -> kRemarkSet). LIBRARY files
# (Lua functions shared by scripts of several services) are put in front of every script: Redis
# runs each script alone, so a shared function has to travel inside each script that calls it.
function(ow_embed_lua target ns)
  cmake_parse_arguments(ARG "" "" "LIBRARY" ${ARGN})
  set(libs "")
  foreach(lib ${ARG_LIBRARY})
    get_filename_component(abs_lib ${lib} ABSOLUTE)
    list(APPEND libs ${abs_lib})
  endforeach()
  string(REPLACE ";" "," libs_arg "${libs}")
  foreach(lua ${ARG_UNPARSED_ARGUMENTS})
    get_filename_component(abs ${lua} ABSOLUTE)
    get_filename_component(base ${lua} NAME_WE)
    string(REPLACE "_" ";" parts ${base})
    set(name "k")
    foreach(p ${parts})
      string(SUBSTRING ${p} 0 1 first)
      string(TOUPPER ${first} first)
      string(SUBSTRING ${p} 1 -1 rest)
      string(APPEND name "${first}${rest}")
    endforeach()
    set(out ${CMAKE_CURRENT_BINARY_DIR}/lua_${base}.cc)
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -DIN=${abs} -DOUT=${out} -DNS=${ns} -DNAME=${name}
              "-DLIBS=${libs_arg}" -P ${PROJECT_SOURCE_DIR}/cmake/EmbedLuaFile.cmake
      DEPENDS ${abs} ${libs} ${PROJECT_SOURCE_DIR}/cmake/EmbedLuaFile.cmake
      COMMENT "Embedding ${base}.lua"
      VERBATIM)
    target_sources(${target} PRIVATE ${out})
  endforeach()
endfunction()
