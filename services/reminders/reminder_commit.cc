#include "services/reminders/reminder_commit.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/reminders/reminder_records.h"
#include "services/scheduler/due_queue.h"
#include "services/scheduler/queues.h"

namespace orderwatch::reminders {
namespace lua {
extern const std::string_view kReminderCommit;
}

namespace {
constexpr int kMaxRemarkBytes = 1000;
}  // namespace

ReminderCommitter::ReminderCommitter(redis::Client& redis, const redis::KeyScheme& keys,
                                     Retention retention)
    : redis_(redis),
      keys_(keys),
      retention_(retention),
      script_("reminder_commit", lua::kReminderCommit) {}

void ReminderCommitter::Run(const Commit& c, absl::Time deadline, Done<Committed> done) {
  const int partition = keys_.PartitionOf(c.shop, c.order_id);
  auto rem = keys_.Queue(partition, scheduler::kReminderQueue);
  auto out = keys_.Queue(partition, scheduler::kDeliveryQueue);
  std::vector<std::string> keys = {
      keys_.Lease(partition),
      keys_.Order(c.shop, c.order_id),
      keys_.History(c.shop, c.order_id),
      keys_.Reminders(c.shop, c.order_id),
      rem.due,
      rem.in_flight,
      rem.attempts,
      out.due,
      keys_.Request(c.shop, c.order_id, redis::KeyScheme::RequestOf::kReminder, c.request_id)};
  for (auto& k : keys_.FlagIndexes(partition, c.shop)) keys.push_back(std::move(k));
  keys.push_back(keys_.ReminderStats(partition, c.shop, absl::FormatTime("%Y%m%d", c.now, c.zone)));
  std::vector<std::string> args = {c.lease ? c.lease->value() : "",
                                   scheduler::OrderJobId(c.shop, c.order_id),
                                   absl::StrCat(c.recorded),
                                   redis::MsArg(c.now),
                                   c.sent ? "sent" : "skipped",
                                   absl::StrCat(static_cast<int>(c.kind)),
                                   absl::StrCat(static_cast<int>(c.channel)),
                                   c.agent,
                                   redis::MsArg(c.due),
                                   c.reason,
                                   c.text,
                                   c.next_due ? redis::MsArg(*c.next_due) : "",
                                   c.remark_line,
                                   absl::StrCat(retention_.history_entries),
                                   redis::MsArg(retention_.order),
                                   absl::StrCat(kMaxRemarkBytes),
                                   c.order_id,
                                   c.request_id,
                                   redis::MsArg(retention_.request),
                                   c.agent.empty() ? "reminder" : c.agent,
                                   absl::StrCat(static_cast<int>(v1::SOURCE_REMINDER)),
                                   absl::StrJoin(c.merged_order_ids, ","),
                                   redis::MsArg(retention_.order)};
  redis_.Run(redis::Command::Eval(script_, std::move(keys), std::move(args)), deadline,
             [lease = c.lease, done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               auto& e = r->elements;
               if (r->type != redis::Reply::Type::kArray || e.empty()) {
                 return done(absl::InternalError("reminder_commit: unexpected reply"));
               }
               const std::string& what = e[0].str;
               Committed c;
               if (what == "fenced") return done(scheduler::LeaseLost(*lease));
               if (what == "ok" && e.size() == 5) {
                 c.number = static_cast<int>(e[1].integer);
                 c.version = e[3].integer;
                 c.record = std::move(e[4]);
               } else if (what == "replay" && e.size() == 3) {
                 c.what = Committed::What::kReplay;
                 c.number = static_cast<int>(e[1].integer);
                 c.record = std::move(e[2]);
               } else if (what == "gone") {
                 c.what = Committed::What::kGone;
               } else if (what == "unknown") {
                 c.what = Committed::What::kUnknownOrder;
               } else if (what == "settled" && e.size() == 2) {
                 c.what = Committed::What::kSettled;
                 c.settled = e[1].str;
               } else if (what == "stale") {
                 c.what = Committed::What::kStale;
               } else {
                 return done(absl::InternalError("reminder_commit: unexpected reply"));
               }
               done(std::move(c));
             });
}

}  // namespace orderwatch::reminders
