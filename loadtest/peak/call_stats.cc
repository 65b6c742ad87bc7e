#include "loadtest/peak/call_stats.h"

#include <algorithm>

namespace orderwatch::load {

uint64_t CallTally::calls() const {
  uint64_t n = 0;
  for (uint64_t c : codes) n += c;
  return n;
}

CallStats::CallStats(int phases, int seconds) : by_phase_(phases), by_second_(seconds + 1) {}

void CallStats::Record(int phase, int second, CallKind kind, int64_t latency_ns, int code,
                       const std::string& message) {
  code = std::clamp(code, 0, kCodes - 1);
  second = std::clamp(second, 0, static_cast<int>(by_second_.size()) - 1);
  std::lock_guard<std::mutex> lock(mu_);
  CallTally& t = by_phase_[phase][static_cast<int>(kind)];
  t.latencies_ns.push_back(latency_ns);
  ++t.codes[code];
  if (code != 0 && t.example_message[code].empty()) t.example_message[code] = message;
  SecondTally& s = by_second_[second];
  ++s.sent;
  if (code != 0) ++s.errors;
  s.latencies_ns.push_back(latency_ns);
}

void CallStats::Unsent(int phase, int second, CallKind kind) {
  second = std::clamp(second, 0, static_cast<int>(by_second_.size()) - 1);
  std::lock_guard<std::mutex> lock(mu_);
  ++by_phase_[phase][static_cast<int>(kind)].unsent;
  ++by_second_[second].unsent;
}

}  // namespace orderwatch::load
