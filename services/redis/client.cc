#include "services/redis/client.h"

#include <event2/event.h>
#include <event2/thread.h>
#include <hiredis/adapters/libevent.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "services/common/log.h"
#include "services/redis/resp.h"

namespace orderwatch::redis {
namespace {

absl::Status StatusOfErrorReply(const std::string& message) {
  // Errors that mean "not now" are retryable; the rest mean the call or the script is wrong.
  // MOVED and ASK reach a caller only when the node named could not be reached: a failover.
  for (const char* transient :
       {"LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "MOVED", "ASK"}) {
    if (absl::StartsWith(message, transient)) return absl::UnavailableError("redis: " + message);
  }
  if (absl::StartsWith(message, "OOM")) return absl::ResourceExhaustedError("redis: " + message);
  return absl::InternalError("redis: " + message);
}

}  // namespace

Command Command::Of(std::vector<std::string> argv) {
  Command c;
  c.argv = std::move(argv);
  return c;
}

Command Command::Eval(const Script& script, std::vector<std::string> keys,
                      std::vector<std::string> args) {
  Command c;
  c.script = &script;
  c.argv.reserve(3 + keys.size() + args.size());
  c.argv.push_back("EVALSHA");
  c.argv.push_back(script.sha1());
  c.argv.push_back(std::to_string(keys.size()));
  for (auto& k : keys) c.argv.push_back(std::move(k));
  for (auto& a : args) c.argv.push_back(std::move(a));
  return c;
}

struct Client::Pending {
  Command command;
  absl::Time deadline;
  absl::Time sent;
  Callback done;
  int redirects = 0;      // MOVED and ASK answers followed
  bool finished = false;  // the callback has run (reply, deadline or failure)
  bool tracked = false;   // holds an entry in Loop::deadlines
  std::multimap<absl::Time, Pending*>::iterator deadline_entry;
};

// Everything below is touched only by the loop thread, except `queue` (under `mu`) and `stopping`.
struct Client::Loop {
  struct Node;
  struct Connection {
    Loop* loop = nullptr;
    Node* node = nullptr;
    redisAsyncContext* ac = nullptr;
    bool up = false;
    absl::Duration backoff;
    event* reconnect_timer = nullptr;
    // SHA1s of the scripts whose body went out on this connection since it last connected.
    absl::flat_hash_set<std::string> scripts_sent;
  };
  // One Redis (or one cluster node) and the connections to it.
  struct Node {
    NodeAddress address;
    std::string unix_path;
    std::vector<std::unique_ptr<Connection>> connections;
    size_t next_connection = 0;
  };

  static constexpr int kMostRedirects = 5;
  static constexpr absl::Duration kRefreshEvery = absl::Seconds(5);
  static constexpr absl::Duration kRefreshWhileDegraded = absl::Milliseconds(250);
  // A node that does not answer CLUSTER SLOTS within this (paused, or its host gone without a
  // reset) is given up on: the next refresh asks another node.
  static constexpr absl::Duration kRefreshTimeout = absl::Seconds(1);

  Client* client;
  event_base* base = nullptr;
  event* wake = nullptr;
  event* tick = nullptr;
  std::vector<std::unique_ptr<Node>> nodes;
  std::multimap<absl::Time, Pending*> deadlines;
  // Redis Cluster only: the master of each slot (nullptr: not known), and the next map read.
  bool cluster = false;
  std::vector<Node*> slot_owner;
  bool refresh_in_flight = false;
  uintptr_t refresh_generation = 0;  // the refresh in flight; a late answer to an older is dropped
  absl::Time refresh_sent = absl::InfinitePast();
  absl::Time next_refresh = absl::InfinitePast();
  size_t next_refresh_node = 0;

  absl::Mutex mu;
  std::vector<std::unique_ptr<Pending>> queue ABSL_GUARDED_BY(mu);
  bool closed ABSL_GUARDED_BY(mu) = false;  // the loop takes no more commands
  std::atomic<bool> stopping{false};

