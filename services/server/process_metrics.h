// process_* metrics as the Prometheus client libraries export them, read from /proc on scrape:
// process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds, process_start_time_seconds; and orderwatch_build_info.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <vector>

namespace orderwatch::server {

class ProcessMetrics final : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

// orderwatch_build_info{version, revision} 1: which build runs where (the version of the
// project, the git revision it was configured from).
void RegisterBuildInfo(prometheus::Registry& registry);

}  // namespace orderwatch::server
