#include "tests/support/redis_server.h"

#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace orderwatch::testing {

namespace {

// The lowest port the kernel hands out for outgoing connections and bind(0) (32768 by default).
int EphemeralLow() {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 32768;
  range >> low;
  return low;
}

}  // namespace

bool PortIsFree(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

// Below the ephemeral range: a port the kernel gave out (bind(0), or the local end of one of the
// many loopback connections the tests open) could be taken again before the server binds it.
// Random, so parallel tests rarely try the same one; never the same one twice in a process.
int FreePort() {
  static std::mutex mu;
  static std::set<int> given;
  static std::mt19937 random(std::random_device{}());
  const int low = 10000, high = std::max(low + 1000, EphemeralLow());
  std::lock_guard<std::mutex> lock(mu);
  while (true) {
    const int port = std::uniform_int_distribution<int>(low, high - 1)(random);
    if (given.count(port) == 0 && PortIsFree(port)) {
      given.insert(port);
      return port;
    }
  }
}

RedisServer::RedisServer(bool appendonly, std::vector<std::string> extra, int port)
    : port_(port != 0 ? port : FreePort()), appendonly_(appendonly), extra_(std::move(extra)) {
  const char* mode = getenv("ORDERWATCH_TEST_REDIS");
  const bool clustered_already =
      std::find(extra_.begin(), extra_.end(), "--cluster-enabled") != extra_.end();
  if (mode != nullptr && std::string(mode) == "cluster" && !clustered_already) {
    cluster_ = true;
    // Bus ports of our own choosing: the default, port + 10000, may lie past 65535.
    bus_port_ = FreePort();
    const auto args = ClusterNodeArgs(bus_port_);
    extra_.insert(extra_.end(), args.begin(), args.end());
    for (int i = 0; i < 2; ++i) {
      other_bus_ports_.push_back(FreePort());
      others_.push_back(
          std::make_unique<RedisServer>(appendonly_, ClusterNodeArgs(other_bus_ports_.back())));
    }
  }
  char tmpl[] = "/tmp/orderwatch-redis-XXXXXX";
  dir_ = mkdtemp(tmpl);
  Start();
  if (cluster_) FormCluster();
}

std::vector<std::string> RedisServer::ClusterNodeArgs(int bus_port) {
  return {"--cluster-enabled",      "yes",  "--cluster-config-file", "nodes.conf",
          "--cluster-node-timeout", "2000", "--cluster-port",        std::to_string(bus_port)};
}

void RedisServer::FormCluster() {
  // Three masters, each a third of the slots; node 0 meets the others over their bus ports.
  const int per = 16384 / 3;
  for (size_t i = 0; i < others_.size(); ++i) {
    Command("CLUSTER MEET 127.0.0.1 " + std::to_string(others_[i]->port()) + " " +
            std::to_string(other_bus_ports_[i]));
  }
  Command("CLUSTER ADDSLOTSRANGE 0 " + std::to_string(per - 1));
  others_[0]->Command("CLUSTER ADDSLOTSRANGE " + std::to_string(per) + " " +
                      std::to_string(2 * per - 1));
  others_[1]->Command("CLUSTER ADDSLOTSRANGE " + std::to_string(2 * per) + " 16383");
  WaitClusterOk();
}

void RedisServer::WaitClusterOk() const {
  for (int i = 0; i < 1000; ++i) {
    bool ok = OneCommand(port_, "CLUSTER INFO").find("cluster_state:ok") != std::string::npos;
    for (const auto& other : others_) {
      ok = ok &&
           OneCommand(other->port_, "CLUSTER INFO").find("cluster_state:ok") != std::string::npos;
    }
    if (ok) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("the test cluster did not become ok");
}

RedisServer::~RedisServer() {
  others_.clear();
  if (pid_ != 0) {
    kill(pid_, SIGCONT);
    Stop();
  }
  std::filesystem::remove_all(dir_);
}

void RedisServer::Start() {
  for (auto& other : others_) {
    if (other->pid_ == 0) other->Start();
  }
  const std::string port = std::to_string(port_);
  std::vector<std::string> args = {"redis-server",
                                   "--port",
                                   port,
                                   "--bind",
                                   "127.0.0.1",
                                   "--dir",
                                   dir_,
                                   "--save",
                                   "",
                                   "--maxmemory-policy",
                                   "noeviction",
                                   "--appendonly",
                                   appendonly_ ? "yes" : "no",
                                   "--appendfsync",
                                   "always",
                                   "--unixsocket",
                                   unix_socket(),
                                   "--unixsocketperm",
                                   "700",
                                   "--loglevel",
                                   "warning"};
  args.insert(args.end(), extra_.begin(), extra_.end());
  pid_ = fork();
  if (pid_ == 0) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp("redis-server", argv.data());
    _exit(127);
  }
  for (int i = 0; i < 500; ++i) {
    redisContext* c = redisConnect("127.0.0.1", port_);
    if (c != nullptr && c->err == 0) {
      auto* r = static_cast<redisReply*>(redisCommand(c, "PING"));
      const bool ok = r != nullptr && r->type == REDIS_REPLY_STATUS;
      if (r != nullptr) freeReplyObject(r);
      redisFree(c);
      if (ok) {
        // A restarted cluster finds itself again from nodes.conf.
        if (cluster_ && OneCommand(port_, "CLUSTER INFO").find("cluster_slots_assigned:16384") !=
                            std::string::npos) {
          WaitClusterOk();
        }
        return;
      }
    } else if (c != nullptr) {
      redisFree(c);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("redis-server did not start on port " + port);
}

void RedisServer::Stop() { Signal(SIGTERM); }
void RedisServer::Crash() { Signal(SIGKILL); }

void RedisServer::Signal(int signal) {
  for (auto& other : others_) other->Signal(signal);
  if (pid_ == 0) return;
  kill(pid_, signal);
  int status = 0;
  // A Redis that has not stopped 10 s after SIGTERM is killed, so a teardown cannot hang the
  // suite (seen once: a cluster replica whose master had been killed kept running).
  bool exited = false;
  for (int i = 0; i < 1000 && !exited; ++i) {
    exited = waitpid(pid_, &status, WNOHANG) != 0;
    if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!exited) {
    std::fprintf(stderr, "redis-server %d ignored signal %d for 10 s; killing it\n", pid_, signal);
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
  pid_ = 0;
}

void RedisServer::Pause() {
  for (auto& other : others_) other->Pause();
  kill(pid_, SIGSTOP);
}
void RedisServer::Resume() {
  for (auto& other : others_) other->Resume();
  kill(pid_, SIGCONT);
}

namespace {

std::string Text(const redisReply* r, bool flatten) {
  if (r == nullptr) return "(no reply)";
  switch (r->type) {
    case REDIS_REPLY_INTEGER:
      return std::to_string(r->integer);
    case REDIS_REPLY_NIL:
      return "(nil)";
    case REDIS_REPLY_ARRAY: {
      if (!flatten) return std::to_string(r->elements);
      std::string out;
      for (size_t i = 0; i < r->elements; ++i) {
        if (i > 0) out += '\n';
        out += Text(r->element[i], true);
      }
      return out;
    }
    default:
      return std::string(r->str, r->len);
  }
}

std::string Run(int port, const std::string& command_line, bool flatten) {
  redisContext* c = redisConnect("127.0.0.1", port);
  if (c == nullptr || c->err != 0) {
    if (c != nullptr) redisFree(c);
    return "(connect failed)";
  }
  auto* r = static_cast<redisReply*>(redisCommand(c, command_line.c_str()));
  std::string out = Text(r, flatten);
  if (r != nullptr) freeReplyObject(r);
  redisFree(c);
  return out;
}

}  // namespace

std::string RedisServer::OneCommand(int port, const std::string& command_line) {
  return Run(port, command_line, false);
}

// On a cluster: a command about the server (CLIENT, ACL, CONFIG, SCRIPT, KEYS, DBSIZE) runs on
// every node, numbers added up and texts joined; a command on a key follows MOVED to its node.
std::string RedisServer::OnCluster(const std::string& command_line, bool flatten) const {
  static const char* const kEveryNode[] = {"CLIENT ", "ACL ",   "CONFIG ", "SCRIPT ",
                                           "KEYS ",   "DBSIZE", "FLUSHALL"};
  bool every = false;
  for (const char* prefix : kEveryNode) every = every || command_line.rfind(prefix, 0) == 0;
  if (!every) {
    std::string reply = Run(port_, command_line, flatten);
    for (int hops = 0; hops < 3 && reply.rfind("MOVED ", 0) == 0; ++hops) {
      reply = Run(std::stoi(reply.substr(reply.rfind(':') + 1)), command_line, flatten);
    }
    return reply;
  }
  std::vector<std::string> replies = {Run(port_, command_line, flatten)};
  for (const auto& other : others_) replies.push_back(Run(other->port_, command_line, flatten));
  bool numbers = true, same = true;
  long long sum = 0;
  for (const auto& r : replies) {
    char* end = nullptr;
    const long long n = std::strtoll(r.c_str(), &end, 10);
    numbers = numbers && !r.empty() && *end == '\0';
    sum += n;
    same = same && r == replies[0];
  }
  if (numbers && !flatten) return std::to_string(sum);
  if (same) return replies[0];
  std::string joined;
  for (const auto& r : replies) {
    if (r.empty()) continue;
    if (!joined.empty()) joined += '\n';
    joined += r;
  }
  return joined;
}

std::string RedisServer::Command(const std::string& command_line) const {
  return cluster_ ? OnCluster(command_line, false) : Run(port_, command_line, false);
}

std::string RedisServer::Flat(const std::string& command_line) const {
  return cluster_ ? OnCluster(command_line, true) : Run(port_, command_line, true);
}

std::string RedisServer::DatasetDigest() const {
  constexpr char kScript[] =
      "#!lua flags=no-writes,allow-cross-slot-keys\n"
      "local keys = redis.call('KEYS', '*') table.sort(keys) local parts = {} "
      "for i, k in ipairs(keys) do parts[i] = k .. '=' .. redis.sha1hex(redis.call('DUMP', k)) "
      "end return redis.sha1hex(table.concat(parts, ' '))";
  std::vector<int> ports = {port_};
  for (const auto& other : others_) ports.push_back(other->port_);
  std::string out;
  for (int port : ports) {
    redisContext* c = redisConnect("127.0.0.1", port);
    if (c == nullptr || c->err != 0) {
      if (c != nullptr) redisFree(c);
      return "(connect failed)";
    }
    auto* r = static_cast<redisReply*>(redisCommand(c, "EVAL %s 0", kScript));
    out += Text(r, false);
    if (r != nullptr) freeReplyObject(r);
    redisFree(c);
  }
  return out;
}

}  // namespace orderwatch::testing
