#include "services/shipments/shipment_policy.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/validate.h"

namespace orderwatch::shipments {
namespace {

absl::Status Range(const std::string& path, const char* field, int64_t value, int64_t lo,
                   int64_t hi) {
  if (value >= lo && value <= hi) return absl::OkStatus();
  return InvalidField(absl::StrCat(path, field),
                      absl::StrCat("is ", value, "; must be ", lo, "-", hi));
}

}  // namespace

v1::ShipmentPolicy DefaultShipmentPolicy() {
  v1::ShipmentPolicy p;
  p.set_promise_hours(24);
  p.set_review_hold_minutes(0);
  p.set_warning_before_minutes(240);
  p.set_escalate_after_minutes(720);
  p.set_flag(v1::FLAG_PURPLE);
  p.set_compensation_percent(5);
  p.set_compensation_min_fen(500);
  p.set_compensation_max_fen(3000);
  p.set_overdue_ship_delay_hours(24);
  return p;
}

absl::Status ValidateShipmentPolicy(const v1::ShipmentPolicy& p, std::string_view path_view) {
  const std::string path(path_view);
  absl::Status s;
  s.Update(Range(path, "promise_hours", p.promise_hours(), 1, kMaxPromiseHours));
  if (p.campaigns_size() > kMaxCampaigns) {
    s.Update(InvalidField(absl::StrCat(path, "campaigns"),
                          absl::StrCat("has ", p.campaigns_size(), "; at most ", kMaxCampaigns)));
  }
  for (int i = 0; s.ok() && i < p.campaigns_size(); ++i) {
    const auto& c = p.campaigns(i);
    const std::string at = absl::StrCat(path, "campaigns[", i, "].");
    s.Update(ValidateUnixMs(absl::StrCat(at, "start_unix_ms"), c.start_unix_ms()));
    s.Update(ValidateUnixMs(absl::StrCat(at, "end_unix_ms"), c.end_unix_ms()));
    if (s.ok() && c.end_unix_ms() <= c.start_unix_ms()) {
      s.Update(InvalidField(absl::StrCat(at, "end_unix_ms"), "must be after start_unix_ms"));
    }
    s.Update(Range(at, "promise_hours", c.promise_hours(), 1, kMaxPromiseHours));
    for (int j = 0; s.ok() && j < i; ++j) {
      const auto& o = p.campaigns(j);
      if (c.start_unix_ms() < o.end_unix_ms() && o.start_unix_ms() < c.end_unix_ms()) {
        s.Update(InvalidField(absl::StrCat(at, "start_unix_ms"),
                              absl::StrCat("overlaps campaigns[", j, "]")));
      }
    }
  }
  s.Update(Range(path, "review_hold_minutes", p.review_hold_minutes(), 0, kMaxReviewHoldMinutes));
  s.Update(Range(path, "warning_before_minutes", p.warning_before_minutes(), kMinWarningMinutes,
                 kMaxWarningMinutes));
  s.Update(Range(path, "escalate_after_minutes", p.escalate_after_minutes(), kMinEscalateMinutes,
                 kMaxEscalateMinutes));
  if (s.ok() && (p.flag() < v1::FLAG_RED || p.flag() > v1::FLAG_PURPLE)) {
    s.Update(InvalidField(absl::StrCat(path, "flag"),
                          absl::StrCat("is ", p.flag(), "; must be a colour (1-5)")));
  }
  s.Update(Range(path, "compensation_percent", p.compensation_percent(), 0, 100));
  s.Update(Range(path, "compensation_min_fen", p.compensation_min_fen(), 0, kMaxCompensationFen));
  s.Update(Range(path, "compensation_max_fen", p.compensation_max_fen(), p.compensation_min_fen(),
                 kMaxCompensationFen));
  s.Update(Range(path, "overdue_ship_delay_hours", p.overdue_ship_delay_hours(), 0,
                 kMaxOverdueShipDelayHours));
  for (const auto& [field, text] : {std::pair{"notice_template", &p.notice_template()},
                                    std::pair{"peak_notice_template", &p.peak_notice_template()}}) {
    if (s.ok() && !text->empty()) {
      s.Update(reminders::ValidateTemplate(absl::StrCat(path, field), *text, v1::CHANNEL_IM,
                                           reminders::TemplateUse::kShipmentNotice));
    }
  }
  return s;
}

absl::Time ExpectedShip(v1::ShipmentStage stage, absl::Time deadline, const v1::ShipmentPolicy& p,
                        absl::Time now) {
  if (stage == v1::SHIPMENT_STAGE_WARNING) return deadline;
  const int hours = p.overdue_ship_delay_hours() == 0 ? 24 : p.overdue_ship_delay_hours();
  return std::max(now, deadline) + absl::Hours(hours);
}

bool InCampaign(absl::Time t, const v1::ShipmentPolicy& p) {
  const int64_t ms = absl::ToUnixMillis(t);
  for (const auto& c : p.campaigns()) {
    if (ms >= c.start_unix_ms() && ms < c.end_unix_ms()) return true;
  }
  return false;
}

std::string DelayNoticeText(const v1::ShipmentPolicy& p, const reminders::TemplateValues& values,
                            absl::Time now) {
  const bool peak = InCampaign(now, p);
  const std::string& own = peak ? p.peak_notice_template() : p.notice_template();
  if (!own.empty()) return reminders::RenderTemplate(own, values);
  return reminders::RenderTemplate(
      peak ? "亲，双11期间订单较多，您在【{shop_name}】的订单{order_id}预计{ship_date}前发出，"
             "我们在加急处理，给您带来不便深表歉意，感谢耐心等待。"
           : "亲，您在【{shop_name}】的订单{order_id}因发货高峰稍有延迟，预计{ship_date}前发出，"
             "给您带来不便深表歉意，感谢耐心等待。",
      values);
}

absl::Time ShipBy(const ShipmentFacts& o, const v1::ShipmentPolicy& p) {
  if (o.ship_by != absl::InfinitePast()) return o.ship_by;
  int hours = p.promise_hours();
  const int64_t paid_ms = absl::ToUnixMillis(o.paid);
  for (const auto& c : p.campaigns()) {
    if (paid_ms >= c.start_unix_ms() && paid_ms < c.end_unix_ms()) hours = c.promise_hours();
  }
  return o.paid + absl::Hours(hours);
}

int64_t Compensation(int64_t amount_fen, const v1::ShipmentPolicy& p) {
  const int64_t share = amount_fen * p.compensation_percent() / 100;
  return std::clamp(share, p.compensation_min_fen(),
                    std::max(p.compensation_min_fen(), p.compensation_max_fen()));
}

SweepStep PlanSweep(const ShipmentFacts& o, const v1::ShipmentPolicy& p, absl::Time now) {
  SweepStep step;
  step.deadline = ShipBy(o, p);
  const absl::Time warn = step.deadline - absl::Minutes(p.warning_before_minutes());
  const absl::Time escalate = step.deadline + absl::Minutes(p.escalate_after_minutes());
  auto stage_time = [&](v1::ShipmentStage s) {
    switch (s) {
      case v1::SHIPMENT_STAGE_WARNING:
        return o.urged ? std::min(warn, now) : warn;
      case v1::SHIPMENT_STAGE_OVERDUE:
        return step.deadline;
      default:
        return escalate;
    }
  };
  const absl::Time held_until = o.modified + absl::Minutes(p.review_hold_minutes());
  if (p.review_hold_minutes() > 0 && o.modified != absl::InfinitePast() && now < held_until) {
    // In review: nothing new now; look again when the hold ends (or at the next stage, if later).
    step.next = held_until;
    if (o.stage != v1::SHIPMENT_STAGE_ESCALATED) {
      step.next = std::max(held_until,
                           stage_time(static_cast<v1::ShipmentStage>(o.stage + 1)));
    } else {
      step.next.reset();
    }
    return step;
  }
  v1::ShipmentStage at = o.stage;
  for (auto s : {v1::SHIPMENT_STAGE_WARNING, v1::SHIPMENT_STAGE_OVERDUE,
                 v1::SHIPMENT_STAGE_ESCALATED}) {
    if (s > at && stage_time(s) <= now) at = s;
  }
  if (at != o.stage) step.enter = at;
  if (at != v1::SHIPMENT_STAGE_ESCALATED) {
    step.next = stage_time(static_cast<v1::ShipmentStage>(at + 1));
  }
  return step;
}

std::string_view StageName(v1::ShipmentStage stage) {
  switch (stage) {
    case v1::SHIPMENT_STAGE_WARNING:
      return "warning";
    case v1::SHIPMENT_STAGE_OVERDUE:
      return "overdue";
    case v1::SHIPMENT_STAGE_ESCALATED:
      return "escalated";
    default:
      return "";
  }
}

}  // namespace orderwatch::shipments
