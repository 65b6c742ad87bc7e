#include "services/reminders/reminders_service.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/validate.h"
#include "services/orders/order_read.h"
#include "services/reminders/reminder_policy.h"
#include "services/reminders/reminder_read.h"
#include "services/reminders/reminder_records.h"
#include "services/reminders/reminder_template.h"

namespace orderwatch::reminders {
namespace {

absl::Status ValidateTemplateKey(std::string_view path, v1::ReminderKind kind,
                                 v1::Channel channel) {
  if (kind == v1::REMINDER_KIND_UNSPECIFIED || !v1::ReminderKind_IsValid(kind)) {
    return InvalidField(absl::StrCat(std::string(path), "kind"), "must be a reminder kind");
  }
  if (channel == v1::CHANNEL_UNSPECIFIED || !v1::Channel_IsValid(channel)) {
    return InvalidField(absl::StrCat(std::string(path), "channel"), "must be im, sms or phone");
  }
  return absl::OkStatus();
}

}  // namespace

RemindersService::RemindersService(redis::Client& redis, const redis::KeyScheme& keys,
                                   const Clock& clock, ReminderSettingsStore& settings,
                                   ReminderCommitter& committer, BuyerBook& book,
                                   ReminderWorker& worker, ReminderMetrics& metrics)
    : redis_(redis),
      keys_(keys),
      clock_(clock),
      settings_(settings),
      committer_(committer),
      book_(book),
      worker_(worker),
      metrics_(metrics) {}

void RemindersService::GetPolicy(const Principal& who, const v1::GetReminderPolicyRequest&,
                                 absl::Time deadline, Done<v1::ReminderPolicy> done) {
  settings_.Get(who.shop, deadline,
                [done = std::move(done)](absl::StatusOr<SharedSettings> s) mutable {
                  if (!s.ok()) return done(s.status());
                  done((*s)->OwnPolicy());
                });
}

void RemindersService::GetAllShopsPeak(const Principal&, const v1::GetAllShopsPeakRequest&,
                                       absl::Time deadline, Done<v1::PeakMode> done) {
  settings_.GetAllShopsPeak(deadline, std::move(done));
}

void RemindersService::SetAllShopsPeak(const Principal& who,
                                       const v1::SetAllShopsPeakRequest& request,
                                       absl::Time deadline, Done<v1::PeakMode> done) {
  if (auto s = RequireRole(who, {Role::kOps}, "set peak mode for all shops"); !s.ok()) {
    return done(s);
  }
  if (auto s = ValidatePeak(request.peak()); !s.ok()) return done(s);
  settings_.SetAllShopsPeak(request.peak(), deadline, std::move(done));
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
  if (expected && *expected < 0)
    return done(InvalidField("expected_version", "must not be negative"));
  settings_.SetPolicy(who.shop, request.policy(), expected, deadline, std::move(done));
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
  redis_.Run(orders::ReadOrder(keys_, who.shop, request.order_id()), deadline,
             [this, who, request, deadline,
              done = std::move(done)](absl::StatusOr<redis::Reply> order) mutable {
               if (!order.ok()) return done(order.status());
               settings_.Get(who.shop, deadline,
                             [this, who, request, deadline, order = *std::move(order),
                              done = std::move(done)](absl::StatusOr<SharedSettings> s) mutable {
                               if (!s.ok()) return done(s.status());
                               TriggerWith(who, request, **s, order, deadline, std::move(done));
                             });
             });
}

void RemindersService::TriggerWith(const Principal& who, const v1::TriggerReminderRequest& request,
                                   const ReminderSettings& settings, const redis::Reply& order,
                                   absl::Time deadline, Done<v1::Reminder> done) {
  const v1::ReminderPolicy& policy = settings.policy;
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
  c.zone = settings.Zone();
  c.reason = overriding ? absl::StrCat("override: ", request.override_reason()) : "";
  c.text = RenderTemplate(settings.TemplateFor(c.kind, c.channel, false),
                          settings.ValuesFor(who.shop, order_id, order));
  c.remark_line = RemarkLine(c.channel, who.agent, now, settings.Zone());
  c.request_id = request.request_id();
  if (facts.buyer_id.empty()) return CommitTriggered(std::move(c), deadline, std::move(done));
  // The buyer's daily caps and "paid today" hold for agents too, unless overridden; the message
  // names the buyer's other unpaid orders either way.
  Reservation r = ReservationFor(c, facts, absl::StrCat("t:", request.request_id()), policy);
  r.enforce_caps = !overriding;
  r.skip_if_merged = false;
  book_.Reserve(r, deadline,
                [this, c = std::move(c), deadline,
                 done = std::move(done)](absl::StatusOr<BuyerVerdict> v) mutable {
                  if (!v.ok()) return done(v.status());
                  if (!v->ok()) {
                    return done(absl::FailedPreconditionError(
                        absl::StrCat("order ", c.order_id, " is not reminded: ", v->verdict,
                                     " (a supervisor may override with a reason)")));
                  }
                  c.merged_order_ids = std::move(v->merged_order_ids);
                  CommitTriggered(std::move(c), deadline, std::move(done));
                });
}

void RemindersService::CommitTriggered(Commit c, absl::Time deadline, Done<v1::Reminder> done) {
  const int partition = keys_.PartitionOf(c.shop, c.order_id);
  committer_.Run(
      c, deadline,
      [this, shop = c.shop, order_id = c.order_id, partition, channel = c.channel, now = c.now,
       done = std::move(done)](absl::StatusOr<Committed> r) mutable {
        if (!r.ok()) return done(r.status());
        switch (r->what) {
          case Committed::What::kOk:
            metrics_.Committed(v1::REMINDER_KIND_MANUAL, channel, true);
            worker_.DeliveryQueued(partition, now);
            [[fallthrough]];
          case Committed::What::kReplay:
            return done(ReminderFromRecord(shop, order_id, r->number, r->record));
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

void RemindersService::ListForOrder(const Principal& who, const v1::ListRemindersRequest& request,
                                    absl::Time deadline, Done<v1::ListRemindersResponse> done) {
  if (auto s = ValidateId("order_id", request.order_id()); !s.ok()) return done(s);
  redis_.Run(redis::Command::Of({"HGETALL", keys_.Reminders(who.shop, request.order_id())}),
             deadline,
             [shop = who.shop, order_id = request.order_id(),
              done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               auto reminders = RemindersFromHash(shop, order_id, *r);
               if (!reminders.ok()) return done(reminders.status());
               v1::ListRemindersResponse response;
               for (auto& reminder : *reminders) *response.add_reminders() = std::move(reminder);
               done(std::move(response));
             });
}

void RemindersService::ListTemplates(const Principal& who, const v1::ListTemplatesRequest&,
                                     absl::Time deadline, Done<v1::ListTemplatesResponse> done) {
  settings_.Get(who.shop, deadline,
                [done = std::move(done)](absl::StatusOr<SharedSettings> s) mutable {
                  if (!s.ok()) return done(s.status());
                  v1::ListTemplatesResponse response;
                  for (auto kind : kReminderKinds) {
                    for (auto channel : kChannels) {
                      for (bool peak : {false, true}) {
                        auto* t = response.add_templates();
                        t->set_kind(kind);
                        t->set_channel(channel);
                        t->set_peak(peak);
                        t->set_text((*s)->TemplateFor(kind, channel, peak));
                        t->set_built_in(!(*s)->HasOwnTemplate(kind, channel, peak));
                      }
                    }
                  }
                  done(std::move(response));
                });
}

void RemindersService::SetTemplate(const Principal& who, const v1::SetTemplateRequest& request,
                                   absl::Time deadline, Done<v1::Template> done) {
  if (auto s = RequireRole(who, {Role::kSupervisor, Role::kOps}, "change reminder templates");
      !s.ok()) {
    return done(s);
  }
  if (!request.has_template_()) return done(InvalidField("template", "is required"));
  const v1::Template& t = request.template_();
  if (auto s = ValidateTemplateKey("template.", t.kind(), t.channel()); !s.ok()) return done(s);
  if (!t.text().empty()) {
    if (auto s = ValidateTemplate("template.text", t.text(), t.channel()); !s.ok()) return done(s);
  }
  settings_.SetTemplate(who.shop, t, deadline, std::move(done));
}

void RemindersService::PreviewTemplate(const Principal& who,
                                       const v1::PreviewTemplateRequest& request,
                                       absl::Time deadline,
                                       Done<v1::PreviewTemplateResponse> done) {
  if (auto s = ValidateId("order_id", request.order_id()); !s.ok()) return done(s);
  if (auto s = ValidateTemplateKey("", request.kind(), request.channel()); !s.ok()) return done(s);
  if (!request.text().empty()) {
    if (auto s = ValidateTemplate("text", request.text(), request.channel()); !s.ok()) {
      return done(s);
    }
  }
  redis_.Run(orders::ReadOrder(keys_, who.shop, request.order_id()), deadline,
             [this, shop = who.shop, request, deadline,
              done = std::move(done)](absl::StatusOr<redis::Reply> order) mutable {
               if (!order.ok()) return done(order.status());
               if (order->elements.empty()) {
                 return done(absl::NotFoundError(
                     absl::StrCat("order ", request.order_id(), ": no events recorded")));
               }
               settings_.Get(
                   shop, deadline,
                   [shop, request, order = *std::move(order),
                    done = std::move(done)](absl::StatusOr<SharedSettings> s) mutable {
                     if (!s.ok()) return done(s.status());
                     const std::string text =
                         request.text().empty()
                             ? (*s)->TemplateFor(request.kind(), request.channel(), request.peak())
                             : request.text();
                     v1::PreviewTemplateResponse response;
                     response.set_text(
                         RenderTemplate(text, (*s)->ValuesFor(shop, request.order_id(), order)));
                     const TextSize size = SizeOf(response.text());
                     response.set_bytes(static_cast<int32_t>(size.bytes));
                     response.set_sms_characters(static_cast<int32_t>(size.sms_chars));
                     done(std::move(response));
                   });
             });
}

}  // namespace orderwatch::reminders
