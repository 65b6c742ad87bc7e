// Prometheus metrics of payment reminders, every child created at start-up. Labels are kinds,
// channels, outcomes and sinks; per-shop figures come from the API, never from labels.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <map>
#include <string>
#include <utility>

#include "orderwatch/v1/reminders.pb.h"

namespace orderwatch::reminders {

class ReminderMetrics {
 public:
  ReminderMetrics(prometheus::Registry& registry, const std::string& sink);

  // A committed reminder: sent, or skipped (recorded with a reason).
  void Committed(v1::ReminderKind kind, v1::Channel channel, bool sent);
  // A delivery attempt: delivered, failed (retried), or dropped (the order was settled first).
  void Delivered(v1::Channel channel, const char* result);

 private:
  std::map<std::tuple<int, int, bool>, prometheus::Counter*> committed_;
  std::map<std::pair<int, std::string>, prometheus::Counter*> delivered_;
};

}  // namespace orderwatch::reminders
