// How an order is held in its Redis hash: short field names, and the state derived from them.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "orderwatch/v1/order_events.pb.h"
#include "services/redis/reply.h"

namespace orderwatch::orders {

namespace field {
inline constexpr char kCreated[] = "ct";
inline constexpr char kAmount[] = "amt";
inline constexpr char kCurrency[] = "cur";
inline constexpr char kBuyer[] = "buy";
inline constexpr char kPhoneHash[] = "ph";
inline constexpr char kItems[] = "itm";
inline constexpr char kAutoClose[] = "ac";
inline constexpr char kShipBy[] = "sb";
inline constexpr char kFlashSale[] = "fs";
inline constexpr char kPaid[] = "paid";
inline constexpr char kClosed[] = "cls";
inline constexpr char kClosedReason[] = "clr";
inline constexpr char kShipped[] = "shp";
inline constexpr char kCarrier[] = "car";
inline constexpr char kTrackingNo[] = "trk";
inline constexpr char kRefundRequested[] = "rrq";
inline constexpr char kRefundReason[] = "rrr";
inline constexpr char kRefunded[] = "rfd";
inline constexpr char kRefundAmount[] = "rfa";
inline constexpr char kModified[] = "mod";
inline constexpr char kModifiedCount[] = "modn";
inline constexpr char kModifiedWhat[] = "modw";
inline constexpr char kUrged[] = "urg";
inline constexpr char kUrgedCount[] = "urgn";
// When the buyer promised to pay (ms), recorded with their answer to a reminder.
inline constexpr char kPromisedPay[] = "pp";
inline constexpr char kStockOut[] = "so";
inline constexpr char kStockOutItems[] = "soi";
// The order's cashback registration once made (never cleared; see followups/order_followups.h).
inline constexpr char kCashback[] = "cb";
inline constexpr char kEventsApplied[] = "n";
}  // namespace field

// The currency of an order whose hash names none.
inline constexpr char kDefaultCurrency[] = "CNY";

// Refunded > closed > shipped > paid > created: the strongest fact seen decides.
v1::OrderState DeriveState(const v1::Order& order);

// Builds an Order from a flat HGETALL reply (field, value, field, value ...).
absl::StatusOr<v1::Order> OrderFromHash(const std::string& order_id, const redis::Reply& hash);

}  // namespace orderwatch::orders
