// orderwatch-cost: what one call of each RPC costs the server and Redis, and whether that stays
// flat as the tracked orders grow. See kUsage.
#include <grpcpp/grpcpp.h>
#include <hiredis/hiredis.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "loadtest/event_load.h"
#include "loadtest/peak/server_probe.h"
#include "orderwatch/v1/order_events.grpc.pb.h"
#include "orderwatch/v1/remarks.grpc.pb.h"
#include "orderwatch/v1/reminders.grpc.pb.h"
#include "orderwatch/v1/shipments.grpc.pb.h"

namespace {

using namespace orderwatch::load;  // NOLINT: the load tools' shared helpers
namespace v1 = orderwatch::v1;

constexpr char kUsage[] =
    "usage: orderwatch-cost --metrics=HOST:PORT --redis=HOST:PORT --server-pid=N [--flag=value]\n\n"
    "Measures, on a running orderwatch-server (--auth=dev) and its Redis, what one call of each\n"
    "RPC costs: server CPU microseconds, Redis CPU microseconds and Redis round trips (commands\n"
    "the server sent), the work its jobs bring later (deliveries, sweeps) included. For each\n"
    "size in --sizes it first grows shop loadshop's tracked orders to that many (created\n"
    "events; 80% then paid and 70% shipped; its reminder policy is set so that none comes due\n"
    "during the run), waits up to an hour for the scheduler to work off what they queued, then\n"
    "runs --calls calls of each RPC from --threads threads. Each figure is the change in the\n"
    "server's /proc CPU, Redis's INFO\n"
    "cpu and the server's orderwatch_redis_commands_total from before the calls until the\n"
    "scheduler is quiet again, less what the same time costs idle (the scheduler's polling),\n"
    "measured just before. Flat columns across sizes: the cost does not grow with the orders.\n\n"
    "  --addr=HOST:PORT     gRPC address (default 127.0.0.1:50051)\n"
    "  --metrics=HOST:PORT  the server's metrics address (required)\n"
    "  --redis=HOST:PORT    its Redis (required)\n"
    "  --server-pid=N       its pid (required)\n"
    "  --sizes=N,N,...      tracked orders at each measurement (default 10000,100000,1000000)\n"
    "  --calls=N            calls per RPC and size (default 3000)\n"
    "  --threads=N          concurrent callers (default 8)\n";

struct Options {
  std::string addr = "127.0.0.1:50051";
  std::string metrics, redis;
  int server_pid = 0;
  std::vector<int> sizes = {10000, 100000, 1000000};
  int calls = 3000;
  int threads = 8;
};

bool Parse(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    std::vector<std::string> kv = absl::StrSplit(a, absl::MaxSplits('=', 1));
    if (kv.size() != 2) return false;
    const std::string& k = kv[0];
    const std::string& v = kv[1];
    bool ok = true;
    if (k == "--addr")
      o->addr = v;
    else if (k == "--metrics")
      o->metrics = v;
    else if (k == "--redis")
      o->redis = v;
    else if (k == "--server-pid")
      ok = absl::SimpleAtoi(v, &o->server_pid);
    else if (k == "--calls")
      ok = absl::SimpleAtoi(v, &o->calls);
    else if (k == "--threads")
      ok = absl::SimpleAtoi(v, &o->threads);
    else if (k == "--sizes") {
      o->sizes.clear();
      for (absl::string_view s : absl::StrSplit(v, ',')) {
        int n = 0;
        ok = ok && absl::SimpleAtoi(s, &n) && n > 0;
        o->sizes.push_back(n);
      }
    } else {
      return false;
    }
    if (!ok) return false;
  }
  return !o->metrics.empty() && !o->redis.empty() && o->server_pid > 0 && o->calls > 0 &&
         o->threads > 0 && !o->sizes.empty();
}

// What the server and Redis have spent so far.
struct Meter {
  double server_s = 0;  // server CPU seconds
  double redis_s = 0;   // Redis CPU seconds (used_cpu_user + used_cpu_sys)
  double commands = 0;  // orderwatch_redis_commands_total, summed
  absl::Time at;
};

double RedisCpu(const std::string& addr) {
  std::string host;
  int port = 0;
  if (!SplitHostPort(addr, &host, &port)) return -1;
  redisContext* c = redisConnect(host.c_str(), port);
  double total = -1;
  if (c != nullptr && c->err == 0) {
    auto* r = static_cast<redisReply*>(redisCommand(c, "INFO cpu"));
    if (r != nullptr && r->type == REDIS_REPLY_STRING) {
      total = 0;
      for (absl::string_view line : absl::StrSplit(absl::string_view(r->str, r->len), "\r\n")) {
        for (const char* field : {"used_cpu_user:", "used_cpu_sys:"}) {
          double v = 0;
          if (absl::ConsumePrefix(&line, field) && absl::SimpleAtod(line, &v)) total += v;
        }
      }
    }
    if (r != nullptr) freeReplyObject(r);
  }
  if (c != nullptr) redisFree(c);
  return total;
}

