// The automatic side of payment reminders: when a created order's first reminder is due (for
// order ingestion), and the two job handlers the scheduler runs:
// - a reminder job ("<shop>:<order>" on the reminder queue) re-reads the order and the shop's
//   policy, and either moves the job to the reminder's due time or the window's opening, records
//   a skipped reminder, or reserves the message in the buyer's book and commits a sent one (which
//   queues its delivery);
// - a delivery job ("<shop>:<order>:<n>" on the delivery queue) hands reminder n to the sink,
//   unless the order was settled meanwhile.
#pragma once

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/orders/reminder_schedule.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/redis/script.h"
#include "services/reminders/buyer_book.h"
#include "services/dispatch/delivery_sink.h"
#include "services/reminders/reminder_commit.h"
#include "services/reminders/reminder_metrics.h"
#include "services/reminders/reminder_settings.h"
#include "services/scheduler/due_queue.h"
#include "services/scheduler/scheduler.h"

namespace orderwatch::reminders {

class ReminderWorker final : public orders::ReminderSchedule {
 public:
  ReminderWorker(redis::Client& redis, const redis::KeyScheme& keys, const Clock& clock,
                 ReminderSettingsStore& settings, ReminderCommitter& committer, BuyerBook& book,
                 dispatch::DeliverySink& sink, ReminderMetrics& metrics,
                 scheduler::QueueOptions reminder_queue, scheduler::QueueOptions delivery_queue);

  // Registers both queues with the scheduler (reminders first) and keeps it for Wake.
  void Attach(scheduler::Scheduler& scheduler);

  std::optional<absl::Time> FirstDue(const std::string& shop,
                                     const v1::OrderEvent& created) override;
  void Scheduled(int partition, absl::Time due) override;
  absl::TimeZone ShopZone(const std::string& shop) override;
  std::optional<redis::Command> BuyerNote(const std::string& shop, const std::string& order_id,
                                          const redis::Reply& order_hash) override;
  // A reminder was committed outside a job (Trigger): its delivery is due now.
  void DeliveryQueued(int partition, absl::Time due);

  scheduler::DueQueue& reminder_queue() { return reminders_; }
  scheduler::DueQueue& delivery_queue() { return deliveries_; }

 private:
  using JobDone = scheduler::JobDone;
  void RunReminder(const scheduler::Lease& lease, const scheduler::Job& job, absl::Time now,
                   JobDone done);
  void Decide(const scheduler::Lease& lease, const std::string& shop, const std::string& order,
              const redis::Reply& hash, const ReminderSettings& settings, absl::Time now,
              JobDone done);
  void CommitReminder(Commit c, JobDone done);
  void Reschedule(const scheduler::Lease& lease, const std::string& shop, const std::string& order,
                  std::optional<absl::Time> due, JobDone done);
  void RunDelivery(const scheduler::Lease& lease, const scheduler::Job& job, JobDone done);

  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  const Clock& clock_;
  ReminderSettingsStore& settings_;
  ReminderCommitter& committer_;
  BuyerBook& book_;
  dispatch::DeliverySink& sink_;
  ReminderMetrics& metrics_;
  scheduler::DueQueue reminders_;
  scheduler::DueQueue deliveries_;
  scheduler::Scheduler* scheduler_ = nullptr;
  redis::Script reschedule_;
  redis::Script delivery_begin_;
};

}  // namespace orderwatch::reminders
