// One reminder of an order as read back from Redis, with the buyer's answer to it if one was
// recorded: what Trigger and RecordAnswer return.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "orderwatch/v1/reminders.pb.h"
#include "services/common/async.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"

namespace orderwatch::reminders {

// One reminder from HMGET of its record and its answer; NOT_FOUND when the record expired.
absl::StatusOr<v1::Reminder> ReminderFromRecord(const std::string& shop,
                                                const std::string& order_id, int number,
                                                const redis::Reply& record);

// Reads it with one HMGET. NOT_FOUND when the record expired.
void ReadReminder(redis::Client& redis, const redis::KeyScheme& keys, const std::string& shop,
                  const std::string& order_id, int number, absl::Time deadline,
                  Done<v1::Reminder> done);

}  // namespace orderwatch::reminders
