// A command in Redis's wire protocol (RESP): *<n>\r\n then $<len>\r\n<arg>\r\n per argument.
// The profile of a busy server had hiredis's own formatting (sdscatfmt, reallocations as it
// grows) at ~7% of its CPU; this sizes the buffer once and writes it in one pass.
#pragma once

#include <string>
#include <vector>

namespace orderwatch::redis {

std::string EncodeCommand(const std::vector<std::string>& argv);

}  // namespace orderwatch::redis
