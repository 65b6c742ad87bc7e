// The delayed-shipment gauges over all shops: orders in each stage (warning, overdue, escalated)
// and the compensation they carry in yuan (warning: at risk; overdue and escalated: owed),
// recounted every interval from each partition's stage totals, which the scripts that move an
// order between stages keep (no scan of orders, no shop id in any label). Every instance counts
// the same totals: dashboards and alerts take max(), not sum().
#pragma once

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/common/periodic.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"

namespace orderwatch::shipments {

class ShipmentGauges {
 public:
  ShipmentGauges(redis::Client& redis, const redis::KeyScheme& keys, prometheus::Registry& registry,
                 absl::Duration interval);
  void Start();
  // One recount now; waits for it (for the thread, and tests).
  absl::Status Recount();

 private:
  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  prometheus::Family<prometheus::Gauge>& orders_;
  prometheus::Family<prometheus::Gauge>& compensation_;
  Periodic every_;  // last: its thread stops before the members it reads go
};

}  // namespace orderwatch::shipments
