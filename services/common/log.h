// One line per event on stderr: "<UTC time> <LEVEL> <message>". Never log tokens, phones or memos.
#pragma once

#include <string_view>

namespace orderwatch {

enum class LogLevel { kInfo, kWarning, kError };

void Log(LogLevel level, std::string_view message);

}  // namespace orderwatch
