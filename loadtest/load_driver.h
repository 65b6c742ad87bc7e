// Keeps Remarks calls in flight with the gRPC callback API: a closed loop (every slot sends its
// next call as soon as the previous one returns) or an open loop (calls due at fixed intervals,
// latency counted from the due time, at most --concurrency in flight).
#pragma once

#include <grpcpp/grpcpp.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "loadtest/load_options.h"
#include "orderwatch/v1/remarks.grpc.pb.h"

namespace orderwatch::load {

inline constexpr int kCodes = 17;  // grpc::StatusCode 0..16
inline constexpr const char* kCodeNames[kCodes] = {
    "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
    "DATA_LOSS", "UNAUTHENTICATED"};

struct RunResult {
  double measured_s = 0;
  uint64_t calls = 0;  // calls due/sent inside the measured window that completed
  uint64_t ok = 0;
  uint64_t orders_read = 0;  // batchget/get: remarks in OK replies
  std::array<uint64_t, kCodes> codes{};
  std::array<std::string, kCodes> example_message;  // the first message seen per code
  uint64_t unsent = 0;      // open loop: due in the window but never sent (in-flight cap full)
  uint64_t unfinished = 0;  // still in flight when the drain gave up
  std::vector<int64_t> latencies_ns;
  // Open loop: how late each call was sent after it was due. Large values mean the generator (or
  // the --concurrency cap) held calls back: that part of the latency is not the server's.
  std::vector<int64_t> send_lags_ns;
  double cpu_s = 0;  // this process's user+system CPU during the measured window
};

class Driver {
 public:
  explicit Driver(const Options& options);
  ~Driver();

  // For --op=set, reads the current version of every order (BatchGet), so that expected_version
  // is right from the first call. Returns "" or an error.
  std::string Prepare();
  RunResult Run();

 private:
  using Clock = std::chrono::steady_clock;
  struct Slot;

  void Issue(Slot* s, Clock::time_point start);
  void OnDone(Slot* s, const grpc::Status& status);
  // The slot's call finished: send the next one on it, or give the slot back.
  void Next(Slot* s, Clock::time_point now);
  Clock::time_point Due(uint64_t seq) const;
  uint64_t FirstDueAtOrAfter(Clock::time_point t) const;
  void Schedule();  // open loop sender thread

  const Options options_;
  const std::string run_id_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<v1::Remarks::Stub>> stubs_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<int64_t> versions_;  // --op=set: each entry is touched only by its owning slot

  Clock::time_point origin_, measure_start_, measure_end_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Slot*> free_;  // slots with no call in flight, least recently used first
  int in_flight_ = 0;
  uint64_t next_seq_ = 0;  // open loop: the next call due
  bool stopping_ = false;
  bool scheduler_waits_for_slot_ = false;
};

}  // namespace orderwatch::load
