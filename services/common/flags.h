// Flag colours: names and conversion between orderwatch's numbering (Taobao/JD) and other
// platforms'.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "orderwatch/v1/common.pb.h"

namespace orderwatch {

using v1::Flag;
using v1::Platform;

// "none", "red", "yellow", "green", "blue", "purple".
std::string_view FlagName(Flag flag);

// Accepts a colour name (any case), its Chinese name (红/黄/绿/蓝/紫/灰) or a digit 0-5.
absl::StatusOr<Flag> ParseFlag(std::string_view text);

// Converts a platform's flag number to orderwatch's flag. Values outside the platform's
// numbering are INVALID_ARGUMENT.
absl::StatusOr<Flag> FlagFromPlatform(Platform platform, int32_t value);

// Converts orderwatch's flag to the platform's number. Pinduoduo has no grey: FLAG_NONE maps to 0,
// which Pinduoduo reads as "no flag".
int32_t FlagToPlatform(Platform platform, Flag flag);

// "taobao", "jd", "pinduoduo"/"pdd", "douyin", "xiaohongshu"/"xhs".
absl::StatusOr<Platform> ParsePlatform(std::string_view text);

}  // namespace orderwatch
