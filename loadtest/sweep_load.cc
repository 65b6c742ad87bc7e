// orderwatch-sweep-load: shipment sweeps under load. See kUsage.
#include <grpcpp/grpcpp.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
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

struct Options {
  std::string addr = "127.0.0.1:50051";
  std::string redis = "127.0.0.1:6379";
  std::string sink;
  int watched = 1000000;
  int due = 20000;
  int due_rate = 2000;
  int threads = 8;
  bool json = false;
};

constexpr char kUsage[] =
    "usage: orderwatch-sweep-load --sink=FILE [--flag=value ...]\n\n"
    "Measures shipment sweeps on a running orderwatch-server started with --auth=dev and\n"
    "--reminder-sink=log:FILE, for shop loadshop with the default shipment policy (ship within\n"
    "24 h of payment, warning 4 h before the deadline):\n"
    "  due, empty   records --due paid orders whose warning comes due at --due-rate per second\n"
    "               from 10 s later, while no other order is watched, and waits for each one's\n"
    "               warehouse notice in the sink: warnings per second, and the lateness from\n"
    "               the due time to the notice in the sink (p50, p99);\n"
    "  watch        records --watched paid orders (nothing due for 20 h), each looked at once\n"
    "               when paid: paid orders per second until every first look is done, and\n"
    "               Redis bytes per watched order (order state included);\n"
    "  due, loaded  the due phase again with the watched orders pending: a sweep reads due\n"
    "               ranges only, so this should match the empty run.\n\n"
    "  --addr=HOST:PORT      gRPC address (default 127.0.0.1:50051)\n"
    "  --redis=HOST:PORT     the server's Redis (default 127.0.0.1:6379)\n"
    "  --sink=FILE           the server's log sink file (required)\n"
    "  --watched=N           paid orders kept watched (default 1000000)\n"
    "  --due=N               orders coming due in each due phase (default 20000)\n"
    "  --due-rate=N          how many come due per second (default 2000)\n"
    "  --threads=N           concurrent RecordBatch calls (default 8)\n"
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
    int n = 0;
    const bool num = absl::SimpleAtoi(kv[1], &n) && n > 0;
    if (kv[0] == "--addr") {
      o->addr = kv[1];
    } else if (kv[0] == "--redis") {
      o->redis = kv[1];
    } else if (kv[0] == "--sink") {
      o->sink = kv[1];
    } else if (kv[0] == "--watched" && num) {
      o->watched = n;
    } else if (kv[0] == "--due" && num) {
      o->due = n;
    } else if (kv[0] == "--due-rate" && num) {
      o->due_rate = n;
    } else if (kv[0] == "--threads" && num) {
      o->threads = n;
    } else {
      return false;
    }
  }
  return !o->sink.empty();
}

// Created and paid at `paid`, with the storefront's ship-by time unless it is 0.
void PaidOrder(const std::string& order, int64_t paid_ms, int64_t ship_by_ms,
               orderwatch::v1::RecordEventBatchRequest* req) {
  auto* c = req->add_events();
  c->set_event_id("c");
  c->set_order_id(order);
  c->set_event_unix_ms(paid_ms);
  auto* created = c->mutable_created();
  created->set_amount_fen(12900);
  created->set_buyer_id("b" + order);
  created->set_item_summary("羽绒服 x1");
  created->set_created_unix_ms(paid_ms);
  if (ship_by_ms > 0) created->set_ship_by_unix_ms(ship_by_ms);
  auto* p = req->add_events();
  p->set_event_id("p");
  p->set_order_id(order);
  p->set_event_unix_ms(paid_ms);
  p->mutable_paid();
}

struct DueResult {
  int seen = 0;
  double seconds = 0;  // from the first due time to the last notice
  double p50_ms = 0, p99_ms = 0;
};

// Records `n` orders "<prefix><i>" whose warning is due 10 s from now + i / rate, then follows
// the sink for their warehouse warnings.
DueResult RunDue(const std::shared_ptr<grpc::Channel>& channel, const Options& o,
                 const std::string& prefix) {
  DueResult r;
  const absl::Time first_due = absl::Now() + absl::Seconds(10);
  auto due_of = [&](int i) { return first_due + absl::Milliseconds(int64_t{i} * 1000 / o.due_rate); };
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  std::ifstream sink(o.sink);
  sink.seekg(0, std::ios::end);
  const double record_s = RecordAll(
      channel, o.due, o.threads, "due orders",
      [&](int i, auto* req) {
        PaidOrder(prefix + std::to_string(i), now_ms,
                  absl::ToUnixMillis(due_of(i) + absl::Minutes(240)), req);
      },
      2);
  if (record_s < 0 || record_s > 9) {
    std::fprintf(stderr, "recording the due orders took %.1f s: lower --due\n", record_s);
    return r;
  }
  std::vector<double> lateness_ms;
  const std::string key = absl::StrCat("\"idempotency_key\":\"loadshop:", prefix);
  const absl::Time give_up = first_due + absl::Seconds(o.due / o.due_rate + 60);
  std::string line, partial;
  while (static_cast<int>(lateness_ms.size()) < o.due && absl::Now() < give_up) {
    if (!std::getline(sink, line) || sink.eof()) {
      // At the end of the file: keep a line the server has only half written for the next read.
      partial += line;
      sink.clear();
      absl::SleepFor(absl::Milliseconds(2));
      continue;
    }
    line = partial + line;
    partial.clear();
    const absl::Time seen = absl::Now();
    const size_t at = line.find(key);
    if (at == std::string::npos) continue;
    const size_t start = at + key.size();
    const size_t end = line.find('"', start);
    const std::string id = line.substr(start, end - start);  // "<i>:w1" or "<i>:b1"
    if (!absl::EndsWith(id, ":w1")) continue;
    int i = 0;
    if (!absl::SimpleAtoi(id.substr(0, id.size() - 3), &i)) continue;
    lateness_ms.push_back(absl::ToDoubleMilliseconds(seen - due_of(i)));
  }
  r.seen = static_cast<int>(lateness_ms.size());
  r.seconds = absl::ToDoubleSeconds(absl::Now() - first_due);
  if (!lateness_ms.empty()) {
    std::sort(lateness_ms.begin(), lateness_ms.end());
    r.p50_ms = lateness_ms[lateness_ms.size() / 2];
    r.p99_ms = lateness_ms[std::min(lateness_ms.size() - 1, lateness_ms.size() * 99 / 100)];
  }
  return r;
}

