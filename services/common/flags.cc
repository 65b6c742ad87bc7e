#include "services/common/flags.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace orderwatch {
namespace {

struct FlagNames {
  Flag flag;
  std::string_view english;
  std::string_view chinese;
};

constexpr std::array<FlagNames, 6> kFlagNames = {{
    {v1::FLAG_NONE, "none", "灰"},
    {v1::FLAG_RED, "red", "红"},
    {v1::FLAG_YELLOW, "yellow", "黄"},
    {v1::FLAG_GREEN, "green", "绿"},
    {v1::FLAG_BLUE, "blue", "蓝"},
    {v1::FLAG_PURPLE, "purple", "紫"},
}};

// Douyin numbers its colours 0 grey, 1 purple, 2 cyan, 3 green, 4 orange, 5 red. Cyan and orange
// have no Taobao counterpart; they map to the nearest colours, blue and yellow.
constexpr std::array<Flag, 6> kDouyinToFlag = {v1::FLAG_NONE,  v1::FLAG_PURPLE, v1::FLAG_BLUE,
                                               v1::FLAG_GREEN, v1::FLAG_YELLOW, v1::FLAG_RED};

}  // namespace

std::string_view FlagName(Flag flag) {
  for (const auto& f : kFlagNames) {
    if (f.flag == flag) return f.english;
  }
  return "unknown";
}

absl::StatusOr<Flag> ParseFlag(std::string_view text) {
  const std::string lower = absl::AsciiStrToLower(absl::string_view(text.data(), text.size()));
  for (const auto& f : kFlagNames) {
    if (lower == f.english || text == f.chinese) return f.flag;
    if (text.size() == 1 && text[0] == '0' + static_cast<int>(f.flag)) return f.flag;
  }
  if (lower == "grey" || lower == "gray") return v1::FLAG_NONE;
  return absl::InvalidArgumentError(
      absl::StrCat("flag: unknown flag \"", absl::string_view(text.data(), text.size()),
                   "\"; use none, red, yellow, green, blue, purple or 0-5"));
}

absl::StatusOr<Flag> FlagFromPlatform(Platform platform, int32_t value) {
  auto out_of_range = [&](std::string_view range) {
    return absl::InvalidArgumentError(
        absl::StrCat("platform_flag.value: ", value, " is not a ", v1::Platform_Name(platform),
                     " flag (", absl::string_view(range.data(), range.size()), ")"));
  };
  switch (platform) {
    case v1::PLATFORM_TAOBAO:
      if (value < 0 || value > 5) return out_of_range("0-5");
      return static_cast<Flag>(value);
    case v1::PLATFORM_PINDUODUO:
      if (value < 0 || value > 5) return out_of_range("1-5, 0 for no flag");
      return static_cast<Flag>(value);
    case v1::PLATFORM_DOUYIN:
      if (value < 0 || value > 5) return out_of_range("0-5");
      return kDouyinToFlag[value];
    case v1::PLATFORM_XIAOHONGSHU:
      if (value < 1 || value > 6) return out_of_range("1-6");
      return static_cast<Flag>(value - 1);
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("platform_flag.platform: unknown platform ", static_cast<int>(platform)));
  }
}

int32_t FlagToPlatform(Platform platform, Flag flag) {
  switch (platform) {
    case v1::PLATFORM_DOUYIN:
      for (int32_t i = 0; i < static_cast<int32_t>(kDouyinToFlag.size()); ++i) {
        if (kDouyinToFlag[i] == flag) return i;
      }
      return 0;
    case v1::PLATFORM_XIAOHONGSHU:
      return static_cast<int32_t>(flag) + 1;
    default:  // Taobao, JD and Pinduoduo share the numbers 1-5.
      return static_cast<int32_t>(flag);
  }
}

absl::StatusOr<Platform> ParsePlatform(std::string_view text) {
  const std::string p = absl::AsciiStrToLower(absl::string_view(text.data(), text.size()));
  if (p == "taobao" || p == "tmall" || p == "jd") return v1::PLATFORM_TAOBAO;
  if (p == "pinduoduo" || p == "pdd") return v1::PLATFORM_PINDUODUO;
  if (p == "douyin") return v1::PLATFORM_DOUYIN;
  if (p == "xiaohongshu" || p == "xhs") return v1::PLATFORM_XIAOHONGSHU;
  return absl::InvalidArgumentError(
      absl::StrCat("platform: unknown platform \"", absl::string_view(text.data(), text.size()),
                   "\"; use taobao, jd, pinduoduo, douyin or xiaohongshu"));
}

}  // namespace orderwatch
