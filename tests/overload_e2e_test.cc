// Overload through the whole server and a real Redis: the server's capacity is measured, then
// it is driven open loop at 15 times a tenth of it (the Double-11 step, half again over the
// maximum) with storefront writes and bulk reads mixed. It must stay up, answer every call
// within its deadline (admitted calls served, the rest refused at once with a retry hint),
// refuse bulk reads before storefront writes, and serve normally again when the load drops.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/support/test_server.h"

namespace orderwatch {
namespace {

using namespace std::chrono_literals;
using testing::Caller;
using testing::HttpGet;
using testing::RedisServer;
using testing::TestServer;
using Steady = std::chrono::steady_clock;

const Caller kAgent{"shop1", "alice", "agent"};

struct Outcome {
  bool high = false;  // a storefront write (Append); else a bulk read (BatchGet)
  grpc::StatusCode code = grpc::StatusCode::OK;
  double ms = 0;        // from the call's due time to its answer
  bool hinted = false;  // a refusal carrying grpc-retry-pushback-ms
  std::string message;
};

// Sends the calls of one run with the callback API and keeps their outcomes.
class Load {
 public:
  explicit Load(TestServer& server) : remarks_(server.remarks()) {}
  ~Load() { Drain(); }

  // Sends call number `n` of run `run` (odd: a write to an order of its own, even: a read of 20
  // orders) due at `due`.
  void Send(const std::string& run, int n, Steady::time_point due) {
    auto* call = new Call;
    call->due = due;
    call->high = n % 2 == 1;
    call->ctx = TestServer::Context(kAgent, 2000);
    ++in_flight_;
    auto done = [this, call](grpc::Status s) { Finish(call, s); };
    if (call->high) {
      call->append.set_request_id(absl::StrCat(run, "-", n));
      call->append.set_order_id(absl::StrCat(run, "-", n));
      call->append.set_reason("催发货");
      remarks_->async()->Append(call->ctx.get(), &call->append, &call->remark, std::move(done));
    } else {
      for (int i = 0; i < 20; ++i) call->batch.add_order_ids(absl::StrCat("O", (n + i) % 500));
      remarks_->async()->BatchGet(call->ctx.get(), &call->batch, &call->batch_reply,
                                  std::move(done));
    }
  }
  void Drain() {
    while (in_flight_ > 0) std::this_thread::sleep_for(1ms);
  }
  std::vector<Outcome> TakeOutcomes() {
    Drain();
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(outcomes_);
  }
  int in_flight() const { return in_flight_; }

 private:
  struct Call {
    Steady::time_point due;
    bool high;
    std::unique_ptr<grpc::ClientContext> ctx;
    v1::AppendRemarkRequest append;
    v1::Remark remark;
    v1::BatchGetRemarksRequest batch;
    v1::BatchGetRemarksResponse batch_reply;
  };
  void Finish(Call* call, const grpc::Status& s) {
    Outcome o;
    o.high = call->high;
    o.code = s.error_code();
    o.ms = std::chrono::duration<double, std::milli>(Steady::now() - call->due).count();
    o.hinted = call->ctx->GetServerTrailingMetadata().count("grpc-retry-pushback-ms") == 1;
    if (!s.ok()) o.message = s.error_message();
    {
      std::lock_guard<std::mutex> lock(mu_);
      outcomes_.push_back(o);
    }
    delete call;
    --in_flight_;
  }

  std::unique_ptr<v1::Remarks::Stub> remarks_;
  std::atomic<int> in_flight_{0};
  std::mutex mu_;
  std::vector<Outcome> outcomes_;
};

// Closed loop with `slots` calls in flight for `seconds`: calls answered per second.
double Capacity(TestServer& server, int slots, double seconds) {
  const auto end = Steady::now() + std::chrono::duration<double>(seconds);
  std::atomic<int> n{0};
  std::vector<std::thread> threads;
  auto stub = server.remarks();
  for (int t = 0; t < slots; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; Steady::now() < end; i += slots) {
        v1::AppendRemarkRequest append;
        append.set_request_id(absl::StrCat("cap-", t, "-", i));
        append.set_order_id(absl::StrCat("cap-", t, "-", i));
        append.set_reason("容量");
        v1::Remark remark;
        v1::BatchGetRemarksRequest batch;
        for (int k = 0; k < 20; ++k) batch.add_order_ids(absl::StrCat("O", (i + k) % 500));
        v1::BatchGetRemarksResponse reply;
        grpc::Status s = i % 2 ? stub->Append(TestServer::Context(kAgent).get(), append, &remark)
                               : stub->BatchGet(TestServer::Context(kAgent).get(), batch, &reply);
        if (s.ok()) ++n;
      }
    });
  }
  for (auto& t : threads) t.join();
  return n / seconds;
}

