// Admission control through the whole server and a real Redis. Redis is held still with
// CLIENT PAUSE, so admitted calls stay in flight for as long as the test needs: low-priority calls
// are refused first, then normal ones, then high ones, at once and with a retry hint; after the
// pause every admitted call finishes and calls of every priority are admitted again.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
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
const Caller kStorefront{"shop1", "web", "storefront"};

// One call sent with the callback API; its status once it finishes.
struct Pending {
  virtual ~Pending() {
    // Never leave the callback pointing at a freed call, even when an assertion ends the test.
    if (!Finished(0ms)) ctx->TryCancel();
    done.wait();
  }
  bool Finished(std::chrono::milliseconds within) const {
    return done.wait_for(within) == std::future_status::ready;
  }

  std::unique_ptr<grpc::ClientContext> ctx;
  grpc::Status status;
  std::promise<void> promise;
  std::shared_future<void> done = promise.get_future().share();
};

template <typename Request, typename Response>
struct PendingOf final : Pending {
  Request request;
  Response response;
};

// Sends `request` through `method` (e.g. stub->async()->BatchGet, bound) as `who`.
template <typename Response, typename Request, typename Method>
std::unique_ptr<Pending> Send(Method method, Request request, const Caller& who) {
  auto p = std::make_unique<PendingOf<Request, Response>>();
  p->ctx = TestServer::Context(who, 10000);
  p->request = std::move(request);
  Pending* raw = p.get();
  method(p->ctx.get(), &p->request, &p->response, [raw](grpc::Status s) {
    raw->status = std::move(s);
    raw->promise.set_value();
  });
  return p;
}

v1::BatchGetRemarksRequest BatchGetRequest() {
  v1::BatchGetRemarksRequest req;
  for (int i = 0; i < 20; ++i) req.add_order_ids(absl::StrCat("A", i));
  return req;
}

v1::GetRemarkRequest GetRequest(const std::string& order) {
  v1::GetRemarkRequest req;
  req.set_order_id(order);
  return req;
}

v1::SetRemarkRequest SetRequest(const std::string& order) {
  v1::SetRemarkRequest req;
  req.set_request_id("set-" + order);
  req.set_order_id(order);
  req.set_expected_version(0);
  req.set_flag(v1::FLAG_RED);
  req.set_text("指定顺丰");
  return req;
}

v1::RecordEventRequest CreatedRequest(const std::string& order) {
  constexpr int64_t kT0 = 1762790400000;
  v1::RecordEventRequest req;
  auto* e = req.mutable_event();
  e->set_event_id("created-" + order);
  e->set_order_id(order);
  e->set_event_unix_ms(kT0);
  auto* c = e->mutable_created();
  c->set_amount_fen(12900);
  c->set_buyer_id("buyer-7");
  c->set_item_summary("羽绒服 x1");
  c->set_created_unix_ms(kT0);
  return req;
}

// The value of the sample line `series` (with its labels, if any), or -1.
double Sample(const std::string& metrics, const std::string& series) {
  const size_t at = metrics.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(metrics.substr(at + series.size() + 2));
}

// Scrapes /metrics until the admitted calls in flight are `n`; false if not by `until`.
bool AwaitInFlight(const TestServer& server, double n, Steady::time_point until) {
  do {
    if (Sample(HttpGet(server.metrics_port(), "/metrics"), "orderwatch_admission_in_flight") == n) {
      return true;
    }
    std::this_thread::sleep_for(2ms);
  } while (Steady::now() < until);
  return false;
}

// Checks a refused call: RESOURCE_EXHAUSTED saying why, and a retry hint in the trailer.
void ExpectBusy(const grpc::Status& status, const grpc::ClientContext& ctx,
                const std::string& priority) {
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_NE(status.error_message().find("server busy: "), std::string::npos)
      << status.error_message();
  EXPECT_NE(status.error_message().find("limit for " + priority + "-priority calls"),
            std::string::npos)
      << status.error_message();
  const auto& trailers = ctx.GetServerTrailingMetadata();
  auto it = trailers.find("grpc-retry-pushback-ms");
  ASSERT_NE(it, trailers.end()) << "no grpc-retry-pushback-ms trailer";
  const int ms = std::stoi(std::string(it->second.data(), it->second.size()));
  EXPECT_GE(ms, 10);
  EXPECT_LE(ms, 1000);
  EXPECT_NE(status.error_message().find(absl::StrCat("retry after ", ms, " ms")), std::string::npos)
      << status.error_message();
}