  explicit Loop(Client* c) : client(c) {
    evthread_use_pthreads();
    base = event_base_new();
    wake = event_new(base, -1, 0, &Loop::OnWake, this);
    tick = event_new(base, -1, EV_PERSIST, &Loop::OnTick, this);
    timeval every = absl::ToTimeval(absl::Milliseconds(5));
    evtimer_add(tick, &every);
    const ClientOptions& o = c->options_;
    cluster = !o.cluster.empty();
    if (cluster) {
      slot_owner.assign(kClusterSlots, nullptr);
      for (const auto& seed : o.cluster) AddNode(seed);
    } else {
      AddNode(NodeAddress{o.host, o.port})->unix_path = o.unix_path;
    }
  }

  ~Loop() {
    for (auto& node : nodes) {
      for (auto& conn : node->connections) event_free(conn->reconnect_timer);
    }
    event_free(tick);
    event_free(wake);
    event_base_free(base);
  }

  ClientMetrics* metrics() { return client->metrics_; }

  Node* AddNode(const NodeAddress& address) {
    auto node = std::make_unique<Node>();
    node->address = address;
    for (int i = 0; i < std::max(1, client->options_.connections); ++i) {
      auto conn = std::make_unique<Connection>();
      conn->loop = this;
      conn->node = node.get();
      conn->backoff = client->options_.min_backoff;
      conn->reconnect_timer = evtimer_new(base, &Loop::OnReconnectTimer, conn.get());
      node->connections.push_back(std::move(conn));
    }
    nodes.push_back(std::move(node));
    return nodes.back().get();
  }

  // The node at `address`, connecting to it when it is new (cluster nodes learned from the map
  // or from a redirect; on the loop thread).
  Node* NodeAt(const NodeAddress& address) {
    for (auto& node : nodes) {
      if (node->address == address) return node.get();
    }
    Node* node = AddNode(address);
    for (auto& conn : node->connections) Connect(*conn);
    return node;
  }

  void ConnectAll() {
    for (auto& node : nodes) {
      for (auto& conn : node->connections) Connect(*conn);
    }
  }

  void Connect(Connection& conn) {
    const Node& node = *conn.node;
    redisAsyncContext* ac = node.unix_path.empty()
                                ? redisAsyncConnect(node.address.host.c_str(), node.address.port)
                                : redisAsyncConnectUnix(node.unix_path.c_str());
    if (ac == nullptr || ac->err) {
      if (ac != nullptr) redisAsyncFree(ac);
      ScheduleReconnect(conn);
      return;
    }
    ac->data = &conn;
    conn.ac = ac;
    redisLibeventAttach(ac, base);
    redisAsyncSetConnectCallback(ac, &Loop::OnConnect);
    redisAsyncSetDisconnectCallback(ac, &Loop::OnDisconnect);
  }

  void ScheduleReconnect(Connection& conn) {
    if (stopping.load()) return;
    timeval tv = absl::ToTimeval(conn.backoff);
    evtimer_add(conn.reconnect_timer, &tv);
    conn.backoff = std::min(conn.backoff * 2, client->options_.max_backoff);
  }

  static void OnReconnectTimer(evutil_socket_t, short, void* arg) {
    auto* conn = static_cast<Connection*>(arg);
    conn->loop->metrics()->reconnects->Increment();
    conn->loop->Connect(*conn);
  }

