#include "tests/support/server_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

namespace orderwatch::testing {

ServerProcess::ServerProcess(const std::string& binary, const RedisServer& redis,
                             std::vector<std::string> extra)
    : ServerProcess(binary, (redis.cluster() ? "--redis-cluster=" : "--redis=") + redis.address(),
                    std::move(extra)) {}

ServerProcess::ServerProcess(const std::string& binary, const std::string& redis_flag,
                             std::vector<std::string> extra)
    : grpc_port_(FreePort()), metrics_port_(FreePort()) {
  std::vector<std::string> args = {"orderwatch-server",
                                   "--auth=dev",
                                   "--partitions=16",
                                   "--drain-seconds=3",
                                   "--grpc-addr=127.0.0.1:" + std::to_string(grpc_port_),
                                   "--metrics-addr=127.0.0.1:" + std::to_string(metrics_port_),
                                   redis_flag};
  for (auto& e : extra) args.push_back(std::move(e));
  pid_ = fork();
  if (pid_ == 0) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
}

ServerProcess::~ServerProcess() { Kill(); }

void ServerProcess::Kill() {
  if (pid_ == 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = 0;
}

int ServerProcess::Terminate(std::chrono::milliseconds timeout) {
  if (pid_ == 0) return -1;
  kill(pid_, SIGTERM);
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = 0;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

}  // namespace orderwatch::testing
