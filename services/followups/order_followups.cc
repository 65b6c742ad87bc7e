#include "services/followups/order_followups.h"

#include <map>
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

std::optional<NewFollowUp> FollowUpForOrder(std::string_view what, const std::string& order,
                                            const redis::Reply& hash) {
  namespace field = orders::field;
  std::map<std::string, std::string> o;
  for (size_t i = 0; i + 1 < hash.elements.size(); i += 2) {
    o[hash.elements[i].str] = hash.elements[i + 1].str;
  }
  auto has = [&](const char* f) { return o.count(f) > 0; };
  auto ms = [&](const char* f) {
    int64_t n = 0;
    auto it = o.find(f);
    if (it != o.end()) (void)absl::SimpleAtoi(it->second, &n);
    return n;
  };
  NewFollowUp f;
  f.order_id = order;
  f.buyer_id = has(field::kBuyer) ? o[field::kBuyer] : "";
  f.created_by = "order-event";
  if (what == "rfq") {
    if (has(field::kRefunded) || !has(field::kRefundRequested)) return std::nullopt;
    f.kind = v1::FOLLOW_UP_KIND_REFUND;
    f.note = absl::StrCat("退款申请 refund requested",
                          has(field::kRefundReason) ? ": " + o[field::kRefundReason] : "");
    f.solve_deadline =
        DefaultDeadlines(f.kind, absl::FromUnixMillis(ms(field::kRefundRequested))).solve;
    f.idempotency_key = absl::StrCat("rfq:", order, ":", ms(field::kRefundRequested));
  } else if (what == "sto") {
    if (!has(field::kStockOut) || has(field::kShipped) || has(field::kClosed) ||
        has(field::kRefunded)) {
      return std::nullopt;
    }
    f.kind = v1::FOLLOW_UP_KIND_STOCK_OUT;
    f.note = absl::StrCat("缺货 stock-out",
                          has(field::kStockOutItems) ? ": " + o[field::kStockOutItems] : "");
    f.solve_deadline = DefaultDeadlines(f.kind, absl::FromUnixMillis(ms(field::kStockOut))).solve;
    f.idempotency_key = absl::StrCat("sto:", order, ":", ms(field::kStockOut));
  } else if (what == "pp") {
    if (!has(field::kPromisedPay) || has(field::kPaid) || has(field::kClosed) ||
        has(field::kRefunded)) {
      return std::nullopt;
    }
    f.kind = v1::FOLLOW_UP_KIND_PROMISED_PAYMENT;
    f.created_by = "reminder-answer";
    f.note = "买家承诺付款 the buyer promised to pay";
    f.solve_deadline = absl::FromUnixMillis(ms(field::kPromisedPay));
    f.idempotency_key = absl::StrCat("pp:", order, ":", ms(field::kPromisedPay));
    f.moves_open_deadline = true;
  } else if (what == "cb") {
    // A refund voids the cashback, even one whose follow-up was never opened.
    if (!has(field::kCashback) || has(field::kRefunded)) return std::nullopt;
    auto r = ParseCashbackRegistration(o[field::kCashback]);
    if (!r) return std::nullopt;
    f.kind = v1::FOLLOW_UP_KIND_CASHBACK;
    f.created_by = r->agent;
    f.cashback_fen = r->fen;
    f.note = r->note.empty() ? "返现 cashback" : r->note;
    f.solve_deadline = r->deadline;
    f.idempotency_key = absl::StrCat("cb:", order);
  } else {
    return std::nullopt;
  }
  return f;
}

}  // namespace orderwatch::followups
