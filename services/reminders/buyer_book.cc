#include "services/reminders/buyer_book.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/reminders/reminder_policy.h"
#include "services/reminders/reminder_records.h"

namespace orderwatch::reminders {
namespace lua {
extern const std::string_view kBuyerNote;
extern const std::string_view kBuyerReserve;
}  // namespace lua

namespace {

// A day's key outlives the day in every time zone, and then some for a late retry.
constexpr absl::Duration kDayRetention = absl::Hours(48);

}  // namespace

BuyerBook::BuyerBook(redis::Client& redis, const redis::KeyScheme& keys, Retention retention)
    : redis_(redis),
      keys_(keys),
      retention_(retention),
      note_("buyer_note", lua::kBuyerNote),
      reserve_("buyer_reserve", lua::kBuyerReserve) {}

Reservation ReservationFor(const Commit& c, const OrderFacts& facts, std::string id,
                           const v1::ReminderPolicy& policy) {
  Reservation r;
  r.shop = c.shop;
  r.order_id = c.order_id;
  r.buyer_id = facts.buyer_id;
  r.phone_hash = facts.buyer_phone_hash;
  r.id = std::move(id);
  r.channel = c.channel;
  r.policy = &policy;
  r.now = c.now;
  r.zone = c.zone;
  return r;
}

std::string BuyerBook::Day(absl::Time t, absl::TimeZone zone) {
  return absl::FormatTime("%Y%m%d", t, zone);
}

int BuyerBook::DailyCap(const v1::ReminderPolicy& policy, v1::Channel channel) {
  switch (channel) {
    case v1::CHANNEL_SMS:
      return policy.sms_per_phone_per_day();
    case v1::CHANNEL_PHONE:
      return policy.phone_per_buyer_per_day();
    default:
      return policy.im_per_buyer_per_day();
  }
}

std::optional<redis::Command> BuyerBook::NoteCommand(const std::string& shop,
                                                     const std::string& order_id,
                                                     const redis::Reply& order_hash,
                                                     absl::TimeZone zone) const {
  const OrderFacts facts = FactsFromHash(order_hash);
  if (facts.buyer_id.empty()) return std::nullopt;
  const bool paid = facts.paid != absl::InfinitePast();
  const bool settled =
      paid || facts.closed != absl::InfinitePast() || facts.refunded != absl::InfinitePast();
  if (!settled && facts.created == absl::InfinitePast()) return std::nullopt;  // nothing known yet
  const std::string state = paid ? "paid" : settled ? "settled" : "open";
  return redis::Command::Eval(
      note_,
      {keys_.BuyerOpenOrders(shop, facts.buyer_id),
       keys_.BuyerDay(shop, facts.buyer_id, Day(paid ? facts.paid : facts.created, zone))},
      {order_id, state, facts.buyer_id, redis::MsArg(absl::Now()), redis::MsArg(retention_.order),
       redis::MsArg(kDayRetention)});
}

void BuyerBook::Reserve(const Reservation& r, absl::Time deadline, Done<BuyerVerdict> done) {
  const std::string day = Day(r.now, r.zone);
  std::string counter = absl::StrCat("c:", ChannelName(r.channel));
  if (r.channel == v1::CHANNEL_SMS && !r.phone_hash.empty())
    absl::StrAppend(&counter, ":", r.phone_hash);
  const int cap = r.enforce_caps ? DailyCap(*r.policy, r.channel) : 0;
  const bool skip_paid = r.enforce_caps && r.policy->skip_buyers_paid_today();
  redis_.Run(
      redis::Command::Eval(
          reserve_,
          {keys_.BuyerDay(r.shop, r.buyer_id, day), keys_.BuyerOpenOrders(r.shop, r.buyer_id)},
          {r.id, r.order_id, counter, absl::StrCat(cap), skip_paid ? "1" : "0",
           r.skip_if_merged ? "1" : "0", redis::MsArg(kDayRetention),
           absl::StrCat(kMostMergedOrders), r.buyer_id, redis::MsArg(absl::Now()),
           redis::MsArg(retention_.order)}),
      deadline,
      [channel = r.channel, done = std::move(done)](absl::StatusOr<redis::Reply> reply) mutable {
        if (!reply.ok()) return done(reply.status());
        if (reply->elements.size() != 2) {
          return done(absl::InternalError("buyer_reserve: unexpected reply"));
        }
        BuyerVerdict v;
        v.verdict = reply->elements[0].str;
        if (v.verdict == "buyer_cap") absl::StrAppend(&v.verdict, ":", ChannelName(channel));
        if (!reply->elements[1].str.empty()) {
          v.merged_order_ids = absl::StrSplit(reply->elements[1].str, ',');
        }
        done(std::move(v));
      });
}

}  // namespace orderwatch::reminders
