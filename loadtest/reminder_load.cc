// orderwatch-reminder-load: measures payment reminders at scale on a running orderwatch-server
// (development auth) and its Redis: how fast reminders are scheduled (created events) and
// cancelled (paid events) with a million pending, the Redis memory each pending reminder costs
// including the order state it needs, and how fast due reminders fire. See --help.
#include <grpcpp/grpcpp.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "loadtest/event_load.h"
#include "orderwatch/v1/order_events.grpc.pb.h"

namespace {

using namespace orderwatch::load;  // NOLINT: the load tools' shared helpers
using orderwatch::v1::OrderEvents;

struct Options {
  std::string addr = "127.0.0.1:50051";
  std::string redis = "127.0.0.1:6379";
  std::string sink;  // the server's log sink file (fire phase counts its lines)
  int pending = 1000000;
  int cancel = 100000;
  int fire = 20000;
  int fire_rate = 2000;
  int threads = 8;
  bool json = false;
};

constexpr char kUsage[] =
    "usage: orderwatch-reminder-load --sink=FILE [--flag=value ...]\n\n"
    "Measures payment reminders on a running orderwatch-server started with --auth=dev and\n"
    "--reminder-sink=log:FILE. It sets shop loadshop's policy (any hour, one reminder 120 min\n"
    "after the order), then:\n"
    "  schedule  records --pending created orders (each schedules its reminder), orders/s;\n"
    "  memory    Redis used_memory growth per pending reminder (the order, packed in its\n"
    "            bucket or under its own key, the buyer's book entry and the due-queue entry),\n"
    "            and the due-queue's share of it (MEMORY USAGE);\n"
    "  cancel    records paid events for --cancel of them (each cancels its reminder), /s;\n"
    "  fire      records --fire more orders whose reminders come due at --fire-rate per second\n"
    "            from 5 s later, with the million still pending, and waits until the sink\n"
    "            holds them all: reminders fired per second. Lateness is the server's\n"
    "            orderwatch_scheduler_lateness_seconds histogram (scrape it before and after).\n\n"
    "  --addr=HOST:PORT      gRPC address (default 127.0.0.1:50051)\n"
    "  --redis=HOST:PORT     the server's Redis, for INFO/MEMORY (default 127.0.0.1:6379)\n"
    "  --sink=FILE           the server's reminder log sink file (required)\n"
    "  --pending=N           orders to keep pending (default 1000000)\n"
    "  --cancel=N            of those, paid (default 100000)\n"
    "  --fire=N              orders that come due during the run (default 20000)\n"
    "  --fire-rate=N         how many come due per second (default 2000)\n"
    "  --threads=N           concurrent RecordBatch calls of 500 events (default 8)\n"
    "  --json                one JSON line of results instead of text\n";

bool Parse(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (a == "--json") {
      o->json = true;
      continue;
    }
    std::vector<std::string> kv = absl::StrSplit(a, absl::MaxSplits('=', 1));
    if (kv.size() != 2) return false;
    const std::string& k = kv[0];
    const std::string& v = kv[1];
    int n = 0;
    const bool num = absl::SimpleAtoi(v, &n) && n >= 0;
    if (k == "--addr")
      o->addr = v;
    else if (k == "--redis")
      o->redis = v;
    else if (k == "--sink")
      o->sink = v;
    else if (k == "--pending" && num)
      o->pending = n;
    else if (k == "--cancel" && num)
      o->cancel = n;
    else if (k == "--fire" && num)
      o->fire = n;
    else if (k == "--fire-rate" && num && n > 0)
      o->fire_rate = n;
    else if (k == "--threads" && num && n > 0)
      o->threads = n;
    else
      return false;
  }
  return !o->sink.empty() && o->cancel <= o->pending;
}

struct QueueFootprint {
  long long jobs = 0, bytes = 0;
};

