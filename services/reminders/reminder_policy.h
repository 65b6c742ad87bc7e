// The rules of payment reminders (催付) that need neither Redis nor gRPC: a shop's policy and its
// checks, when an unpaid order's next automatic reminder is due, whether the sending window lets it
// go out, and why an order is not reminded at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "orderwatch/v1/reminders.pb.h"

namespace orderwatch::reminders {

// Limits of a policy (the ranges documented in reminders.proto).
inline constexpr int kMinAfterOrderMinutes = 10;
inline constexpr int kMaxAfterOrderMinutes = 2880;
inline constexpr int kMinPreCloseMinutes = 30;
inline constexpr int kMaxPreCloseMinutes = 1440;
// Flash-sale orders close 30 minutes after creation: a reminder later than 25 minutes would leave
// the buyer no time to pay.
inline constexpr int kMaxFlashSaleMinutes = 25;
inline constexpr int kMaxPerOrder = 5;
inline constexpr int kMaxDeferMinutes = 2880;
inline constexpr int kMaxPerBuyerPerDay = 10;  // daily cap of one buyer on any channel
inline constexpr int kMaxHoldoutPercent = 50;
inline constexpr int kMaxBlacklist = 1000;
inline constexpr int kMaxSkipKeywords = 50;
inline constexpr size_t kMaxKeywordBytes = 64;
inline constexpr int64_t kMaxAmountFen = 10'000'000'000LL;  // as for a recorded order's amount

// The policy of a shop that never set one.
v1::ReminderPolicy DefaultPolicy();

// OK, or INVALID_ARGUMENT naming the first bad field prefixed with `path` (e.g.
// "policy.window_start: ..."). `version` is output only and not checked.
absl::Status ValidatePolicy(const v1::ReminderPolicy& p, std::string_view path = "policy.");
// A peak window alone (the all-shops one): fields named "<path>peak.<field>".
absl::Status ValidatePeak(const v1::PeakMode& peak, std::string_view path = "");

// "HH:MM" (exactly two digits each, 00:00-23:59) as minutes after midnight, or nullopt.
std::optional<int> ParseHourMinute(std::string_view hhmm);

// What reminder planning needs to know of an order. Every absl::Time is absl::InfinitePast() when
// the event is unknown or did not happen (the store's "0 = not given" maps to InfinitePast, see
// TimeFromUnixMs); any other value means it happened, or for auto_close and promised_pay is set.
struct OrderFacts {
  absl::Time created = absl::InfinitePast();
  absl::Time auto_close = absl::InfinitePast();  // when the platform closes it if still unpaid
  // When it was paid. A caller that saw only a later event (shipped) puts that event's time here:
  // shipping implies payment.
  absl::Time paid = absl::InfinitePast();
  absl::Time closed = absl::InfinitePast();
  absl::Time refunded = absl::InfinitePast();
  absl::Time promised_pay = absl::InfinitePast();  // when the buyer said they would pay
  int64_t amount_fen = 0;
  bool flash_sale = false;
  std::string buyer_id;
  std::string buyer_phone_hash;
  // Reminders of any kind (automatic or manual) already sent for this order.
  int reminders_sent = 0;
  v1::Flag flag = v1::FLAG_NONE;
  std::string remark;  // the order's memo text
};

// 0 (the proto's "not given") → InfinitePast, else the instant.
absl::Time TimeFromUnixMs(int64_t unix_ms);

struct PlannedReminder {
  v1::ReminderKind kind = v1::REMINDER_KIND_UNSPECIFIED;
  absl::Time due = absl::InfinitePast();
  // The reminder's base time fell inside the policy's peak period: use the peak template.
  bool peak = false;
};

// Every automatic reminder the policy plans for the order, in time order, ignoring what was sent,
// the order's payment state, the cap and `enabled`. The slots:
// - after-order: created + after_order_minutes (peak minutes when created is inside the peak);
//   for flash-sale orders instead flash_sale_minutes after creation, kind FLASH_SALE (none when
//   flash_sale_minutes is 0: a flash-sale order never gets the ordinary after-order timing);
// - pre-close: auto_close - pre_close_minutes (peak minutes when auto_close is inside the peak),
//   only when auto_close is known and the result is strictly after the after-order slot (or, with
//   no after-order slot, after creation);
// - promised-time: at promised_pay, when the policy reminds at promised times, strictly after
//   creation; a slot at the same instant as an earlier-planned one is dropped (one message).
// No slot is planned for an order whose creation is unknown, nor at or after auto_close (the
// order is closed by then). `peak` is set when the slot's base time (creation for after-order and
// flash-sale, auto_close for pre-close, the promised time) is inside [peak.start, peak.end).
std::vector<PlannedReminder> PlanReminders(const v1::ReminderPolicy& policy,
                                           const OrderFacts& order);

// The next automatic reminder still to send: slot number reminders_sent (0-based) of
// PlanReminders, so each slot is used at most once and a manual reminder uses up the earliest
// unsent slot. nullopt when the policy is disabled, max_per_order reminders were sent, the order
// was paid, closed or refunded, auto_close has passed at `now`, or no slot is left. A slot whose
// due time is already past is still returned with its due time unchanged: ApplyWindow decides.
std::optional<PlannedReminder> NextReminder(const v1::ReminderPolicy& policy,
                                            const OrderFacts& order, absl::Time now);

struct WindowDecision {
  enum class Action { kSendNow, kDefer, kDrop };
  Action action = Action::kDrop;
  // kSendNow: when it goes out, max(due, now). kDefer: the window's next opening.
  // kDrop: max(due, now), when it was dropped.
  absl::Time at = absl::InfinitePast();
  std::string reason;  // "" for kSendNow
};

// Whether a reminder due at `due` may go out, judged at max(due, now) in the policy's time zone.
// The window is [window_start, window_end) on each day, over midnight when start > end. Outside it:
// - OUTSIDE_WINDOW_DROP: kDrop, reason "outside sending window";
// - OUTSIDE_WINDOW_DEFER: kDefer to the window's next opening, reason "outside sending window",
//   unless that opening is more than max_defer_minutes after `due`: kDrop, reason
//   "deferred past max_defer_minutes".
// Inside the window a reminder goes out however late it is: max_defer_minutes limits deferral
// only, so a deferred reminder fired at (or a little after) its opening is not then dropped.
// A policy whose window or time zone does not parse drops with reason "invalid policy": never
// message buyers at an unknown hour.
WindowDecision ApplyWindow(const v1::ReminderPolicy& policy, absl::Time due, absl::Time now);

// "" when the order may be reminded, else the first applying reason, checked in this order:
//   "paid", "closed", "refunded"  the order is past payment (its time is known)
//   "max_per_order"               reminders_sent reached the policy's cap
//   "amount_below_min"            amount_fen < min_amount_fen (when that is set)
//   "amount_above_max"            amount_fen > max_amount_fen (when that is set)
//   "blacklisted"                 buyer_id is on the blacklist
//   "flag:<colour>"               the order's flag is a skip flag; colour red, yellow, green,
//                                 blue or purple
//   "keyword"                     the remark contains a skip keyword (exact bytes, case-sensitive)
//   "holdout"                     HoldoutBucket(shop, order_id) < holdout_percent
// The policy's `enabled` is not a skip reason: an agent's Trigger works either way. The rules over
// all of a buyer's orders (daily caps, one message, paid today) are BuyerBook's.
std::string SkipReason(const v1::ReminderPolicy& policy, const OrderFacts& order,
                       std::string_view shop, std::string_view order_id);

// 0-99: the order's holdout bucket, FNV-1a (64 bit) of shop + '\0' + order_id, mod 100. Stable
// across processes, builds and machines, so an order stays in or out of the holdout group.
int HoldoutBucket(std::string_view shop, std::string_view order_id);

}  // namespace orderwatch::reminders
