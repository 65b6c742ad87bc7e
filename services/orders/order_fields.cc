#include "services/orders/order_fields.h"

#include <functional>
#include <map>

#include "absl/strings/numbers.h"

namespace orderwatch::orders {

v1::OrderState DeriveState(const v1::Order& o) {
  if (o.refunded_unix_ms() != 0) return v1::ORDER_STATE_REFUNDED;
  if (o.closed_unix_ms() != 0) return v1::ORDER_STATE_CLOSED;
  if (o.shipped_unix_ms() != 0) return v1::ORDER_STATE_SHIPPED;
  if (o.paid_unix_ms() != 0) return v1::ORDER_STATE_PAID;
  if (o.created_unix_ms() != 0) return v1::ORDER_STATE_PENDING_PAYMENT;
  return v1::ORDER_STATE_UNKNOWN;
}

absl::StatusOr<v1::Order> OrderFromHash(const std::string& order_id, const redis::Reply& hash) {
  if (hash.type != redis::Reply::Type::kArray || hash.elements.size() % 2 != 0) {
    return absl::InternalError("order hash: unexpected reply shape");
  }
  v1::Order o;
  o.set_order_id(order_id);
  using Setter = std::function<void(v1::Order&, const std::string&)>;
  auto i64 = [](void (v1::Order::*set)(int64_t)) {
    return Setter([set](v1::Order& o, const std::string& v) {
      int64_t n = 0;
      if (absl::SimpleAtoi(v, &n)) (o.*set)(n);
    });
  };
  auto i32 = [](void (v1::Order::*set)(int32_t)) {
    return Setter([set](v1::Order& o, const std::string& v) {
      int32_t n = 0;
      if (absl::SimpleAtoi(v, &n)) (o.*set)(n);
    });
  };
  static const auto* const kSetters = new std::map<std::string, Setter>{
      {field::kCreated, i64(&v1::Order::set_created_unix_ms)},
      {field::kAmount, i64(&v1::Order::set_amount_fen)},
      {field::kCurrency, [](v1::Order& o, const std::string& v) { o.set_currency(v); }},
      {field::kBuyer, [](v1::Order& o, const std::string& v) { o.set_buyer_id(v); }},
      {field::kPhoneHash,
       [](v1::Order& o, const std::string& v) { o.set_has_buyer_phone(!v.empty()); }},
      {field::kItems, [](v1::Order& o, const std::string& v) { o.set_item_summary(v); }},
      {field::kAutoClose, i64(&v1::Order::set_auto_close_unix_ms)},
      {field::kShipBy, i64(&v1::Order::set_ship_by_unix_ms)},
      {field::kFlashSale, [](v1::Order& o, const std::string& v) { o.set_flash_sale(v == "1"); }},
      {field::kPaid, i64(&v1::Order::set_paid_unix_ms)},
      {field::kClosed, i64(&v1::Order::set_closed_unix_ms)},
      {field::kShipped, i64(&v1::Order::set_shipped_unix_ms)},
      {field::kRefundRequested, i64(&v1::Order::set_refund_requested_unix_ms)},
      {field::kRefunded, i64(&v1::Order::set_refunded_unix_ms)},
      {field::kModified, i64(&v1::Order::set_modified_unix_ms)},
      {field::kModifiedCount, i32(&v1::Order::set_modified_count)},
      {field::kUrged, i64(&v1::Order::set_shipment_urged_unix_ms)},
      {field::kUrgedCount, i32(&v1::Order::set_shipment_urged_count)},
      {field::kStockOut, i64(&v1::Order::set_stock_out_unix_ms)},
      {field::kCashback,
       [](v1::Order& o, const std::string& v) { o.set_cashback_registered(!v.empty()); }},
      {field::kEventsApplied, i32(&v1::Order::set_events_applied)},
  };
  for (size_t i = 0; i + 1 < hash.elements.size(); i += 2) {
    auto it = kSetters->find(hash.elements[i].str);
    if (it != kSetters->end()) it->second(o, hash.elements[i + 1].str);
  }
  if (o.created_unix_ms() != 0 && o.currency().empty()) o.set_currency(kDefaultCurrency);
  o.set_state(DeriveState(o));
  return o;
}

}  // namespace orderwatch::orders
