#include "services/common/periodic.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/log.h"

namespace orderwatch {

Periodic::Periodic(std::string what, absl::Duration interval, std::function<absl::Status()> task)
    : what_(std::move(what)), interval_(interval), task_(std::move(task)) {}

Periodic::~Periodic() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void Periodic::Start() {
  thread_ = std::thread([this] {
    do {
      if (absl::Status s = task_(); !s.ok()) {
        Log(LogLevel::kWarning, absl::StrCat(what_, ": ", s.ToString()));
      }
    } while (!stop_.WaitForNotificationWithTimeout(interval_));
  });
}

}  // namespace orderwatch
