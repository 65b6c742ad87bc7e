// A whole orderwatch server (ServerApp) on free loopback ports over a real Redis, and gRPC stubs
// that call it as a given shop/agent/role (development-mode identity headers).
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "orderwatch/v1/followups.grpc.pb.h"
#include "orderwatch/v1/order_events.grpc.pb.h"
#include "orderwatch/v1/remarks.grpc.pb.h"
#include "orderwatch/v1/reminders.grpc.pb.h"
#include "orderwatch/v1/shipments.grpc.pb.h"
#include "services/redis/keys.h"
#include "services/server/server_app.h"
#include "tests/support/redis_server.h"
#include "tests/support/scrape.h"

namespace orderwatch::testing {

struct Caller {
  std::string shop = "shop1";
  std::string agent = "alice";
  std::string role = "agent";
};

class TestServer {
 public:
  explicit TestServer(const RedisServer& redis, server::ServerConfig config = DevConfig());
  ~TestServer();

  static server::ServerConfig DevConfig();
  // Points `config` at `redis`: host and port, or the cluster's seeds when it is one.
  static void UseRedis(const RedisServer& redis, server::ServerConfig& config);

  std::string address() const;
  int metrics_port() const { return app_->metrics_port(); }
  server::ServerApp& app() { return *app_; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

  std::unique_ptr<v1::Remarks::Stub> remarks() const;
  std::unique_ptr<v1::OrderEvents::Stub> orders() const;
  std::unique_ptr<v1::Reminders::Stub> reminders() const;
  std::unique_ptr<v1::Shipments::Stub> shipments() const;
  std::unique_ptr<v1::FollowUps::Stub> followups() const;

  // A context carrying the caller's identity and a deadline.
  static std::unique_ptr<grpc::ClientContext> Context(const Caller& who = {},
                                                      int timeout_ms = 5000);
  // The same for a server in token mode: "authorization: Bearer <token>".
  static std::unique_ptr<grpc::ClientContext> Bearer(const std::string& token,
                                                     int timeout_ms = 5000);

 private:
  std::unique_ptr<server::ServerApp> app_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Success, or the status' code and message, for ASSERT_TRUE(GrpcOk(stub->Call(...))).
::testing::AssertionResult GrpcOk(const grpc::Status& status);

// A test suite whose tests share one Redis and one server (started once per suite).
class ServerSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  static RedisServer* redis_;
  static TestServer* server_;
};

}  // namespace orderwatch::testing
