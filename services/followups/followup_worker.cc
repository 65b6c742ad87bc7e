#include "services/followups/followup_worker.h"

#include "absl/strings/str_cat.h"
#include "services/followups/order_followups.h"
#include "services/orders/order_read.h"
#include "services/scheduler/order_job.h"
#include "services/scheduler/queues.h"

namespace orderwatch::followups {

FollowUpWorker::FollowUpWorker(redis::Client& redis, const redis::KeyScheme& keys,
                               FollowUpBook& book, Retention retention,
                               scheduler::QueueOptions queue)
    : redis_(redis),
      keys_(keys),
      book_(book),
      retention_(retention),
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
        const std::string what = job.id.substr(last + 1);
        const absl::Time deadline = absl::Now() + absl::Seconds(5);
        // Nothing to open or close is done too; a follow-up completed meanwhile as well.
        auto finish = [done = std::move(done)](absl::StatusOr<v1::FollowUp> f) mutable {
          if (!f.ok() && !absl::IsNotFound(f.status()) && !absl::IsFailedPrecondition(f.status())) {
            return done(f.status());
          }
          done(scheduler::JobResult::kAcknowledge);
        };
        if (what == "ppk") {
          return Close(ids->first, ids->second, v1::FOLLOW_UP_KIND_PROMISED_PAYMENT,
                       v1::FOLLOW_UP_OUTCOME_RESOLVED, "订单已付款 the order was paid", deadline,
                       std::move(finish));
        }
        if (what == "cbx") {
          return Close(
              ids->first, ids->second, v1::FOLLOW_UP_KIND_CASHBACK, v1::FOLLOW_UP_OUTCOME_CANCELLED,
              "订单已退款 the order was refunded: no cashback", deadline, std::move(finish));
        }
        Open(ids->first, ids->second, what, deadline, std::move(finish));
      },
      scheduler::Priority::kAfterSales);
}

void FollowUpWorker::Close(const std::string& shop, const std::string& order, v1::FollowUpKind kind,
                           v1::FollowUpOutcome outcome, const std::string& note,
                           absl::Time deadline, Done<v1::FollowUp> done) {
  redis_.Run(redis::Command::Of(
                 {"HGET", OrderOpenKey(shop, order), absl::StrCat(static_cast<int>(kind))}),
             deadline,
             [this, shop, order, outcome, note, deadline,
              done = std::move(done)](absl::StatusOr<redis::Reply> id) mutable {
               if (!id.ok()) return done(id.status());
               if (id->is_nil()) {
                 return done(absl::NotFoundError(absl::StrCat("order ", order, " has none open")));
               }
               book_.Update(shop, "order-event", /*supervisor=*/true, "complete", id->str,
                            {absl::StrCat(static_cast<int>(outcome)), note,
                             absl::StrCat(absl::ToInt64Milliseconds(retention_.order))},
                            deadline, std::move(done));
             });
}

void FollowUpWorker::Open(const std::string& shop, const std::string& order,
                          const std::string& what, absl::Time deadline, Done<v1::FollowUp> done) {
  redis_.Run(orders::ReadOrder(keys_, shop, order), deadline,
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
