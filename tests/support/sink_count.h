// What the log sinks of killed and restarted servers hold: deliveries per idempotency key, to
// count repeats (at-least-once) and find what never arrived.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace orderwatch::testing {

struct SinkCount {
  size_t lines = 0;
  std::map<std::string, int> by_key;  // idempotency key -> deliveries
};

SinkCount CountSinks(const std::vector<std::string>& paths);
// Counts until `keys` distinct keys are in, or `limit` has passed.
SinkCount AwaitSinkKeys(const std::vector<std::string>& paths, size_t keys, absl::Duration limit);
// A sink file for this test binary, removed if a previous run left it.
std::string FreshSinkPath(const std::string& name);

}  // namespace orderwatch::testing
