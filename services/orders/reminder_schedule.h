// How recording order events starts an order's payment reminders (the reminders service
// implements it; order ingestion stops them by itself once the order is settled).
#pragma once

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "orderwatch/v1/order_events.pb.h"
#include "services/redis/client.h"

namespace orderwatch::orders {

class ReminderSchedule {
 public:
  virtual ~ReminderSchedule() = default;
  // When a created order's first automatic reminder is due by the shop's policy; nullopt when
  // the shop has automatic reminders off. Must not block.
  virtual std::optional<absl::Time> FirstDue(const std::string& shop,
                                             const v1::OrderEvent& created) = 0;
  // Recording an event put an order's reminder job on partition's queue, due at `due`.
  virtual void Scheduled(int partition, absl::Time due) = 0;
  // The shop's time zone (its policy's), which decides what "a day" is for its stats.
  virtual absl::TimeZone ShopZone(const std::string& shop) = 0;
  // The command that brings the buyer's side of reminders (unpaid orders, paid today) up to date
  // with the order's hash after an event was applied; nullopt when there is nothing to note.
  // Idempotent: it runs again when a retried event turns out a duplicate.
  virtual std::optional<redis::Command> BuyerNote(const std::string& shop,
                                                  const std::string& order_id,
                                                  const redis::Reply& order_hash) = 0;
};

}  // namespace orderwatch::orders