// What the reminder due-queue holds and its bytes (MEMORY USAGE of each partition's index, its
// bucket state and its buckets), partition by partition until `jobs` are found.
QueueFootprint ReminderQueueFootprint(redisContext* c, long long jobs) {
  QueueFootprint f;
  for (int p = 0; p < 16384 && f.jobs < jobs; ++p) {
    const std::string queue = absl::StrCat("ow:{p", p, "}:j:rem");
    auto* r = static_cast<redisReply*>(redisCommand(c, "ZRANGE %s 0 -1", queue.c_str()));
    if (r == nullptr) break;
    std::vector<std::string> keys = {queue, queue + ":n"};
    for (size_t i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; ++i) {
      keys.push_back(absl::StrCat(queue, ":", r->element[i]->str));
    }
    freeReplyObject(r);
    for (const std::string& key : keys) {
      if (key != queue && key != queue + ":n") f.jobs += RedisInt(c, "ZCARD " + key);
      f.bytes += std::max(0LL, RedisInt(c, "MEMORY USAGE " + key + " SAMPLES 0"));
    }
  }
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!Parse(argc, argv, &o)) {
    std::fprintf(stderr, "orderwatch-reminder-load: bad arguments (see --help)\n");
    return 2;
  }
  const size_t colon = o.redis.rfind(':');
  redisContext* redis =
      redisConnect(o.redis.substr(0, colon).c_str(), std::stoi(o.redis.substr(colon + 1)));
  if (redis == nullptr || redis->err) {
    std::fprintf(stderr, "cannot connect to Redis at %s\n", o.redis.c_str());
    return 1;
  }
  auto channel = grpc::CreateChannel(o.addr, grpc::InsecureChannelCredentials());
  // One reminder 120 min after the order (the flash-sale timing off).
  if (std::string e = SetLoadReminderPolicy(channel, 120, 0, 1); !e.empty()) {
    std::fprintf(stderr, "cannot set the reminder policy at %s: %s\n", o.addr.c_str(), e.c_str());
    return 1;
  }

  const long long mem0 = RedisInt(redis, "INFO memory", "used_memory");
  const int64_t created = absl::ToUnixMillis(absl::Now());
  auto created_event = [](int i, int64_t at, orderwatch::v1::OrderEvent* e) {
    e->set_event_id("c");
    e->set_order_id(Order(i));
    e->set_event_unix_ms(at);
    auto* c = e->mutable_created();
    c->set_amount_fen(9900);
    c->set_buyer_id(absl::StrCat("b", i));
    c->set_buyer_phone_hash("3f2a9c41d0e8");
    c->set_item_summary("羊毛围巾 x1");
    c->set_created_unix_ms(at);
    c->set_auto_close_unix_ms(at + 24 * 3600 * 1000LL);
  };
  std::fprintf(stderr, "schedule: %d created orders\n", o.pending);
  const double schedule_s =
      RecordAll(channel, o.pending, o.threads, "schedule",
                [&](int i, auto* req) { created_event(i, created, req->add_events()); });
  if (schedule_s < 0) return 1;
  const long long mem1 = RedisInt(redis, "INFO memory", "used_memory");
  const QueueFootprint queue = ReminderQueueFootprint(redis, o.pending);

  std::fprintf(stderr, "cancel: %d paid events\n", o.cancel);
  const double cancel_s = RecordAll(channel, o.cancel, o.threads, "cancel", [&](int i, auto* req) {
    auto* e = req->add_events();
    e->set_event_id("p");
    e->set_order_id(Order(i));
    e->set_event_unix_ms(created + 1000);
    e->mutable_paid();
  });
  if (cancel_s < 0) return 1;

  // Orders whose reminder (120 min after creation) comes due from 5 s from now, fire_rate/s.
  std::fprintf(stderr, "fire: %d reminders due at %d/s\n", o.fire, o.fire_rate);
  const size_t lines0 = Lines(o.sink);
  const absl::Time first_due = absl::Now() + absl::Seconds(5);
  const int64_t base = absl::ToUnixMillis(first_due - absl::Minutes(120));
  const double record_fire_s = RecordAll(channel, o.fire, o.threads, "fire", [&](int i, auto* req) {
    created_event(o.pending + i, base + static_cast<int64_t>(i) * 1000 / o.fire_rate,
                  req->add_events());
  });
  if (record_fire_s < 0 || record_fire_s > 5) {
    std::fprintf(stderr, "recording the fire orders took %.1f s: lower --fire\n", record_fire_s);
    return 1;
  }
  const absl::Time give_up = first_due + absl::Seconds(o.fire / o.fire_rate + 60);
  size_t fired = 0;
  while ((fired = Lines(o.sink) - lines0) < static_cast<size_t>(o.fire) && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  const double fire_s = absl::ToDoubleSeconds(absl::Now() - first_due);
  const double fire_rate = fired / fire_s;

  const double bytes = static_cast<double>(mem1 - mem0) / o.pending;
  const double queue_share =
      queue.jobs > 0 ? static_cast<double>(queue.bytes) / queue.jobs : 0;
  if (o.json) {
    std::printf(
        "{\"pending\":%d,\"schedule_per_s\":%.0f,\"bytes_per_pending\":%.1f,"
        "\"queue_bytes_per_pending\":%.1f,\"cancel_per_s\":%.0f,\"fired\":%zu,\"fire\":%d,"
        "\"fire_rate_target\":%d,\"fire_seconds\":%.2f,\"fired_per_s\":%.0f}\n",
        o.pending, o.pending / schedule_s, bytes, queue_share, o.cancel / cancel_s, fired, o.fire,
        o.fire_rate, fire_s, fire_rate);
  } else {
    std::printf("pending reminders:  %d (one per created order)\n", o.pending);
    std::printf("schedule:           %.0f created orders/s (each schedules its reminder)\n",
                o.pending / schedule_s);
    std::printf(
        "memory:             %.1f B of Redis per pending reminder, order state included "
        "(due-queue entry: %.1f B)\n",
        bytes, queue_share);
    std::printf("cancel:             %.0f paid events/s (each cancels its reminder)\n",
                o.cancel / cancel_s);
    std::printf(
        "fire:               %zu of %d due at %d/s delivered %.2f s after the first came "
        "due (%.0f/s)\n",
        fired, o.fire, o.fire_rate, fire_s, fire_rate);
  }
  redisFree(redis);
  return fired == static_cast<size_t>(o.fire) ? 0 : 1;
}
