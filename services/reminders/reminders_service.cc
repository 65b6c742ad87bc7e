#include "services/reminders/reminders_service.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/validate.h"
#include "services/orders/order_fields.h"
#include "services/reminders/reminder_policy.h"
#include "services/reminders/reminder_records.h"
#include "services/reminders/reminder_template.h"

namespace orderwatch::reminders {
namespace {

absl::TimeZone ZoneOf(const v1::ReminderPolicy& policy) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(policy.time_zone(), &zone)) zone = absl::UTCTimeZone();
  return zone;
}

std::string FieldOf(const redis::Reply& hash, const char* name) {
  for (size_t i = 0; i + 1 < hash.elements.size(); i += 2) {
    if (hash.elements[i].str == name) return hash.elements[i + 1].str;
  }
  return "";
}

}  // namespace

RemindersService::RemindersService(redis::Client& redis, const redis::KeyScheme& keys,
                                   const Clock& clock, PolicyStore& policies,
                                   ReminderCommitter& committer, ReminderWorker& worker,
                                   ReminderMetrics& metrics)
    : redis_(redis),
      keys_(keys),
      clock_(clock),
      policies_(policies),
      committer_(committer),
      worker_(worker),
      metrics_(metrics) {}

void RemindersService::GetPolicy(const Principal& who, const v1::GetReminderPolicyRequest&,
                                 absl::Time deadline, Done<v1::ReminderPolicy> done) {
  policies_.Get(who.shop, deadline, std::move(done));
}

void RemindersService::SetPolicy(const Principal& who, const v1::SetReminderPolicyRequest& request,
                                 absl::Time deadline, Done<v1::ReminderPolicy> done) {
  if (auto s = RequireRole(who, {Role::kSupervisor, Role::kOps}, "change the reminder policy");
      !s.ok()) {
    return done(s);
  }
  if (!request.has_policy()) return done(InvalidField("policy", "is required"));
  if (auto s = ValidatePolicy(request.policy()); !s.ok()) return done(s);
  std::optional<int64_t> expected;
  if (request.has_expected_version()) expected = request.expected_version();
  policies_.Set(who.shop, request.policy(), expected, deadline, std::move(done));
}

void RemindersService::Trigger(const Principal& who, const v1::TriggerReminderRequest& request,
                               absl::Time deadline, Done<v1::Reminder> done) {
  if (auto s = RequireRole(who, {Role::kAgent, Role::kSupervisor}, "trigger reminders"); !s.ok()) {
    return done(s);
  }
  if (auto s = ValidateId("request_id", request.request_id()); !s.ok()) return done(s);
  if (auto s = ValidateId("order_id", request.order_id()); !s.ok()) return done(s);
  if (!v1::Channel_IsValid(request.channel())) {
    return done(InvalidField("channel", "is not a known channel"));
  }
  if (auto s = ValidateText("override_reason", request.override_reason(), 256); !s.ok()) {
    return done(s);
  }
  if (!request.override_reason().empty() && who.role != Role::kSupervisor) {
    return done(absl::PermissionDeniedError(
        "override_reason: only supervisors may send outside the caps and window"));
  }
  redis_.Run(redis::Command::Of({"HGETALL", keys_.Order(who.shop, request.order_id())}), deadline,
             [this, who, request, deadline,
              done = std::move(done)](absl::StatusOr<redis::Reply> order) mutable {
               if (!order.ok()) return done(order.status());
               policies_.Get(
                   who.shop, deadline,
                   [this, who, request, deadline, order = *std::move(order),
                    done = std::move(done)](absl::StatusOr<v1::ReminderPolicy> p) mutable {
                     if (!p.ok()) return done(p.status());
                     TriggerWith(who, request, *p, order, deadline, std::move(done));
                   });
             });
}

