#include "services/remarks/remark_rules.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/flags.h"
#include "services/common/validate.h"

namespace orderwatch::remarks {

absl::StatusOr<RequestedFlag> CheckFlag(bool has_flag, int flag, bool has_platform_flag,
                                        const v1::PlatformFlag& platform_flag) {
  RequestedFlag out;
  if (has_flag) {
    if (!v1::Flag_IsValid(flag)) {
      return InvalidField("flag", absl::StrCat(flag,
                                               " is not a flag; use 0-5 (none, red, yellow, "
                                               "green, blue, purple)"));
    }
    out.present = true;
    out.flag = static_cast<v1::Flag>(flag);
  } else if (has_platform_flag) {
    auto f = FlagFromPlatform(platform_flag.platform(), platform_flag.value());
    if (!f.ok()) return f.status();
    out.present = true;
    out.flag = *f;
  }
  return out;
}

std::string AppendedLine(std::string_view reason, std::string_view agent, absl::Time at,
                         absl::TimeZone zone) {
  return absl::StrCat(absl::string_view(reason.data(), reason.size()), " ",
                      absl::string_view(agent.data(), agent.size()), "/",
                      absl::FormatTime("%Y-%m-%d", at, zone));
}

const std::array<std::string_view, 6>& DefaultLegend() {
  static const std::array<std::string_view, 6> kLegend = {
      "",
      "特殊处理(如指定快递) / special handling, e.g. which courier",
      "普通改价 / ordinary price change",
      "可退款 / refundable",
      "已发货订单备注、售后退换货 / note on a shipped order, after-sales return or exchange",
      "未发货订单备注、催付后注明催付客服 / note on an unshipped order; after a payment "
      "reminder, names the agent who reminded",
  };
  return kLegend;
}

v1::Remark RemarkFromValues(const std::string& order_id, const redis::Reply* values, size_t n) {
  v1::Remark r;
  r.set_order_id(order_id);
  auto str = [&](size_t i) -> const std::string* {
    return i < n && values[i].type == redis::Reply::Type::kString ? &values[i].str : nullptr;
  };
  auto num = [&](size_t i) -> int64_t {
    int64_t v = 0;
    if (const std::string* s = str(i)) (void)absl::SimpleAtoi(*s, &v);
    return v;
  };
  const int64_t flag = num(0);
  r.set_flag(v1::Flag_IsValid(static_cast<int>(flag)) ? static_cast<v1::Flag>(flag)
                                                      : v1::FLAG_NONE);
  if (const std::string* t = str(1)) r.set_text(*t);
  r.set_version(num(2));
  r.set_updated_unix_ms(num(3));
  if (const std::string* by = str(4)) r.set_updated_by(*by);
  const int64_t source = num(5);
  r.set_updated_source(v1::Source_IsValid(static_cast<int>(source))
                           ? static_cast<v1::Source>(source)
                           : v1::SOURCE_UNSPECIFIED);
  return r;
}

absl::StatusOr<v1::RemarkChange> ParseChange(const std::string& entry) {
  std::vector<std::string> f = absl::StrSplit(entry, '\x1f');
  if (f.size() != 9) return absl::InternalError("remark history: malformed entry");
  v1::RemarkChange c;
  int64_t version = 0, at = 0;
  int source = 0, f0 = 0, f1 = 0;
  if (!absl::SimpleAtoi(f[0], &version) || !absl::SimpleAtoi(f[1], &at) ||
      !absl::SimpleAtoi(f[3], &source) || !absl::SimpleAtoi(f[5], &f0) ||
      !absl::SimpleAtoi(f[6], &f1) || !v1::Flag_IsValid(f0) || !v1::Flag_IsValid(f1) ||
      !v1::Source_IsValid(source)) {
    return absl::InternalError("remark history: malformed entry");
  }
  c.set_version(version);
  c.set_at_unix_ms(at);
  c.set_by(f[2]);
  c.set_source(static_cast<v1::Source>(source));
  c.set_op(f[4]);
  c.set_flag_before(static_cast<v1::Flag>(f0));
  c.set_flag_after(static_cast<v1::Flag>(f1));
  c.set_text_before(f[7]);
  c.set_text_after(f[8]);
  return c;
}

std::string EncodeFlagCursor(const FlagCursor& c) { return absl::StrCat(c.score, ":", c.order_id); }

absl::StatusOr<FlagCursor> DecodeFlagCursor(std::string_view token) {
  const size_t colon = token.find(':');
  FlagCursor c;
  if (colon == std::string_view::npos ||
      !absl::SimpleAtoi(absl::string_view(token.data(), colon), &c.score) || c.score < 0) {
    return InvalidField("page_token", "is not a token this call returned");
  }
  c.order_id = std::string(token.substr(colon + 1));
  if (auto s = ValidateId("page_token", c.order_id); !s.ok()) {
    return InvalidField("page_token", "is not a token this call returned");
  }
  return c;
}

}  // namespace orderwatch::remarks
