// What an order's events open as follow-ups. A job "<shop>:<order>:<what>" on the follow-up
// queue is queued atomically with what caused it; the worker reads the order and opens:
//   rfq  a refund was requested      -> refund, 24 h from the request
//   sto  the order was out of stock  -> stock-out, 24 h from the mark
//   pp   the buyer promised to pay   -> promised-payment, due at the promised time
//   cb   a cashback was registered   -> cashback, due at the registration's deadline
// Each carries a key made of the event, so a job run twice opens one follow-up.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "services/followups/followup_rules.h"
#include "services/redis/reply.h"

namespace orderwatch::followups {

// The follow-up `what` opens for an order (its HGETALL); nullopt when there is nothing to open
// any more (a refund already done, a promise on an order since paid) or `what` is unknown.
std::optional<NewFollowUp> FollowUpForOrder(std::string_view what, const std::string& order,
                                            const redis::Reply& hash);

// An order's cashback registration, kept on the order as
// "<ms>|<agent>|<fen>|<deadline ms>|<request id>|<note>".
struct Cashback {
  absl::Time at;
  std::string agent;
  int64_t fen = 0;
  absl::Time deadline;
  std::string request_id;  // the registering call's, for its retries
  std::string note;
};
std::string CashbackRegistration(const Cashback& c);
std::optional<Cashback> ParseCashbackRegistration(const std::string& value);

}  // namespace orderwatch::followups