void RemindersService::TriggerWith(const Principal& who, const v1::TriggerReminderRequest& request,
                                   const v1::ReminderPolicy& policy, const redis::Reply& order,
                                   absl::Time deadline, Done<v1::Reminder> done) {
  const OrderFacts facts = FactsFromHash(order);
  const std::string& order_id = request.order_id();
  if (facts.created == absl::InfinitePast()) {
    return done(absl::NotFoundError(absl::StrCat("order ", order_id, ": no created event")));
  }
  const absl::Time now = clock_.Now();
  const bool overriding = !request.override_reason().empty();
  const std::string skip = SkipReason(policy, facts, who.shop, order_id);
  if (skip == "paid" || skip == "closed" || skip == "refunded") {
    return done(absl::FailedPreconditionError(
        absl::StrCat("order ", order_id, " is ", skip, ": nothing to remind")));
  }
  if (!skip.empty() && !overriding) {
    return done(
        absl::FailedPreconditionError(absl::StrCat("order ", order_id, " is not reminded: ", skip,
                                                   " (a supervisor may override with a reason)")));
  }
  const WindowDecision window = ApplyWindow(policy, now, now);
  if (window.action != WindowDecision::Action::kSendNow && !overriding) {
    return done(absl::FailedPreconditionError(
        absl::StrCat("outside the sending window ", policy.window_start(), "-", policy.window_end(),
                     " ", policy.time_zone(), " (a supervisor may override with a reason)")));
  }
  const absl::TimeZone zone = ZoneOf(policy);
  Commit c;
  c.shop = who.shop;
  c.order_id = order_id;
  c.recorded = facts.reminders_sent;
  c.now = now;
  c.kind = v1::REMINDER_KIND_MANUAL;
  c.channel = request.channel() != v1::CHANNEL_UNSPECIFIED  ? request.channel()
              : policy.channel() != v1::CHANNEL_UNSPECIFIED ? policy.channel()
                                                            : v1::CHANNEL_IM;
  c.agent = who.agent;
  c.due = now;
  c.reason = overriding ? absl::StrCat("override: ", request.override_reason()) : "";
  TemplateValues values;
  values.shop_name = who.shop;
  values.buyer_nick = facts.buyer_id;
  values.order_id = order_id;
  values.amount_fen = facts.amount_fen;
  values.items = FieldOf(order, orders::field::kItems);
  values.pay_deadline = facts.auto_close;
  values.zone = zone;
  c.text = RenderTemplate(DefaultTemplate(c.kind, c.channel, false), values);
  c.remark_line = RemarkLine(c.channel, who.agent, now, zone);
  c.request_id = request.request_id();
  const int partition = keys_.PartitionOf(who.shop, order_id);
  committer_.Run(
      c, deadline,
      [this, shop = who.shop, order_id, partition, deadline, channel = c.channel, now,
       done = std::move(done)](absl::StatusOr<Committed> r) mutable {
        if (!r.ok()) return done(r.status());
        switch (r->what) {
          case Committed::What::kOk:
            metrics_.Committed(v1::REMINDER_KIND_MANUAL, channel, true);
            worker_.DeliveryQueued(partition, now);
            [[fallthrough]];
          case Committed::What::kReplay:
            return ReadRecord(shop, order_id, r->number, deadline, std::move(done));
          case Committed::What::kStale:
            return done(absl::AbortedError(
                absl::StrCat("order ", order_id, ": reminded meanwhile; try again")));
          case Committed::What::kSettled:
            return done(absl::FailedPreconditionError(
                absl::StrCat("order ", order_id, " was settled: nothing to remind")));
          case Committed::What::kUnknownOrder:
          case Committed::What::kGone:
            break;
        }
        done(absl::NotFoundError(absl::StrCat("order ", order_id, ": no created event")));
      });
}

void RemindersService::ReadRecord(const std::string& shop, const std::string& order_id, int number,
                                  absl::Time deadline, Done<v1::Reminder> done) {
  redis_.Run(
      redis::Command::Of({"HGET", keys_.Reminders(shop, order_id), absl::StrCat(number)}), deadline,
      [shop, order_id, number, done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
        if (!r.ok()) return done(r.status());
        if (r->is_nil()) {
          return done(absl::NotFoundError(
              absl::StrCat("order ", order_id, ": reminder ", number, " expired")));
        }
        done(ParseRecord(shop, order_id, number, r->str));
      });
}

void RemindersService::ListForOrder(const Principal& who, const v1::ListRemindersRequest& request,
                                    absl::Time deadline, Done<v1::ListRemindersResponse> done) {
  if (auto s = ValidateId("order_id", request.order_id()); !s.ok()) return done(s);
  redis_.Run(
      redis::Command::Of({"HGETALL", keys_.Reminders(who.shop, request.order_id())}), deadline,
      [shop = who.shop, order_id = request.order_id(),
       done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
        if (!r.ok()) return done(r.status());
        v1::ListRemindersResponse response;
        for (size_t i = 0; i + 1 < r->elements.size(); i += 2) {
          int number = 0;
          if (!absl::SimpleAtoi(r->elements[i].str, &number)) continue;
          auto reminder = ParseRecord(shop, order_id, number, r->elements[i + 1].str);
          if (!reminder.ok()) return done(reminder.status());
          *response.add_reminders() = *std::move(reminder);
        }
        auto* list = response.mutable_reminders();
        std::sort(list->begin(), list->end(), [](const v1::Reminder& a, const v1::Reminder& b) {
          return a.number() > b.number();
        });
        done(std::move(response));
      });
}

}  // namespace orderwatch::reminders
