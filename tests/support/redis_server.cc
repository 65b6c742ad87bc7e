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
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

namespace orderwatch::testing {

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

RedisServer::RedisServer(bool appendonly, std::vector<std::string> extra, int port)
    : port_(port != 0 ? port : FreePort()), appendonly_(appendonly), extra_(std::move(extra)) {
  const char* mode = getenv("ORDERWATCH_TEST_REDIS");
  const bool clustered_already =
      std::find(extra_.begin(), extra_.end(), "--cluster-enabled") != extra_.end();
  if (mode != nullptr && std::string(mode) == "cluster" && !clustered_already) {
    cluster_ = true;
    cluster_port_ = FreePort();
    extra_.insert(extra_.end(), {"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                                 "--cluster-port", std::to_string(cluster_port_)});
  }
  char tmpl[] = "/tmp/orderwatch-redis-XXXXXX";
  dir_ = mkdtemp(tmpl);
  Start();
}

RedisServer::~RedisServer() {
  if (pid_ != 0) {
    kill(pid_, SIGCONT);
    Stop();
  }
  std::filesystem::remove_all(dir_);
}

void RedisServer::Start() {
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
        if (cluster_) ServeAllSlots();
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
  if (pid_ == 0) return;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = 0;
}

void RedisServer::Pause() { kill(pid_, SIGSTOP); }
void RedisServer::Resume() { kill(pid_, SIGCONT); }

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

std::string RedisServer::Command(const std::string& command_line) const {
  return Run(port_, command_line, false);
}

std::string RedisServer::Flat(const std::string& command_line) const {
  return Run(port_, command_line, true);
}

void RedisServer::ServeAllSlots() const {
  if (Command("CLUSTER INFO").find("cluster_slots_assigned:16384") == std::string::npos) {
    Command("CLUSTER ADDSLOTSRANGE 0 16383");
  }
  for (int i = 0; i < 500; ++i) {
    if (Command("CLUSTER INFO").find("cluster_state:ok") != std::string::npos) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("the one-node cluster did not become ok");
}

std::string RedisServer::DatasetDigest() const {
  constexpr char kScript[] =
      "#!lua flags=no-writes,allow-cross-slot-keys\n"
      "local keys = redis.call('KEYS', '*') table.sort(keys) local parts = {} "
      "for i, k in ipairs(keys) do parts[i] = k .. '=' .. redis.sha1hex(redis.call('DUMP', k)) "
      "end return redis.sha1hex(table.concat(parts, ' '))";
  redisContext* c = redisConnect("127.0.0.1", port_);
  if (c == nullptr || c->err != 0) {
    if (c != nullptr) redisFree(c);
    return "(connect failed)";
  }
  auto* r = static_cast<redisReply*>(redisCommand(c, "EVAL %s 0", kScript));
  std::string out = Text(r, false);
  if (r != nullptr) freeReplyObject(r);
  redisFree(c);
  return out;
}

}  // namespace orderwatch::testing
