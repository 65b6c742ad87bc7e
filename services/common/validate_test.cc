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

TEST(ValidateTest, Times) {
  EXPECT_TRUE(ValidateUnixMs("t", 1762790400000).ok());  // 2025-11-11
  EXPECT_FALSE(ValidateUnixMs("t", 1762790400).ok());    // seconds, not milliseconds
  EXPECT_FALSE(ValidateUnixMs("t", -1).ok());
  EXPECT_TRUE(ValidateOptionalUnixMs("t", 0).ok());
}

}  // namespace
}  // namespace orderwatch
