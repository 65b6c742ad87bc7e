// Records order life-cycle events and reads orders back. Plain logic over the Redis client, used
// by the gRPC handler, the tests and the load generator alike.
#pragma once

#include "absl/time/time.h"
#include "orderwatch/v1/order_events.pb.h"
#include "services/common/async.h"
#include "services/common/auth.h"
#include "services/common/retention.h"
#include "services/orders/reminder_schedule.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/redis/script.h"

namespace orderwatch::orders {

class OrderEventsService {
 public:
  // `reminders` may be null: then no event schedules a reminder (settled orders still lose theirs).
  // `pack_unpaid`: a created order whose first reminder is scheduled is packed into its order
  // bucket (lua/lib/order_place.lua) rather than kept under a key of its own.
  OrderEventsService(redis::Client& redis, const redis::KeyScheme& keys, Retention retention,
                     ReminderSchedule* reminders = nullptr, bool pack_unpaid = true);

  void Record(const Principal& who, const v1::RecordEventRequest& request, absl::Time deadline,
              Done<v1::RecordEventResponse> done);
  // A malformed event rejects the whole batch before anything is written.
  void RecordBatch(const Principal& who, const v1::RecordEventBatchRequest& request,
                   absl::Time deadline, Done<v1::RecordEventBatchResponse> done);
  void GetOrder(const Principal& who, const v1::GetOrderRequest& request, absl::Time deadline,
                Done<v1::Order> done);

 private:
  redis::Command ApplyCommand(const std::string& shop, const v1::OrderEvent& event) const;
  std::optional<redis::Command> BuyerNote(const std::string& shop, const v1::OrderEvent& event,
                                          const absl::StatusOr<redis::Reply>& applied) const;
  // Tells the reminders about a job the script scheduled (its third reply element).
  void NoteScheduled(const std::string& shop, const std::string& order_id,
                     const absl::StatusOr<redis::Reply>& r) const;

  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  Retention retention_;
  ReminderSchedule* reminders_;
  bool pack_unpaid_;
  redis::Script apply_event_;
};

}  // namespace orderwatch::orders