  static void OnConnect(const redisAsyncContext* ac, int status) {
    auto* conn = static_cast<Connection*>(ac->data);
    if (status != REDIS_OK) {
      conn->ac = nullptr;  // hiredis frees the context after a failed connect
      conn->loop->ScheduleReconnect(*conn);
      return;
    }
    // Keepalive probes find a peer that vanished without closing (a partition, a dead host);
    // a Unix socket has no such peer.
    if (conn->node->unix_path.empty()) {
      redisEnableKeepAlive(const_cast<redisContext*>(&ac->c));
    }
    const ClientOptions& o = conn->loop->client->options_;
    if (o.password.empty()) return MarkUp(*conn);
    // Sent first, so answered first: nothing else goes out on this connection before it is up.
    std::vector<std::string> auth = {"AUTH"};
    if (!o.username.empty()) auth.push_back(o.username);
    auth.push_back(o.password);
    const std::string wire = EncodeCommand(auth);
    redisAsyncFormattedCommand(const_cast<redisAsyncContext*>(ac), &Loop::OnAuth, nullptr,
                               wire.data(), wire.size());
  }

  static void MarkUp(Connection& conn) {
    conn.up = true;  // the backoff resets only once Redis answers (OnReply)
    conn.scripts_sent.clear();  // a Redis that restarted has forgotten them
    conn.loop->client->connections_up_.fetch_add(1);
    conn.loop->metrics()->connections_up->Increment();
    if (conn.loop->cluster && !conn.loop->client->slots_known_.load()) {
      conn.loop->next_refresh = absl::InfinitePast();  // the first node up tells the map
    }
  }

  static void OnAuth(redisAsyncContext* ac, void* r, void*) {
    auto* conn = static_cast<Connection*>(ac->data);
    auto* reply = static_cast<redisReply*>(r);
    if (reply == nullptr || conn == nullptr) return;  // disconnected meanwhile
    if (reply->type != REDIS_REPLY_ERROR) {
      conn->loop->client->SetRefusal("");
      return MarkUp(*conn);
    }
    // Refused (WRONGPASS, a disabled user): say so once per new reason, and try again after the
    // backoff (the password may be fixed in Redis meanwhile).
    const std::string why =
        absl::StrCat("AUTH refused: ", absl::string_view(reply->str, reply->len));
    if (conn->loop->client->SetRefusal(why)) Log(LogLevel::kError, "redis: " + why);
    conn->loop->metrics()->errors_reply->Increment();
    redisAsyncDisconnect(ac);
  }

  static void OnDisconnect(const redisAsyncContext* ac, int) {
    auto* conn = static_cast<Connection*>(ac->data);
    conn->ac = nullptr;
    if (conn->up) {
      conn->up = false;
      conn->loop->client->connections_up_.fetch_sub(1);
      conn->loop->metrics()->connections_up->Decrement();
    }
    // A cluster node gone: its slots may be failing over to a replica.
    if (conn->loop->cluster) conn->loop->RefreshSoon();
    conn->loop->ScheduleReconnect(*conn);
  }

  static void OnWake(evutil_socket_t, short, void* arg) {
    auto* loop = static_cast<Loop*>(arg);
    std::vector<std::unique_ptr<Pending>> batch;
    bool stopping = false;
    {
      absl::MutexLock lock(&loop->mu);
      batch.swap(loop->queue);
      // Once stopping, nothing more is queued: later submitters fail fast themselves. Read once:
      // a Stop between two reads would shut the loop down with the queue still open, and calls
      // queued after that would never be answered.
      stopping = loop->stopping.load();
      if (stopping) loop->closed = true;
    }
    if (stopping) {
      for (auto& p : batch) loop->Finish(p.get(), absl::UnavailableError("redis: client stopped"));
      loop->Shutdown();
      return;
    }
    const absl::Time now = absl::Now();
    for (auto& p : batch) loop->Dispatch(std::move(p), now);
  }

