#include "services/cli/output.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/json_util.h"
#include "services/cli/text.h"
#include "services/common/flags.h"

namespace orderwatch::cli {
namespace {

constexpr int kMemoColumns = 40;

std::string SourceName(v1::Source source) {
  if (source == v1::SOURCE_UNSPECIFIED) return "";
  return ShortEnumName(v1::Source_Name(source), "SOURCE_", source);
}

std::string StateName(v1::OrderState state) {
  return ShortEnumName(v1::OrderState_Name(state), "ORDER_STATE_", state);
}

std::string PlatformName(v1::Platform platform) {
  return ShortEnumName(v1::Platform_Name(platform), "PLATFORM_", platform);
}

// "alice (agent)", "alice", "(sweep)" or "?".
std::string Who(const std::string& by, v1::Source source) {
  const std::string src = SourceName(source);
  if (by.empty()) return src.empty() ? "?" : Cat("(", src, ")");
  return src.empty() ? by : Cat(by, " (", src, ")");
}

std::string Times(int count) { return Cat(count, count == 1 ? " time" : " times"); }

std::string ChannelName(v1::Channel channel) {
  return ShortEnumName(v1::Channel_Name(channel), "CHANNEL_", channel);
}

std::string KindName(v1::ReminderKind kind) {
  return ShortEnumName(v1::ReminderKind_Name(kind), "REMINDER_KIND_", kind);
}

std::string OutcomeName(v1::ReminderOutcome outcome) {
  return ShortEnumName(v1::ReminderOutcome_Name(outcome), "REMINDER_OUTCOME_", outcome);
}

std::string UnpaidReasonName(v1::UnpaidReason reason) {
  return ShortEnumName(v1::UnpaidReason_Name(reason), "UNPAID_REASON_", reason);
}

std::string AgentOrAuto(const std::string& agent) { return agent.empty() ? "auto" : agent; }

// At most this many items of a policy's list are shown; --json shows them all.
constexpr int kListItemsShown = 20;

// "a, b, c", "(none)", or the first kListItemsShown and how many there are.
template <typename List, typename Show>
std::string ListOf(const List& items, Show show) {
  if (items.empty()) return "(none)";
  std::string out;
  int shown = 0;
  for (const auto& item : items) {
    if (shown == kListItemsShown) {
      Append(&out, ", … (", items.size(), " in all; --json shows every one)");
      break;
    }
    Append(&out, shown == 0 ? "" : ", ", show(item));
    ++shown;
  }
  return out;
}

}  // namespace

absl::TimeZone DisplayTimeZone() {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone("Asia/Shanghai", &tz)) return absl::UTCTimeZone();
  return tz;
}

std::string FormatTime(int64_t unix_ms, absl::TimeZone tz) {
  if (unix_ms == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Ez", absl::FromUnixMillis(unix_ms), tz);
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  options.add_whitespace = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) {
    json = "{}";  // cannot happen for messages without Any fields
  }
  if (json.empty() || json.back() != '\n') json.push_back('\n');
  return json;
}

