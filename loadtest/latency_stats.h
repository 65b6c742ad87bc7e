// Latency percentiles from every recorded sample (sorted; exact, no bucketing).
#pragma once

#include <cstdint>
#include <vector>

namespace orderwatch::load {

struct LatencySummary {
  uint64_t count = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0, mean_ms = 0;
};

// Sorts `samples_ns` in place.
LatencySummary Summarize(std::vector<int64_t>& samples_ns);

}  // namespace orderwatch::load
