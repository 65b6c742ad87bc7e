#include "services/reminders/reminder_read.h"

#include "absl/strings/str_cat.h"
#include "services/reminders/reminder_records.h"

namespace orderwatch::reminders {

absl::StatusOr<v1::Reminder> ReminderFromRecord(const std::string& shop,
                                                const std::string& order_id, int number,
                                                const redis::Reply& record) {
  const auto& e = record.elements;
  if (e.size() != 2 || e[0].is_nil()) {
    return absl::NotFoundError(absl::StrCat("order ", order_id, ": reminder ", number, " expired"));
  }
  auto reminder = ParseRecord(shop, order_id, number, e[0].str);
  if (!reminder.ok() || e[1].is_nil()) return reminder;
  auto answer = ParseAnswer(e[1].str);
  if (!answer.ok()) return answer.status();
  *reminder->mutable_answer() = *std::move(answer);
  return reminder;
}

void ReadReminder(redis::Client& redis, const redis::KeyScheme& keys, const std::string& shop,
                  const std::string& order_id, int number, absl::Time deadline,
                  Done<v1::Reminder> done) {
  redis.Run(
      redis::Command::Of({"HMGET", keys.Reminders(shop, order_id), absl::StrCat(number),
                          absl::StrCat("a:", number)}),
      deadline,
      [shop, order_id, number, done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
        if (!r.ok()) return done(r.status());
        done(ReminderFromRecord(shop, order_id, number, *r));
      });
}

}  // namespace orderwatch::reminders