std::string FormatRemark(const v1::Remark& remark, absl::TimeZone tz) {
  std::string out = Cat("order ", remark.order_id(), "  flag ", FlagName(remark.flag()));
  if (remark.has_platform_flag()) {
    Append(&out, " (", PlatformName(remark.platform_flag().platform()), " ",
           remark.platform_flag().value(), ")");
  }
  Append(&out, "  version ", remark.version());
  if (remark.version() == 0) {
    Append(&out, "  (no remark yet)\n");
    return out;
  }
  if (remark.updated_unix_ms() != 0) {
    Append(&out, "  updated ", FormatTime(remark.updated_unix_ms(), tz));
    if (!remark.updated_by().empty()) Append(&out, " by ", remark.updated_by());
    if (const std::string src = SourceName(remark.updated_source()); !src.empty()) {
      Append(&out, " (", src, ")");
    }
  }
  Append(&out, "\nmemo: ");
  if (remark.text().empty()) {
    Append(&out, "(empty)\n");
    return out;
  }
  std::string_view text = remark.text();
  if (text.back() == '\n') text.remove_suffix(1);
  for (size_t start = 0;;) {
    const size_t end = text.find('\n', start);
    Append(&out, start == 0 ? "" : "      ", text.substr(start, end - start), "\n");
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string FormatRemarks(const v1::BatchGetRemarksResponse& response, absl::TimeZone tz) {
  std::string out;
  for (const v1::Remark& remark : response.remarks()) {
    if (!out.empty()) out.push_back('\n');
    Append(&out, FormatRemark(remark, tz));
  }
  return out;
}

std::string FormatChange(const v1::RemarkChange& change, absl::TimeZone tz) {
  const std::string memo =
      change.text_after().empty() ? "(memo empty)" : OneLine(change.text_after());
  return Cat("v", change.version(), "  ", FormatTime(change.at_unix_ms(), tz), "  ",
             Who(change.by(), change.source()), "  ", change.op(), "  ",
             FlagName(change.flag_before()), "→", FlagName(change.flag_after()), "  ", memo, "\n");
}

std::string FormatHistory(const v1::RemarkHistoryResponse& response, absl::TimeZone tz) {
  if (response.changes().empty()) return Cat("no changes\n", MorePages(response.next_page_token()));
  std::string out;
  for (const v1::RemarkChange& change : response.changes()) Append(&out, FormatChange(change, tz));
  Append(&out, MorePages(response.next_page_token()));
  return out;
}

std::string FormatList(const v1::ListByFlagResponse& response, v1::Flag flag, absl::TimeZone tz) {
  if (response.remarks().empty()) {
    return Cat("no orders flagged ", FlagName(flag), "\n", MorePages(response.next_page_token()));
  }
  std::vector<Row> rows = {{"ORDER", "FLAG", "VERSION", "UPDATED", "BY", "MEMO"}};
  for (const v1::Remark& r : response.remarks()) {
    rows.push_back({r.order_id(), std::string(FlagName(r.flag())), Cat(r.version()),
                    FormatTime(r.updated_unix_ms(), tz), Who(r.updated_by(), r.updated_source()),
                    TruncateToWidth(OneLine(r.text()), kMemoColumns)});
  }
  std::string out = Table(rows);
  Append(&out, MorePages(response.next_page_token()));
  return out;
}

namespace {

std::string StageLabel(v1::ShipmentStage stage) {
  switch (stage) {
    case v1::SHIPMENT_STAGE_WARNING:
      return "warning";
    case v1::SHIPMENT_STAGE_OVERDUE:
      return "overdue";
    case v1::SHIPMENT_STAGE_ESCALATED:
      return "escalated";
    default:
      return "on time";
  }
}

}  // namespace

std::string FormatDelayed(const v1::ListDelayedResponse& response, absl::TimeZone tz) {
  if (response.orders().empty()) {
    return Cat("no orders at risk or overdue\n", MorePages(response.next_page_token()));
  }
  std::vector<Row> rows = {{"ORDER", "STAGE", "SHIP BY", "SINCE", "COMPENSATION", "URGED"}};
  for (const v1::DelayedOrder& o : response.orders()) {
    rows.push_back({o.order_id(), StageLabel(o.stage()), FormatTime(o.deadline_unix_ms(), tz),
                    FormatTime(o.stage_since_unix_ms(), tz), Amount(o.compensation_fen(), "CNY"),
                    o.buyer_urged() ? "yes" : ""});
  }
  std::string out = Table(rows);
  Append(&out, MorePages(response.next_page_token()));
  return out;
}

std::string FormatShipmentSummary(const v1::ShipmentSummary& s) {
  std::vector<Row> rows = {{"STAGE", "ORDERS", "COMPENSATION"}};
  for (const v1::StageSummary& st : s.stages()) {
    rows.push_back(
        {StageLabel(st.stage()), Cat(st.orders()), Amount(st.compensation_fen(), "CNY")});
  }
  std::string out = Table(rows);
  Append(&out, "at risk: ", Amount(s.at_risk_fen(), "CNY"), "; incurred: ",
         Amount(s.incurred_fen(), "CNY"), " by ", s.incurred_orders(),
         " orders shipped late or still overdue\n");
  return out;
}

std::string FormatCounts(const v1::CountByFlagResponse& response) {
  if (response.counts().empty()) return "no flagged orders\n";
  std::string out;
  for (const v1::FlagCount& c : response.counts()) {
    Append(&out, FlagName(c.flag()), " ", c.count(), "\n");
  }
  return out;
}

std::string FormatLegend(const v1::Legend& legend) {
  std::string out;
  for (const v1::LegendEntry& e : legend.entries()) {
    Append(&out, PadToWidth(FlagName(e.flag()), 6), "  ", e.meaning(), "\n");
  }
  if (legend.is_default()) Append(&out, "(the default legend; change it with remark legend-set)\n");
  return out;
}

std::string FormatOrder(const v1::Order& o, absl::TimeZone tz) {
  std::string out = Cat("order ", o.order_id(), "  state ", StateName(o.state()));
  if (o.amount_fen() != 0 || !o.currency().empty()) {
    Append(&out, "  amount ", Amount(o.amount_fen(), o.currency()));
  }
  if (o.flash_sale()) Append(&out, "  flash sale");
  Append(&out, "\n");
  if (!o.buyer_id().empty() || o.has_buyer_phone()) {
    Append(&out, "buyer ", o.buyer_id().empty() ? "?" : o.buyer_id(),
           o.has_buyer_phone() ? " (phone on file)" : "", "\n");
  }
  if (!o.item_summary().empty()) Append(&out, "items: ", OneLine(o.item_summary()), "\n");
  struct Line {
    std::string_view label;
    int64_t unix_ms;
    std::string note;
  };
  const Line lines[] = {
      {"created", o.created_unix_ms(), ""},
      {"auto-close", o.auto_close_unix_ms(), ""},
      {"ship-by", o.ship_by_unix_ms(), ""},
      {"paid", o.paid_unix_ms(), ""},
      {"closed", o.closed_unix_ms(), ""},
      {"shipped", o.shipped_unix_ms(), ""},
      {"refund requested", o.refund_requested_unix_ms(), ""},
      {"refunded", o.refunded_unix_ms(), ""},
      {"modified", o.modified_unix_ms(),
       o.modified_count() > 0 ? Cat(" (", Times(o.modified_count()), ")") : ""},
      {"shipment urged", o.shipment_urged_unix_ms(),
       o.shipment_urged_count() > 0 ? Cat(" (", Times(o.shipment_urged_count()), ")") : ""},
  };
  for (const Line& line : lines) {
    if (line.unix_ms == 0) continue;
    Append(&out, "  ", PadToWidth(line.label, 17), FormatTime(line.unix_ms, tz), line.note, "\n");
  }
  Append(&out, "events applied: ", o.events_applied(), "\n");
  return out;
}

std::string FormatRecorded(const v1::RecordEventRequest& request,
                           const v1::RecordEventResponse& response, absl::TimeZone tz) {
  const std::string& id = request.event().event_id();
  std::string out = response.duplicate()
                        ? Cat("event ", id, " was already recorded: nothing changed\n")
                        : Cat("event ", id, " recorded\n");
  Append(&out, FormatOrder(response.order(), tz));
  return out;
}

std::string FormatReminder(const v1::Reminder& r, absl::TimeZone tz) {
  std::string out = Cat("reminder ", r.number(), " of order ", r.order_id(), ": ");
  if (r.outcome() == v1::REMINDER_OUTCOME_SENT) {
    Append(&out, "sent by ", ChannelName(r.channel()));
  } else {
    Append(&out, OutcomeName(r.outcome()), ", ", ChannelName(r.channel()));
  }
  Append(&out, " (", KindName(r.kind()), ", ", AgentOrAuto(r.agent_id()), ")");
  if (!r.idempotency_key().empty()) Append(&out, " key ", r.idempotency_key());
  Append(&out, "\ntime: ", FormatTime(r.sent_unix_ms(), tz), "\n");
  if (!r.reason().empty()) Append(&out, "reason: ", OneLine(r.reason()), "\n");
  if (!r.text().empty()) Append(&out, "text: ", OneLine(r.text()), "\n");
  if (r.has_answer()) {
    const v1::BuyerAnswer& a = r.answer();
    Append(&out, "answer: ", UnpaidReasonName(a.reason()), " (", AgentOrAuto(a.agent_id()), " ",
           FormatTime(a.recorded_unix_ms(), tz), ")");
    if (a.promised_pay_unix_ms() != 0) {
      Append(&out, "; promised to pay ", FormatTime(a.promised_pay_unix_ms(), tz));
    }
    if (!a.note().empty()) Append(&out, "; ", OneLine(a.note()));
    Append(&out, "\n");
  }
  return out;
}

std::string FormatReminders(const v1::ListRemindersResponse& response, std::string_view order_id,
                            absl::TimeZone tz) {
  if (response.reminders().empty()) return Cat("no reminders for order ", order_id, "\n");
  std::vector<Row> rows = {{"#", "KIND", "CHANNEL", "OUTCOME", "BY", "TIME", "REASON"}};
  for (const v1::Reminder& r : response.reminders()) {
    rows.push_back({Cat(r.number()), KindName(r.kind()), ChannelName(r.channel()),
                    OutcomeName(r.outcome()), AgentOrAuto(r.agent_id()),
                    FormatTime(r.sent_unix_ms(), tz), OneLine(r.reason())});
  }
  return Table(rows);
}

std::string FormatReminderStats(const v1::ReminderStats& s) {
  auto rate = [](int64_t part, int64_t whole) {
    return whole == 0 ? std::string("-")
                      : Cat(static_cast<int64_t>(100.0 * part / whole + 0.5), "%");
  };
  std::string out = Cat("payment reminders on ", s.day(), "\n");
  Append(&out, "orders placed: ", s.orders_placed(),
         ", paid the same day: ", s.orders_paid_same_day(), " (",
         rate(s.orders_paid_same_day(), s.orders_placed()), ")\n");
  const int64_t reminded = s.eligible_orders() - s.held_out();
  Append(&out, "eligible orders: ", s.eligible_orders(),
         "; paid after a reminder: ", s.paid_after_reminder(), " (",
         rate(s.paid_after_reminder(), reminded), " of ", reminded, " reminded), recovered ",
         Amount(s.recovered_fen(), ""), "\n");
  Append(&out, "held out: ", s.held_out(), "; paid without a reminder: ", s.held_out_paid(), " (",
         rate(s.held_out_paid(), s.held_out()), "), ", Amount(s.held_out_recovered_fen(), ""),
         "\n");
  Append(&out, "paid after the last reminder: within 1 h ", s.paid_within_1h(), ", 6 h ",
         s.paid_within_6h(), ", 24 h ", s.paid_within_24h(), ", later ", s.paid_later(), "\n");
  std::vector<Row> rows = {
      {"KIND", "ELIGIBLE", "SENT", "IM", "SMS", "PHONE", "HELD OUT", "PAID AFTER", "RECOVERED"}};
  for (const auto& k : s.kinds()) {
    rows.push_back({KindName(k.kind()), Cat(k.eligible()), Cat(k.sent()), Cat(k.sent_im()),
                    Cat(k.sent_sms()), Cat(k.sent_phone()), Cat(k.held_out()), Cat(k.paid_after()),
                    Amount(k.recovered_fen(), "")});
  }
  Append(&out, Table(rows));
  if (!s.skipped().empty()) {
    std::vector<std::pair<std::string, int64_t>> skipped(s.skipped().begin(), s.skipped().end());
    std::sort(skipped.begin(), skipped.end());
    std::string line = "skipped:";
    for (const auto& [reason, n] : skipped) Append(&line, " ", OneLine(reason), " ", n, ";");
    line.back() = '\n';
    Append(&out, line);
  }
  for (const auto& a : s.agents()) Append(&out, "agent ", a.agent_id(), ": ", a.sent(), " sent\n");
  return out;
}

std::string FormatPolicy(const v1::ReminderPolicy& p, absl::TimeZone tz) {
  auto boolean = [](bool b) { return std::string(b ? "true" : "false"); };
  auto minutes = [](int32_t m, std::string_view zero) {
    return m == 0 ? Cat("0 (", zero, ")") : Cat(m);
  };
  auto fen = [](int64_t f) { return f == 0 ? "0 (no bound)" : Cat(f, " (", Amount(f, ""), ")"); };
  auto daily_cap = [](int32_t n) { return n == 0 ? std::string("0 (no daily cap)") : Cat(n); };
  auto unix_ms = [&](int64_t ms) { return ms == 0 ? "0" : Cat(ms, " (", FormatTime(ms, tz), ")"); };
  std::string window_end = p.window_end();
  if (p.window_end() == p.window_start()) {
    Append(&window_end, " (same as window_start: any hour)");
  } else if (p.window_end() < p.window_start()) {
    Append(&window_end, " (over midnight)");
  }
  const std::pair<std::string_view, std::string> lines[] = {
      {"enabled", boolean(p.enabled())},
      {"after_order_minutes", minutes(p.after_order_minutes(), "off")},
      {"pre_close_minutes", minutes(p.pre_close_minutes(), "off")},
      {"flash_sale_minutes", minutes(p.flash_sale_minutes(), "off")},
      {"remind_at_promised_time", boolean(p.remind_at_promised_time())},
      {"max_per_order", Cat(p.max_per_order())},
      {"window_start", p.window_start()},
      {"window_end", window_end},
      {"time_zone", p.time_zone()},
      {"outside_window", ShortEnumName(v1::OutsideWindow_Name(p.outside_window()),
                                       "OUTSIDE_WINDOW_", p.outside_window())},
      {"max_defer_minutes", Cat(p.max_defer_minutes())},
      {"min_amount_fen", fen(p.min_amount_fen())},
      {"max_amount_fen", fen(p.max_amount_fen())},
      {"blacklist_buyer_ids",
       ListOf(p.blacklist_buyer_ids(), [](const std::string& id) { return id; })},
      {"skip_flags", ListOf(p.skip_flags(),
                            [](int flag) {
                              return v1::Flag_IsValid(flag)
                                         ? std::string(FlagName(static_cast<v1::Flag>(flag)))
                                         : Cat(flag);
                            })},
      {"skip_keywords",
       ListOf(p.skip_keywords(), [](const std::string& k) { return Cat("\"", OneLine(k), "\""); })},
      {"skip_buyers_paid_today", boolean(p.skip_buyers_paid_today())},
      {"channel", ChannelName(p.channel())},
      {"sms_per_phone_per_day", Cat(p.sms_per_phone_per_day())},
      {"im_per_buyer_per_day", daily_cap(p.im_per_buyer_per_day())},
      {"phone_per_buyer_per_day", daily_cap(p.phone_per_buyer_per_day())},
      {"holdout_percent", Cat(p.holdout_percent())},
      {"shop_name", p.shop_name().empty() ? "(the shop id)" : OneLine(p.shop_name())},
      {"peak.start_unix_ms", unix_ms(p.peak().start_unix_ms())},
      {"peak.end_unix_ms", unix_ms(p.peak().end_unix_ms())},
      {"peak.after_order_minutes", minutes(p.peak().after_order_minutes(), "normal value")},
      {"peak.pre_close_minutes", minutes(p.peak().pre_close_minutes(), "normal value")},
      {"version", p.version() == 0 ? "0 (never set: the defaults)" : Cat(p.version())},
  };
  std::string out;
  for (const auto& [name, value] : lines) Append(&out, name, ": ", value, "\n");
  return out;
}

}  // namespace orderwatch::cli
