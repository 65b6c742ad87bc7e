// Boots the real orderwatch-server binary over a real Redis, as `deploy/local.sh up` does:
// health, reflection, metrics, and a clean exit on SIGTERM.
#include "tests/support/server_process.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "tests/support/redis_server.h"

namespace orderwatch {
namespace {

using namespace std::chrono_literals;

TEST(ServerProcessTest, ServesHealthAndReflectionAndStopsOnSigterm) {
  testing::RedisServer redis;
  testing::ServerProcess server(ORDERWATCH_SERVER_BIN, redis);
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  ASSERT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() + 10s));

  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::health::v1::HealthCheckResponse hresp;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(health->Check(&ctx, {}, &hresp).ok());
    EXPECT_EQ(hresp.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  }

  // Reflection lists the services, so grpcurl-style tools work.
  auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(channel);
  grpc::ClientContext rctx;
  auto stream = reflection->ServerReflectionInfo(&rctx);
  grpc::reflection::v1alpha::ServerReflectionRequest req;
  req.set_list_services("");
  ASSERT_TRUE(stream->Write(req));
  grpc::reflection::v1alpha::ServerReflectionResponse resp;
  ASSERT_TRUE(stream->Read(&resp));
  std::set<std::string> services;
  for (const auto& s : resp.list_services_response().service()) services.insert(s.name());
  EXPECT_EQ(services.count("orderwatch.v1.Remarks"), 1u);
  EXPECT_EQ(services.count("orderwatch.v1.OrderEvents"), 1u);
  EXPECT_EQ(services.count("orderwatch.v1.Reminders"), 1u);
  EXPECT_EQ(services.count("grpc.health.v1.Health"), 1u);
  // And describes them: the file holding Remarks comes back.
  req.set_file_containing_symbol("orderwatch.v1.Remarks");
  ASSERT_TRUE(stream->Write(req));
  ASSERT_TRUE(stream->Read(&resp));
  EXPECT_GT(resp.file_descriptor_response().file_descriptor_proto_size(), 0);
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());

  EXPECT_EQ(server.Terminate(10s), 0);
  // After the exit nothing answers.
  grpc::ClientContext late;
  late.set_deadline(std::chrono::system_clock::now() + 500ms);
  EXPECT_FALSE(health->Check(&late, {}, &hresp).ok());
}

}  // namespace
}  // namespace orderwatch
