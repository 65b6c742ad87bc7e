// How long data lives, so that every key has an end (Redis runs with noeviction).
#pragma once

#include "absl/time/time.h"

namespace orderwatch {

struct Retention {
  // An order's keys expire this long after its last change.
  absl::Duration order = absl::Hours(24 * 90);
  // Remark history entries kept per order; older ones are dropped.
  int history_entries = 200;
  // How long the first result of a mutating request is kept for retries.
  absl::Duration request = absl::Hours(24);
};

}  // namespace orderwatch
