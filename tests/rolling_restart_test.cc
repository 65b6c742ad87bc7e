// A rolling restart under load: two real orderwatch-server processes behind a client that
// balances calls over both (round_robin with health checking, as behind the headless Kubernetes
// Service), and one of them told to stop (SIGTERM) while calls flow. The client sees no failed
// call: the stopping server says NOT_SERVING first, takes new calls through a grace period,
// then sends GOAWAY and finishes the calls it has.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "orderwatch/v1/remarks.grpc.pb.h"
#include "tests/support/redis_server.h"
#include "tests/support/scrape.h"
#include "tests/support/server_process.h"

namespace orderwatch {
namespace {

using namespace std::chrono_literals;
using testing::RedisServer;
using testing::ServerProcess;

std::unique_ptr<grpc::ClientContext> Context() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-orderwatch-shop", "shop1");
  ctx->AddMetadata("x-orderwatch-agent", "alice");
  ctx->set_deadline(std::chrono::system_clock::now() + 10s);
  return ctx;
}

// The server's count of calls it finished, from its /metrics (0 when unreachable).
double CallsHandled(int metrics_port) {
  const std::string scrape = testing::HttpGet(metrics_port, "/metrics");
  double sum = 0;
  for (size_t at = 0;
       (at = scrape.find("\ngrpc_server_handled_total{", at)) != std::string::npos;) {
    at = scrape.find("} ", at) + 2;
    sum += std::stod(scrape.substr(at));
  }
  return sum;
}

TEST(RollingRestartTest, SigtermUnderLoadFailsNoCallOfClientsThatBalance) {
  RedisServer redis;
  ServerProcess a(ORDERWATCH_SERVER_BIN, redis);
  ServerProcess b(ORDERWATCH_SERVER_BIN, redis);
  // Calls spread over both, and each server's grpc.health.v1 status is watched: a server that
  // says NOT_SERVING (it was told to stop) gets no new call.
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(
      R"({"loadBalancingConfig": [{"round_robin": {}}], "healthCheckConfig": {"serviceName": ""}})");
  auto channel = grpc::CreateCustomChannel("ipv4:" + a.address() + "," + b.address(),
                                           grpc::InsecureChannelCredentials(), args);
  ASSERT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() + 15s));
  auto stub = v1::Remarks::NewStub(channel);

  std::atomic<bool> stop{false};
  std::atomic<int> ok{0};
  std::mutex mu;
  std::map<std::string, int> failures;  // "CODE: message" -> count
  std::vector<std::thread> callers;
  for (int t = 0; t < 8; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; !stop.load(); ++i) {
        v1::SetRemarkRequest set;
        set.set_request_id("r" + std::to_string(i));
        set.set_order_id("R" + std::to_string(t) + "-" + std::to_string(i));
        set.set_expected_version(0);
        set.set_flag(v1::FLAG_BLUE);
        set.set_text("rolling restart");
        v1::Remark r;
        const grpc::Status s = stub->Set(Context().get(), set, &r);
        if (s.ok()) {
          ok.fetch_add(1);
        } else {
          std::lock_guard<std::mutex> lock(mu);
          ++failures[std::to_string(s.error_code()) + ": " + s.error_message()];
        }
      }
    });
  }
  std::this_thread::sleep_for(1500ms);
  const double a_before = CallsHandled(a.metrics_port());
  const int ok_before = ok.load();
  // The server drains: NOT_SERVING, a grace for balancers, GOAWAY, calls in flight finish.
  EXPECT_EQ(a.Terminate(20s), 0);
  const int ok_at_exit = ok.load();
  std::this_thread::sleep_for(1500ms);
  stop = true;
  for (auto& c : callers) c.join();

  EXPECT_GT(a_before, 50) << "the balancer did not use the server that was stopped";
  EXPECT_GT(ok_before, 100);
  EXPECT_GT(ok.load(), ok_at_exit + 50) << "the other server did not take over";
  std::string listed;
  for (const auto& [what, n] : failures) listed += std::to_string(n) + " x " + what + "\n";
  EXPECT_TRUE(failures.empty()) << listed;
}

}  // namespace
}  // namespace orderwatch
