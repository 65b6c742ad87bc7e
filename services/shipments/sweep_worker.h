// The sweep's job handler: a sweep job ("<shop>:<order>" on the sweep queue) re-reads the order
// and the shop's shipment policy, moves the order to the stage it has reached (with a system
// remark, the shop's stage lists and summary) and puts the job back for the next stage.
// Order events queue the job (payment, a change, the buyer urging) and take it off (shipped,
// closed, refunded).
#pragma once

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "services/common/retention.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/redis/script.h"
#include "services/scheduler/due_queue.h"
#include "services/scheduler/scheduler.h"
#include "services/shipments/shipment_policy.h"
#include "services/shipments/shipment_policy_store.h"

namespace orderwatch::shipments {

// What a sweep reads of an order's hash (HGETALL).
ShipmentFacts ShipmentFactsFromHash(const redis::Reply& hash);

// "发货预警 ship by 2025-11-12 00:00 (sweep 2025-11-11 20:00)": the stage, the deadline and when.
std::string SweepRemarkLine(v1::ShipmentStage stage, absl::Time deadline, absl::Time now,
                            absl::TimeZone zone);

class SweepWorker {
 public:
  // The shop's time zone, for remark lines (must not block).
  using ZoneOf = std::function<absl::TimeZone(const std::string& shop)>;

  SweepWorker(redis::Client& redis, const redis::KeyScheme& keys, ShipmentPolicyStore& policies,
              Retention retention, ZoneOf zone_of, scheduler::QueueOptions queue);

  // Registers the sweep queue with the scheduler (after the reminder queues: at peak, pre-sale
  // work goes first and sweeps absorb the delay), and keeps it to wake it, and the notice
  // queue, for what a look puts on them.
  void Attach(scheduler::Scheduler& scheduler, const scheduler::DueQueue& notices);
  scheduler::DueQueue& queue() { return queue_; }

 private:
  void Run(const scheduler::Lease& lease, const scheduler::Job& job, absl::Time now,
           scheduler::JobDone done);
  void Commit(const scheduler::Lease& lease, const std::string& shop, const std::string& order,
              const redis::Reply& hash, const v1::ShipmentPolicy& policy, absl::Time now,
              scheduler::JobDone done);

  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  ShipmentPolicyStore& policies_;
  Retention retention_;
  ZoneOf zone_of_;
  scheduler::DueQueue queue_;
  redis::Script commit_;
  scheduler::Scheduler* scheduler_ = nullptr;
  const scheduler::DueQueue* notices_ = nullptr;
};

}  // namespace orderwatch::shipments
