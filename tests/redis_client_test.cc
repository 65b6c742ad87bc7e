// The Redis client against a real redis-server: pipelining, scripts, deadlines, outages.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

#include "absl/synchronization/notification.h"
#include "services/redis/client.h"
#include "tests/support/redis_server.h"

namespace orderwatch::redis {
namespace {

using testing::RedisServer;

class RedisClientTest : public ::testing::Test {
 protected:
  RedisClientTest() : registry_(), metrics_(registry_) {}

  std::unique_ptr<Client> Connect(const RedisServer& server) {
    ClientOptions o;
    o.port = server.port();
    o.min_backoff = absl::Milliseconds(20);
    o.max_backoff = absl::Milliseconds(200);
    auto c = std::make_unique<Client>(o, &metrics_);
    c->Start();
    EXPECT_TRUE(c->WaitConnected(absl::Seconds(5)));
    return c;
  }

  static absl::StatusOr<Reply> RunSync(Client& c, Command cmd,
                                       absl::Duration timeout = absl::Seconds(5)) {
    std::promise<absl::StatusOr<Reply>> p;
    c.Run(std::move(cmd), absl::Now() + timeout,
          [&p](absl::StatusOr<Reply> r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  prometheus::Registry registry_;
  ClientMetrics metrics_;
};

TEST_F(RedisClientTest, PipelinesManyCommandsInFlight) {
  RedisServer server;
  auto client = Connect(server);
  constexpr int kCommands = 20000;
  std::atomic<int> ok{0};
  absl::Notification all;
  std::atomic<int> left{kCommands};
  for (int i = 0; i < kCommands; ++i) {
    client->Run(Command::Of({"INCR", "counter"}), absl::Now() + absl::Seconds(10),
                [&](absl::StatusOr<Reply> r) {
                  if (r.ok() && r->type == Reply::Type::kInteger) ok.fetch_add(1);
                  if (left.fetch_sub(1) == 1) all.Notify();
                });
  }
  ASSERT_TRUE(all.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_EQ(ok.load(), kCommands);
  EXPECT_EQ(server.Command("GET counter"), std::to_string(kCommands));
}

TEST_F(RedisClientTest, ConnectsThroughAUnixSocket) {
  RedisServer server;
  ClientOptions o;
  o.port = 1;  // nothing listens there: only the socket can answer
  o.unix_path = server.unix_socket();
  Client client(o, &metrics_);
  client.Start();
  ASSERT_TRUE(client.WaitConnected(absl::Seconds(5)));
  auto r = RunSync(client, Command::Of({"SET", "via", "socket"}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(server.Command("GET via"), "socket");
  EXPECT_EQ(o.Address(), "unix:" + server.unix_socket());
}

TEST_F(RedisClientTest, RunAllKeepsOrder) {
  RedisServer server;
  auto client = Connect(server);
  std::promise<std::vector<absl::StatusOr<Reply>>> p;
  client->RunAll({Command::Of({"SET", "a", "1"}), Command::Of({"GET", "a"}),
                  Command::Of({"GET", "missing"}), Command::Of({"HGET", "a", "x"})},
                 absl::Now() + absl::Seconds(5), [&](auto r) { p.set_value(std::move(r)); });
  auto r = p.get_future().get();
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[1]->str, "1");
  EXPECT_TRUE(r[2]->is_nil());
  ASSERT_FALSE(r[3].ok());  // WRONGTYPE is an error reply
  EXPECT_EQ(r[3].status().code(), absl::StatusCode::kInternal);
}

// Over two connections, commands on one key still run in the order they were submitted: a
// batch's events of one order apply in the batch's order.
TEST_F(RedisClientTest, CommandsOnOneKeyRunInTheOrderSubmitted) {
  RedisServer server;
  auto client = Connect(server);
  ASSERT_EQ(client->options().connections, 2);
  constexpr int kCommands = 2000;
  std::vector<Command> pushes;
  // One key's commands at every position of the batch, another's at every third.
  for (int i = 0, j = 0; i < kCommands; ++i) {
    pushes.push_back(Command::Of({"RPUSH", "{o1}:events", std::to_string(i)}));
    if (i % 3 == 0) pushes.push_back(Command::Of({"RPUSH", "{o2}:events", std::to_string(j++)}));
  }
  std::promise<std::vector<absl::StatusOr<Reply>>> p;
  client->RunAll(std::move(pushes), absl::Now() + absl::Seconds(10),
                 [&](auto r) { p.set_value(std::move(r)); });
  for (const auto& r : p.get_future().get()) ASSERT_TRUE(r.ok()) << r.status();
  for (const auto& [list, n] :
       {std::pair{"{o1}:events", kCommands}, std::pair{"{o2}:events", (kCommands + 2) / 3}}) {
    auto all = RunSync(*client, Command::Of({"LRANGE", list, "0", "-1"}));
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->elements.size(), static_cast<size_t>(n));
    int out_of_order = 0;
    for (int i = 0; i < n; ++i) out_of_order += all->elements[i].str != std::to_string(i);
    EXPECT_EQ(out_of_order, 0) << list;
  }
}

TEST_F(RedisClientTest, ScriptsFallBackToEvalWhenRedisForgetsThem) {
  RedisServer server;
  auto client = Connect(server);
  Script script("echo", "return ARGV[1] .. KEYS[1]");
  // The connection's first run sends the body; after the flush it sends the SHA1 and Redis no
  // longer knows it.
  ASSERT_TRUE(RunSync(*client, Command::Eval(script, {"k"}, {"u"})).ok());
  EXPECT_EQ(metrics_.noscript_fallbacks->Value(), 0);
  server.Command("SCRIPT FLUSH");
  auto r = RunSync(*client, Command::Eval(script, {"k"}, {"v"}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->str, "vk");
  EXPECT_EQ(metrics_.noscript_fallbacks->Value(), 1);
  // Now cached: EVALSHA succeeds directly.
  ASSERT_TRUE(RunSync(*client, Command::Eval(script, {"k"}, {"w"})).ok());
  EXPECT_EQ(metrics_.noscript_fallbacks->Value(), 1);
  EXPECT_EQ(server.Command("SCRIPT EXISTS " + script.sha1()), "1");
}

// A restarted Redis has no scripts. Were the first EVALSHA after it answered NOSCRIPT and resent,
// the resend would run after the commands sent behind it: a key's commands out of order.
TEST_F(RedisClientTest, CommandsBehindAScriptStayBehindItAfterRedisRestarts) {
  RedisServer server;
  auto client = Connect(server);
  Script push("push", "return redis.call('RPUSH', KEYS[1], ARGV[1])");
  ASSERT_TRUE(RunSync(*client, Command::Eval(push, {"{l}:log"}, {"before"})).ok());
  server.Stop();
  const absl::Time until = absl::Now() + absl::Seconds(5);
  while (client->connected() && absl::Now() < until) absl::SleepFor(absl::Milliseconds(5));
  ASSERT_FALSE(client->connected());
  server.Start();
  ASSERT_TRUE(client->WaitConnected(absl::Seconds(5)));
  ASSERT_TRUE(RunSync(*client, Command::Of({"DEL", "{l}:log"})).ok());
  std::promise<std::vector<absl::StatusOr<Reply>>> done;
  std::vector<Command> batch;
  for (int i = 0; i < 10; ++i) {
    batch.push_back(i % 2 == 0 ? Command::Eval(push, {"{l}:log"}, {std::to_string(i)})
                               : Command::Of({"RPUSH", "{l}:log", std::to_string(i)}));
  }
  client->RunAll(std::move(batch), absl::Now() + absl::Seconds(5),
                 [&](auto r) { done.set_value(std::move(r)); });
  for (const auto& r : done.get_future().get()) ASSERT_TRUE(r.ok()) << r.status();
  auto log = RunSync(*client, Command::Of({"LRANGE", "{l}:log", "0", "-1"}));
  ASSERT_TRUE(log.ok());
  std::vector<std::string> got;
  for (const auto& e : log->elements) got.push_back(e.str);
  EXPECT_EQ(got, (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
  EXPECT_EQ(metrics_.noscript_fallbacks->Value(), 0);
}

TEST_F(RedisClientTest, FailsFastWhenDownAndReconnects) {
  RedisServer server;
  auto client = Connect(server);
  server.Stop();
  // The loss is noticed; from then on calls fail at once, never hang.
  absl::Time until = absl::Now() + absl::Seconds(5);
  while (client->connected() && absl::Now() < until) absl::SleepFor(absl::Milliseconds(5));
  ASSERT_FALSE(client->connected());
  const absl::Time start = absl::Now();
  auto r = RunSync(*client, Command::Of({"PING"}), absl::Seconds(5));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(100));

  server.Start();
  ASSERT_TRUE(client->WaitConnected(absl::Seconds(5)));
  EXPECT_TRUE(RunSync(*client, Command::Of({"PING"})).ok());
  EXPECT_GE(metrics_.reconnects->Value(), 1);
}

TEST_F(RedisClientTest, DeadlineBoundsACallWhenRedisStalls) {
  RedisServer server;
  auto client = Connect(server);
  server.Pause();
  const absl::Time start = absl::Now();
  auto r = RunSync(*client, Command::Of({"PING"}), absl::Milliseconds(200));
  const absl::Duration took = absl::Now() - start;
  server.Resume();
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_GE(took, absl::Milliseconds(190));
  EXPECT_LT(took, absl::Milliseconds(1000));
  // The late reply is dropped; the connection keeps working.
  EXPECT_TRUE(RunSync(*client, Command::Of({"PING"})).ok());
}

TEST_F(RedisClientTest, StopRacingSubmittersStillAnswersEveryCall) {
  RedisServer server;
  for (int round = 0; round < 40; ++round) {
    auto client = Connect(server);
    std::atomic<long> submitted{0}, answered{0};
    std::atomic<bool> go{true};
    std::vector<std::thread> submitters;
    for (int t = 0; t < 4; ++t) {
      submitters.emplace_back([&] {
        while (go.load()) {
          submitted++;
          client->Run(Command::Of({"PING"}), absl::Now() + absl::Seconds(5),
                      [&](absl::StatusOr<Reply>) { answered++; });
        }
      });
    }
    absl::SleepFor(absl::Microseconds(200 + round % 7 * 100));
    client->Stop();
    absl::SleepFor(absl::Milliseconds(1));
    go = false;
    for (auto& t : submitters) t.join();
    ASSERT_EQ(submitted.load(), answered.load()) << "round " << round;
  }
}

// A peer that accepts connections and closes them at once (Redis at maxclients, a proxy without
// a backend): the client must keep backing off, not redial every 50 ms.
TEST_F(RedisClientTest, BacksOffFromAPeerThatAcceptsAndCloses) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  listen(fd, 64);
  std::atomic<bool> stop{false};
  std::atomic<int> accepted{0};
  std::thread closer([&] {
    while (!stop.load()) {
      const int c = accept(fd, nullptr, nullptr);
      if (c < 0) break;
      accepted++;
      close(c);
    }
  });
  ClientOptions o;
  o.port = ntohs(addr.sin_port);
  o.connections = 1;
  o.min_backoff = absl::Milliseconds(50);
  o.max_backoff = absl::Seconds(2);
  {
    Client client(o, &metrics_);
    client.Start();
    absl::SleepFor(absl::Milliseconds(1500));
  }
  stop = true;
  shutdown(fd, SHUT_RDWR);
  close(fd);
  closer.join();
  // 50, 100, 200, 400, 800 ms: about 5 attempts in 1.5 s; without backoff it would be ~30.
  EXPECT_LE(accepted.load(), 8);
  EXPECT_GE(accepted.load(), 2);
}

}  // namespace
}  // namespace orderwatch::redis
