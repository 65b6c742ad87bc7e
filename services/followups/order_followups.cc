#include "services/followups/order_followups.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/orders/order_fields.h"

namespace orderwatch::followups {

std::string CashbackRegistration(const Cashback& c) {
  return absl::StrCat(absl::ToUnixMillis(c.at), "|", c.agent, "|", c.fen, "|",
                      absl::ToUnixMillis(c.deadline), "|", c.request_id, "|", c.note);
}

std::optional<Cashback> ParseCashbackRegistration(const std::string& value) {
  std::vector<std::string> parts = absl::StrSplit(value, absl::MaxSplits('|', 5));
  int64_t at = 0, fen = 0, deadline = 0;
  if (parts.size() != 6 || !absl::SimpleAtoi(parts[0], &at) || !absl::SimpleAtoi(parts[2], &fen) ||
      !absl::SimpleAtoi(parts[3], &deadline)) {
    return std::nullopt;
  }
  Cashback c;
  c.at = absl::FromUnixMillis(at);
  c.agent = parts[1];
  c.fen = fen;
  c.deadline = absl::FromUnixMillis(deadline);
  c.request_id = parts[4];
  c.note = parts[5];
  return c;
}

namespace {

// A follow-up an order event opens, due a kind's time after the event: what the order must not
// have reached since, and the detail its note carries.
struct EventFollowUp {
  const char* what;
  v1::FollowUpKind kind;
  const char* time_field;  // when the event happened
  const char* label;
  const char* detail_field;
  std::vector<const char*> settled_by;
};

const std::vector<EventFollowUp>& EventFollowUps() {
  namespace field = orders::field;
  static const auto* const kAll = new std::vector<EventFollowUp>{
      {"rfq",
       v1::FOLLOW_UP_KIND_REFUND,
       field::kRefundRequested,
       "退款申请 refund requested",
       field::kRefundReason,
       {field::kRefunded}},
      {"sto",
       v1::FOLLOW_UP_KIND_STOCK_OUT,
       field::kStockOut,
       "缺货 stock-out",
       field::kStockOutItems,
       {field::kShipped, field::kClosed, field::kRefunded}},
  };
  return *kAll;
}

}  // namespace

std::optional<NewFollowUp> FollowUpForOrder(std::string_view what, const std::string& order,
                                            const redis::Reply& hash) {
  namespace field = orders::field;
  const redis::HashFields o(hash);
  auto has_any = [&](const std::vector<const char*>& fields) {
    for (const char* f : fields) {
      if (o.has(f)) return true;
    }
    return false;
  };
  NewFollowUp f;
  f.order_id = order;
  f.buyer_id = o.str(field::kBuyer);
  f.created_by = "order-event";
  for (const EventFollowUp& e : EventFollowUps()) {
    if (what != e.what) continue;
    if (!o.has(e.time_field) || has_any(e.settled_by)) return std::nullopt;
    const int64_t at = o.num(e.time_field);
    f.kind = e.kind;
    f.note = o.has(e.detail_field) ? absl::StrCat(e.label, ": ", o.str(e.detail_field)) : e.label;
    f.solve_deadline = DefaultDeadlines(f.kind, absl::FromUnixMillis(at)).solve;
    f.idempotency_key = absl::StrCat(e.what, ":", order, ":", at);
    return f;
  }
  if (what == "pp") {
    if (!o.has(field::kPromisedPay) || has_any({field::kPaid, field::kClosed, field::kRefunded})) {
      return std::nullopt;
    }
    f.kind = v1::FOLLOW_UP_KIND_PROMISED_PAYMENT;
    f.created_by = "reminder-answer";
    f.note = "买家承诺付款 the buyer promised to pay";
    f.solve_deadline = absl::FromUnixMillis(o.num(field::kPromisedPay));
    f.idempotency_key = absl::StrCat("pp:", order, ":", o.num(field::kPromisedPay));
    f.moves_open_deadline = true;
    return f;
  }
  if (what == "cb") {
    // A refund voids the cashback, even one whose follow-up was never opened.
    if (!o.has(field::kCashback) || o.has(field::kRefunded)) return std::nullopt;
    auto r = ParseCashbackRegistration(o.str(field::kCashback));
    if (!r) return std::nullopt;
    f.kind = v1::FOLLOW_UP_KIND_CASHBACK;
    f.created_by = r->agent;
    f.cashback_fen = r->fen;
    f.note = r->note.empty() ? "返现 cashback" : r->note;
    f.solve_deadline = r->deadline;
    f.idempotency_key = absl::StrCat("cb:", order);
    return f;
  }
  return std::nullopt;
}

}  // namespace orderwatch::followups