// Open loop at `rate` calls/s for `seconds`; `run` names its writes apart from other runs'.
std::vector<Outcome> Drive(TestServer& server, const std::string& run, double rate,
                           double seconds) {
  Load load(server);
  const auto start = Steady::now();
  const int calls = static_cast<int>(rate * seconds);
  for (int n = 0; n < calls; ++n) {
    const auto due = start + std::chrono::nanoseconds(static_cast<int64_t>(n * 1e9 / rate));
    std::this_thread::sleep_until(due);
    load.Send(run, n, due);
  }
  return load.TakeOutcomes();
}

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

TEST(OverloadE2ETest, AtFifteenTimesATenthOfCapacityItAdmitsWhatItCanServeAndRecovers) {
  RedisServer redis;
  auto config = TestServer::DevConfig();
  config.max_in_flight = 32;  // low-priority calls below 16, storefront writes below 32
  TestServer server(redis, config);

  const double capacity = Capacity(server, 12, 2.0);
  ASSERT_GT(capacity, 50) << "the server answered almost nothing";
  const double rate = 15 * capacity / 10;

  const std::vector<Outcome> peak = Drive(server, "peak", rate, 3.0);
  int ok[2] = {0, 0}, refused[2] = {0, 0}, other = 0, unhinted = 0;
  std::string other_example;
  std::vector<double> served_ms, refused_ms;
  for (const Outcome& o : peak) {
    if (o.code == grpc::StatusCode::OK) {
      ++ok[o.high];
      served_ms.push_back(o.ms);
    } else if (o.code == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      ++refused[o.high];
      refused_ms.push_back(o.ms);
      if (!o.hinted) ++unhinted;
    } else {
      if (other++ == 0) other_example = absl::StrCat(o.code, " ", o.message);
    }
  }
  const std::string summary = absl::StrCat(
      "capacity ", capacity, " calls/s, driven at ", rate, "/s: writes ok ", ok[1], " refused ",
      refused[1], ", reads ok ", ok[0], " refused ", refused[0], ", other ", other, " (",
      other_example, ")", "; served p99 ", Percentile(served_ms, 0.99), " ms, refused p50 ",
      Percentile(refused_ms, 0.5), " ms");
  // It was overloaded, it stayed up, and no call ran into its deadline or failed otherwise.
  EXPECT_GT(refused[0] + refused[1], 0) << summary;
  EXPECT_EQ(other, 0) << summary;
  EXPECT_EQ(unhinted, 0) << summary;
  // What it admitted it served: far inside the 2 s deadline (the in-flight bound is what keeps
  // the queue, and so the latency, short).
  EXPECT_LT(Percentile(served_ms, 0.99), 1000.0) << summary;
  // Bulk reads are refused first: storefront writes get through at a higher share.
  const double write_share = static_cast<double>(ok[1]) / std::max(1, ok[1] + refused[1]);
  const double read_share = static_cast<double>(ok[0]) / std::max(1, ok[0] + refused[0]);
  EXPECT_GT(write_share, read_share) << summary;
  EXPECT_GT(ok[1], 0) << summary;

  // The load drops to a tenth of capacity: everything is served again, promptly.
  std::this_thread::sleep_for(500ms);
  const std::vector<Outcome> after = Drive(server, "after", capacity / 10, 2.0);
  ASSERT_FALSE(after.empty());
  std::vector<double> after_ms;
  for (const Outcome& o : after) {
    EXPECT_EQ(o.code, grpc::StatusCode::OK) << "after the peak: " << summary;
    after_ms.push_back(o.ms);
  }
  EXPECT_LT(Percentile(after_ms, 0.99), 200.0) << summary;
  const std::string metrics = HttpGet(server.metrics_port(), "/metrics");
  EXPECT_NE(metrics.find("\norderwatch_admission_in_flight 0\n"), std::string::npos);
  std::printf("%s\n", summary.c_str());
}

}  // namespace
}  // namespace orderwatch
