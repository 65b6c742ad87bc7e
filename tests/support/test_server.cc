#include "tests/support/test_server.h"

#include <chrono>
#include <stdexcept>

#include "absl/strings/str_cat.h"

namespace orderwatch::testing {

server::ServerConfig TestServer::DevConfig() {
  server::ServerConfig c;
  c.grpc_addr = "127.0.0.1:0";
  c.metrics_addr = "127.0.0.1:0";
  c.auth = "dev";
  c.partitions = 16;
  c.drain = absl::Seconds(2);
  return c;
}

void TestServer::UseRedis(const RedisServer& redis, server::ServerConfig& config) {
  config.redis_host = "127.0.0.1";
  config.redis_port = redis.port();
  if (redis.cluster()) config.redis_cluster = {redis::NodeAddress{"127.0.0.1", redis.port()}};
}

TestServer::TestServer(const RedisServer& redis, server::ServerConfig config) {
  UseRedis(redis, config);
  auto app = server::ServerApp::Start(config);
  if (!app.ok()) throw std::runtime_error(std::string(app.status().message()));
  app_ = *std::move(app);
  channel_ = grpc::CreateChannel(address(), grpc::InsecureChannelCredentials());
}

TestServer::~TestServer() = default;

std::string TestServer::address() const { return absl::StrCat("127.0.0.1:", app_->grpc_port()); }

std::unique_ptr<v1::Remarks::Stub> TestServer::remarks() const {
  return v1::Remarks::NewStub(channel_);
}

std::unique_ptr<v1::OrderEvents::Stub> TestServer::orders() const {
  return v1::OrderEvents::NewStub(channel_);
}

std::unique_ptr<v1::Reminders::Stub> TestServer::reminders() const {
  return v1::Reminders::NewStub(channel_);
}

std::unique_ptr<v1::Shipments::Stub> TestServer::shipments() const {
  return v1::Shipments::NewStub(channel_);
}

std::unique_ptr<v1::FollowUps::Stub> TestServer::followups() const {
  return v1::FollowUps::NewStub(channel_);
}

std::unique_ptr<grpc::ClientContext> TestServer::Bearer(const std::string& token, int timeout_ms) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms));
  return ctx;
}

::testing::AssertionResult GrpcOk(const grpc::Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << status.error_code() << ": " << status.error_message();
}

std::unique_ptr<grpc::ClientContext> TestServer::Context(const Caller& who, int timeout_ms) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-orderwatch-shop", who.shop);
  ctx->AddMetadata("x-orderwatch-agent", who.agent);
  ctx->AddMetadata("x-orderwatch-role", who.role);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms));
  return ctx;
}

RedisServer* ServerSuite::redis_ = nullptr;
TestServer* ServerSuite::server_ = nullptr;

void ServerSuite::SetUpTestSuite() {
  redis_ = new RedisServer();
  server_ = new TestServer(*redis_);
}

void ServerSuite::TearDownTestSuite() {
  delete server_;
  delete redis_;
  server_ = nullptr;
  redis_ = nullptr;
}

}  // namespace orderwatch::testing
