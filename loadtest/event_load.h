// What the load tools share: calls as shop "loadshop" with development-mode identity headers,
// recording order events in batches over several threads with a progress line, and reading
// numbers out of the server's Redis.
#pragma once

#include <grpcpp/grpcpp.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "orderwatch/v1/order_events.grpc.pb.h"

namespace orderwatch::load {

// A call context as shop "loadshop", agent "load" and `role`, with a 60 s deadline.
std::unique_ptr<grpc::ClientContext> Context(const char* role);

// Sets shop loadshop's reminder policy for a load run: any hour of the day, no pre-close
// reminder, and the given timings; "" or what failed.
std::string SetLoadReminderPolicy(const std::shared_ptr<grpc::Channel>& channel,
                                  int after_order_minutes, int flash_sale_minutes,
                                  int max_per_order);

// "ord<i>".
inline std::string Order(int i) { return absl::StrCat("ord", i); }

// An integer reply, or with `field` the "field:value" line of an INFO reply; -1 otherwise.
long long RedisInt(redisContext* c, const std::string& command, const std::string& field = "");

// Lines in a file (the log sink).
size_t Lines(const std::string& path);

// Records events [0, n) built by `make(i, event)` in batches of 500 over `threads` threads;
// prints a progress line every 5 s. Returns the seconds it took, or -1 on an error.
template <typename Make>
double RecordAll(const std::shared_ptr<grpc::Channel>& channel, int n, int threads,
                 const char* what, Make make, int per_item = 1) {
  std::atomic<int> next{0}, done{0};
  std::atomic<bool> failed{false};
  const absl::Time start = absl::Now();
  std::vector<std::thread> workers;
  const int batch = 500 / per_item;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      auto stub = v1::OrderEvents::NewStub(channel);
      while (!failed) {
        const int first = next.fetch_add(batch);
        if (first >= n) break;
        v1::RecordEventBatchRequest req;
        for (int i = first; i < std::min(n, first + batch); ++i) make(i, &req);
        v1::RecordEventBatchResponse resp;
        grpc::Status s = stub->RecordBatch(Context("storefront").get(), req, &resp);
        if (!s.ok()) {
          std::fprintf(stderr, "RecordBatch: %s\n", s.error_message().c_str());
          failed = true;
        }
        done += std::min(n, first + batch) - first;
      }
    });
  }
  std::atomic<bool> finished{false};
  std::thread progress([&] {
    absl::Time next_line = start + absl::Seconds(5);
    while (!finished) {
      absl::SleepFor(absl::Milliseconds(20));
      if (absl::Now() >= next_line && !finished) {
        std::fprintf(stderr, "  %s: %d of %d\n", what, done.load(), n);
        next_line += absl::Seconds(5);
      }
    }
  });
  for (auto& w : workers) w.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  finished = true;
  progress.join();
  return failed ? -1 : seconds;
}

}  // namespace orderwatch::load
