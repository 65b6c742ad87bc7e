// A real redis-server on a free loopback port, for tests. Stopped (and its files removed) on
// destruction.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace orderwatch::testing {

class RedisServer {
 public:
  // `appendonly`: keep an AOF (fsync always) so a restart keeps the data. `extra`: more
  // redis-server arguments; `port` 0: a free one.
  explicit RedisServer(bool appendonly = false, std::vector<std::string> extra = {}, int port = 0);
  ~RedisServer();

  int port() const { return port_; }
  // With ORDERWATCH_TEST_REDIS=cluster in the environment, a Redis Cluster of three masters
  // (this one and two more), each with a third of the slots: servers reach it with
  // --redis-cluster; Start, Stop, Crash, Pause and Resume act on all three; Command and Flat
  // follow MOVED, and run commands about the server (CLIENT, ACL, KEYS, ...) on every node.
  bool cluster() const { return cluster_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // It listens on this Unix socket too.
  std::string unix_socket() const { return dir_ + "/redis.sock"; }

  void Start();   // (re)starts on the same port and waits until it answers PING
  void Stop();    // SIGTERM and wait
  void Crash();   // SIGKILL and wait: what the AOF holds is all that is left
  void Pause();   // SIGSTOP: connections stay open, nothing is answered
  void Resume();  // SIGCONT

  // Runs one command synchronously (for test set-up and checks); returns the reply as text (an
  // array as its number of elements).
  std::string Command(const std::string& command_line) const;
  // The same, with an array (nested or not) as all its strings and numbers, one per line.
  std::string Flat(const std::string& command_line) const;
  // A digest of every key and its value (not its TTL): equal digests, nothing was written.
  std::string DatasetDigest() const;

 private:
  void Signal(int signal);  // and wait for the exit
  static std::vector<std::string> ClusterNodeArgs(int bus_port);
  void FormCluster();
  void WaitClusterOk() const;
  static std::string OneCommand(int port, const std::string& command_line);
  std::string OnCluster(const std::string& command_line, bool flatten) const;

  int port_;
  bool appendonly_;
  std::vector<std::string> extra_;
  bool cluster_ = false;
  int bus_port_ = 0;
  std::vector<std::unique_ptr<RedisServer>> others_;  // the cluster's other masters
  std::vector<int> other_bus_ports_;
  std::string dir_;
  pid_t pid_ = 0;
};

// A loopback port below the ephemeral range that nothing holds right now.
int FreePort();

// Whether a loopback port can be bound now (no socket in any state holds it).
bool PortIsFree(int port);

}  // namespace orderwatch::testing
