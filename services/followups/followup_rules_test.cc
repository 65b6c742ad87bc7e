#include "services/followups/followup_rules.h"

#include <gtest/gtest.h>

namespace orderwatch::followups {
namespace {

const absl::Time kNow = absl::FromUnixMillis(1'763'000'000'000);

v1::CreateFollowUpRequest Request(v1::FollowUpKind kind) {
  v1::CreateFollowUpRequest r;
  r.set_kind(kind);
  r.set_order_id("o1");
  return r;
}

TEST(DefaultDeadlines, FollowTheHandbooks) {
  EXPECT_EQ(DefaultDeadlines(v1::FOLLOW_UP_KIND_STOCK_OUT, kNow).solve, kNow + absl::Hours(24));
  EXPECT_EQ(DefaultDeadlines(v1::FOLLOW_UP_KIND_REFUND, kNow).solve, kNow + absl::Hours(24));
  const auto logistics = DefaultDeadlines(v1::FOLLOW_UP_KIND_LOGISTICS, kNow);
  EXPECT_EQ(logistics.reply, kNow + absl::Minutes(5));
  EXPECT_EQ(logistics.solve, kNow + absl::Hours(48));
  EXPECT_EQ(DefaultDeadlines(v1::FOLLOW_UP_KIND_CUSTOM, kNow).solve, absl::InfinitePast());
}

TEST(FromCreateRequest, BuildsAFollowUpWithTheKindsDeadline) {
  auto r = Request(v1::FOLLOW_UP_KIND_LOGISTICS);
  r.set_note("parcel stuck");
  r.set_shift(v1::FOLLOW_UP_SHIFT_NIGHT);
  r.set_request_id("req-1");
  auto f = FromCreateRequest(r, "alice", kNow);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->reply_deadline, kNow + absl::Minutes(5));
  EXPECT_EQ(f->solve_deadline, kNow + absl::Hours(48));
  EXPECT_EQ(f->created_by, "alice");
  EXPECT_EQ(f->shift, v1::FOLLOW_UP_SHIFT_NIGHT);
  EXPECT_EQ(f->idempotency_key, "req:req-1");
}

TEST(FromCreateRequest, AGivenDeadlineReplacesTheDefault) {
  auto r = Request(v1::FOLLOW_UP_KIND_CUSTOM);
  r.set_deadline_unix_ms(absl::ToUnixMillis(kNow + absl::Hours(3)));
  auto f = FromCreateRequest(r, "alice", kNow);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->solve_deadline, kNow + absl::Hours(3));
  EXPECT_EQ(f->reply_deadline, absl::InfinitePast());
}

TEST(FromCreateRequest, NamesTheBadField) {
  struct Case {
    v1::CreateFollowUpRequest request;
    std::string field;
  };
  std::vector<Case> cases;
  cases.push_back({Request(v1::FOLLOW_UP_KIND_UNSPECIFIED), "kind"});
  cases.push_back({Request(v1::FOLLOW_UP_KIND_CASHBACK), "kind"});
  auto no_order = Request(v1::FOLLOW_UP_KIND_REFUND);
  no_order.clear_order_id();
  cases.push_back({no_order, "order_id"});
  auto inquiry = Request(v1::FOLLOW_UP_KIND_INQUIRY);
  inquiry.clear_order_id();
  cases.push_back({inquiry, "buyer_id"});
  cases.push_back({Request(v1::FOLLOW_UP_KIND_CUSTOM), "deadline_unix_ms"});
  auto past = Request(v1::FOLLOW_UP_KIND_REFUND);
  past.set_deadline_unix_ms(absl::ToUnixMillis(kNow - absl::Minutes(1)));
  cases.push_back({past, "deadline_unix_ms"});
  auto far = Request(v1::FOLLOW_UP_KIND_REFUND);
  far.set_deadline_unix_ms(absl::ToUnixMillis(kNow + absl::Hours(24 * 31)));
  cases.push_back({far, "deadline_unix_ms"});
  auto shift = Request(v1::FOLLOW_UP_KIND_REFUND);
  shift.set_shift(static_cast<v1::FollowUpShift>(7));
  cases.push_back({shift, "shift"});
  auto note = Request(v1::FOLLOW_UP_KIND_REFUND);
  note.set_note(std::string(kMostNoteBytes + 1, 'x'));
  cases.push_back({note, "note"});
  for (const auto& c : cases) {
    auto f = FromCreateRequest(c.request, "alice", kNow);
    ASSERT_FALSE(f.ok()) << c.field;
    EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(f.status().message().substr(0, c.field.size() + 1), c.field + ":") << f.status();
  }
}

TEST(ClaimFor, DefaultsAndBounds) {
  EXPECT_EQ(*ClaimFor("claim_minutes", 0), absl::Minutes(kDefaultClaimMinutes));
  EXPECT_EQ(*ClaimFor("claim_minutes", 5), absl::Minutes(5));
  EXPECT_FALSE(ClaimFor("claim_minutes", -1).ok());
  EXPECT_FALSE(ClaimFor("claim_minutes", kMostClaimMinutes + 1).ok());
}

TEST(FollowUpFromHash, AnExpiredClaimReadsAsNoneAndAPastDeadlineAsOverdue) {
  const auto hash = redis::Reply::HashOf({{"k", "2"},
                                          {"o", "o1"},
                                          {"sh", "night"},
                                          {"dl", absl::StrCat(absl::ToUnixMillis(kNow) - 1)},
                                          {"a", "bob"},
                                          {"cu", absl::StrCat(absl::ToUnixMillis(kNow))}});
  const auto f = FollowUpFromHash("F3", hash, kNow);
  EXPECT_EQ(f.id(), "F3");
  EXPECT_EQ(f.kind(), v1::FOLLOW_UP_KIND_REFUND);
  EXPECT_EQ(f.shift(), v1::FOLLOW_UP_SHIFT_NIGHT);
  EXPECT_TRUE(f.overdue());
  EXPECT_EQ(f.claimed_by(), "");
  const auto before = FollowUpFromHash("F3", hash, kNow - absl::Milliseconds(2));
  EXPECT_FALSE(before.overdue());
  EXPECT_EQ(before.claimed_by(), "bob");
}

TEST(FollowUpFromHash, ACompletedFollowUpIsNeverOverdue) {
  const auto f = FollowUpFromHash(
      "F1", redis::Reply::HashOf({{"k", "1"}, {"dl", "1"}, {"out", "1"}, {"late", "1"}}), kNow);
  EXPECT_EQ(f.outcome(), v1::FOLLOW_UP_OUTCOME_RESOLVED);
  EXPECT_TRUE(f.completed_late());
  EXPECT_FALSE(f.overdue());
}

}  // namespace
}  // namespace orderwatch::followups
