// Prometheus metrics of admission control, every child created here, at start-up:
// orderwatch_admission_in_flight, orderwatch_admission_limit and
// orderwatch_admission_rejected_total{priority="high|normal|low"}.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <array>

#include "services/common/admission.h"

namespace orderwatch::server {

class AdmissionMetrics final : public Admission::Observer {
 public:
  explicit AdmissionMetrics(prometheus::Registry& registry);

  // The limit the Admission enforces (its max_in_flight()).
  void SetLimit(int max_in_flight) { limit_->Set(max_in_flight); }

  void Admitted() override { in_flight_->Increment(); }
  void Released() override { in_flight_->Decrement(); }
  void Rejected(Priority priority) override { rejected_[static_cast<int>(priority)]->Increment(); }

 private:
  prometheus::Gauge* in_flight_;
  prometheus::Gauge* limit_;
  std::array<prometheus::Counter*, 3> rejected_;  // by Priority
};

}  // namespace orderwatch::server
