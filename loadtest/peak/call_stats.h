// Every call's outcome, by phase and kind of call, and second by second. Filled from gRPC's
// completion threads.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "loadtest/load_driver.h"  // kCodes
#include "loadtest/peak/order_flow.h"

namespace orderwatch::load {

struct CallTally {
  std::vector<int64_t> latencies_ns;  // of every completed call, from its due time
  std::array<uint64_t, kCodes> codes{};
  std::array<std::string, kCodes> example_message;  // the first message seen per code
  uint64_t unsent = 0;  // due, but the generator's cap on calls in flight was full
  uint64_t calls() const;
  uint64_t errors() const { return calls() - codes[0]; }
};

struct SecondTally {
  uint64_t sent = 0;
  uint64_t errors = 0;
  uint64_t unsent = 0;
  std::vector<int64_t> latencies_ns;  // every kind of call, by the second it was due in
};

class CallStats {
 public:
  CallStats(int phases, int seconds);

  void Record(int phase, int second, CallKind kind, int64_t latency_ns, int code,
              const std::string& message);
  void Unsent(int phase, int second, CallKind kind);

  // Read after the run, when no call is in flight.
  CallTally& at(int phase, CallKind kind) { return by_phase_[phase][static_cast<int>(kind)]; }
  std::vector<SecondTally>& seconds() { return by_second_; }
  int phases() const { return static_cast<int>(by_phase_.size()); }

 private:
  std::mutex mu_;
  std::vector<std::array<CallTally, kCallKinds>> by_phase_;
  std::vector<SecondTally> by_second_;
};

}  // namespace orderwatch::load