  void Dispatch(std::unique_ptr<Pending> p, absl::Time now) {
    if (now >= p->deadline) {
      Finish(p.get(), absl::DeadlineExceededError("redis: deadline passed before sending"));
      return;
    }
    const std::optional<std::string_view> key = RoutingKey(p->command.argv);
    const int slot = key ? KeySlot(*key) : -1;
    Node* node = cluster ? (slot >= 0 ? slot_owner[slot] : AnyNodeUp()) : nodes.front().get();
    Connection* conn = node == nullptr ? nullptr : PickConnection(*node, slot);
    if (conn == nullptr) {
      if (cluster) RefreshSoon();
      Finish(p.get(), absl::UnavailableError(node == nullptr
                                                 ? "redis: no cluster node known for the key's slot"
                                                 : absl::StrCat("redis: not connected to ",
                                                                node->address.ToString())));
      return;
    }
    Send(conn, std::move(p), now);
  }

  Node* AnyNodeUp() {
    for (auto& node : nodes) {
      if (PickConnection(*node) != nullptr) return node.get();
    }
    return nullptr;
  }

  // A connection that is up. Commands on keys of one slot take the same one while it is up, so
  // Redis runs them in the order they were submitted (a batch's "created" before its "paid" of
  // the same order); commands without a key (slot -1) take turns.
  static Connection* PickConnection(Node& node, int slot = -1) {
    const size_t n = node.connections.size();
    const size_t first = slot >= 0 ? static_cast<size_t>(slot) % n : node.next_connection;
    for (size_t i = 0; i < n; ++i) {
      Connection& c = *node.connections[(first + i) % n];
      if (c.up && c.ac != nullptr) {
        if (slot < 0) node.next_connection = (first + i + 1) % n;
        return &c;
      }
    }
    return nullptr;
  }

  // The first time a connection runs a script it sends the body (EVAL, which caches it in
  // Redis), after that the SHA1 (EVALSHA). So a restarted Redis or a new cluster node never
  // answers NOSCRIPT on it: the resend a NOSCRIPT needs went out behind the commands sent after
  // it, and ran after them, so two commands on one key could run in the wrong order.
  static void SendBody(Command& c) {
    c.argv[0] = "EVAL";
    c.argv[1] = c.script->body();
  }

  bool Write(redisAsyncContext* ac, Pending* p) {
    Command& c = p->command;
    if (c.script != nullptr && c.argv[0] == "EVALSHA" &&
        static_cast<Connection*>(ac->data)->scripts_sent.insert(c.script->sha1()).second) {
      SendBody(c);
    }
    const std::string wire = EncodeCommand(c.argv);
    return redisAsyncFormattedCommand(ac, &Loop::OnReply, p, wire.data(), wire.size()) == REDIS_OK;
  }

  void Send(Connection* conn, std::unique_ptr<Pending> owned, absl::Time now) {
    Pending* p = owned.get();
    p->sent = now;
    if (!Write(conn->ac, p)) {
      Finish(p, absl::UnavailableError("redis: write failed"));
      return;
    }
    owned.release();  // hiredis holds it until OnReply
    p->deadline_entry = deadlines.emplace(p->deadline, p);
    p->tracked = true;
    metrics()->commands->Increment();
    metrics()->in_flight->Increment();
  }

  // Follows a MOVED or ASK answer: true when the command went on to the node named.
  bool FollowRedirect(Pending* p, std::string_view error) {
    if (!cluster || p->redirects >= kMostRedirects) return false;
    auto redirect = ParseRedirect(error);
    if (!redirect) return false;
    Node* to = NodeAt(redirect->to);
    if (!redirect->ask) {
      slot_owner[redirect->slot] = to;  // at once; the whole map follows
      RefreshSoon();
    }
    Connection* conn = PickConnection(*to, redirect->slot);
    if (conn == nullptr) return false;  // a node just learned of: the caller retries
    ++p->redirects;
    metrics()->redirects->Increment();
    if (redirect->ask) {
      const std::string asking = EncodeCommand({"ASKING"});
      redisAsyncFormattedCommand(conn->ac, nullptr, nullptr, asking.data(), asking.size());
    }
    return Write(conn->ac, p);
  }

