// A task run on a thread of its own (never a gRPC thread) at once and then every interval,
// until the Periodic is destroyed: the gauges that are recounted from Redis.
#pragma once

#include <functional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace orderwatch {

class Periodic {
 public:
  // A failed run is logged as a warning headed by `what` and tried again at the next interval.
  Periodic(std::string what, absl::Duration interval, std::function<absl::Status()> task);
  ~Periodic();  // stops the thread, after the run in progress
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  void Start();

 private:
  const std::string what_;
  const absl::Duration interval_;
  const std::function<absl::Status()> task_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace orderwatch
