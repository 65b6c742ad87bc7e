#include "services/remarks/remark_rules.h"

#include <gtest/gtest.h>

namespace orderwatch::remarks {
namespace {

TEST(RemarkRulesTest, AppendedLineIsReasonAgentDateInTheShopsZone) {
  absl::TimeZone shanghai;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
  // 2026-11-10 16:30 UTC is already 11-11 in Shanghai.
  const absl::Time t =
      absl::FromCivil(absl::CivilSecond(2026, 11, 10, 16, 30, 0), absl::UTCTimeZone());
  EXPECT_EQ(AppendedLine("已催付", "alice", t, shanghai), "已催付 alice/2026-11-11");
  EXPECT_EQ(AppendedLine("已催付", "alice", t, absl::UTCTimeZone()), "已催付 alice/2026-11-10");
}

TEST(RemarkRulesTest, FlagFromRequest) {
  v1::SetRemarkRequest r;
  EXPECT_FALSE(FlagOf(r)->present);
  r.set_flag(v1::FLAG_PURPLE);
  EXPECT_EQ(FlagOf(r)->flag, v1::FLAG_PURPLE);
  r.mutable_platform_flag()->set_platform(v1::PLATFORM_DOUYIN);
  r.mutable_platform_flag()->set_value(5);
  EXPECT_EQ(FlagOf(r)->flag, v1::FLAG_RED);
  r.set_flag(static_cast<v1::Flag>(9));
  auto bad = FlagOf(r);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().substr(0, 5), "flag:");
}

TEST(RemarkRulesTest, HistoryEntryParses) {
  auto c = ParseChange(
      "3\x1f"
      "1762790400000\x1f"
      "alice\x1f"
      "1\x1f"
      "set\x1f"
      "0\x1f"
      "5\x1f\x1f"
      "已催付");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->version(), 3);
  EXPECT_EQ(c->by(), "alice");
  EXPECT_EQ(c->source(), v1::SOURCE_AGENT);
  EXPECT_EQ(c->flag_after(), v1::FLAG_PURPLE);
  EXPECT_EQ(c->text_before(), "");
  EXPECT_EQ(c->text_after(), "已催付");
  EXPECT_FALSE(ParseChange("garbage").ok());
}

TEST(RemarkRulesTest, FlagCursorRoundTrips) {
  auto c = DecodeFlagCursor(EncodeFlagCursor({1762790400000, "1001"}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->score, 1762790400000);
  EXPECT_EQ(c->order_id, "1001");
  EXPECT_FALSE(DecodeFlagCursor("nonsense").ok());
  EXPECT_FALSE(DecodeFlagCursor("12:bad id").ok());
}

TEST(RemarkRulesTest, DefaultLegendFollowsTheHandbook) {
  EXPECT_NE(DefaultLegend()[v1::FLAG_YELLOW].find("改价"), std::string_view::npos);
  EXPECT_NE(DefaultLegend()[v1::FLAG_PURPLE].find("未发货"), std::string_view::npos);
  EXPECT_NE(DefaultLegend()[v1::FLAG_GREEN].find("退款"), std::string_view::npos);
}

}  // namespace
}  // namespace orderwatch::remarks
