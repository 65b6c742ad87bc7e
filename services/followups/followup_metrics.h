// Follow-up metrics: created and completed (on time or late) by kind, claims that ran out, and
// the SLA gauges, open and overdue follow-ups by kind over all shops, recounted every interval
// from the shops' deadline lists (no shop id in any label).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <memory>

#include "absl/time/time.h"
#include "orderwatch/v1/followups.pb.h"
#include "services/common/clock.h"
#include "services/common/periodic.h"
#include "services/redis/client.h"

namespace orderwatch::followups {

class FollowUpMetrics {
 public:
  explicit FollowUpMetrics(prometheus::Registry& registry);

  void Created(v1::FollowUpKind kind, bool by_order_event);
  void Completed(v1::FollowUpKind kind, bool late);
  void ClaimsExpired(int64_t n);
  void SetOpen(v1::FollowUpKind kind, int64_t open, int64_t overdue);

 private:
  prometheus::Family<prometheus::Counter>& created_;
  prometheus::Family<prometheus::Counter>& completed_;
  prometheus::Counter& claims_expired_;
  prometheus::Family<prometheus::Gauge>& open_;
  prometheus::Family<prometheus::Gauge>& overdue_;
};

// Recounts the open and overdue gauges every `interval` on its own thread (never a gRPC one).
// Each instance counts the same totals: dashboards take max(), not sum().
class SlaGauges {
 public:
  SlaGauges(redis::Client& redis, const Clock& clock, FollowUpMetrics& metrics,
            absl::Duration interval);
  void Start();
  // One recount now; waits for it (for the thread, and tests).
  absl::Status Recount();

 private:
  redis::Client& redis_;
  const Clock& clock_;
  FollowUpMetrics& metrics_;
  Periodic every_;  // last: its thread stops before the members it reads go
};

}  // namespace orderwatch::followups
