// The rules of follow-ups that need neither Redis nor gRPC: the kinds and their default
// deadlines (from the handbooks: stock-out, refund, exchange and complaint within 24 h; a
// logistics problem answered within 5 minutes and solved within 48 h), the checks of a request,
// what a new follow-up holds, and how a stored one reads back.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "orderwatch/v1/followups.pb.h"
#include "services/redis/reply.h"

namespace orderwatch::followups {

inline constexpr size_t kMostNoteBytes = 512;
inline constexpr int kDefaultClaimMinutes = 30;
inline constexpr int kMostClaimMinutes = 1440;
inline constexpr absl::Duration kMostAhead = absl::Hours(24 * 30);
inline constexpr absl::Duration kCashbackDeadline = absl::Hours(48);
// How long a request id or an order event's key keeps answering with the follow-up it made.
inline constexpr absl::Duration kIdempotencyWindow = absl::Hours(24);

// Every kind, in enum order (for metrics and summaries).
const std::vector<v1::FollowUpKind>& AllKinds();
// "stock_out", "refund", "exchange_reship", "complaint", "logistics", "inquiry",
// "promised_payment", "cashback", "custom" (metric labels and the CLI).
const char* KindName(v1::FollowUpKind kind);
// "any", "day", "night" (as stored, and in the CLI).
const char* ShiftName(v1::FollowUpShift shift);

// A new follow-up as the store writes it.
struct NewFollowUp {
  v1::FollowUpKind kind = v1::FOLLOW_UP_KIND_UNSPECIFIED;
  std::string order_id, buyer_id, note;
  v1::FollowUpShift shift = v1::FOLLOW_UP_SHIFT_ANY;
  absl::Time reply_deadline = absl::InfinitePast();  // logistics only
  absl::Time solve_deadline = absl::InfinitePast();
  std::string created_by;
  int64_t cashback_fen = 0;
  std::string idempotency_key;  // empty: none
  // The order's open follow-up of the kind, if any, takes this one's deadline (a new promise).
  bool moves_open_deadline = false;
};

// The kind's deadlines counted from `from`: reply (logistics only) and solve. Promised-payment,
// cashback and custom follow-ups take theirs from what opened them.
struct Deadlines {
  absl::Time reply = absl::InfinitePast();
  absl::Time solve = absl::InfinitePast();
};
Deadlines DefaultDeadlines(v1::FollowUpKind kind, absl::Time from);

// Checks an agent's Create (INVALID_ARGUMENT naming the field) and builds the follow-up.
absl::StatusOr<NewFollowUp> FromCreateRequest(const v1::CreateFollowUpRequest& request,
                                              const std::string& agent, absl::Time now);
// A given deadline: after now and within kMostAhead.
absl::Status ValidateDeadline(std::string_view field, int64_t unix_ms, absl::Time now);
// claim_minutes of a request: 0 = the default, else 1-kMostClaimMinutes.
absl::StatusOr<absl::Duration> ClaimFor(std::string_view field, int32_t minutes);

// A stored follow-up (HGETALL of its record) as of `now`: a claim that ran out reads as none,
// an open follow-up past its deadline as overdue.
v1::FollowUp FollowUpFromHash(const std::string& id, const redis::Reply& hash, absl::Time now);

}  // namespace orderwatch::followups
