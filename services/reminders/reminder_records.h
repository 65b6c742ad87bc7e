// How reminders are held in Redis: the order facts planning reads from the order's hash, the
// reminder records ("kind|channel|agent|due|time|outcome|reason|text" joined by \x1f), job ids,
// and the system remark line a sent reminder leaves on the order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "orderwatch/v1/reminders.pb.h"
#include "services/dispatch/delivery_sink.h"
#include "services/orders/order_fields.h"
#include "services/redis/reply.h"
#include "services/reminders/reminder_policy.h"
#include "services/scheduler/order_job.h"

namespace orderwatch::reminders {

// Order hash fields the reminders add (beside those of services/orders/order_fields.h).
namespace field {
inline constexpr char kRecorded[] = "ru";     // reminder records (sent or skipped) so far
inline constexpr char kSent[] = "rn";         // reminders sent so far
inline constexpr char kLastSent[] = "rl";     // when the last one was sent (ms)
using orders::field::kPromisedPay;
}  // namespace field

// From an order's HGETALL. Shipping implies payment; reminders_sent counts records (sent and
// skipped), so each automatic slot is used once; a purple flag set by a reminder's own system
// remark counts as no flag.
OrderFacts FactsFromHash(const redis::Reply& hash);
// The buyer of the order, from the same hash.
std::string BuyerOf(const redis::Reply& hash);

// What leaves through the sinks for a reminder: its idempotency key, its channel, and one JSON
// object with the shop, order, kind, buyer, text and merged orders.
dispatch::Delivery ReminderDelivery(const std::string& shop, const std::string& buyer_id,
                                    const std::string& buyer_phone_hash,
                                    const v1::Reminder& reminder);

// "<shop>:<order>:<number>": the delivery of reminder n (reminder jobs are OrderJobId's).
std::string DeliveryJobId(std::string_view shop, std::string_view order, int number);
struct DeliveryJob {
  std::string shop, order;
  int number = 0;
};
absl::StatusOr<DeliveryJob> ParseDeliveryJobId(std::string_view id);

// Every reminder kind and channel there is (metrics children, templates).
inline constexpr v1::ReminderKind kReminderKinds[] = {
    v1::REMINDER_KIND_AFTER_ORDER, v1::REMINDER_KIND_PRE_CLOSE, v1::REMINDER_KIND_FLASH_SALE,
    v1::REMINDER_KIND_PROMISED_TIME, v1::REMINDER_KIND_MANUAL};
inline constexpr v1::Channel kChannels[] = {v1::CHANNEL_IM, v1::CHANNEL_SMS, v1::CHANNEL_PHONE};

const char* ChannelName(v1::Channel channel);  // "im", "sms", "phone"
const char* KindName(v1::ReminderKind kind);   // "after_order", "pre_close", ...

// A record as reminder_commit.lua stores it, parsed back.
absl::StatusOr<v1::Reminder> ParseRecord(std::string_view shop, std::string_view order_id,
                                         int number, const std::string& value);
// A buyer's answer as reminder_answer.lua stores it (field "a:<n>" of the records hash):
// reason, note, promised time, agent and time joined by \x1f.
std::string AnswerValue(const v1::BuyerAnswer& answer);
absl::StatusOr<v1::BuyerAnswer> ParseAnswer(const std::string& value);
// Every reminder of an order's records hash (HGETALL) with its answer, newest first.
absl::StatusOr<std::vector<v1::Reminder>> RemindersFromHash(std::string_view shop,
                                                            std::string_view order_id,
                                                            const redis::Reply& hash);

// The line a sent reminder appends to the order's remark: "催付 <channel> by <agent|auto>
// <YYYY-MM-DD HH:MM>" in the shop's zone.
std::string RemarkLine(v1::Channel channel, std::string_view agent, absl::Time at,
                       absl::TimeZone zone);

}  // namespace orderwatch::reminders