// True once no sweep job is due now or in flight in any partition.
bool SweepIdle(redisContext* c, int partitions) {
  const std::string now = std::to_string(absl::ToUnixMillis(absl::Now()));
  for (int p = 0; p < partitions; ++p) {
    const std::string q = absl::StrCat("ow:{p", p, "}:");
    if (RedisInt(c, "ZCOUNT " + q + "j:shp -inf " + now) > 0) return false;
    if (RedisInt(c, "ZCARD " + q + "i:shp") > 0) return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!Parse(argc, argv, &o)) {
    std::fprintf(stderr, "orderwatch-sweep-load: bad arguments (see --help)\n");
    return 2;
  }
  const size_t colon = o.redis.rfind(':');
  redisContext* redis =
      redisConnect(o.redis.substr(0, colon).c_str(), std::stoi(o.redis.substr(colon + 1)));
  if (redis == nullptr || redis->err) {
    std::fprintf(stderr, "cannot connect to Redis at %s\n", o.redis.c_str());
    return 1;
  }
  auto* meta = static_cast<redisReply*>(redisCommand(redis, "HGET ow:meta partitions"));
  int partitions = 0;
  if (meta == nullptr || meta->type != REDIS_REPLY_STRING ||
      !absl::SimpleAtoi(absl::string_view(meta->str, meta->len), &partitions)) {
    std::fprintf(stderr, "ow:meta names no partition count: is the server running?\n");
    return 1;
  }
  freeReplyObject(meta);
  auto channel = grpc::CreateChannel(o.addr, grpc::InsecureChannelCredentials());

  std::fprintf(stderr, "due, empty: %d warnings at %d/s\n", o.due, o.due_rate);
  const DueResult empty = RunDue(channel, o, "e");

  std::fprintf(stderr, "watch: %d paid orders\n", o.watched);
  const long long mem0 = RedisInt(redis, "INFO memory", "used_memory");
  const int64_t paid_ms = absl::ToUnixMillis(absl::Now());
  const absl::Time start = absl::Now();
  const double record_s = RecordAll(
      channel, o.watched, o.threads, "watch",
      [&](int i, auto* req) { PaidOrder("w" + std::to_string(i), paid_ms, 0, req); }, 2);
  if (record_s < 0) return 1;
  while (!SweepIdle(redis, partitions)) absl::SleepFor(absl::Milliseconds(200));
  const double watch_s = absl::ToDoubleSeconds(absl::Now() - start);
  const long long mem1 = RedisInt(redis, "INFO memory", "used_memory");

  std::fprintf(stderr, "due, loaded: %d warnings at %d/s with %d watched\n", o.due, o.due_rate,
               o.watched);
  const DueResult loaded = RunDue(channel, o, "l");

  const double bytes = static_cast<double>(mem1 - mem0) / o.watched;
  if (o.json) {
    std::printf(
        "{\"watched\":%d,\"paid_per_s\":%.0f,\"first_looks_per_s\":%.0f,\"bytes_per_watched\":%.1f,"
        "\"due\":%d,\"due_rate\":%d,\"empty_seen\":%d,\"empty_per_s\":%.0f,\"empty_p50_ms\":%.0f,"
        "\"empty_p99_ms\":%.0f,\"loaded_seen\":%d,\"loaded_per_s\":%.0f,\"loaded_p50_ms\":%.0f,"
        "\"loaded_p99_ms\":%.0f}\n",
        o.watched, o.watched / record_s, o.watched / watch_s, bytes, o.due, o.due_rate,
        empty.seen, empty.seen / empty.seconds, empty.p50_ms, empty.p99_ms, loaded.seen,
        loaded.seen / loaded.seconds, loaded.p50_ms, loaded.p99_ms);
  } else {
    std::printf("watched:      %d paid orders, recorded at %.0f/s, first looks done at %.0f/s\n",
                o.watched, o.watched / record_s, o.watched / watch_s);
    std::printf("memory:       %.1f B of Redis per watched order, order state included\n", bytes);
    std::printf("due, empty:   %d of %d warnings, %.0f/s; lateness p50 %.0f ms, p99 %.0f ms\n",
                empty.seen, o.due, empty.seen / empty.seconds, empty.p50_ms, empty.p99_ms);
    std::printf("due, loaded:  %d of %d warnings, %.0f/s; lateness p50 %.0f ms, p99 %.0f ms\n",
                loaded.seen, o.due, loaded.seen / loaded.seconds, loaded.p50_ms, loaded.p99_ms);
  }
  redisFree(redis);
  return empty.seen == o.due && loaded.seen == o.due ? 0 : 1;
}
