// Shipment notices on their way out, through the same sinks as reminders: a notice job
// ("<shop>:<order>:<what>" on the notice queue, queued atomically with what caused it) reads the
// order and hands one message to the sink, acknowledged once the sink has it (at least once, with
// the job id as idempotency key on every try):
//   w<stage>  the warehouse is told the order reached a stage (channel "warehouse");
//   b<stage>  the buyer is told, before they ask, when the order will ship, with an apology
//             (warning and overdue; channel "im");
//   stop      a refund was requested before shipping: stop the shipment (channel "warehouse").
// Stage notices of an order that shipped, closed or was refunded meanwhile are dropped; a stop
// always goes out.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "services/dispatch/delivery_sink.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/scheduler/due_queue.h"
#include "services/scheduler/scheduler.h"
#include "services/shipments/shipment_policy_store.h"

namespace orderwatch::shipments {

// How a shop is named and which zone its dates are in (must not block).
struct ShopFacts {
  std::string name;
  absl::TimeZone zone;
};
using ShopFactsOf = std::function<ShopFacts(const std::string& shop)>;

// The notice a job stands for, built from the order's hash (HGETALL); nullopt when it is
// dropped (a stage notice of an order no longer watched). `now` dates an overdue order's new
// expected ship time and picks the shop's normal or peak delay notice from `policy`.
std::optional<dispatch::Delivery> NoticeFor(const std::string& shop, const std::string& order,
                                            const std::string& what, const redis::Reply& hash,
                                            const ShopFacts& facts,
                                            const v1::ShipmentPolicy& policy, absl::Time now);

class NoticeWorker {
 public:
  NoticeWorker(redis::Client& redis, const redis::KeyScheme& keys, dispatch::DeliverySink& sink,
               ShopFactsOf shop_facts, ShipmentPolicyStore& policies,
               prometheus::Registry& registry, scheduler::QueueOptions queue);

  void Attach(scheduler::Scheduler& scheduler);
  const scheduler::DueQueue& queue() const { return queue_; }

 private:
  void Run(const scheduler::Lease& lease, const scheduler::Job& job, absl::Time now,
           scheduler::JobDone done);
  // Hands the job's notice (if it still stands) to the sink.
  void Send(const std::string& shop, const std::string& order, const std::string& what,
            const redis::Reply& hash, const v1::ShipmentPolicy& policy, absl::Time now,
            scheduler::JobDone done);

  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  dispatch::DeliverySink& sink_;
  ShopFactsOf shop_facts_;
  ShipmentPolicyStore& policies_;
  prometheus::Family<prometheus::Counter>& notices_;
  scheduler::DueQueue queue_;
};

}  // namespace orderwatch::shipments
