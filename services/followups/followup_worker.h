// Opens the follow-ups that order events call for: a job "<shop>:<order>:<what>" on the
// follow-up queue (queued atomically with the event, see order_followups.h) reads the order and
// opens its follow-up, idempotently, so a job run twice opens one. After-sales work: at peak it
// waits for reminders.
#pragma once

#include <string>

#include "services/common/async.h"
#include "services/followups/followup_book.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/scheduler/due_queue.h"
#include "services/scheduler/scheduler.h"

namespace orderwatch::followups {

class FollowUpWorker {
 public:
  FollowUpWorker(redis::Client& redis, const redis::KeyScheme& keys, FollowUpBook& book,
                 scheduler::QueueOptions queue);

  void Attach(scheduler::Scheduler& scheduler);
  const scheduler::DueQueue& queue() const { return queue_; }

  // Opens the order's follow-up for `what` now (what its job will do; the job then finds it).
  // NOT_FOUND when the order no longer calls for one.
  void Open(const std::string& shop, const std::string& order, const std::string& what,
            absl::Time deadline, Done<v1::FollowUp> done);

 private:
  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  FollowUpBook& book_;
  scheduler::DueQueue queue_;
};

}  // namespace orderwatch::followups
