// Opens and closes the follow-ups that order events call for: a job "<shop>:<order>:<what>" on
// the follow-up queue (queued atomically with the event) reads the order and opens its
// follow-up (order_followups.h), idempotently, so a job run twice opens one; or closes one:
//   ppk  the order was paid: its promised-payment follow-up is resolved
//   cbx  the order was refunded: its cashback follow-up is cancelled (never paid out)
// After-sales work: at peak it waits for reminders.
#pragma once

#include <string>

#include "services/common/async.h"
#include "services/common/retention.h"
#include "services/followups/followup_book.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/scheduler/due_queue.h"
#include "services/scheduler/scheduler.h"

namespace orderwatch::followups {

class FollowUpWorker {
 public:
  FollowUpWorker(redis::Client& redis, const redis::KeyScheme& keys, FollowUpBook& book,
                 Retention retention, scheduler::QueueOptions queue);

  void Attach(scheduler::Scheduler& scheduler);
  const scheduler::DueQueue& queue() const { return queue_; }

  // Completes the order's open follow-up of `kind` as the order's event; NOT_FOUND when none.
  void Close(const std::string& shop, const std::string& order, v1::FollowUpKind kind,
             v1::FollowUpOutcome outcome, const std::string& note, absl::Time deadline,
             Done<v1::FollowUp> done);
  // Opens the order's follow-up for `what` now (what its job will do; the job then finds it).
  // NOT_FOUND when the order no longer calls for one.
  void Open(const std::string& shop, const std::string& order, const std::string& what,
            absl::Time deadline, Done<v1::FollowUp> done);

 private:
  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  FollowUpBook& book_;
  Retention retention_;
  scheduler::DueQueue queue_;
};

}  // namespace orderwatch::followups
