#include "services/reminders/reminder_read.h"

#include "absl/strings/str_cat.h"
#include "services/reminders/reminder_records.h"

namespace orderwatch::reminders {

void ReadReminder(redis::Client& redis, const redis::KeyScheme& keys, const std::string& shop,
                  const std::string& order_id, int number, absl::Time deadline,
                  Done<v1::Reminder> done) {
  redis.Run(
      redis::Command::Of({"HMGET", keys.Reminders(shop, order_id), absl::StrCat(number),
                          absl::StrCat("a:", number)}),
      deadline,
      [shop, order_id, number, done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
        if (!r.ok()) return done(r.status());
        if (r->elements.size() != 2 || r->elements[0].is_nil()) {
          return done(absl::NotFoundError(
              absl::StrCat("order ", order_id, ": reminder ", number, " expired")));
        }
        auto reminder = ParseRecord(shop, order_id, number, r->elements[0].str);
        if (!reminder.ok() || r->elements[1].is_nil()) return done(std::move(reminder));
        auto answer = ParseAnswer(r->elements[1].str);
        if (!answer.ok()) return done(answer.status());
        *reminder->mutable_answer() = *std::move(answer);
        done(std::move(reminder));
      });
}

}  // namespace orderwatch::reminders
