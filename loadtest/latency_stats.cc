#include "loadtest/latency_stats.h"

#include <algorithm>
#include <cmath>

namespace orderwatch::load {
namespace {

// Nearest-rank percentile of sorted samples, in milliseconds.
double Percentile(const std::vector<int64_t>& sorted, double p) {
  const size_t n = sorted.size();
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(n)));
  rank = std::clamp<size_t>(rank, 1, n);
  return static_cast<double>(sorted[rank - 1]) / 1e6;
}

}  // namespace

LatencySummary Summarize(std::vector<int64_t>& samples_ns) {
  LatencySummary s;
  s.count = samples_ns.size();
  if (samples_ns.empty()) return s;
  std::sort(samples_ns.begin(), samples_ns.end());
  s.p50_ms = Percentile(samples_ns, 50);
  s.p90_ms = Percentile(samples_ns, 90);
  s.p99_ms = Percentile(samples_ns, 99);
  s.p999_ms = Percentile(samples_ns, 99.9);
  s.max_ms = static_cast<double>(samples_ns.back()) / 1e6;
  double sum = 0;
  for (int64_t v : samples_ns) sum += static_cast<double>(v);
  s.mean_ms = sum / static_cast<double>(samples_ns.size()) / 1e6;
  return s;
}

}  // namespace orderwatch::load
