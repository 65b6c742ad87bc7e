// Boots the real orderwatch-server binary over a real Redis, as `deploy/local.sh up` does:
// health, reflection, metrics, and a clean exit on SIGTERM.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "tests/support/redis_server.h"

namespace orderwatch {
namespace {

using namespace std::chrono_literals;

class ServerProcess {
 public:
  ServerProcess(const testing::RedisServer& redis, int grpc_port, int metrics_port) {
    pid_ = fork();
    if (pid_ == 0) {
      const std::string grpc = "--grpc-addr=127.0.0.1:" + std::to_string(grpc_port);
      const std::string metrics = "--metrics-addr=127.0.0.1:" + std::to_string(metrics_port);
      const std::string r = "--redis=" + redis.address();
      execl(ORDERWATCH_SERVER_BIN, "orderwatch-server", "--auth=dev", "--partitions=16",
            "--drain-seconds=3", grpc.c_str(), metrics.c_str(), r.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~ServerProcess() {
    if (pid_ != 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  // Sends SIGTERM; the exit status, or -1 if it did not exit within `timeout`.
  int Terminate(std::chrono::milliseconds timeout) {
    kill(pid_, SIGTERM);
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(10ms);
    }
    return -1;
  }

 private:
  pid_t pid_ = 0;
};

TEST(ServerProcessTest, ServesHealthAndReflectionAndStopsOnSigterm) {
  testing::RedisServer redis;
  const int grpc_port = testing::FreePort();
  const int metrics_port = testing::FreePort();
  ServerProcess server(redis, grpc_port, metrics_port);
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port),
                                     grpc::InsecureChannelCredentials());
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
