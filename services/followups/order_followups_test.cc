#include "services/followups/order_followups.h"

#include <gtest/gtest.h>

namespace orderwatch::followups {
namespace {

const absl::Time kAt = absl::FromUnixMillis(1'763'000'000'000);
std::string Ms(absl::Time t) { return absl::StrCat(absl::ToUnixMillis(t)); }

TEST(FollowUpForOrder, ARefundRequestOpensARefundFollowUpDueInADay) {
  auto f = FollowUpForOrder(
      "rfq", "o1",
      redis::Reply::HashOf(
          {{"buy", "b1"}, {"paid", "1"}, {"rrq", Ms(kAt)}, {"rrr", "wrong size"}}));
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->kind, v1::FOLLOW_UP_KIND_REFUND);
  EXPECT_EQ(f->solve_deadline, kAt + absl::Hours(24));
  EXPECT_EQ(f->buyer_id, "b1");
  EXPECT_NE(f->note.find("wrong size"), std::string::npos);
  EXPECT_EQ(f->idempotency_key, absl::StrCat("rfq:o1:", Ms(kAt)));
  EXPECT_EQ(f->created_by, "order-event");
}

TEST(FollowUpForOrder, NothingToOpenOnceTheOrderMovedOn) {
  EXPECT_FALSE(
      FollowUpForOrder("rfq", "o1", redis::Reply::HashOf({{"rrq", Ms(kAt)}, {"rfd", Ms(kAt)}})));
  EXPECT_FALSE(
      FollowUpForOrder("sto", "o1", redis::Reply::HashOf({{"so", Ms(kAt)}, {"shp", Ms(kAt)}})));
  EXPECT_FALSE(
      FollowUpForOrder("pp", "o1", redis::Reply::HashOf({{"pp", Ms(kAt)}, {"paid", Ms(kAt)}})));
  EXPECT_FALSE(FollowUpForOrder("zz", "o1", redis::Reply::HashOf({{"pp", Ms(kAt)}})));
}

TEST(FollowUpForOrder, APromiseIsDueAtThePromisedTime) {
  auto f = FollowUpForOrder("pp", "o1", redis::Reply::HashOf({{"pp", Ms(kAt)}}));
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->kind, v1::FOLLOW_UP_KIND_PROMISED_PAYMENT);
  EXPECT_EQ(f->solve_deadline, kAt);
}

TEST(FollowUpForOrder, ACashbackCarriesItsRegistration) {
  const std::string cb = CashbackRegistration(
      {kAt, "alice", 500, kAt + absl::Hours(48), "req-1", "好评返现 | 5 yuan"});
  auto parsed = ParseCashbackRegistration(cb);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->request_id, "req-1");
  EXPECT_EQ(parsed->at, kAt);
  EXPECT_FALSE(FollowUpForOrder("cb", "o1", redis::Reply::HashOf({{"cb", cb}, {"rfd", Ms(kAt)}})))
      << "a refund voids it";
  auto f = FollowUpForOrder("cb", "o1", redis::Reply::HashOf({{"cb", cb}}));
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->kind, v1::FOLLOW_UP_KIND_CASHBACK);
  EXPECT_EQ(f->cashback_fen, 500);
  EXPECT_EQ(f->created_by, "alice");
  EXPECT_EQ(f->note, "好评返现 | 5 yuan");
  EXPECT_EQ(f->solve_deadline, kAt + absl::Hours(48));
  EXPECT_EQ(f->idempotency_key, "cb:o1");
}

}  // namespace
}  // namespace orderwatch::followups
