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

// "SOURCE_AGENT" -> "agent", "ORDER_STATE_PENDING_PAYMENT" -> "pending-payment".
std::string ShortEnumName(const std::string& full, std::string_view prefix, int number) {
  if (full.empty()) return Cat(number);
  std::string name = full.substr(full.rfind(std::string(prefix), 0) == 0 ? prefix.size() : 0);
  absl::AsciiStrToLower(&name);
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

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

std::string Amount(int64_t fen, const std::string& currency) {
  const char* sign = fen < 0 ? "-" : "";
  const uint64_t abs = fen < 0 ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  std::string out = absl::StrFormat("%s%d.%02d", sign, abs / 100, abs % 100);
  if (!currency.empty()) Append(&out, " ", currency);
  return out;
}

std::string Times(int count) { return Cat(count, count == 1 ? " time" : " times"); }

std::string MorePages(const std::string& token) {
  return token.empty() ? "" : Cat("more: --page-token ", token, "\n");
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
  using Row = std::vector<std::string>;
  std::vector<Row> rows = {{"ORDER", "FLAG", "VERSION", "UPDATED", "BY", "MEMO"}};
  for (const v1::Remark& r : response.remarks()) {
    rows.push_back({r.order_id(), std::string(FlagName(r.flag())), Cat(r.version()),
                    FormatTime(r.updated_unix_ms(), tz), Who(r.updated_by(), r.updated_source()),
                    TruncateToWidth(OneLine(r.text()), kMemoColumns)});
  }
  std::vector<int> widths(rows[0].size(), 0);
  for (const Row& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  std::string out;
  for (const Row& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      if (c + 1 < row.size()) {
        Append(&line, PadToWidth(row[c], widths[c]), "  ");
      } else {
        Append(&line, row[c]);
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    Append(&out, line, "\n");
  }
  Append(&out, MorePages(response.next_page_token()));
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

}  // namespace orderwatch::cli
