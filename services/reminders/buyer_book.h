// The buyer-level rules of payment reminders, kept across all of a buyer's orders in a shop:
// one message covers all the buyer's unpaid orders (the others' reminders that day are skipped as
// "merged"), daily caps per channel (SMS counted per phone), and "skip buyers who paid today".
//
// A buyer's orders live in every partition, so the book has its own keys, shared by the buyers of
// one bucket under the bucket's hash tag (redis::KeyScheme::BuyerOpenOrders, BuyerDay): small
// hashes that Redis stores compactly, rather than a key per buyer. Order ingestion keeps it in step
// (NoteCommand after each applied event); a reminder reserves its message here (Reserve) before it
// is committed on its order. Days are calendar days in the shop's time zone.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "orderwatch/v1/reminders.pb.h"
#include "services/common/async.h"
#include "services/common/retention.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/redis/script.h"
#include "services/reminders/reminder_commit.h"
#include "services/reminders/reminder_policy.h"

namespace orderwatch::reminders {

// The most of a buyer's other unpaid orders one message names (the first noted).
inline constexpr int kMostMergedOrders = 20;

struct BuyerVerdict {
  // "ok", or why the message may not go out: "buyer_paid_today", "merged", "buyer_cap:<channel>".
  std::string verdict;
  std::vector<std::string> merged_order_ids;  // ok: the buyer's other unpaid orders it covers
  bool ok() const { return verdict == "ok"; }
};

struct Reservation {
  std::string shop, order_id, buyer_id, phone_hash;
  std::string id;  // the same on every retry of one reminder
  v1::Channel channel = v1::CHANNEL_IM;
  const v1::ReminderPolicy* policy = nullptr;
  bool enforce_caps = true;    // false: a supervisor's override (still counted and merged)
  bool skip_if_merged = true;  // automatic reminders; an agent's Trigger is asked for
  absl::Time now;
  absl::TimeZone zone;
};

// The reservation of a reminder about to be committed (its shop, order, channel, time and zone),
// under `id`; caps and "merged" apply unless the caller relaxes them.
Reservation ReservationFor(const Commit& c, const OrderFacts& facts, std::string id,
                           const v1::ReminderPolicy& policy);

class BuyerBook {
 public:
  BuyerBook(redis::Client& redis, const redis::KeyScheme& keys, Retention retention);

  // The command that brings the buyer's book up to date with the order's state (its hash after
  // an event was applied); nullopt when the order names no buyer.
  std::optional<redis::Command> NoteCommand(const std::string& shop, const std::string& order_id,
                                            const redis::Reply& order_hash,
                                            absl::TimeZone zone) const;

  void Reserve(const Reservation& r, absl::Time deadline, Done<BuyerVerdict> done);

  // "20261111": the calendar day of `t` in `zone`.
  static std::string Day(absl::Time t, absl::TimeZone zone);
  // The policy's daily cap for one buyer on `channel`; 0 = none.
  static int DailyCap(const v1::ReminderPolicy& policy, v1::Channel channel);

 private:
  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  Retention retention_;
  redis::Script note_;
  redis::Script reserve_;
};

}  // namespace orderwatch::reminders
