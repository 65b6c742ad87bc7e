// When a held partition with nothing known to be due is looked at anyway (another instance or
// a lost wake-up may have queued work there): once per idle period, each (queue, partition) at
// a phase of its own. Looking at every partition whenever a period had passed since its last
// claim kept them in step after start-up: all queues x partitions (1280 claims) went out in one
// tick each second, and every call that reached Redis behind that burst waited ~15 ms. With
// phases spread over the period a 20 ms tick sends a few dozen.
#pragma once

#include <cstdint>

#include "absl/time/time.h"

namespace orderwatch::scheduler {

class IdlePoll {
 public:
  // `slots`: queues x partitions; slot = partition x queues + queue index.
  IdlePoll(absl::Duration period, int64_t slots);

  // Whether `slot`, last claimed at `last` (InfinitePast: never), is due a look at `now`: a
  // period boundary at its phase has passed since `last`.
  bool Due(int64_t slot, absl::Time last, absl::Time now) const;

 private:
  int64_t PeriodOf(int64_t slot, absl::Time t) const;

  int64_t period_ns_;
  int64_t slots_;
};

}  // namespace orderwatch::scheduler