TEST(AdmissionE2ETest, RefusesLowPriorityFirstWhenBusyAndRecovers) {
  RedisServer redis;
  auto config = TestServer::DevConfig();
  config.max_in_flight = 8;  // --max-in-flight=8: low below 4, normal below 6, high below 8
  TestServer server(redis, config);
  auto remarks = server.remarks();
  auto orders = server.orders();
  auto batch_get = [&](grpc::ClientContext* c, const v1::BatchGetRemarksRequest* q,
                       v1::BatchGetRemarksResponse* r, std::function<void(grpc::Status)> f) {
    remarks->async()->BatchGet(c, q, r, std::move(f));
  };
  auto get = [&](grpc::ClientContext* c, const v1::GetRemarkRequest* q, v1::Remark* r,
                 std::function<void(grpc::Status)> f) {
    remarks->async()->Get(c, q, r, std::move(f));
  };
  auto set = [&](grpc::ClientContext* c, const v1::SetRemarkRequest* q, v1::Remark* r,
                 std::function<void(grpc::Status)> f) {
    remarks->async()->Set(c, q, r, std::move(f));
  };
  auto record = [&](grpc::ClientContext* c, const v1::RecordEventRequest* q,
                    v1::RecordEventResponse* r, std::function<void(grpc::Status)> f) {
    orders->async()->Record(c, q, r, std::move(f));
  };

  // The channel is up and the server has seen calls finish before Redis stops.
  v1::Remark remark;
  ASSERT_TRUE(remarks->Set(TestServer::Context(kAgent).get(), SetRequest("A1"), &remark).ok());
  ASSERT_TRUE(AwaitInFlight(server, 0, Steady::now() + 5s));

  constexpr auto kPause = 1500ms;
  const Steady::time_point paused_until = Steady::now() + kPause;
  ASSERT_EQ(redis.Command(absl::StrCat("CLIENT PAUSE ", kPause.count(), " ALL")), "OK");

  std::vector<std::unique_ptr<Pending>> admitted;
  // Four bulk reads fill the low-priority half; they wait on the paused Redis.
  for (int i = 0; i < 4; ++i) {
    admitted.push_back(Send<v1::BatchGetRemarksResponse>(batch_get, BatchGetRequest(), kAgent));
  }
  ASSERT_TRUE(AwaitInFlight(server, 4, paused_until));

  // The fifth is refused at once, with a hint, long before Redis answers again.
  {
    auto ctx = TestServer::Context(kAgent);
    v1::BatchGetRemarksResponse resp;
    const grpc::Status s = remarks->BatchGet(ctx.get(), BatchGetRequest(), &resp);
    EXPECT_LT(Steady::now(), paused_until) << "the refusal waited for Redis";
    ExpectBusy(s, *ctx, "low");
  }
  // Normal calls still get in, up to three quarters.
  for (const char* order : {"A2", "A3"}) {
    admitted.push_back(Send<v1::Remark>(get, GetRequest(order), kAgent));
  }
  ASSERT_TRUE(AwaitInFlight(server, 6, paused_until));
  {
    auto ctx = TestServer::Context(kAgent);
    const grpc::Status s = remarks->Get(ctx.get(), GetRequest("A4"), &remark);
    EXPECT_LT(Steady::now(), paused_until) << "the refusal waited for Redis";
    ExpectBusy(s, *ctx, "normal");
  }
  // Storefront writes get the last places, up to the limit.
  admitted.push_back(Send<v1::Remark>(set, SetRequest("A5"), kAgent));
  admitted.push_back(Send<v1::RecordEventResponse>(record, CreatedRequest("A6"), kStorefront));
  ASSERT_TRUE(AwaitInFlight(server, 8, paused_until));
  {
    auto ctx = TestServer::Context(kAgent);
    const grpc::Status s = remarks->Set(ctx.get(), SetRequest("A7"), &remark);
    EXPECT_LT(Steady::now(), paused_until) << "the refusal waited for Redis";
    ExpectBusy(s, *ctx, "high");
  }
  {
    // Identity is checked first: a caller without one is UNAUTHENTICATED, busy or not.
    grpc::ClientContext anonymous;
    anonymous.set_deadline(std::chrono::system_clock::now() + 5s);
    v1::RecordEventResponse resp;
    EXPECT_EQ(orders->Record(&anonymous, CreatedRequest("A8"), &resp).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  // Every admitted call is still waiting on Redis.
  EXPECT_LT(Steady::now(), paused_until);
  for (const auto& p : admitted) EXPECT_FALSE(p->Finished(0ms));

  // When Redis answers again, each admitted call finishes normally.
  for (const auto& p : admitted) {
    ASSERT_TRUE(p->Finished(10s));
    EXPECT_TRUE(p->status.ok()) << p->status.error_code() << " " << p->status.error_message();
  }
  EXPECT_GE(Steady::now(), paused_until - 50ms);
  ASSERT_TRUE(AwaitInFlight(server, 0, Steady::now() + 5s));

  // And calls of every priority are admitted again.
  {
    v1::BatchGetRemarksResponse resp;
    const grpc::Status s =
        remarks->BatchGet(TestServer::Context(kAgent).get(), BatchGetRequest(), &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(resp.remarks_size(), 20);
  }
  {
    const grpc::Status s =
        remarks->Get(TestServer::Context(kAgent).get(), GetRequest("A5"), &remark);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(remark.version(), 1);
  }
  {
    const grpc::Status s =
        remarks->Set(TestServer::Context(kAgent).get(), SetRequest("A7"), &remark);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  const std::string metrics = HttpGet(server.metrics_port(), "/metrics");
  EXPECT_EQ(Sample(metrics, "orderwatch_admission_limit"), 8) << metrics;
  EXPECT_EQ(Sample(metrics, "orderwatch_admission_in_flight"), 0) << metrics;
  EXPECT_GE(Sample(metrics, "orderwatch_admission_rejected_total{priority=\"low\"}"), 1) << metrics;
  EXPECT_GE(Sample(metrics, "orderwatch_admission_rejected_total{priority=\"normal\"}"), 1)
      << metrics;
  EXPECT_GE(Sample(metrics, "orderwatch_admission_rejected_total{priority=\"high\"}"), 1)
      << metrics;
  // The refusals show in the gRPC metrics as any other code does.
  EXPECT_NE(metrics.find("grpc_code=\"ResourceExhausted\""), std::string::npos);
}

}  // namespace
}  // namespace orderwatch
