#include "services/shipments/sweep_worker.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/scheduler/order_job.h"
#include "services/scheduler/queues.h"

namespace orderwatch::shipments {
namespace lua {
extern const std::string_view kSweepCommit;
}  // namespace lua

namespace {

constexpr int kMaxRemarkBytes = 1000;

absl::Time Deadline() { return absl::Now() + absl::Seconds(5); }

absl::Time MsTime(const std::string& v) {
  int64_t ms = 0;
  if (!absl::SimpleAtoi(v, &ms) || ms <= 0) return absl::InfinitePast();
  return absl::FromUnixMillis(ms);
}

}  // namespace

ShipmentFacts ShipmentFactsFromHash(const redis::Reply& hash) {
  ShipmentFacts f;
  for (size_t i = 0; i + 1 < hash.elements.size(); i += 2) {
    const std::string& k = hash.elements[i].str;
    const std::string& v = hash.elements[i + 1].str;
    if (k == "paid") {
      f.paid = MsTime(v);
    } else if (k == "sb") {
      f.ship_by = MsTime(v);
    } else if (k == "mod") {
      f.modified = MsTime(v);
    } else if (k == "urg") {
      f.urged = true;
    } else if (k == "amt") {
      (void)absl::SimpleAtoi(v, &f.amount_fen);
    } else if (k == "ss") {
      int stage = 0;
      if (absl::SimpleAtoi(v, &stage) && v1::ShipmentStage_IsValid(stage)) {
        f.stage = static_cast<v1::ShipmentStage>(stage);
      }
    }
  }
  return f;
}

std::string SweepRemarkLine(v1::ShipmentStage stage, absl::Time deadline, absl::Time now,
                            absl::TimeZone zone) {
  const char* what = stage == v1::SHIPMENT_STAGE_WARNING   ? "发货预警"
                     : stage == v1::SHIPMENT_STAGE_OVERDUE ? "发货超时"
                                                           : "发货超时升级";
  return absl::StrCat(what, " ship by ", absl::FormatTime("%Y-%m-%d %H:%M", deadline, zone),
                      " (sweep ", absl::FormatTime("%Y-%m-%d %H:%M", now, zone), ")");
}

SweepWorker::SweepWorker(redis::Client& redis, const redis::KeyScheme& keys,
                         ShipmentPolicyStore& policies, Retention retention, ZoneOf zone_of,
                         scheduler::QueueOptions queue)
    : redis_(redis),
      keys_(keys),
      policies_(policies),
      retention_(retention),
      zone_of_(std::move(zone_of)),
      queue_(redis, keys, scheduler::kSweepQueue, queue),
      commit_("sweep_commit", lua::kSweepCommit) {}

void SweepWorker::Attach(scheduler::Scheduler& scheduler, const scheduler::DueQueue& notices) {
  scheduler_ = &scheduler;
  notices_ = &notices;
  scheduler.AddQueue(queue_, [this](const scheduler::Lease& lease, const scheduler::Job& job,
                                    absl::Time now, scheduler::JobDone done) {
    Run(lease, job, now, std::move(done));
  }, scheduler::Priority::kAfterSales);
}

void SweepWorker::Run(const scheduler::Lease& lease, const scheduler::Job& job, absl::Time now,
                      scheduler::JobDone done) {
  auto ids = scheduler::ParseOrderJobId(job.id);
  if (!ids.ok()) return done(ids.status());
  auto [shop, order] = *std::move(ids);
  redis_.Run(redis::Command::Of({"HGETALL", keys_.Order(shop, order)}), Deadline(),
             [this, lease, shop = shop, order = order, now,
              done = std::move(done)](absl::StatusOr<redis::Reply> hash) mutable {
               if (!hash.ok()) return done(hash.status());
               policies_.Get(shop, Deadline(),
                             [this, lease, shop, order, now, hash = *std::move(hash),
                              done = std::move(done)](
                                 absl::StatusOr<v1::ShipmentPolicy> policy) mutable {
                               if (!policy.ok()) return done(policy.status());
                               Commit(lease, shop, order, hash, *policy, now, std::move(done));
                             });
             });
}

void SweepWorker::Commit(const scheduler::Lease& lease, const std::string& shop,
                         const std::string& order, const redis::Reply& hash,
                         const v1::ShipmentPolicy& policy, absl::Time now,
                         scheduler::JobDone done) {
  const ShipmentFacts facts = ShipmentFactsFromHash(hash);
  if (facts.paid == absl::InfinitePast()) {
    // Expired or never paid (the order events take paid-and-settled orders off themselves).
    return done(scheduler::JobResult::kAcknowledge);
  }
  const SweepStep step = PlanSweep(facts, policy, now);
  const int partition = lease.partition;
  auto q = queue_.Keys(partition);
  std::vector<std::string> keys = {keys_.Lease(partition), keys_.Order(shop, order),
                                   keys_.History(shop, order)};
  for (auto& k : keys_.FlagIndexes(partition, shop)) keys.push_back(std::move(k));
  keys.push_back(q.due);
  keys.push_back(q.in_flight);
  keys.push_back(q.attempts);
  for (int stage = 1; stage <= 3; ++stage) {
    keys.push_back(keys_.ShipmentStages(partition, shop, stage));
  }
  keys.push_back(keys_.ShipmentSummary(partition, shop));
  keys.push_back(keys_.Queue(partition, scheduler::kNoticeQueue).due);
  keys.push_back(keys_.ShipmentTotals(partition));
  const bool enters = step.enter != v1::SHIPMENT_STAGE_UNSPECIFIED;
  std::vector<std::string> args = {
      lease.value(),
      scheduler::OrderJobId(shop, order),
      order,
      redis::MsArg(now),
      absl::StrCat(static_cast<int>(facts.stage)),
      absl::StrCat(static_cast<int>(step.enter)),
      redis::MsArg(step.deadline),
      step.next ? redis::MsArg(*step.next) : "",
      absl::StrCat(Compensation(facts.amount_fen, policy)),
      absl::StrCat(static_cast<int>(policy.flag())),
      enters ? SweepRemarkLine(step.enter, step.deadline, now, zone_of_(shop)) : "",
      absl::StrCat(kMaxRemarkBytes),
      absl::StrCat(retention_.history_entries),
      redis::MsArg(retention_.order),
      "sweep",
      absl::StrCat(static_cast<int>(v1::SOURCE_SWEEP))};
  redis_.Run(redis::Command::Eval(commit_, std::move(keys), std::move(args)), Deadline(),
             [this, lease, enters, next = step.next, now,
              done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               if (r->elements.empty()) return done(absl::InternalError("sweep_commit: no reply"));
               const std::string& what = r->elements[0].str;
               if (what == "fenced") return done(scheduler::LeaseLost(lease));
               if (what == "stale") {
                 return done(absl::AbortedError("sweep: the order's stage moved meanwhile"));
               }
               if (what == "ok") {
                 if (next) scheduler_->Wake(queue_, lease.partition, *next);
                 if (enters) scheduler_->Wake(*notices_, lease.partition, now);
               }
               // ok and gone: the script took the job off its queue.
               done(scheduler::JobResult::kFinished);
             });
}

}  // namespace orderwatch::shipments
