#include "services/scheduler/idle_poll.h"

#include <gtest/gtest.h>

#include <vector>

namespace orderwatch::scheduler {
namespace {

TEST(IdlePollTest, EverySlotIsLookedAtOncePerPeriod) {
  const IdlePoll poll(absl::Seconds(1), 1280);
  const absl::Time start = absl::FromUnixSeconds(1'800'000'000);
  std::vector<absl::Time> last(1280, absl::InfinitePast());
  std::vector<int> looks(1280, 0);
  for (absl::Time now = start; now < start + absl::Seconds(10); now += absl::Milliseconds(20)) {
    for (int s = 0; s < 1280; ++s) {
      if (poll.Due(s, last[s], now)) {
        if (looks[s] >= 2) {
          // After the first regular look: a period apart, give or take a tick.
          EXPECT_LE(now - last[s], absl::Seconds(1) + absl::Milliseconds(20)) << s;
          EXPECT_GT(now - last[s], absl::Milliseconds(980)) << s;
        }
        last[s] = now;
        ++looks[s];
      }
    }
  }
  for (int s = 0; s < 1280; ++s) EXPECT_GE(looks[s], 10) << s;
}

TEST(IdlePollTest, LooksAreSpreadOverThePeriodNotSentInOneTick) {
  // All slots claimed in the same tick (start-up): afterwards no tick sends more than its share.
  const IdlePoll poll(absl::Seconds(1), 1280);
  const absl::Time start = absl::FromUnixSeconds(1'800'000'000) + absl::Milliseconds(7);
  std::vector<absl::Time> last(1280, start);
  int most = 0;
  for (absl::Time now = start + absl::Milliseconds(20); now < start + absl::Seconds(5);
       now += absl::Milliseconds(20)) {
    int in_tick = 0;
    for (int s = 0; s < 1280; ++s) {
      if (poll.Due(s, last[s], now)) {
        last[s] = now;
        ++in_tick;
      }
    }
    most = std::max(most, in_tick);
  }
  // 1280 slots over 50 ticks a second: 26 a tick, one more for rounding.
  EXPECT_LE(most, 27);
  EXPECT_GE(most, 25);
}

TEST(IdlePollTest, ANeverClaimedSlotIsDueAtOnce) {
  const IdlePoll poll(absl::Seconds(1), 4);
  EXPECT_TRUE(poll.Due(3, absl::InfinitePast(), absl::FromUnixSeconds(5)));
  EXPECT_FALSE(poll.Due(3, absl::FromUnixSeconds(5), absl::FromUnixSeconds(5)));
}

}  // namespace
}  // namespace orderwatch::scheduler
