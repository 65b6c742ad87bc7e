#include "services/reminders/reminder_stats.h"

#include <gtest/gtest.h>

namespace orderwatch::reminders {
namespace {

const Principal kSupervisor{"shop1", "sue", Role::kSupervisor};

TEST(ReminderStatsTest, CountersBecomeTheResponse) {
  const std::map<std::string, int64_t> c = {
      {"placed", 8},
      {"paid_same_day", 2},
      {"eligible_orders", 5},
      {"eligible:1", 5},
      {"sent:1:1", 3},
      {"sent:1:2", 1},
      {"held_out:1", 1},
      {"paid_after:1", 2},
      {"recovered_fen:1", 19800},
      {"sent:5:2", 4},
      {"paid_after:5", 1},
      {"recovered_fen:5", 500},
      {"paid_within:1h", 2},
      {"paid_within:later", 1},
      {"holdout_paid", 1},
      {"holdout_recovered_fen", 9900},
      {"skipped:holdout", 1},
      {"skipped:buyer_cap:sms", 2},
      {"agent:bob", 1},
      {"agent:alice", 3},
  };
  const v1::ReminderStats s = StatsFromCounters("2026-11-11", c, kSupervisor);
  EXPECT_EQ(s.day(), "2026-11-11");
  EXPECT_EQ(s.orders_placed(), 8);
  EXPECT_DOUBLE_EQ(s.placed_to_paid_rate(), 0.25);
  EXPECT_EQ(s.eligible_orders(), 5);
  ASSERT_EQ(s.kinds_size(), 5);
  const auto& after_order = s.kinds(0);
  EXPECT_EQ(after_order.kind(), v1::REMINDER_KIND_AFTER_ORDER);
  EXPECT_EQ(after_order.sent(), 4);
  EXPECT_EQ(after_order.sent_sms(), 1);
  EXPECT_EQ(after_order.held_out(), 1);
  EXPECT_EQ(after_order.recovered_fen(), 19800);
  EXPECT_EQ(s.kinds(4).kind(), v1::REMINDER_KIND_MANUAL);
  EXPECT_EQ(s.kinds(4).sent(), 4);
  EXPECT_EQ(s.paid_after_reminder(), 3);
  EXPECT_EQ(s.recovered_fen(), 20300);
  EXPECT_EQ(s.paid_within_1h(), 2);
  EXPECT_EQ(s.paid_later(), 1);
  EXPECT_EQ(s.held_out(), 1);
  EXPECT_EQ(s.held_out_paid(), 1);
  EXPECT_EQ(s.skipped().at("buyer_cap:sms"), 2);
  ASSERT_EQ(s.agents_size(), 2);
  EXPECT_EQ(s.agents(0).agent_id(), "alice");  // most first
  EXPECT_EQ(s.agents(1).sent(), 1);
}

TEST(ReminderStatsTest, NothingPlacedIsNoRate) {
  const v1::ReminderStats s = StatsFromCounters("2026-11-11", {}, kSupervisor);
  EXPECT_EQ(s.placed_to_paid_rate(), 0);
  EXPECT_EQ(s.kinds_size(), 5);
  EXPECT_TRUE(s.agents().empty());
}

TEST(ReminderStatsTest, AgentsSeeOnlyTheirOwnLine) {
  const std::map<std::string, int64_t> c = {{"agent:bob", 1}, {"agent:alice", 3}, {"placed", 8}};
  const v1::ReminderStats bob = StatsFromCounters("2026-11-11", c, {"shop1", "bob", Role::kAgent});
  ASSERT_EQ(bob.agents_size(), 1);
  EXPECT_EQ(bob.agents(0).agent_id(), "bob");
  EXPECT_EQ(bob.orders_placed(), 8);  // the shop's figures stay
  EXPECT_EQ(StatsFromCounters("2026-11-11", c, {"shop1", "carl", Role::kAgent}).agents_size(), 0);
  EXPECT_EQ(StatsFromCounters("2026-11-11", c, {"shop1", "web", Role::kStorefront}).agents_size(),
            0);
  EXPECT_EQ(StatsFromCounters("2026-11-11", c, {"root", "ops", Role::kOps}).agents_size(), 2);
}

}  // namespace
}  // namespace orderwatch::reminders
