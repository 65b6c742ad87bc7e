#include "services/common/validate.h"

#include <gtest/gtest.h>

#include <string>

namespace orderwatch {
namespace {

TEST(ValidateTest, Ids) {
  EXPECT_TRUE(ValidateId("order_id", "T2026-11-11.0001_a@b").ok());
  EXPECT_EQ(ValidateId("order_id", "").message(), "order_id: is required");
  EXPECT_FALSE(ValidateId("order_id", "a:b").ok());
  EXPECT_FALSE(ValidateId("order_id", "a{b}").ok());
  EXPECT_FALSE(ValidateId("order_id", std::string(65, 'x')).ok());
  EXPECT_TRUE(ValidateId("order_id", std::string(64, 'x')).ok());
  EXPECT_TRUE(ValidateOptionalId("x", "").ok());
}

TEST(ValidateTest, TextIsUtf8WithinLimit) {
  EXPECT_TRUE(ValidateText("text", "已催付 alice/2026-11-11\n第二行", 1000).ok());
  EXPECT_TRUE(ValidateText("text", std::string(1000, 'a'), 1000).ok());
  auto too_long = ValidateText("text", std::string(1001, 'a'), 1000);
  EXPECT_EQ(too_long.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(too_long.message(), "text: is 1001 bytes; at most 1000 are allowed");
  EXPECT_FALSE(ValidateText("text", "\xff", 10).ok());
  EXPECT_FALSE(ValidateText("text", "\xe5\xb7", 10).ok());              // truncated 3-byte sequence
  EXPECT_FALSE(ValidateText("text", "\xc0\xaf", 10).ok());              // overlong '/'
  EXPECT_FALSE(ValidateText("text", "\xed\xa0\x80", 10).ok());          // surrogate
  EXPECT_FALSE(ValidateText("text", std::string("a\0b", 3), 10).ok());  // control character
  EXPECT_TRUE(ValidateText("text", "\xf0\x9f\x98\x80", 10).ok());       // emoji
}

TEST(ValidateTest, NoC1ControlCharactersAndLinesAreOneLine) {
  EXPECT_EQ(ValidateText("text", "next\xc2\x85line", 20).message(),
            "text: holds a control character at byte 4");  // U+0085 NEXT LINE
  EXPECT_FALSE(ValidateText("text",
                            "\xc2\x9b"
                            "2J",
                            20)
                   .ok());                                         // U+009B CSI
  EXPECT_TRUE(ValidateText("text", "\xc2\xa0\xc2\xa5", 20).ok());  // no-break space, yen sign
  EXPECT_TRUE(ValidateLine("name", "旗舰店 A", 20).ok());
  EXPECT_EQ(ValidateLine("name", "one\ntwo", 20).message(),
            "name: must be one line (a tab or line break at byte 3)");
  EXPECT_FALSE(ValidateLine("name", "a\tb", 20).ok());
  EXPECT_FALSE(ValidateLine("name", std::string(21, 'a'), 20).ok());
}

TEST(ValidateTest, DaysAreWrittenOneWayOnly) {
  auto day = ParseDay("day", "2026-11-11");
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(*day, absl::CivilDay(2026, 11, 11));
  for (const char* bad : {"+2026-11-11", " 2026-11-11", "2026-11-1", "99999999-01-01", "2026-13-01",
                          "2026-02-30", "1999-12-31", "2100-01-01", "20261111", ""}) {
    EXPECT_EQ(ParseDay("day", bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(ParseDay("day", "2026/11/11").status().message(), "day: is not a date YYYY-MM-DD");
}

TEST(ValidateTest, Times) {
  EXPECT_TRUE(ValidateUnixMs("t", 1762790400000).ok());  // 2025-11-11
  EXPECT_FALSE(ValidateUnixMs("t", 1762790400).ok());    // seconds, not milliseconds
  EXPECT_FALSE(ValidateUnixMs("t", -1).ok());
  EXPECT_TRUE(ValidateOptionalUnixMs("t", 0).ok());
}

}  // namespace
}  // namespace orderwatch
