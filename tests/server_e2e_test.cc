// The whole server in-process over a real Redis: health, metrics, Redis outages, drain.
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <regex>

#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/support/test_server.h"

namespace orderwatch {
namespace {

using testing::Caller;
using testing::HttpGet;
using testing::RedisServer;
using testing::TestServer;

v1::SetRemarkRequest SetRequest(const std::string& order, const std::string& request_id) {
  v1::SetRemarkRequest req;
  req.set_request_id(request_id);
  req.set_order_id(order);
  req.set_expected_version(0);
  req.set_flag(v1::FLAG_RED);
  req.set_text("memo secret-memo-text");
  return req;
}

// The value of the first sample line that starts with `series`, or -1.
double Sample(const std::string& metrics, const std::string& series) {
  const size_t at = metrics.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(metrics.substr(at + series.size() + 2));
}

TEST(ServerE2ETest, HealthServesAndMetricsCountCallsWithoutIds) {
  RedisServer redis;
  TestServer server(redis);
  auto health = grpc::health::v1::Health::NewStub(server.channel());
  grpc::health::v1::HealthCheckRequest hreq;
  grpc::health::v1::HealthCheckResponse hresp;
  grpc::ClientContext hctx;
  ASSERT_TRUE(health->Check(&hctx, hreq, &hresp).ok());
  EXPECT_EQ(hresp.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  auto stub = server.remarks();
  v1::Remark r;
  ASSERT_TRUE(
      stub->Set(TestServer::Context(Caller{"shop-secret-id", "agent-secret-id", "agent"}).get(),
                SetRequest("order-secret-id", "r1"), &r)
          .ok());
  auto bad = SetRequest("bad id", "r2");
  EXPECT_FALSE(stub->Set(TestServer::Context().get(), bad, &r).ok());
  auto unparsable = SetRequest("o2", "r3");
  unparsable.set_text("\xff");  // protobuf refuses it before the handler
  EXPECT_EQ(stub->Set(TestServer::Context().get(), unparsable, &r).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  const std::string metrics = HttpGet(server.metrics_port(), "/metrics");
  ASSERT_FALSE(metrics.empty());
  const std::string labels =
      "grpc_method=\"Set\",grpc_service=\"orderwatch.v1.Remarks\",grpc_type=\"unary\"";
  EXPECT_EQ(Sample(metrics, "grpc_server_started_total{" + labels + "}"), 3);
  EXPECT_EQ(Sample(metrics, "grpc_server_handled_total{grpc_code=\"OK\"," + labels + "}"), 1);
  EXPECT_EQ(
      Sample(metrics, "grpc_server_handled_total{grpc_code=\"InvalidArgument\"," + labels + "}"),
      2);
  EXPECT_EQ(
      Sample(metrics, "grpc_server_handled_total{grpc_code=\"Unimplemented\"," + labels + "}"), 0);
  EXPECT_EQ(Sample(metrics, "grpc_server_handling_seconds_count{" + labels + "}"), 3);
  EXPECT_GT(Sample(metrics, "orderwatch_redis_round_trip_seconds_count"), 0);
  // Two per Redis: one Redis, or each of a cluster's three masters.
  EXPECT_EQ(Sample(metrics, "orderwatch_redis_connections_up"), redis.cluster() ? 6 : 2);
  EXPECT_GT(Sample(metrics, "process_resident_memory_bytes"), 0);
  EXPECT_GE(Sample(metrics, "process_cpu_seconds_total"), 0);
  EXPECT_GT(Sample(metrics, "process_open_fds"), 0);
  // No shop, agent or order id, and no memo text, reaches the metrics.
  for (const char* secret :
       {"shop-secret-id", "agent-secret-id", "order-secret-id", "secret-memo"}) {
    EXPECT_EQ(metrics.find(secret), std::string::npos) << secret;
  }
}

TEST(ServerE2ETest, RedisDownFailsFastThenRecovers) {
  RedisServer redis;  // no AOF: a restart also empties Redis' script cache
  TestServer server(redis);
  auto stub = server.remarks();
  v1::Remark r;
  ASSERT_TRUE(stub->Set(TestServer::Context().get(), SetRequest("D1", "d1"), &r).ok());

  redis.Stop();
  absl::SleepFor(absl::Milliseconds(100));
  const absl::Time start = absl::Now();
  auto s = stub->Set(TestServer::Context().get(), SetRequest("D2", "d2"), &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(500));

  redis.Start();
  grpc::Status again;
  const absl::Time until = absl::Now() + absl::Seconds(10);
  do {
    absl::SleepFor(absl::Milliseconds(50));
    again = stub->Set(TestServer::Context().get(), SetRequest("D3", "d3"), &r);
  } while (!again.ok() && absl::Now() < until);
  ASSERT_TRUE(again.ok()) << again.error_message();
  const std::string metrics = HttpGet(server.metrics_port(), "/metrics");
  // The restarted Redis had no scripts: each connection sent their bodies first, so none of
  // them was answered NOSCRIPT (and resent behind the commands after it).
  EXPECT_EQ(Sample(metrics, "orderwatch_redis_noscript_fallbacks_total"), 0);
  EXPECT_GE(Sample(metrics, "orderwatch_redis_errors_total{kind=\"unavailable\"}"), 1);
}

TEST(ServerE2ETest, RefusesRequestsOverTheSizeLimitBeforeReadingThem) {
  RedisServer redis;
  TestServer server(redis);
  // The largest valid batch fits: 500 events, each at its longest item summary and ids.
  v1::RecordEventBatchRequest batch;
  for (int i = 0; i < 500; ++i) {
    auto* e = batch.add_events();
    e->set_event_id(std::string(64, 'e'));
    e->set_order_id(absl::StrCat(std::string(60, 'o'), i));
    e->set_event_unix_ms(1794000000000);
    auto* c = e->mutable_created();
    c->set_buyer_id(std::string(64, 'b'));
    c->set_buyer_phone_hash(std::string(128, 'h'));
    c->set_item_summary(std::string(256, 'i'));
  }
  ASSERT_LT(batch.ByteSizeLong(), static_cast<size_t>(server::kMaxRequestBytes));
  v1::RecordEventBatchResponse out;
  auto s = server.orders()->RecordBatch(
      TestServer::Context({"shop1", "web", "storefront"}, 20000).get(), batch, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(out.results_size(), 500);
  for (const auto& result : out.results()) EXPECT_EQ(result.code(), 0) << result.message();
  // One byte over the limit is refused whole, and nothing of it is written.
  v1::SetRemarkRequest huge = SetRequest("BIG1", "big");
  huge.set_text(std::string(server::kMaxRequestBytes, 'x'));
  v1::Remark r;
  s = server.remarks()->Set(TestServer::Context().get(), huge, &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  EXPECT_EQ(redis.Command("KEYS *BIG1*"), "0");
}

TEST(ServerE2ETest, ReachesRedisThroughItsUnixSocket) {
  RedisServer redis;
  if (redis.cluster())
    GTEST_SKIP() << "a cluster's nodes are reached at the addresses they announce";
  auto config = TestServer::DevConfig();
  config.redis_unix = redis.unix_socket();  // wins over the port the fixture also sets
  TestServer server(redis, config);
  v1::Remark r;
  auto s = server.remarks()->Set(TestServer::Context().get(), SetRequest("U1", "u1"), &r);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // The server's connections are the socket's.
  EXPECT_NE(redis.Flat("CLIENT LIST").find("redis.sock"), std::string::npos)
      << redis.Flat("CLIENT LIST");
}

TEST(ServerE2ETest, StalledRedisMeetsTheCallDeadline) {
  RedisServer redis;
  TestServer server(redis);
  auto stub = server.remarks();
  redis.Pause();
  const absl::Time start = absl::Now();
  v1::Remark r;
  auto s = stub->Set(TestServer::Context({}, 300).get(), SetRequest("P1", "p1"), &r);
  const absl::Duration took = absl::Now() - start;
  redis.Resume();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(took, absl::Seconds(2));
}

TEST(ServerE2ETest, ShutdownDrainsCallsInFlight) {
  RedisServer redis;
  TestServer server(redis);
  auto stub = server.remarks();
  // Hold a call in flight by stalling Redis, then shut down; the call still completes.
  redis.Pause();
  std::promise<grpc::Status> in_flight;
  auto in_flight_status = in_flight.get_future();
  std::thread caller([&] {
    v1::Remark r;
    in_flight.set_value(stub->Set(TestServer::Context({}, 5000).get(), SetRequest("S1", "s1"), &r));
  });
  absl::SleepFor(absl::Milliseconds(200));
  std::thread stopper([&] { server.app().Shutdown(absl::Seconds(5)); });

  // First a grace (a fifth of the drain): health says NOT_SERVING while calls are still taken.
  absl::SleepFor(absl::Milliseconds(300));
  auto health = grpc::health::v1::Health::NewStub(server.channel());
  grpc::health::v1::HealthCheckResponse hresp;
  grpc::ClientContext hctx;
  ASSERT_TRUE(health->Check(&hctx, {}, &hresp).ok());
  EXPECT_EQ(hresp.status(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);

  // Then new calls are refused while the one in flight waits for Redis.
  absl::SleepFor(absl::Milliseconds(1200));
  auto fresh = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  v1::Remark r;
  auto refused = v1::Remarks::NewStub(fresh)->Set(TestServer::Context({}, 1000).get(),
                                                  SetRequest("S2", "s2"), &r);
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(in_flight_status.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  redis.Resume();
  auto status = in_flight_status.get();
  caller.join();
  stopper.join();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(redis.Command("HGET " + std::string("ow:{p") +
                          std::to_string(redis::KeyScheme(16).PartitionOf("shop1", "S1")) +
                          "}:o:shop1:S1 t"),
            "memo secret-memo-text");
}

// With --max-connection-age-seconds the server sends GOAWAY after about that long, so a client
// reconnects (through a layer-4 balancer, possibly to a newer instance); its calls still succeed.
TEST(ServerE2ETest, ClosesClientConnectionsAfterTheirMaxAge) {
  RedisServer redis;
  auto config = TestServer::DevConfig();
  config.max_connection_age = absl::Seconds(1);
  config.drain = absl::Seconds(1);
  TestServer server(redis, config);
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  auto stub = v1::Remarks::NewStub(channel);
  v1::Remark r;
  ASSERT_TRUE(stub->Set(TestServer::Context().get(), SetRequest("G1", "g1"), &r).ok());
  ASSERT_EQ(channel->GetState(false), GRPC_CHANNEL_READY);
  // Age 1 s (+-10% jitter) and 1 s of grace: the connection is gone well within 5 s.
  const auto deadline = std::chrono::system_clock::now() + std::chrono::seconds(5);
  EXPECT_TRUE(channel->WaitForStateChange(GRPC_CHANNEL_READY, deadline));
  EXPECT_NE(channel->GetState(false), GRPC_CHANNEL_READY);
  v1::GetRemarkRequest get;
  get.set_order_id("G1");
  auto s = stub->Get(TestServer::Context().get(), get, &r);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(r.version(), 1);
}

}  // namespace
}  // namespace orderwatch

namespace orderwatch {
namespace {

TEST(ServerE2ETest, TokenModeTakesIdentityFromTheTokenTableOnly) {
  RedisServer redis;
  const std::string path = ::testing::TempDir() + "/tokens";
  {
    std::ofstream f(path);
    f << "# token shop agent role\n"
         "0123456789abcdef0123456789abcdef shop1 alice agent\n";
  }
  auto config = TestServer::DevConfig();
  config.auth = "tokens";
  config.tokens_file = path;
  TestServer server(redis, config);
  auto stub = server.remarks();
  v1::Remark r;

  grpc::ClientContext good;
  good.AddMetadata("authorization", "Bearer 0123456789abcdef0123456789abcdef");
  // Development headers are ignored in token mode: the token's principal acts.
  good.AddMetadata("x-orderwatch-shop", "shop2");
  ASSERT_TRUE(stub->Set(&good, SetRequest("T1", "t1"), &r).ok());
  EXPECT_EQ(r.updated_by(), "alice");
  EXPECT_EQ(redis.Command("EXISTS ow:{p" +
                          std::to_string(redis::KeyScheme(16).PartitionOf("shop1", "T1")) +
                          "}:o:shop1:T1"),
            "1");

  grpc::ClientContext wrong;
  wrong.AddMetadata("authorization", "Bearer ffffffffffffffffffffffffffffffff");
  EXPECT_EQ(stub->Set(&wrong, SetRequest("T2", "t2"), &r).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // The development headers alone are not enough.
  EXPECT_EQ(stub->Set(TestServer::Context().get(), SetRequest("T3", "t3"), &r).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST(ServerE2ETest, RefusesToStartWithAnotherPartitionCount) {
  RedisServer redis;
  { TestServer first(redis); }  // records 16 partitions
  auto config = TestServer::DevConfig();
  config.partitions = 32;
  TestServer::UseRedis(redis, config);
  auto app = server::ServerApp::Start(config);
  ASSERT_FALSE(app.ok());
  EXPECT_EQ(app.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(app.status().message().find("ORDERWATCH_PARTITIONS=16"), absl::string_view::npos);
}

}  // namespace
}  // namespace orderwatch

namespace orderwatch {
namespace {

TEST(ServerE2ETest, DoesNotStartWithoutRedis) {
  auto config = TestServer::DevConfig();
  config.redis_port = testing::FreePort();  // nothing listens there
  config.redis_wait = absl::Seconds(1);
  auto app = server::ServerApp::Start(config);
  ASSERT_FALSE(app.ok());
  EXPECT_EQ(app.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(app.status().message().find("ORDERWATCH_REDIS"), absl::string_view::npos);
}

}  // namespace
}  // namespace orderwatch
