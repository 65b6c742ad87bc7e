#include "services/reminders/reminder_answers.h"

#include "absl/strings/str_cat.h"
#include "services/common/validate.h"
#include "services/reminders/reminder_read.h"
#include "services/reminders/reminder_records.h"
#include "services/scheduler/queues.h"

namespace orderwatch::reminders {
namespace lua {
extern const std::string_view kReminderAnswer;
}

namespace {

absl::Status Validate(const v1::RecordAnswerRequest& r, absl::Time now) {
  if (auto s = ValidateId("request_id", r.request_id()); !s.ok()) return s;
  if (auto s = ValidateId("order_id", r.order_id()); !s.ok()) return s;
  if (r.reminder_number() < 0) return InvalidField("reminder_number", "must not be negative");
  if (!v1::UnpaidReason_IsValid(r.reason())) {
    return InvalidField("reason", absl::StrCat(static_cast<int>(r.reason()),
                                               " is not one of the UNPAID_REASON_ values"));
  }
  if (r.reason() == v1::UNPAID_REASON_UNSPECIFIED) {
    return InvalidField("reason", "is required: one of the UNPAID_REASON_ values");
  }
  if (auto s = ValidateText("note", r.note(), 256); !s.ok()) return s;
  if (r.promised_pay_unix_ms() != 0) {
    const absl::Time promised = absl::FromUnixMillis(r.promised_pay_unix_ms());
    if (promised <= now) return InvalidField("promised_pay_unix_ms", "is not in the future");
    if (promised > now + kMostPromiseAhead) {
      return InvalidField("promised_pay_unix_ms", "is more than 30 days ahead");
    }
  }
  return absl::OkStatus();
}

}  // namespace

ReminderAnswers::ReminderAnswers(redis::Client& redis, const redis::KeyScheme& keys,
                                 const Clock& clock, Retention retention, ReminderWorker& worker)
    : redis_(redis),
      keys_(keys),
      clock_(clock),
      retention_(retention),
      worker_(worker),
      script_("reminder_answer", lua::kReminderAnswer) {}

void ReminderAnswers::Record(const Principal& who, const v1::RecordAnswerRequest& request,
                             absl::Time deadline, Done<v1::Reminder> done) {
  if (auto s = RequireRole(who, {Role::kAgent, Role::kSupervisor}, "record buyers' answers");
      !s.ok()) {
    return done(s);
  }
  const absl::Time now = clock_.Now();
  if (auto s = Validate(request, now); !s.ok()) return done(s);
  v1::BuyerAnswer answer;
  answer.set_reason(request.reason());
  answer.set_note(request.note());
  answer.set_promised_pay_unix_ms(request.promised_pay_unix_ms());
  answer.set_agent_id(who.agent);
  answer.set_recorded_unix_ms(absl::ToUnixMillis(now));
  const std::string& order_id = request.order_id();
  const int partition = keys_.PartitionOf(who.shop, order_id);
  const auto queue = keys_.Queue(partition, scheduler::kReminderQueue);
  redis_.Run(
      redis::Command::Eval(
          script_,
          {keys_.Order(who.shop, order_id), keys_.Reminders(who.shop, order_id), queue.due,
           queue.in_flight,
           keys_.Request(who.shop, order_id, redis::KeyScheme::RequestOf::kAnswer,
                         request.request_id()),
           keys_.Queue(partition, scheduler::kFollowUpQueue).due},
          {absl::StrCat(request.reminder_number()), AnswerValue(answer),
           request.promised_pay_unix_ms() != 0 ? absl::StrCat(request.promised_pay_unix_ms()) : "",
           scheduler::OrderJobId(who.shop, order_id), redis::MsArg(retention_.order),
           request.request_id(), redis::MsArg(retention_.request),
           absl::StrCat(absl::ToUnixMillis(now))}),
      deadline,
      [this, shop = who.shop, order_id, partition, deadline,
       done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
        if (!r.ok()) return done(r.status());
        const auto& e = r->elements;
        if (e.empty()) return done(absl::InternalError("reminder_answer: unexpected reply"));
        const std::string& what = e[0].str;
        if (what == "unknown") {
          return done(absl::NotFoundError(absl::StrCat("order ", order_id, ": no created event")));
        }
        if (what == "no_reminder") {
          return done(absl::NotFoundError(
              e.size() > 1 && e[1].integer > 0
                  ? absl::StrCat("order ", order_id, " has no reminder ", e[1].integer)
                  : absl::StrCat("order ", order_id, " was never reminded")));
        }
        if (what == "settled") {
          return done(absl::FailedPreconditionError(
              absl::StrCat("order ", order_id, " is settled (", e.size() > 1 ? e[1].str : "",
                           "): no promise to keep")));
        }
        if (what == "after_close") {
          return done(absl::InvalidArgumentError(
              absl::StrCat("promised_pay_unix_ms: the order closes unpaid at ",
                           e.size() > 1 ? e[1].integer : 0, " (ms), before the promised time")));
        }
        if ((what != "ok" && what != "replay") || e.size() < 2) {
          return done(absl::InternalError("reminder_answer: unexpected reply"));
        }
        if (what == "ok" && e.size() == 3 && e[2].integer >= 0) {
          worker_.Scheduled(partition, absl::FromUnixMillis(e[2].integer));
        }
        ReadReminder(redis_, keys_, shop, order_id, static_cast<int>(e[1].integer), deadline,
                     std::move(done));
      });
}

}  // namespace orderwatch::reminders
