#include "services/server/admission_metrics.h"

#include <string>

namespace orderwatch::server {

AdmissionMetrics::AdmissionMetrics(prometheus::Registry& registry) {
  in_flight_ = &prometheus::BuildGauge()
                    .Name("orderwatch_admission_in_flight")
                    .Help("gRPC calls admitted and not yet answered.")
                    .Register(registry)
                    .Add({});
  limit_ =
      &prometheus::BuildGauge()
           .Name("orderwatch_admission_limit")
           .Help(
               "Calls admitted at once (--max-in-flight). Low-priority calls are refused from half "
               "of it, normal ones from three quarters.")
           .Register(registry)
           .Add({});
  auto& rejected = prometheus::BuildCounter()
                       .Name("orderwatch_admission_rejected_total")
                       .Help(
                           "Calls refused with RESOURCE_EXHAUSTED because too many were in "
                           "flight, by priority.")
                       .Register(registry);
  for (Priority p : {Priority::kHigh, Priority::kNormal, Priority::kLow}) {
    rejected_[static_cast<int>(p)] = &rejected.Add({{"priority", std::string(PriorityName(p))}});
  }
}

}  // namespace orderwatch::server
