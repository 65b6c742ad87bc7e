// Which order events are valid, and how each one changes the order's hash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "orderwatch/v1/order_events.pb.h"

namespace orderwatch::orders {

inline constexpr int kMaxBatchEvents = 500;

// INVALID_ARGUMENT naming the field, prefixed with `path` (e.g. "events[3].").
absl::Status ValidateEvent(const v1::OrderEvent& event, std::string_view path);

// The arguments of order_apply_event.lua for one event.
struct EventWrite {
  std::string mode;  // "first" or "last"
  std::string time_field;
  int64_t time = 0;         // the value compared and kept in time_field
  std::string count_field;  // for last
  std::vector<std::pair<std::string, std::string>> fields;
};
EventWrite WriteFor(const v1::OrderEvent& event);

}  // namespace orderwatch::orders
