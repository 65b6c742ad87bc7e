// The asynchronous, pipelined Redis client shared by all handlers.
//
// One event-loop thread owns a few hiredis connections; any thread submits commands, which are
// written to a connection without waiting for earlier replies (pipelining). Commands on keys of
// one hash slot go to the same connection, so Redis runs them in the order they were submitted.
// Each command carries a deadline: when it passes, the callback gets DEADLINE_EXCEEDED and the late
// reply is dropped. With no connection up, commands fail at once with UNAVAILABLE; connections come
// back with exponential backoff. Scripts go out as EVALSHA and fall back to EVAL when Redis answers
// NOSCRIPT.
//
// Given cluster seeds, it speaks to a Redis Cluster: it reads the slot map (CLUSTER SLOTS) from
// any node, keeps connections to every master, and sends each command to the master of its key's
// slot. A MOVED answer updates the map and sends the command on at once (ASK: once, after
// ASKING); the map is read again every few seconds, and every 250 ms while a master is out of
// reach, so a failed-over master's replica takes the slots' commands as soon as the cluster has
// promoted it. Until then, commands for its slots fail fast with UNAVAILABLE.
//
// Callbacks run on the loop thread (or, for fail-fast errors, on the submitting thread); they must
// not block.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/redis/cluster_slots.h"
#include "services/redis/metrics.h"
#include "services/redis/reply.h"
#include "services/redis/script.h"

namespace orderwatch::redis {

using Callback = absl::AnyInvocable<void(absl::StatusOr<Reply>)>;
using BatchCallback = absl::AnyInvocable<void(std::vector<absl::StatusOr<Reply>>)>;

struct ClientOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  // When set, Redis is reached through this Unix socket instead (host and port unused): no TCP
  // on the way to a Redis on the same machine.
  std::string unix_path;
  // Redis Cluster: some of its nodes, from which the rest is learned (host and port unused).
  std::vector<NodeAddress> cluster;
  // "host:port", "unix:<path>" or "cluster <seeds>", for messages.
  std::string Address() const;
  // With a password, each connection authenticates first (AUTH [username] password) and takes
  // commands only once Redis accepted it. Neither appears in any message.
  std::string username;
  std::string password;
  int connections = 2;
  absl::Duration min_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(2);
  // Used when a caller passes absl::InfiniteFuture() as the deadline.
  absl::Duration default_timeout = absl::Seconds(5);
};

// One command: argv for plain commands, or a script with keys and arguments.
struct Command {
  static Command Of(std::vector<std::string> argv);
  static Command Eval(const Script& script, std::vector<std::string> keys,
                      std::vector<std::string> args);

  const Script* script = nullptr;
  std::vector<std::string> argv;  // for scripts: EVALSHA sha numkeys keys... args...
};

class Client {
 public:
  Client(ClientOptions options, ClientMetrics* metrics);
  ~Client();  // stops the loop; commands still pending fail with UNAVAILABLE
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Starts the loop thread and connects in the background.
  void Start();
  void Stop();

  void Run(Command command, absl::Time deadline, Callback done);
  // Runs independent commands together; `done` gets their results in order once all are back.
  void RunAll(std::vector<Command> commands, absl::Time deadline, BatchCallback done);
  // RunAll for threads of their own (the scheduler's, the gauges'; never a gRPC thread): sends
  // the commands in bursts of at most `burst`, each when the last is answered, and waits. Redis
  // runs a pipeline's scripts back to back, so a call that reaches it behind hundreds of
  // background scripts would wait for all of them; bursts bound that wait.
  std::vector<absl::StatusOr<Reply>> RunAllAndWait(std::vector<Command> commands,
                                                   absl::Time deadline, size_t burst = 32);

  // A connection is up (and, for a cluster, the slot map is known).
  bool connected() const {
    return connections_up_.load(std::memory_order_relaxed) > 0 &&
           (options_.cluster.empty() || slots_known_.load(std::memory_order_relaxed));
  }
  // Waits until a connection is up (for start-up and tests); false on timeout.
  bool WaitConnected(absl::Duration timeout) const;
  // Why the last connection attempt failed when Redis refused it (AUTH), for start-up messages;
  // empty when none was refused.
  std::string LastRefusal() const;

  const ClientOptions& options() const { return options_; }

 private:
  struct Loop;
  struct Pending;

  void Submit(std::vector<std::unique_ptr<Pending>> batch);
  // Records why Redis refused a connection; true when the reason is new.
  bool SetRefusal(std::string why);

  ClientOptions options_;
  ClientMetrics* metrics_;
  std::atomic<int> connections_up_{0};
  std::atomic<bool> slots_known_{false};
  mutable absl::Mutex refusal_mu_;
  std::string last_refusal_ ABSL_GUARDED_BY(refusal_mu_);
  std::unique_ptr<Loop> loop_;
  std::thread thread_;
  bool started_ = false;
};

}  // namespace orderwatch::redis
