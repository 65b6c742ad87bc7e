#include "services/scheduler/idle_poll.h"

#include <algorithm>

namespace orderwatch::scheduler {

IdlePoll::IdlePoll(absl::Duration period, int64_t slots)
    : period_ns_(std::max<int64_t>(1, absl::ToInt64Nanoseconds(period))),
      slots_(std::max<int64_t>(1, slots)) {}

int64_t IdlePoll::PeriodOf(int64_t slot, absl::Time t) const {
  const int64_t phase = static_cast<int64_t>(static_cast<__int128>(period_ns_) * slot / slots_);
  const int64_t ns = absl::ToUnixNanos(t) - phase;
  return ns >= 0 ? ns / period_ns_ : (ns - period_ns_ + 1) / period_ns_;  // floor
}

bool IdlePoll::Due(int64_t slot, absl::Time last, absl::Time now) const {
  if (last == absl::InfinitePast()) return true;
  return PeriodOf(slot, now) > PeriodOf(slot, last);
}

}  // namespace orderwatch::scheduler