Meter Read(const Options& o) {
  Meter m;
  m.at = absl::Now();
  m.server_s =
      static_cast<double>(ProcessTicks(o.server_pid)) / static_cast<double>(sysconf(_SC_CLK_TCK));
  m.redis_s = RedisCpu(o.redis);
  ParseMetrics(HttpGetMetrics(o.metrics), [&](const std::string& name, const auto&, double v) {
    if (name == "orderwatch_redis_commands_total") m.commands += v;
  });
  return m;
}

double JobsDone(const Options& o) {
  double jobs = 0;
  ParseMetrics(HttpGetMetrics(o.metrics), [&](const std::string& name, const auto&, double v) {
    if (name == "orderwatch_scheduler_jobs_total") jobs += v;
  });
  return jobs;
}

// Waits until the scheduler has worked off what the new orders queued (sweeps' first looks,
// follow-up jobs): fewer than 5 jobs a second for two seconds running. Prints progress. False,
// with a message, when it is not quiet within `max_s` seconds: figures taken then would carry
// the backlog's cost.
bool AwaitQuiet(const Options& o, int max_s) {
  double last = JobsDone(o);
  int quiet = 0;
  for (int s = 1; quiet < 2; ++s) {
    if (s > max_s) {
      std::fprintf(stderr, "orderwatch-cost: the scheduler is not quiet after %d s\n", max_s);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const double now = JobsDone(o);
    quiet = now - last < 5 ? quiet + 1 : 0;
    if (s % 10 == 0) std::fprintf(stderr, "  waiting for the scheduler: %.0f jobs/s\n", now - last);
    last = now;
  }
  return true;
}

// One RPC to measure: `call(i, stubs)` makes call number i and returns its status.
struct Stubs {
  std::unique_ptr<v1::OrderEvents::Stub> events;
  std::unique_ptr<v1::Remarks::Stub> remarks;
  std::unique_ptr<v1::Reminders::Stub> reminders;
  std::unique_ptr<v1::Shipments::Stub> shipments;
};
struct Method {
  std::string name;
  std::function<grpc::Status(int i, Stubs& s)> call;
};

v1::OrderEvent Created(const std::string& order, int64_t now_ms) {
  v1::OrderEvent e;
  e.set_event_id("c");
  e.set_order_id(order);
  e.set_event_unix_ms(now_ms);
  v1::OrderCreated* c = e.mutable_created();
  c->set_amount_fen(12900);
  c->set_buyer_id("b" + order);
  c->set_buyer_phone_hash(absl::StrCat(absl::Hex(std::hash<std::string>{}(order))));
  c->set_item_summary("羽绒服 x1");
  c->set_created_unix_ms(now_ms);
  c->set_auto_close_unix_ms(now_ms + 3 * 24 * 3600 * 1000LL);
  c->set_ship_by_unix_ms(now_ms + 48 * 3600 * 1000LL);
  return e;
}

std::vector<Method> Methods(int size, std::function<int()> random_order) {
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  const std::string fresh = absl::StrCat("cost", size, "-");
  auto ctx = [](const char* role) { return Context(role); };
  return {
      {"remarks.get",
       [=](int, Stubs& s) {
         v1::GetRemarkRequest r;
         r.set_order_id(Order(random_order()));
         v1::Remark out;
         return s.remarks->Get(ctx("agent").get(), r, &out);
       }},
      {"remarks.batch_get x20",
       [=](int, Stubs& s) {
         v1::BatchGetRemarksRequest r;
         for (int k = 0; k < 20; ++k) r.add_order_ids(Order(random_order()));
         v1::BatchGetRemarksResponse out;
         return s.remarks->BatchGet(ctx("agent").get(), r, &out);
       }},
      {"remarks.append",
       [=](int i, Stubs& s) {
         v1::AppendRemarkRequest r;
         r.set_request_id(absl::StrCat(fresh, "a", i));
         r.set_order_id(Order(random_order()));
         r.set_reason("客户要求顺丰");
         v1::Remark out;
         return s.remarks->Append(ctx("agent").get(), r, &out);
       }},
      {"events.record created",
       [=](int i, Stubs& s) {
         v1::RecordEventRequest r;
         *r.mutable_event() = Created(fresh + std::to_string(i), now_ms);
         v1::RecordEventResponse out;
         return s.events->Record(ctx("storefront").get(), r, &out);
       }},
      {"reminders.trigger",  // on the orders just created, still unpaid
       [=](int i, Stubs& s) {
         v1::TriggerReminderRequest r;
         r.set_request_id(absl::StrCat(fresh, "t", i));
         r.set_order_id(fresh + std::to_string(i));
         v1::Reminder out;
         return s.reminders->Trigger(ctx("agent").get(), r, &out);
       }},
      {"events.record paid",
       [=](int i, Stubs& s) {
         v1::RecordEventRequest r;
         r.mutable_event()->set_event_id("p");
         r.mutable_event()->set_order_id(fresh + std::to_string(i));
         r.mutable_event()->set_event_unix_ms(now_ms + 1000);
         r.mutable_event()->mutable_paid();
         v1::RecordEventResponse out;
         return s.events->Record(ctx("storefront").get(), r, &out);
       }},
      {"events.record_batch x100",
       [=](int i, Stubs& s) {
         v1::RecordEventBatchRequest r;
         for (int k = 0; k < 100; ++k) {
           *r.add_events() = Created(absl::StrCat(fresh, "b", i, "-", k), now_ms);
         }
         v1::RecordEventBatchResponse out;
         return s.events->RecordBatch(ctx("storefront").get(), r, &out);
       }},
      {"shipments.list_delayed",
       [=](int, Stubs& s) {
         v1::ListDelayedRequest r;
         r.set_page_size(50);
         v1::ListDelayedResponse out;
         return s.shipments->ListDelayed(ctx("agent").get(), r, &out);
       }},
  };
}

// Runs `calls` calls of `m` over `threads` threads; the first error, or OK.
grpc::Status RunCalls(const std::shared_ptr<grpc::Channel>& channel, const Method& m, int calls,
                      int threads) {
  std::atomic<int> next{0};
  std::mutex mu;
  grpc::Status first_error;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      Stubs s{v1::OrderEvents::NewStub(channel), v1::Remarks::NewStub(channel),
              v1::Reminders::NewStub(channel), v1::Shipments::NewStub(channel)};
      for (int i; (i = next.fetch_add(1)) < calls;) {
        grpc::Status st = m.call(i, s);
        if (!st.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          if (first_error.ok()) first_error = st;
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  return first_error;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!Parse(argc, argv, &o)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  auto channel = grpc::CreateChannel(o.addr, grpc::InsecureChannelCredentials());
  // No reminder comes due during the run: the first is 48 h after the order.
  if (std::string e = SetLoadReminderPolicy(channel, 2880, 0, 3); !e.empty()) {
    std::fprintf(stderr, "orderwatch-cost: at %s: %s\n", o.addr.c_str(), e.c_str());
    return 1;
  }
  std::printf("%-26s %10s %12s %12s %14s %10s\n", "rpc", "tracked", "server us", "redis us",
              "round trips", "calls/s");
  int tracked = 0;
  for (int size : o.sizes) {
    if (size > tracked) {
      const int from = tracked;
      const int64_t now_ms = absl::ToUnixMillis(absl::Now());
      const double s = RecordAll(
          channel, size - from, 4, "tracked orders",
          [&](int i, v1::RecordEventBatchRequest* req) {
            // 20% unpaid (their reminders pending), 10% paid and waiting for shipment (watched
            // by the sweep), 70% shipped: a shop's tracked orders are mostly history.
            const int order = from + i;
            *req->add_events() = Created(Order(order), now_ms);
            auto later = [&](const char* id, int64_t after_ms) {
              v1::OrderEvent* e = req->add_events();
              e->set_event_id(id);
              e->set_order_id(Order(order));
              e->set_event_unix_ms(now_ms + after_ms);
              return e;
            };
            if (order % 10 >= 2) later("p", 1000)->mutable_paid();
            if (order % 10 >= 3) later("s", 2000)->mutable_shipped();
          },
          3);
      if (s < 0) return 1;
      tracked = size;
      // The orders' own follow-on work must not count as the calls' cost.
      if (!AwaitQuiet(o, 3600)) return 1;
    }
    std::mt19937 rng(size);
    std::mutex rng_mu;
    auto random_order = [&]() {
      std::lock_guard<std::mutex> lock(rng_mu);
      return static_cast<int>(rng() % static_cast<unsigned>(tracked));
    };
    for (const Method& m : Methods(size, random_order)) {
      const Meter idle0 = Read(o);
      std::this_thread::sleep_for(std::chrono::seconds(2));
      const Meter idle1 = Read(o);
      const double idle_span = absl::ToDoubleSeconds(idle1.at - idle0.at);
      const absl::Time start = absl::Now();
      grpc::Status st = RunCalls(channel, m, o.calls, o.threads);
      const double calls_s = absl::ToDoubleSeconds(absl::Now() - start);
      // The jobs the calls queued (deliveries, sweeps) are part of their cost.
      if (!AwaitQuiet(o, 600)) return 1;
      const Meter done = Read(o);
      if (!st.ok()) {
        std::fprintf(stderr, "orderwatch-cost: %s: %s\n", m.name.c_str(),
                     st.error_message().c_str());
        return 1;
      }
      const double span = absl::ToDoubleSeconds(done.at - idle1.at);
      auto per_call = [&](double before_idle, double after_idle, double end) {
        const double idle_rate = (after_idle - before_idle) / idle_span;
        return (end - after_idle - idle_rate * span) / o.calls;
      };
      std::printf("%-26s %10d %12.1f %12.1f %14.2f %10.0f\n", m.name.c_str(), tracked,
                  1e6 * per_call(idle0.server_s, idle1.server_s, done.server_s),
                  1e6 * per_call(idle0.redis_s, idle1.redis_s, done.redis_s),
                  per_call(idle0.commands, idle1.commands, done.commands), o.calls / calls_s);
      std::fflush(stdout);
    }
  }
  return 0;
}
