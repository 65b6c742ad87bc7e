#include "services/cli/followup_requests.h"

#include <gtest/gtest.h>

namespace orderwatch::cli {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'763'000'000);

Invocation Inv(std::vector<std::string> args,
               std::vector<std::pair<std::string, std::string>> options = {}) {
  Invocation inv;
  inv.args = std::move(args);
  inv.options = std::move(options);
  return inv;
}

TEST(FollowUpRequests, KindNamesRoundTrip) {
  for (int k = 1; k <= v1::FollowUpKind_MAX; ++k) {
    const auto kind = static_cast<v1::FollowUpKind>(k);
    auto parsed = ParseFollowUpKind("--kind", FollowUpKindName(kind));
    ASSERT_TRUE(parsed.ok()) << FollowUpKindName(kind);
    EXPECT_EQ(*parsed, kind);
  }
  EXPECT_EQ(FollowUpKindName(v1::FOLLOW_UP_KIND_EXCHANGE_RESHIP), "exchange-reship");
  EXPECT_FALSE(ParseFollowUpKind("--kind", "refunds").ok());
}

TEST(FollowUpRequests, CreateTakesKindOrderAndOptions) {
  auto r = BuildCreateFollowUpRequest(
      Inv({"refund", "1001"}, {{"note", "size"}, {"shift", "night"}, {"deadline", "now+2h"}}),
      kNow);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->kind(), v1::FOLLOW_UP_KIND_REFUND);
  EXPECT_EQ(r->order_id(), "1001");
  EXPECT_EQ(r->shift(), v1::FOLLOW_UP_SHIFT_NIGHT);
  EXPECT_EQ(r->deadline_unix_ms(), absl::ToUnixMillis(kNow + absl::Hours(2)));
  EXPECT_FALSE(BuildCreateFollowUpRequest(Inv({"refund"}, {{"shift", "noon"}}), kNow).ok());
}

TEST(FollowUpRequests, DoneNeedsAKnownOutcome) {
  auto r = BuildCompleteFollowUpRequest(Inv({"F1"}, {{"outcome", "unreachable"}}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->outcome(), v1::FOLLOW_UP_OUTCOME_UNREACHABLE);
  EXPECT_FALSE(BuildCompleteFollowUpRequest(Inv({"F1"})).ok());
  EXPECT_FALSE(BuildCompleteFollowUpRequest(Inv({"F1"}, {{"outcome", "fixed"}})).ok());
}

TEST(FollowUpRequests, ReassignTakesAnAgentOrAShiftNotBoth) {
  auto to = BuildReassignFollowUpRequest(Inv({"F1"}, {{"to", "bob"}, {"minutes", "5"}}));
  ASSERT_TRUE(to.ok()) << to.status();
  EXPECT_EQ(to->to_agent(), "bob");
  EXPECT_EQ(to->claim_minutes(), 5);
  auto shift = BuildReassignFollowUpRequest(Inv({"F1"}, {{"shift", "day"}}));
  ASSERT_TRUE(shift.ok()) << shift.status();
  EXPECT_EQ(shift->to_shift(), v1::FOLLOW_UP_SHIFT_DAY);
  EXPECT_FALSE(BuildReassignFollowUpRequest(Inv({"F1"})).ok());
  EXPECT_FALSE(BuildReassignFollowUpRequest(Inv({"F1"}, {{"to", "bob"}, {"shift", "day"}})).ok());
}

TEST(FollowUpRequests, CashbackNeedsAnAmount) {
  auto r = BuildCashbackRequest(Inv({"1001"}, {{"amount-fen", "500"}}), kNow);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->amount_fen(), 500);
  EXPECT_FALSE(BuildCashbackRequest(Inv({"1001"}), kNow).ok());
}

}  // namespace
}  // namespace orderwatch::cli
