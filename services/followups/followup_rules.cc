#include "services/followups/followup_rules.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/validate.h"

namespace orderwatch::followups {

const std::vector<v1::FollowUpKind>& AllKinds() {
  static const auto* const kKinds = [] {
    auto* kinds = new std::vector<v1::FollowUpKind>;
    for (int k = v1::FOLLOW_UP_KIND_STOCK_OUT; k <= v1::FollowUpKind_MAX; ++k) {
      kinds->push_back(static_cast<v1::FollowUpKind>(k));
    }
    return kinds;
  }();
  return *kKinds;
}

const char* KindName(v1::FollowUpKind kind) {
  switch (kind) {
    case v1::FOLLOW_UP_KIND_STOCK_OUT:
      return "stock_out";
    case v1::FOLLOW_UP_KIND_REFUND:
      return "refund";
    case v1::FOLLOW_UP_KIND_EXCHANGE_RESHIP:
      return "exchange_reship";
    case v1::FOLLOW_UP_KIND_COMPLAINT:
      return "complaint";
    case v1::FOLLOW_UP_KIND_LOGISTICS:
      return "logistics";
    case v1::FOLLOW_UP_KIND_INQUIRY:
      return "inquiry";
    case v1::FOLLOW_UP_KIND_PROMISED_PAYMENT:
      return "promised_payment";
    case v1::FOLLOW_UP_KIND_CASHBACK:
      return "cashback";
    case v1::FOLLOW_UP_KIND_CUSTOM:
      return "custom";
    default:
      return "unspecified";
  }
}

const char* ShiftName(v1::FollowUpShift shift) {
  switch (shift) {
    case v1::FOLLOW_UP_SHIFT_DAY:
      return "day";
    case v1::FOLLOW_UP_SHIFT_NIGHT:
      return "night";
    default:
      return "any";
  }
}

Deadlines DefaultDeadlines(v1::FollowUpKind kind, absl::Time from) {
  Deadlines d;
  switch (kind) {
    case v1::FOLLOW_UP_KIND_LOGISTICS:
      d.reply = from + absl::Minutes(5);
      d.solve = from + absl::Hours(48);
      break;
    case v1::FOLLOW_UP_KIND_CASHBACK:
      d.solve = from + kCashbackDeadline;
      break;
    case v1::FOLLOW_UP_KIND_PROMISED_PAYMENT:
    case v1::FOLLOW_UP_KIND_CUSTOM:
      break;
    default:
      d.solve = from + absl::Hours(24);
  }
  return d;
}

absl::Status ValidateDeadline(std::string_view field, int64_t unix_ms, absl::Time now) {
  const absl::Time t = absl::FromUnixMillis(unix_ms);
  if (t <= now) return InvalidField(field, "must be in the future");
  if (t > now + kMostAhead) return InvalidField(field, "must be within 30 days");
  return absl::OkStatus();
}

absl::StatusOr<absl::Duration> ClaimFor(std::string_view field, int32_t minutes) {
  if (minutes == 0) return absl::Minutes(kDefaultClaimMinutes);
  if (minutes < 1 || minutes > kMostClaimMinutes) {
    return InvalidField(field, absl::StrCat("is ", minutes, "; must be 1-", kMostClaimMinutes));
  }
  return absl::Minutes(minutes);
}

absl::StatusOr<NewFollowUp> FromCreateRequest(const v1::CreateFollowUpRequest& r,
                                              const std::string& agent, absl::Time now) {
  const auto kind = r.kind();
  if (!v1::FollowUpKind_IsValid(kind) || kind == v1::FOLLOW_UP_KIND_UNSPECIFIED) {
    return InvalidField("kind", absl::StrCat("is ", kind, "; must be 1-", v1::FollowUpKind_MAX));
  }
  if (kind == v1::FOLLOW_UP_KIND_CASHBACK) {
    return InvalidField("kind", "cashback is registered with RegisterCashback, once per order");
  }
  if (auto s = ValidateOptionalId("order_id", r.order_id()); !s.ok()) return s;
  if (auto s = ValidateOptionalId("buyer_id", r.buyer_id()); !s.ok()) return s;
  const bool needs_order = kind != v1::FOLLOW_UP_KIND_INQUIRY &&
                           kind != v1::FOLLOW_UP_KIND_CUSTOM &&
                           kind != v1::FOLLOW_UP_KIND_COMPLAINT;
  if (needs_order && r.order_id().empty()) {
    return InvalidField("order_id",
                        absl::StrCat("is required for a ", KindName(kind), " follow-up"));
  }
  if (kind == v1::FOLLOW_UP_KIND_INQUIRY && r.order_id().empty() && r.buyer_id().empty()) {
    return InvalidField("buyer_id", "is required for an inquiry without an order");
  }
  if (auto s = ValidateText("note", r.note(), kMostNoteBytes); !s.ok()) return s;
  if (!v1::FollowUpShift_IsValid(r.shift())) {
    return InvalidField("shift", absl::StrCat("is ", r.shift(), "; must be 0-2"));
  }
  if (auto s = ValidateOptionalId("request_id", r.request_id()); !s.ok()) return s;
  NewFollowUp f;
  f.kind = kind;
  f.order_id = r.order_id();
  f.buyer_id = r.buyer_id();
  f.note = r.note();
  f.shift = r.shift();
  f.created_by = agent;
  if (!r.request_id().empty()) f.idempotency_key = absl::StrCat("req:", r.request_id());
  const Deadlines d = DefaultDeadlines(kind, now);
  f.reply_deadline = d.reply;
  f.solve_deadline = d.solve;
  if (r.deadline_unix_ms() != 0) {
    if (auto s = ValidateDeadline("deadline_unix_ms", r.deadline_unix_ms(), now); !s.ok()) {
      return s;
    }
    f.solve_deadline = absl::FromUnixMillis(r.deadline_unix_ms());
    if (f.reply_deadline > f.solve_deadline) f.reply_deadline = f.solve_deadline;
  } else if (f.solve_deadline == absl::InfinitePast()) {
    return InvalidField("deadline_unix_ms",
                        absl::StrCat("is required for a ", KindName(kind), " follow-up"));
  }
  return f;
}

v1::FollowUp FollowUpFromHash(const std::string& id, const redis::Reply& hash, absl::Time now) {
  const redis::HashFields h(hash);
  v1::FollowUp f;
  f.set_id(id);
  const auto kind = h.num("k");
  if (v1::FollowUpKind_IsValid(static_cast<int>(kind))) {
    f.set_kind(static_cast<v1::FollowUpKind>(kind));
  }
  f.set_order_id(h.str("o"));
  f.set_buyer_id(h.str("b"));
  f.set_note(h.str("t"));
  const std::string shift = h.str("sh");
  f.set_shift(shift == "day"     ? v1::FOLLOW_UP_SHIFT_DAY
              : shift == "night" ? v1::FOLLOW_UP_SHIFT_NIGHT
                                 : v1::FOLLOW_UP_SHIFT_ANY);
  f.set_deadline_unix_ms(h.num("dl"));
  f.set_reply_deadline_unix_ms(h.num("rdl"));
  f.set_solve_deadline_unix_ms(h.num("sdl"));
  f.set_replied_unix_ms(h.num("rp"));
  f.set_created_unix_ms(h.num("ct"));
  f.set_created_by(h.str("by"));
  f.set_notes(static_cast<int32_t>(h.num("nn")));
  f.set_last_note(h.str("ln"));
  f.set_cashback_fen(h.num("cf"));
  const int64_t now_ms = absl::ToUnixMillis(now);
  const auto outcome = h.num("out");
  if (outcome != 0 && v1::FollowUpOutcome_IsValid(static_cast<int>(outcome))) {
    f.set_outcome(static_cast<v1::FollowUpOutcome>(outcome));
    f.set_outcome_note(h.str("on"));
    f.set_completed_by(h.str("cby"));
    f.set_completed_unix_ms(h.num("cat"));
    f.set_completed_late(h.str("late") == "1");
  } else {
    f.set_overdue(f.deadline_unix_ms() < now_ms);
    if (h.num("cu") > now_ms) {
      f.set_claimed_by(h.str("a"));
      f.set_claim_until_unix_ms(h.num("cu"));
    }
  }
  return f;
}

}  // namespace orderwatch::followups
