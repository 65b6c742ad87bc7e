// Sends the Double-11 mix open loop: orders are created at the load curve's rate (base orders/s
// times its multiplier), each order's later calls are sent when they come due, and every call's
// latency is counted from its due time, so a slow server cannot slow the load down. Calls go
// out through the gRPC callback API; at most `max_in_flight` are outstanding, the rest are
// counted as unsent.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "loadtest/peak/call_stats.h"
#include "loadtest/peak/load_curve.h"
#include "loadtest/peak/order_flow.h"
#include "orderwatch/v1/order_events.grpc.pb.h"
#include "orderwatch/v1/remarks.grpc.pb.h"
#include "orderwatch/v1/reminders.grpc.pb.h"

namespace orderwatch::load {

struct RunnerOptions {
  std::string addr = "127.0.0.1:50051";
  std::string shop = "loadshop";
  int channels = 4;
  int max_in_flight = 4096;
  int timeout_ms = 2000;
};

class ScenarioRunner {
 public:
  ScenarioRunner(const RunnerOptions& options, const Mix& mix, uint64_t seed);
  ~ScenarioRunner();

  // Waits for every channel to connect; "" or an error.
  std::string Connect();
  // Runs `curve` at `base` orders/s into `stats` (sized for the curve), then waits for the calls
  // in flight. Orders are numbered on from the previous run.
  void Run(const LoadCurve& curve, double base, CallStats* stats);

  int in_flight() const { return in_flight_.load(std::memory_order_relaxed); }
  int64_t orders_created() const { return next_order_; }

  // The shop's order id of order number `n`.
  std::string OrderId(int64_t n) const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Call;

  void Issue(const Action& a, Clock::time_point due, int phase, int second, CallStats* stats);
  void Finish(Call* call, const grpc::Status& status);
  // An order event of `a` (created, paid, closed or shipped) for `order`, happening now.
  void FillEvent(const Action& a, const std::string& order, v1::OrderEvent* e) const;

  const RunnerOptions options_;
  const std::string prefix_;  // unique per process, so event and request ids never repeat
  OrderFlow flow_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<v1::OrderEvents::Stub>> events_;
  std::vector<std::unique_ptr<v1::Remarks::Stub>> remarks_;
  std::vector<std::unique_ptr<v1::Reminders::Stub>> reminders_;
  size_t next_channel_ = 0;
  int64_t next_order_ = 0;
  std::atomic<int> in_flight_{0};
  std::vector<int64_t> page_;
};

}  // namespace orderwatch::load