  static void OnReply(redisAsyncContext* ac, void* r, void* privdata) {
    auto* conn = static_cast<Connection*>(ac->data);
    Loop* loop = conn->loop;
    auto* p = static_cast<Pending*>(privdata);
    auto* reply = static_cast<redisReply*>(r);
    const bool is_error = reply != nullptr && reply->type == REDIS_REPLY_ERROR;
    if (is_error && p->command.script != nullptr && p->command.argv[0] == "EVAL") {
      // Refused before it ran (MOVED, CLUSTERDOWN, LOADING, OOM): Redis may not have cached the
      // body, so the connection sends it again next time.
      conn->scripts_sent.erase(p->command.script->sha1());
    }
    if (is_error && !p->finished) {
      const std::string_view error(reply->str, reply->len);
      if (p->command.script != nullptr && error.starts_with("NOSCRIPT")) {
        // Redis lost its script cache under a live connection (SCRIPT FLUSH; a restart means a
        // new connection, which sends bodies first): send the body, which caches it again.
        loop->metrics()->noscript_fallbacks->Increment();
        SendBody(p->command);
        if (loop->Write(ac, p)) return;
      }
      if (loop->FollowRedirect(p, error)) return;
    }
    std::unique_ptr<Pending> owned(p);
    loop->metrics()->in_flight->Decrement();
    // A Redis that answers is really back; one that accepts and drops keeps backing off.
    if (reply != nullptr) conn->backoff = loop->client->options_.min_backoff;
    if (p->finished) {
      return;  // the deadline already answered the caller
    }
    if (reply == nullptr) {
      loop->Finish(p, absl::UnavailableError("redis: connection lost"));
      return;
    }
    loop->metrics()->round_trip->Observe(absl::ToDoubleSeconds(absl::Now() - p->sent));
    if (reply->type == REDIS_REPLY_ERROR) {
      loop->Finish(p, StatusOfErrorReply(std::string(reply->str, reply->len)));
      return;
    }
    loop->Finish(p, Reply::From(*reply));
  }

  // At once, but not more often than every kRefreshWhileDegraded: every command for a master
  // that is down asks for it.
  void RefreshSoon() {
    next_refresh =
        std::min(next_refresh, std::max(absl::Now(), refresh_sent + kRefreshWhileDegraded));
  }

  // Asks a node that is up (each time the next one) for the slot map.
  void RefreshSlots(absl::Time now) {
    Connection* conn = nullptr;
    for (size_t i = 0; i < nodes.size() && conn == nullptr; ++i) {
      conn = PickConnection(*nodes[(next_refresh_node + i) % nodes.size()]);
    }
    next_refresh_node = (next_refresh_node + 1) % nodes.size();
    if (conn == nullptr) {
      next_refresh = now + kRefreshWhileDegraded;
      return;
    }
    const std::string wire = EncodeCommand({"CLUSTER", "SLOTS"});
    ++refresh_generation;
    if (redisAsyncFormattedCommand(conn->ac, &Loop::OnSlots,
                                   reinterpret_cast<void*>(refresh_generation), wire.data(),
                                   wire.size()) == REDIS_OK) {
      refresh_in_flight = true;
      refresh_sent = now;
    }
    next_refresh = now + kRefreshWhileDegraded;
  }

