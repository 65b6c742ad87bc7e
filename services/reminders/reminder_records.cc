#include "services/reminders/reminder_records.h"

#include <algorithm>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/json_text.h"
#include "services/orders/order_fields.h"

namespace orderwatch::reminders {
namespace {

int64_t Int(const std::string& s) {
  int64_t v = 0;
  return absl::SimpleAtoi(s, &v) ? v : 0;
}

}  // namespace

OrderFacts FactsFromHash(const redis::Reply& hash) {
  namespace of = orders::field;
  OrderFacts f;
  absl::Time shipped = absl::InfinitePast();
  bool by_reminder = false;  // the remark's last change was a reminder's system remark
  for (size_t i = 0; i + 1 < hash.elements.size(); i += 2) {
    const std::string& k = hash.elements[i].str;
    const std::string& v = hash.elements[i + 1].str;
    if (k == of::kCreated)
      f.created = TimeFromUnixMs(Int(v));
    else if (k == of::kAutoClose)
      f.auto_close = TimeFromUnixMs(Int(v));
    else if (k == of::kPaid)
      f.paid = TimeFromUnixMs(Int(v));
    else if (k == of::kClosed)
      f.closed = TimeFromUnixMs(Int(v));
    else if (k == of::kRefunded)
      f.refunded = TimeFromUnixMs(Int(v));
    else if (k == of::kShipped)
      shipped = TimeFromUnixMs(Int(v));
    else if (k == of::kAmount)
      f.amount_fen = Int(v);
    else if (k == of::kFlashSale)
      f.flash_sale = v == "1";
    else if (k == of::kBuyer)
      f.buyer_id = v;
    else if (k == of::kPhoneHash)
      f.buyer_phone_hash = v;
    else if (k == field::kPromisedPay)
      f.promised_pay = TimeFromUnixMs(Int(v));
    else if (k == field::kRecorded)
      f.reminders_sent = static_cast<int>(Int(v));
    else if (k == "f")
      f.flag = v1::Flag_IsValid(static_cast<int>(Int(v))) ? static_cast<v1::Flag>(Int(v))
                                                          : v1::FLAG_NONE;
    else if (k == "us")
      by_reminder = Int(v) == v1::SOURCE_REMINDER;
    else if (k == "t")
      f.remark = v;
  }
  if (f.paid == absl::InfinitePast()) f.paid = shipped;
  // The purple a reminder put there is no human's flag: it must not make the order skip its
  // own later reminders.
  if (by_reminder && f.flag == v1::FLAG_PURPLE) f.flag = v1::FLAG_NONE;
  return f;
}

std::string BuyerOf(const redis::Reply& hash) {
  for (size_t i = 0; i + 1 < hash.elements.size(); i += 2) {
    if (hash.elements[i].str == orders::field::kBuyer) return hash.elements[i + 1].str;
  }
  return "";
}

namespace {

std::string MergedIds(const v1::Reminder& r) {
  std::string out;
  for (const auto& id : r.merged_order_ids()) {
    if (!out.empty()) out += ',';
    out += JsonQuote(id);
  }
  return out;
}

}  // namespace

dispatch::Delivery ReminderDelivery(const std::string& shop, const std::string& buyer_id,
                                    const std::string& buyer_phone_hash, const v1::Reminder& r) {
  dispatch::Delivery d;
  d.idempotency_key = r.idempotency_key();
  d.channel = std::string(ChannelName(r.channel()));
  d.json = absl::StrCat(
      "{\"idempotency_key\":", JsonQuote(r.idempotency_key()), ",\"shop\":", JsonQuote(shop),
      ",\"order_id\":", JsonQuote(r.order_id()), ",\"number\":", r.number(),
      ",\"kind\":", JsonQuote(KindName(r.kind())), ",\"channel\":", JsonQuote(d.channel),
      ",\"agent\":", JsonQuote(r.agent_id()), ",\"buyer_id\":", JsonQuote(buyer_id),
      ",\"buyer_phone_hash\":", JsonQuote(buyer_phone_hash),
      ",\"due_unix_ms\":", r.due_unix_ms(), ",\"sent_unix_ms\":", r.sent_unix_ms(),
      ",\"text\":", JsonQuote(r.text()), ",\"merged_order_ids\":[", MergedIds(r), "]}");
  return d;
}

std::string DeliveryJobId(std::string_view shop, std::string_view order, int number) {
  return absl::StrCat(scheduler::OrderJobId(shop, order), ":", number);
}

absl::StatusOr<DeliveryJob> ParseDeliveryJobId(std::string_view id) {
  const size_t last = id.rfind(':');
  DeliveryJob job;
  if (last == std::string_view::npos ||
      !absl::SimpleAtoi(absl::string_view(id.data() + last + 1, id.size() - last - 1),
                        &job.number)) {
    return absl::InternalError(absl::StrCat("bad delivery job id: ", std::string(id)));
  }
  auto ids = scheduler::ParseOrderJobId(id.substr(0, last));
  if (!ids.ok()) return ids.status();
  job.shop = std::move(ids->first);
  job.order = std::move(ids->second);
  return job;
}

const char* ChannelName(v1::Channel channel) {
  switch (channel) {
    case v1::CHANNEL_SMS:
      return "sms";
    case v1::CHANNEL_PHONE:
      return "phone";
    default:
      return "im";
  }
}

const char* KindName(v1::ReminderKind kind) {
  switch (kind) {
    case v1::REMINDER_KIND_AFTER_ORDER:
      return "after_order";
    case v1::REMINDER_KIND_PRE_CLOSE:
      return "pre_close";
    case v1::REMINDER_KIND_FLASH_SALE:
      return "flash_sale";
    case v1::REMINDER_KIND_PROMISED_TIME:
      return "promised_time";
    case v1::REMINDER_KIND_MANUAL:
      return "manual";
    default:
      return "unspecified";
  }
}

absl::StatusOr<v1::Reminder> ParseRecord(std::string_view shop, std::string_view order_id,
                                         int number, const std::string& value) {
  std::vector<std::string> f = absl::StrSplit(value, '\x1f');
  int kind = 0, channel = 0;
  // Records written before merged orders were kept have 8 fields.
  if ((f.size() != 8 && f.size() != 9) || !absl::SimpleAtoi(f[0], &kind) ||
      !absl::SimpleAtoi(f[1], &channel) || !v1::ReminderKind_IsValid(kind) ||
      !v1::Channel_IsValid(channel)) {
    return absl::InternalError(absl::StrCat("reminder ", number, " of order ",
                                            std::string(order_id), ": malformed record"));
  }
  v1::Reminder r;
  r.set_order_id(std::string(order_id));
  r.set_number(number);
  r.set_kind(static_cast<v1::ReminderKind>(kind));
  r.set_channel(static_cast<v1::Channel>(channel));
  r.set_agent_id(f[2]);
  r.set_due_unix_ms(Int(f[3]));
  r.set_sent_unix_ms(Int(f[4]));
  r.set_outcome(f[5] == "sent" ? v1::REMINDER_OUTCOME_SENT : v1::REMINDER_OUTCOME_SKIPPED);
  r.set_reason(f[6]);
  r.set_idempotency_key(DeliveryJobId(shop, order_id, number));
  r.set_text(f[7]);
  if (f.size() == 9 && !f[8].empty()) {
    for (auto id : absl::StrSplit(f[8], ',')) r.add_merged_order_ids(std::string(id));
  }
  return r;
}

std::string AnswerValue(const v1::BuyerAnswer& a) {
  return absl::StrJoin(
      {absl::StrCat(static_cast<int>(a.reason())), a.note(), absl::StrCat(a.promised_pay_unix_ms()),
       a.agent_id(), absl::StrCat(a.recorded_unix_ms())},
      "\x1f");
}

absl::StatusOr<v1::BuyerAnswer> ParseAnswer(const std::string& value) {
  std::vector<std::string> f = absl::StrSplit(value, '\x1f');
  int reason = 0;
  if (f.size() != 5 || !absl::SimpleAtoi(f[0], &reason) || !v1::UnpaidReason_IsValid(reason)) {
    return absl::InternalError("malformed reminder answer");
  }
  v1::BuyerAnswer a;
  a.set_reason(static_cast<v1::UnpaidReason>(reason));
  a.set_note(f[1]);
  a.set_promised_pay_unix_ms(Int(f[2]));
  a.set_agent_id(f[3]);
  a.set_recorded_unix_ms(Int(f[4]));
  return a;
}

absl::StatusOr<std::vector<v1::Reminder>> RemindersFromHash(std::string_view shop,
                                                            std::string_view order_id,
                                                            const redis::Reply& hash) {
  std::vector<v1::Reminder> reminders;
  std::map<int, v1::BuyerAnswer> answers;
  for (size_t i = 0; i + 1 < hash.elements.size(); i += 2) {
    absl::string_view name = hash.elements[i].str;
    const std::string& value = hash.elements[i + 1].str;
    int number = 0;
    if (absl::ConsumePrefix(&name, "a:")) {
      if (!absl::SimpleAtoi(name, &number)) continue;
      auto answer = ParseAnswer(value);
      if (!answer.ok()) return answer.status();
      answers[number] = *std::move(answer);
      continue;
    }
    if (!absl::SimpleAtoi(name, &number)) continue;
    auto reminder = ParseRecord(shop, order_id, number, value);
    if (!reminder.ok()) return reminder.status();
    reminders.push_back(*std::move(reminder));
  }
  for (auto& r : reminders) {
    if (auto a = answers.find(r.number()); a != answers.end()) *r.mutable_answer() = a->second;
  }
  std::sort(reminders.begin(), reminders.end(),
            [](const v1::Reminder& a, const v1::Reminder& b) { return a.number() > b.number(); });
  return reminders;
}

std::string RemarkLine(v1::Channel channel, std::string_view agent, absl::Time at,
                       absl::TimeZone zone) {
  std::string who = agent.empty() ? "auto" : std::string(agent);
  return absl::StrCat("催付 ", ChannelName(channel), " by ", who, " ",
                      absl::FormatTime("%Y-%m-%d %H:%M", at, zone));
}

}  // namespace orderwatch::reminders
