#include "services/followups/followup_worker.h"

#include "absl/strings/str_cat.h"
#include "services/followups/order_followups.h"
#include "services/scheduler/order_job.h"
#include "services/scheduler/queues.h"

namespace orderwatch::followups {

FollowUpWorker::FollowUpWorker(redis::Client& redis, const redis::KeyScheme& keys,
                               FollowUpBook& book, scheduler::QueueOptions queue)
    : redis_(redis),
      keys_(keys),
      book_(book),
      queue_(redis, keys, scheduler::kFollowUpQueue, queue) {}

void FollowUpWorker::Attach(scheduler::Scheduler& scheduler) {
  scheduler.AddQueue(
      queue_,
      [this](const scheduler::Lease&, const scheduler::Job& job, absl::Time,
             scheduler::JobDone done) {
        const size_t last = job.id.rfind(':');
        if (last == std::string::npos) {
          return done(absl::InternalError("bad follow-up job id: " + job.id));
        }
        auto ids = scheduler::ParseOrderJobId(std::string_view(job.id).substr(0, last));
        if (!ids.ok()) return done(ids.status());
        Open(ids->first, ids->second, job.id.substr(last + 1), absl::Now() + absl::Seconds(5),
             [done = std::move(done)](absl::StatusOr<v1::FollowUp> f) mutable {
               if (!f.ok() && !absl::IsNotFound(f.status())) return done(f.status());
               done(scheduler::JobResult::kAcknowledge);
             });
      },
      scheduler::Priority::kAfterSales);
}

void FollowUpWorker::Open(const std::string& shop, const std::string& order,
                          const std::string& what, absl::Time deadline, Done<v1::FollowUp> done) {
  redis_.Run(redis::Command::Of({"HGETALL", keys_.Order(shop, order)}), deadline,
             [this, shop, order, what, deadline,
              done = std::move(done)](absl::StatusOr<redis::Reply> hash) mutable {
               if (!hash.ok()) return done(hash.status());
               auto f = FollowUpForOrder(what, order, *hash);
               if (!f) {
                 return done(absl::NotFoundError(
                     absl::StrCat("order ", order, " calls for no ", what, " follow-up now")));
               }
               book_.Create(shop, *f, deadline, std::move(done));
             });
}

}  // namespace orderwatch::followups
