// How recording order events starts an order's payment reminders (the reminders service
// implements it; order ingestion stops them by itself once the order is settled).
#pragma once

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "orderwatch/v1/order_events.pb.h"

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
};

}  // namespace orderwatch::orders
