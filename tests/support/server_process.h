// The real orderwatch-server binary as a child process over a real Redis (development auth,
// 16 partitions, free ports), for tests that kill it or run several at once.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/support/redis_server.h"

namespace orderwatch::testing {

class ServerProcess {
 public:
  // `extra`: more --setting=value arguments.
  ServerProcess(const std::string& binary, const RedisServer& redis,
                std::vector<std::string> extra = {});
  // `redis_flag` says where Redis is: "--redis=host:port" or "--redis-cluster=<seeds>".
  ServerProcess(const std::string& binary, const std::string& redis_flag,
                std::vector<std::string> extra);
  ~ServerProcess();  // SIGKILL if still running

  int grpc_port() const { return grpc_port_; }
  int metrics_port() const { return metrics_port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(grpc_port_); }

  // Sends SIGTERM; the exit status, or -1 if it did not exit within `timeout`.
  int Terminate(std::chrono::milliseconds timeout);
  // SIGKILL: no drain, no lease release, whatever was in flight is cut off.
  void Kill();

 private:
  pid_t pid_ = 0;
  int grpc_port_;
  int metrics_port_;
};

}  // namespace orderwatch::testing