  static void OnSlots(redisAsyncContext* ac, void* r, void* generation) {
    auto* conn = static_cast<Connection*>(ac->data);
    if (conn == nullptr) return;
    Loop* loop = conn->loop;
    // Given up on (OnTick) and asked again since: this map may be older than what is known.
    if (reinterpret_cast<uintptr_t>(generation) != loop->refresh_generation) return;
    loop->refresh_in_flight = false;
    auto* reply = static_cast<redisReply*>(r);
    if (reply == nullptr) return;  // the connection went: the next tick asks another node
    auto ranges = ParseClusterSlots(Reply::From(*reply), conn->node->address);
    if (!ranges.ok()) {
      Log(LogLevel::kWarning, absl::StrCat("redis: ", ranges.status().message()));
      return;
    }
    std::vector<Node*> owners(kClusterSlots, nullptr);
    for (const SlotRange& range : *ranges) {
      Node* master = loop->NodeAt(range.master);
      for (int slot = range.first; slot <= range.last; ++slot) owners[slot] = master;
    }
    // Healthy: every slot has a master this client is connected to.
    bool healthy = true;
    for (Node* owner : owners) {
      if (owner == nullptr || PickConnection(*owner) == nullptr) {
        healthy = false;
        break;
      }
    }
    loop->slot_owner = std::move(owners);
    // Start-up waits for a map whose masters are all connected, not just the first answer
    // (the other masters' connections are still being made then).
    if (healthy) loop->client->slots_known_.store(true);
    loop->next_refresh = absl::Now() + (healthy ? kRefreshEvery : kRefreshWhileDegraded);
  }

  static void OnTick(evutil_socket_t, short, void* arg) {
    auto* loop = static_cast<Loop*>(arg);
    const absl::Time now = absl::Now();
    while (!loop->deadlines.empty() && loop->deadlines.begin()->first <= now) {
      Pending* p = loop->deadlines.begin()->second;
      loop->Finish(p, absl::DeadlineExceededError("redis: no reply before the deadline"));
      // A master that holds on to commands may be paused or cut off, and failing over: a replica
      // may already serve its slots.
      if (loop->cluster) loop->RefreshSoon();
    }
    if (loop->refresh_in_flight && now - loop->refresh_sent >= kRefreshTimeout) {
      loop->refresh_in_flight = false;  // RefreshSlots asks the next node
      loop->next_refresh = now;
    }
    if (loop->cluster && !loop->refresh_in_flight && now >= loop->next_refresh) {
      loop->RefreshSlots(now);
    }
  }

  // Runs the callback once; the Pending itself lives on until hiredis hands it back.
  void Finish(Pending* p, absl::StatusOr<Reply> result) {
    if (p->finished) return;
    p->finished = true;
    if (p->tracked) {
      deadlines.erase(p->deadline_entry);
      p->tracked = false;
    }
    if (!result.ok()) {
      if (absl::IsUnavailable(result.status()))
        metrics()->errors_unavailable->Increment();
      else if (absl::IsDeadlineExceeded(result.status()))
        metrics()->errors_deadline->Increment();
      else
        metrics()->errors_reply->Increment();
    }
    auto done = std::move(p->done);
    done(std::move(result));
  }

