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

// The order's cashback registration as kept on the order ("<ms>|<agent>|<fen>|<deadline
// ms>|<note>").
std::string CashbackRegistration(absl::Time at, const std::string& agent, int64_t fen,
                                 absl::Time deadline, const std::string& note);

}  // namespace orderwatch::followups
