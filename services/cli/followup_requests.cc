// Requests of the follow-up commands and cashback.
#include "services/cli/followup_requests.h"

#include "services/cli/text.h"
#include "services/cli/values.h"

namespace orderwatch::cli {
namespace {

absl::Status MinutesOption(const Invocation& inv, int32_t* minutes) {
  const std::string* v = inv.Find("minutes");
  if (v == nullptr) return absl::OkStatus();
  absl::StatusOr<int32_t> n = ParsePositiveInt32("minutes", *v);
  if (!n.ok()) return n.status();
  *minutes = *n;
  return absl::OkStatus();
}

// --shift (or `option`) if given; *shift is left alone otherwise.
absl::Status ShiftOption(const Invocation& inv, std::string_view option, v1::FollowUpShift* shift) {
  const std::string* value = inv.Find(option);
  if (value == nullptr) return absl::OkStatus();
  absl::StatusOr<v1::FollowUpShift> s = ParseShift(option, *value);
  if (!s.ok()) return s.status();
  *shift = *s;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::FollowUpKind> ParseFollowUpKind(std::string_view option,
                                                   std::string_view value) {
  for (int k = 1; k <= v1::FollowUpKind_MAX; ++k) {
    const auto kind = static_cast<v1::FollowUpKind>(k);
    if (value == FollowUpKindName(kind)) return kind;
  }
  return absl::InvalidArgumentError(
      Cat(option, ": \"", value,
          "\" is not a kind: stock-out, refund, exchange-reship, complaint, logistics, inquiry, "
          "promised-payment, cashback or custom"));
}

std::string FollowUpKindName(v1::FollowUpKind kind) {
  return ShortEnumName(v1::FollowUpKind_Name(kind), "FOLLOW_UP_KIND_", kind);
}

absl::StatusOr<v1::FollowUpShift> ParseShift(std::string_view option, std::string_view value) {
  if (value == "any") return v1::FOLLOW_UP_SHIFT_ANY;
  if (value == "day") return v1::FOLLOW_UP_SHIFT_DAY;
  if (value == "night") return v1::FOLLOW_UP_SHIFT_NIGHT;
  return absl::InvalidArgumentError(
      Cat("--", option, ": \"", value, "\" is not day, night or any"));
}

absl::StatusOr<v1::CreateFollowUpRequest> BuildCreateFollowUpRequest(const Invocation& inv,
                                                                     absl::Time now) {
  v1::CreateFollowUpRequest r;
  absl::StatusOr<v1::FollowUpKind> kind = ParseFollowUpKind("KIND", inv.args.at(0));
  if (!kind.ok()) return kind.status();
  r.set_kind(*kind);
  if (inv.args.size() > 1) r.set_order_id(inv.args[1]);
  r.set_buyer_id(inv.Text("buyer"));
  r.set_note(inv.Text("note"));
  v1::FollowUpShift shift = v1::FOLLOW_UP_SHIFT_ANY;
  if (absl::Status s = ShiftOption(inv, "shift", &shift); !s.ok()) return s;
  r.set_shift(shift);
  int64_t deadline = 0;
  if (absl::Status s = TimeOption(inv, "deadline", now, &deadline); !s.ok()) return s;
  r.set_deadline_unix_ms(deadline);
  r.set_request_id(inv.Text("request-id"));
  return r;
}

absl::StatusOr<v1::ListFollowUpsRequest> BuildListFollowUpsRequest(const Invocation& inv) {
  v1::ListFollowUpsRequest r;
  if (const std::string* kind = inv.Find("kind")) {
    absl::StatusOr<v1::FollowUpKind> k = ParseFollowUpKind("--kind", *kind);
    if (!k.ok()) return k.status();
    r.set_kind(*k);
  }
  r.set_overdue_only(inv.Has("overdue"));
  if (const std::string* size = inv.Find("page-size")) {
    absl::StatusOr<int32_t> n = ParsePositiveInt32("page-size", *size);
    if (!n.ok()) return n.status();
    r.set_page_size(*n);
  }
  r.set_page_token(inv.Text("page-token"));
  return r;
}

absl::StatusOr<v1::ClaimNextRequest> BuildClaimNextRequest(const Invocation& inv) {
  v1::ClaimNextRequest r;
  v1::FollowUpShift shift = v1::FOLLOW_UP_SHIFT_ANY;
  if (absl::Status s = ShiftOption(inv, "shift", &shift); !s.ok()) return s;
  r.set_shift(shift);
  int32_t minutes = 0;
  if (absl::Status s = MinutesOption(inv, &minutes); !s.ok()) return s;
  r.set_claim_minutes(minutes);
  return r;
}

absl::StatusOr<v1::NoteFollowUpRequest> BuildNoteFollowUpRequest(const Invocation& inv) {
  v1::NoteFollowUpRequest r;
  r.set_id(inv.args.at(0));
  if (!inv.Has("note")) return absl::InvalidArgumentError("--note is required");
  r.set_note(inv.Text("note"));
  return r;
}

absl::StatusOr<v1::CompleteFollowUpRequest> BuildCompleteFollowUpRequest(const Invocation& inv) {
  v1::CompleteFollowUpRequest r;
  r.set_id(inv.args.at(0));
  const std::string* outcome = inv.Find("outcome");
  if (outcome == nullptr) return absl::InvalidArgumentError("--outcome is required");
  bool found = false;
  for (int o = 1; o <= v1::FollowUpOutcome_MAX; ++o) {
    const auto value = static_cast<v1::FollowUpOutcome>(o);
    if (*outcome == ShortEnumName(v1::FollowUpOutcome_Name(value), "FOLLOW_UP_OUTCOME_", o)) {
      r.set_outcome(value);
      found = true;
    }
  }
  if (!found) {
    return absl::InvalidArgumentError(
        Cat("--outcome: \"", *outcome, "\" is not resolved, unreachable, declined or cancelled"));
  }
  r.set_note(inv.Text("note"));
  return r;
}

absl::StatusOr<v1::ReassignFollowUpRequest> BuildReassignFollowUpRequest(const Invocation& inv) {
  v1::ReassignFollowUpRequest r;
  r.set_id(inv.args.at(0));
  const std::string* to = inv.Find("to");
  const std::string* shift = inv.Find("shift");
  if ((to == nullptr) == (shift == nullptr)) {
    return absl::InvalidArgumentError("give one of --to AGENT or --shift SHIFT");
  }
  if (to != nullptr) r.set_to_agent(*to);
  v1::FollowUpShift to_shift = v1::FOLLOW_UP_SHIFT_ANY;
  if (absl::Status s = ShiftOption(inv, "shift", &to_shift); !s.ok()) return s;
  r.set_to_shift(to_shift);
  int32_t minutes = 0;
  if (absl::Status s = MinutesOption(inv, &minutes); !s.ok()) return s;
  r.set_claim_minutes(minutes);
  return r;
}

absl::StatusOr<v1::RegisterCashbackRequest> BuildCashbackRequest(const Invocation& inv,
                                                                 absl::Time now) {
  v1::RegisterCashbackRequest r;
  r.set_order_id(inv.args.at(0));
  const std::string* amount = inv.Find("amount-fen");
  if (amount == nullptr) return absl::InvalidArgumentError("--amount-fen is required");
  absl::StatusOr<int64_t> fen = ParseNonNegativeInt64("amount-fen", *amount);
  if (!fen.ok()) return fen.status();
  r.set_amount_fen(*fen);
  r.set_note(inv.Text("note"));
  int64_t deadline = 0;
  if (absl::Status s = TimeOption(inv, "deadline", now, &deadline); !s.ok()) return s;
  r.set_deadline_unix_ms(deadline);
  return r;
}

}  // namespace orderwatch::cli