  void Shutdown() {
    for (auto& node : nodes) {
      for (auto& conn : node->connections) {
        evtimer_del(conn->reconnect_timer);
        if (conn->ac != nullptr) {
          redisAsyncContext* ac = conn->ac;
          conn->ac = nullptr;
          redisAsyncFree(ac);  // fails what is pending with UNAVAILABLE
        }
      }
    }
    evtimer_del(tick);
    event_base_loopbreak(base);
  }
};

std::string ClientOptions::Address() const {
  if (!cluster.empty()) {
    std::string seeds;
    for (const auto& node : cluster)
      absl::StrAppend(&seeds, seeds.empty() ? "" : ",", node.ToString());
    return absl::StrCat("cluster ", seeds);
  }
  return unix_path.empty() ? absl::StrCat(host, ":", port) : absl::StrCat("unix:", unix_path);
}

Client::Client(ClientOptions options, ClientMetrics* metrics)
    : options_(std::move(options)), metrics_(metrics), loop_(std::make_unique<Loop>(this)) {}

Client::~Client() { Stop(); }

void Client::Start() {
  if (started_) return;
  started_ = true;
  loop_->ConnectAll();
  thread_ = std::thread([this] { event_base_dispatch(loop_->base); });
}

void Client::Stop() {
  if (!started_ || loop_->stopping.exchange(true)) return;
  event_active(loop_->wake, 0, 0);
  thread_.join();
}

bool Client::SetRefusal(std::string why) {
  absl::MutexLock lock(&refusal_mu_);
  if (why == last_refusal_) return false;
  last_refusal_ = std::move(why);
  return true;
}

std::string Client::LastRefusal() const {
  absl::MutexLock lock(&refusal_mu_);
  return last_refusal_;
}

bool Client::WaitConnected(absl::Duration timeout) const {
  const absl::Time until = absl::Now() + timeout;
  while (!connected()) {
    if (absl::Now() >= until) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

void Client::Run(Command command, absl::Time deadline, Callback done) {
  std::vector<std::unique_ptr<Pending>> batch;
  auto p = std::make_unique<Pending>();
  p->command = std::move(command);
  p->deadline =
      deadline == absl::InfiniteFuture() ? absl::Now() + options_.default_timeout : deadline;
  p->done = std::move(done);
  batch.push_back(std::move(p));
  Submit(std::move(batch));
}

std::vector<absl::StatusOr<Reply>> Client::RunAllAndWait(std::vector<Command> commands,
                                                         absl::Time deadline, size_t burst) {
  std::vector<absl::StatusOr<Reply>> out;
  out.reserve(commands.size());
  for (size_t first = 0; first < commands.size(); first += burst) {
    const size_t last = std::min(commands.size(), first + burst);
    std::vector<Command> part(std::make_move_iterator(commands.begin() + first),
                              std::make_move_iterator(commands.begin() + last));
    absl::Notification ready;
    RunAll(std::move(part), deadline, [&out, &ready](std::vector<absl::StatusOr<Reply>> replies) {
      for (auto& r : replies) out.push_back(std::move(r));
      ready.Notify();
    });
    ready.WaitForNotification();  // RunAll always answers: by reply, deadline or failure
  }
  return out;
}

void Client::RunAll(std::vector<Command> commands, absl::Time deadline, BatchCallback done) {
  struct Gather {
    std::vector<absl::StatusOr<Reply>> results;
    std::atomic<size_t> remaining;
    BatchCallback done;
  };
  if (commands.empty()) {
    done({});
    return;
  }
  auto gather = std::make_shared<Gather>();
  gather->results.resize(commands.size(), absl::UnknownError("redis: no reply"));
  gather->remaining.store(commands.size());
  gather->done = std::move(done);
  const absl::Time d =
      deadline == absl::InfiniteFuture() ? absl::Now() + options_.default_timeout : deadline;
  std::vector<std::unique_ptr<Pending>> batch;
  batch.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    auto p = std::make_unique<Pending>();
    p->command = std::move(commands[i]);
    p->deadline = d;
    p->done = [gather, i](absl::StatusOr<Reply> r) {
      gather->results[i] = std::move(r);
      if (gather->remaining.fetch_sub(1) == 1) gather->done(std::move(gather->results));
    };
    batch.push_back(std::move(p));
  }
  Submit(std::move(batch));
}

void Client::Submit(std::vector<std::unique_ptr<Pending>> batch) {
  bool queued = false;
  if (connected()) {
    absl::MutexLock lock(&loop_->mu);
    if (!loop_->closed) {
      const bool was_empty = loop_->queue.empty();
      for (auto& p : batch) loop_->queue.push_back(std::move(p));
      queued = true;
      // Under the lock: once it is released, a Stop could let the Client (and the event) go.
      // libevent runs OnWake without its own lock held, so this cannot deadlock with it.
      if (was_empty) event_active(loop_->wake, 0, 0);
    }
  }
  if (!queued) {
    // Fail fast: no connection means no answer within any deadline worth waiting for.
    for (auto& p : batch) {
      metrics_->errors_unavailable->Increment();
      p->done(absl::UnavailableError(absl::StrCat("redis: not connected to ", options_.Address())));
    }
  }
}

}  // namespace orderwatch::redis
