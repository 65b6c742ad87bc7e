#include "tests/support/redis_cluster.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace orderwatch::testing {
namespace {

// A node's port and its cluster bus port (port + 10000) both free, below the ephemeral range.
int FreeNodePort() {
  static int next = 21000 + (getpid() % 500) * 16;
  for (int tries = 0; tries < 2000; ++tries) {
    const int port = next++;
    if (next > 29000) next = 21000;
    if (PortIsFree(port) && PortIsFree(port + 10000)) return port;
  }
  throw std::runtime_error("no free port pair for a cluster node");
}

}  // namespace

RedisCluster::RedisCluster() {
  std::string create = "redis-cli --cluster create";
  for (int i = 0; i < 6; ++i) {
    const int port = FreeNodePort();
    nodes_.push_back(std::make_unique<RedisServer>(
        true,
        std::vector<std::string>{"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                                 "--cluster-node-timeout", "1000",
                                 // A replica takes over however long ago it last heard from
                                 // its master (an idle paused master's replica may not have
                                 // heard for longer than the default allows).
                                 "--cluster-replica-validity-factor", "0"},
        port));
    killed_.push_back(false);
    absl::StrAppend(&create, " 127.0.0.1:", port);
  }
  absl::StrAppend(&create, " --cluster-replicas 1 --cluster-yes > /dev/null 2>&1");
  if (std::system(create.c_str()) != 0)
    throw std::runtime_error("redis-cli --cluster create failed");
  const absl::Time until = absl::Now() + absl::Seconds(30);
  for (const auto& node : nodes_) {
    while (!Ok(*node)) {
      if (absl::Now() > until) throw std::runtime_error("the cluster did not become ok");
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
  // Replicas know their masters (a failover needs them in sync).
  while (Command("CLUSTER NODES").find("slave") == std::string::npos) {
    if (absl::Now() > until) throw std::runtime_error("the cluster has no replicas");
    absl::SleepFor(absl::Milliseconds(100));
  }
}

RedisCluster::~RedisCluster() = default;

std::string RedisCluster::seeds() const {
  std::string out;
  for (const auto& node : nodes_) absl::StrAppend(&out, out.empty() ? "" : ",", node->address());
  return out;
}

bool RedisCluster::Ok(const RedisServer& node) const {
  return node.Command("CLUSTER INFO").find("cluster_state:ok") != std::string::npos;
}

const RedisServer* RedisCluster::LiveNode() const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (!killed_[i]) return nodes_[i].get();
  }
  return nullptr;
}

std::string RedisCluster::Command(const std::string& command_line) const {
  const RedisServer* node = LiveNode();
  return node == nullptr ? "" : node->Command(command_line);
}

std::string RedisCluster::CommandOn(int port, const std::string& command_line) const {
  for (const auto& node : nodes_) {
    if (node->port() == port) return node->Command(command_line);
  }
  return "";
}

std::vector<int> RedisCluster::MasterPorts() const {
  std::vector<int> ports;
  for (int slot = 0; slot < 16384; slot += 1) {
    const int port = MasterOf(slot);
    if (port != 0 && std::find(ports.begin(), ports.end(), port) == ports.end()) {
      ports.push_back(port);
    }
    if (ports.size() == 3) break;
    slot += 511;  // masters hold ranges of thousands of slots
  }
  return ports;
}

int RedisCluster::MasterOf(int slot) const {
  // CLUSTER NODES: "<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slots>..."
  for (absl::string_view line : absl::StrSplit(Command("CLUSTER NODES"), '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> f = absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (f.size() < 9 || f[2].find("master") == absl::string_view::npos ||
        f[2].find("fail") != absl::string_view::npos) {
      continue;
    }
    for (size_t i = 8; i < f.size(); ++i) {
      std::vector<absl::string_view> range = absl::StrSplit(f[i], '-');
      int first = 0, last = 0;
      if (!absl::SimpleAtoi(range[0], &first)) continue;
      last = first;
      if (range.size() == 2 && !absl::SimpleAtoi(range[1], &last)) continue;
      if (slot >= first && slot <= last) {
        const absl::string_view address = f[1].substr(0, f[1].find('@'));
        int port = 0;
        return absl::SimpleAtoi(address.substr(address.rfind(':') + 1), &port) ? port : 0;
      }
    }
  }
  return 0;
}

absl::Duration RedisCluster::FailOverMasterOf(int slot, absl::Duration limit, Fault fault) {
  const int old = MasterOf(slot);
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i]->port() == old && !killed_[i]) {
      if (fault == Fault::kCrash) {
        nodes_[i]->Crash();
      } else {
        nodes_[i]->Pause();  // ~RedisServer sends SIGCONT before stopping it
      }
      killed_[i] = true;
    }
  }
  const absl::Time start = absl::Now();
  while (absl::Now() - start < limit) {
    const int now = MasterOf(slot);
    const RedisServer* live = LiveNode();
    if (now != 0 && now != old && live != nullptr && Ok(*live)) return absl::Now() - start;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::InfiniteDuration();
}

}  // namespace orderwatch::testing
