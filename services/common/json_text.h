// JSON text for hand-built JSON lines (sinks, reports): a string literal with the escapes JSON
// requires. The input is UTF-8 and passes through as it is.
#pragma once

#include <string>
#include <string_view>

namespace orderwatch {

std::string JsonQuote(std::string_view s);

}  // namespace orderwatch
