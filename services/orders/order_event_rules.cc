#include "services/orders/order_event_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/validate.h"
#include "services/orders/order_fields.h"

namespace orderwatch::orders {
namespace {

std::string F(std::string_view path, const char* name) {
  return absl::StrCat(absl::string_view(path.data(), path.size()), name);
}

absl::Status ValidateCreated(const v1::OrderCreated& c, std::string_view path) {
  if (c.amount_fen() < 0 || c.amount_fen() > 100'000'000'00LL) {
    return InvalidField(F(path, "created.amount_fen"), "must be between 0 and 10000000000");
  }
  if (!c.currency().empty()) {
    bool ok = c.currency().size() == 3;
    for (char ch : c.currency()) ok = ok && absl::ascii_isupper(static_cast<unsigned char>(ch));
    if (!ok) return InvalidField(F(path, "created.currency"), "must be 3 upper-case letters");
  }
  if (auto s = ValidateId(F(path, "created.buyer_id"), c.buyer_id()); !s.ok()) return s;
  if (c.buyer_phone_hash().size() > 128) {
    return InvalidField(F(path, "created.buyer_phone_hash"), "is longer than 128 characters");
  }
  for (const char ch : c.buyer_phone_hash()) {  // hex or base64: printable ASCII, no spaces
    if (ch <= 0x20 || ch >= 0x7f) {
      return InvalidField(F(path, "created.buyer_phone_hash"),
                          "must be printable ASCII without spaces (a hex or base64 hash)");
    }
  }
  if (auto s = ValidateText(F(path, "created.item_summary"), c.item_summary(), 256); !s.ok()) {
    return s;
  }
  if (auto s = ValidateOptionalUnixMs(F(path, "created.created_unix_ms"), c.created_unix_ms());
      !s.ok()) {
    return s;
  }
  if (auto s =
          ValidateOptionalUnixMs(F(path, "created.auto_close_unix_ms"), c.auto_close_unix_ms());
      !s.ok()) {
    return s;
  }
  return ValidateOptionalUnixMs(F(path, "created.ship_by_unix_ms"), c.ship_by_unix_ms());
}

}  // namespace

absl::Status ValidateEvent(const v1::OrderEvent& e, std::string_view path) {
  if (auto s = ValidateId(F(path, "event_id"), e.event_id()); !s.ok()) return s;
  if (auto s = ValidateId(F(path, "order_id"), e.order_id()); !s.ok()) return s;
  if (auto s = ValidateUnixMs(F(path, "event_unix_ms"), e.event_unix_ms()); !s.ok()) return s;
  switch (e.kind_case()) {
    case v1::OrderEvent::kCreated:
      return ValidateCreated(e.created(), path);
    case v1::OrderEvent::kClosed:
      return ValidateText(F(path, "closed.reason"), e.closed().reason(), 256);
    case v1::OrderEvent::kShipped:
      if (auto s = ValidateText(F(path, "shipped.carrier"), e.shipped().carrier(), 64); !s.ok()) {
        return s;
      }
      return ValidateText(F(path, "shipped.tracking_no"), e.shipped().tracking_no(), 64);
    case v1::OrderEvent::kRefundRequested:
      return ValidateText(F(path, "refund_requested.reason"), e.refund_requested().reason(), 256);
    case v1::OrderEvent::kRefunded:
      if (e.refunded().amount_fen() < 0) {
        return InvalidField(F(path, "refunded.amount_fen"), "must not be negative");
      }
      return absl::OkStatus();
    case v1::OrderEvent::kModified:
      return ValidateText(F(path, "modified.what"), e.modified().what(), 64);
    case v1::OrderEvent::kStockOut:
      return ValidateText(F(path, "stock_out.items"), e.stock_out().items(), 256);
    case v1::OrderEvent::kPaid:
    case v1::OrderEvent::kShipmentUrged:
      return absl::OkStatus();
    case v1::OrderEvent::KIND_NOT_SET:
      break;
  }
  return InvalidField(F(path, "kind"),
                      "is required: one of created, paid, closed, shipped, refund_requested, "
                      "refunded, modified, shipment_urged, stock_out");
}

EventWrite WriteFor(const v1::OrderEvent& e) {
  EventWrite w;
  w.time = e.event_unix_ms();
  auto first = [&](const char* time_field) {
    w.mode = "first";
    w.time_field = time_field;
  };
  auto last = [&](const char* time_field, const char* count_field) {
    w.mode = "last";
    w.time_field = time_field;
    w.count_field = count_field;
  };
  switch (e.kind_case()) {
    case v1::OrderEvent::kCreated: {
      // The earliest creation wins; a repeated "created" (new id, same order) changes nothing.
      const auto& c = e.created();
      first(field::kCreated);
      if (c.created_unix_ms() != 0) w.time = c.created_unix_ms();
      // Defaults and empty values are left out of the hash (a million unpaid orders each spare
      // the bytes); the winning event still clears what an earlier one wrote.
      auto time = [](int64_t ms) { return ms == 0 ? std::string() : absl::StrCat(ms); };
      w.fields = {{field::kAmount, absl::StrCat(c.amount_fen())},
                  {field::kCurrency, c.currency() == kDefaultCurrency ? "" : c.currency()},
                  {field::kBuyer, c.buyer_id()},
                  {field::kItems, c.item_summary()},
                  {field::kFlashSale, c.flash_sale() ? "1" : ""},
                  {field::kPhoneHash, c.buyer_phone_hash()},
                  {field::kAutoClose, time(c.auto_close_unix_ms())},
                  {field::kShipBy, time(c.ship_by_unix_ms())}};
      break;
    }
    case v1::OrderEvent::kPaid:
      first(field::kPaid);
      break;
    case v1::OrderEvent::kClosed:
      first(field::kClosed);
      if (!e.closed().reason().empty()) w.fields = {{field::kClosedReason, e.closed().reason()}};
      break;
    case v1::OrderEvent::kShipped:
      first(field::kShipped);
      w.fields = {{field::kCarrier, e.shipped().carrier()},
                  {field::kTrackingNo, e.shipped().tracking_no()}};
      break;
    case v1::OrderEvent::kRefundRequested:
      first(field::kRefundRequested);
      if (!e.refund_requested().reason().empty()) {
        w.fields = {{field::kRefundReason, e.refund_requested().reason()}};
      }
      break;
    case v1::OrderEvent::kRefunded:
      first(field::kRefunded);
      w.fields = {{field::kRefundAmount, absl::StrCat(e.refunded().amount_fen())}};
      break;
    case v1::OrderEvent::kModified:
      last(field::kModified, field::kModifiedCount);
      if (!e.modified().what().empty()) w.fields = {{field::kModifiedWhat, e.modified().what()}};
      break;
    case v1::OrderEvent::kShipmentUrged:
      last(field::kUrged, field::kUrgedCount);
      break;
    case v1::OrderEvent::kStockOut:
      first(field::kStockOut);
      if (!e.stock_out().items().empty())
        w.fields = {{field::kStockOutItems, e.stock_out().items()}};
      break;
    case v1::OrderEvent::KIND_NOT_SET:
      break;
  }
  return w;
}

}  // namespace orderwatch::orders
