// Reminders.RecordAnswer: an agent records what a buyer answered to a reminder (why they had not
// paid, and when they promised to pay). A promise is kept on the order, and the order's reminder
// job is brought forward to it, so a policy with remind_at_promised_time reminds the buyer then.
#pragma once

#include "absl/time/time.h"
#include "orderwatch/v1/reminders.pb.h"
#include "services/common/async.h"
#include "services/common/auth.h"
#include "services/common/clock.h"
#include "services/common/retention.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/redis/script.h"
#include "services/reminders/reminder_worker.h"

namespace orderwatch::reminders {

// How far ahead a promise may be.
inline constexpr absl::Duration kMostPromiseAhead = absl::Hours(24 * 30);

class ReminderAnswers {
 public:
  ReminderAnswers(redis::Client& redis, const redis::KeyScheme& keys, const Clock& clock,
                  Retention retention, ReminderWorker& worker);

  void Record(const Principal& who, const v1::RecordAnswerRequest& request, absl::Time deadline,
              Done<v1::Reminder> done);

 private:
  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  const Clock& clock_;
  Retention retention_;
  ReminderWorker& worker_;
  redis::Script script_;
};

}  // namespace orderwatch::reminders
