#include "services/common/flags.h"

#include <gtest/gtest.h>

namespace orderwatch {
namespace {

TEST(FlagsTest, ParsesNamesChineseAndDigits) {
  EXPECT_EQ(*ParseFlag("red"), v1::FLAG_RED);
  EXPECT_EQ(*ParseFlag("Purple"), v1::FLAG_PURPLE);
  EXPECT_EQ(*ParseFlag("紫"), v1::FLAG_PURPLE);
  EXPECT_EQ(*ParseFlag("3"), v1::FLAG_GREEN);
  EXPECT_EQ(*ParseFlag("grey"), v1::FLAG_NONE);
  EXPECT_EQ(FlagName(v1::FLAG_BLUE), "blue");
}

TEST(FlagsTest, RejectsUnknownFlagNamingTheField) {
  auto f = ParseFlag("orange");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(f.status().message().substr(0, 5), "flag:");
  EXPECT_FALSE(ParseFlag("6").ok());
}

// Every platform number maps to a flag and back to the same number.
TEST(FlagsTest, PlatformNumberingsRoundTrip) {
  struct Range {
    v1::Platform p;
    int lo, hi;
  };
  for (auto [p, lo, hi] :
       {Range{v1::PLATFORM_TAOBAO, 0, 5}, Range{v1::PLATFORM_PINDUODUO, 0, 5},
        Range{v1::PLATFORM_DOUYIN, 0, 5}, Range{v1::PLATFORM_XIAOHONGSHU, 1, 6}}) {
    for (int v = lo; v <= hi; ++v) {
      auto f = FlagFromPlatform(p, v);
      ASSERT_TRUE(f.ok()) << v1::Platform_Name(p) << " " << v;
      EXPECT_EQ(FlagToPlatform(p, *f), v) << v1::Platform_Name(p) << " " << v;
    }
    EXPECT_FALSE(FlagFromPlatform(p, lo - 1).ok());
    EXPECT_FALSE(FlagFromPlatform(p, hi + 1).ok());
  }
}

TEST(FlagsTest, PlatformNumberingsMeanTheRightColours) {
  // Douyin: 0 grey, 1 purple, 2 cyan, 3 green, 4 orange, 5 red.
  EXPECT_EQ(*FlagFromPlatform(v1::PLATFORM_DOUYIN, 1), v1::FLAG_PURPLE);
  EXPECT_EQ(*FlagFromPlatform(v1::PLATFORM_DOUYIN, 5), v1::FLAG_RED);
  EXPECT_EQ(*FlagFromPlatform(v1::PLATFORM_DOUYIN, 3), v1::FLAG_GREEN);
  EXPECT_EQ(FlagToPlatform(v1::PLATFORM_DOUYIN, v1::FLAG_RED), 5);
  // Xiaohongshu: 1 grey ... 6 purple.
  EXPECT_EQ(*FlagFromPlatform(v1::PLATFORM_XIAOHONGSHU, 1), v1::FLAG_NONE);
  EXPECT_EQ(*FlagFromPlatform(v1::PLATFORM_XIAOHONGSHU, 2), v1::FLAG_RED);
  EXPECT_EQ(FlagToPlatform(v1::PLATFORM_XIAOHONGSHU, v1::FLAG_PURPLE), 6);
  // Pinduoduo: 1 red ... 5 purple, no grey.
  EXPECT_EQ(*FlagFromPlatform(v1::PLATFORM_PINDUODUO, 1), v1::FLAG_RED);
  EXPECT_EQ(FlagToPlatform(v1::PLATFORM_PINDUODUO, v1::FLAG_YELLOW), 2);
}

TEST(FlagsTest, ParsesPlatforms) {
  EXPECT_EQ(*ParsePlatform("pdd"), v1::PLATFORM_PINDUODUO);
  EXPECT_EQ(*ParsePlatform("JD"), v1::PLATFORM_TAOBAO);
  EXPECT_EQ(*ParsePlatform("xhs"), v1::PLATFORM_XIAOHONGSHU);
  EXPECT_FALSE(ParsePlatform("amazon").ok());
}

}  // namespace
}  // namespace orderwatch
