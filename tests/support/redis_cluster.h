// A Redis Cluster on loopback for tests: three masters with a replica each (six redis-server
// processes with append-only files), made by `redis-cli --cluster create`, and its failover.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tests/support/redis_server.h"

namespace orderwatch::testing {

class RedisCluster {
 public:
  RedisCluster();  // ready when every node reports cluster_state:ok
  ~RedisCluster();

  // Every node as "127.0.0.1:port,...", for --redis-cluster.
  std::string seeds() const;
  // The port of the master serving `slot` now, as a live node sees it; 0 if none.
  int MasterOf(int slot) const;
  // How a master is taken away: SIGKILL, or SIGSTOP (its connections stay open, unanswered; it
  // gets SIGCONT when the cluster goes).
  enum class Fault { kCrash, kPause };
  // Takes the master of `slot` away and waits until a replica serves the slot and the cluster is
  // ok again; how long that took, or InfiniteDuration after `limit`.
  absl::Duration FailOverMasterOf(int slot, absl::Duration limit, Fault fault = Fault::kCrash);
  // A command on a live node, or on the node at `port` (see RedisServer::Command).
  std::string Command(const std::string& command_line) const;
  std::string CommandOn(int port, const std::string& command_line) const;
  // The ports of the masters serving slots now.
  std::vector<int> MasterPorts() const;

 private:
  const RedisServer* LiveNode() const;
  bool Ok(const RedisServer& node) const;

  std::vector<std::unique_ptr<RedisServer>> nodes_;
  std::vector<bool> killed_;
};

}  // namespace orderwatch::testing
