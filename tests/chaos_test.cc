// Faults under load, on real orderwatch-server processes: two servers on one Redis (append-only
// file, fsync always) take a storefront's steady load (storefront_load.h) while the test
// SIGKILLs and restarts each server, SIGKILLs and restarts Redis, and pauses Redis (SIGSTOP) past
// every deadline. Afterwards the load's exact accounting, and no dead letter.
#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "tests/support/redis_server.h"
#include "tests/support/storefront_load.h"

namespace orderwatch {
namespace {

using testing::Fleet;
using testing::RedisServer;
using testing::StorefrontLoad;

TEST(ChaosTest, KillsRestartsAndPausesUnderLoadLoseNothingAndDuplicateNothing) {
  RedisServer redis(/*appendonly=*/true);
  Fleet fleet((redis.cluster() ? "--redis-cluster=" : "--redis=") + redis.address());
  StorefrontLoad load;
  SetAnyHourPolicy(fleet, load);

  std::vector<std::string> timeline;
  const absl::Time start = absl::Now();
  auto at = [&](double seconds, const std::string& what, auto fault) {
    testing::SleepUntil(start + absl::Seconds(seconds));
    fault();
    timeline.push_back(
        absl::StrFormat("%.1f s %s", absl::ToDoubleSeconds(absl::Now() - start), what));
  };
  std::thread writer([&] { RunStorefrontLoad(fleet, load); });
  at(1.5, "SIGKILL server 1", [&] { fleet.Kill(0); });
  at(2.5, "server 1 started again", [&] { fleet.Start(0); });
  at(4.0, "SIGKILL server 2", [&] { fleet.Kill(1); });
  at(5.0, "server 2 started again", [&] { fleet.Start(1); });
  at(6.5, "SIGKILL Redis", [&] { redis.Crash(); });
  at(7.0, "Redis started again from its AOF", [&] { redis.Start(); });
  at(9.5, "Redis paused (SIGSTOP)", [&] { redis.Pause(); });
  at(13.0, "Redis resumed after 3.5 s", [&] { redis.Resume(); });
  at(14.5, "SIGKILL server 1, started again at once", [&] {
    fleet.Kill(0);
    fleet.Start(0);
  });
  writer.join();
  const absl::Duration load_took = absl::Now() - start;
  for (const auto& t : timeline) std::printf("  %s\n", t.c_str());
  ASSERT_FALSE(::testing::Test::HasFailure()) << "the load did not get through";

  const testing::Accounting a = ExpectEverythingOnce(fleet, load);
  EXPECT_GT(load.retries.load(), 0) << "the faults did not reach the load";
  EXPECT_EQ(redis.Flat("KEYS ow:{p*}:d:*"), "") << "dead letters: work given up";
  std::printf(
      "chaos: %d calls in %.1f s with %d retries; everything delivered %.1f s after the start; "
      "%zu deliveries, %zu distinct keys, %zu repeated under the same key; %d of %d paid orders "
      "reminded before their payment\n",
      load.calls.load(), absl::ToDoubleSeconds(load_took), load.retries.load(),
      absl::ToDoubleSeconds(a.everything_delivered - start), a.sinks.lines, a.sinks.by_key.size(),
      a.sinks.lines - a.sinks.by_key.size(), a.reminded_paid, StorefrontLoad::kOrders / 2);
}

}  // namespace
}  // namespace orderwatch
