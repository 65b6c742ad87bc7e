#include "services/reminders/reminder_template.h"

#include <array>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/validate.h"

namespace orderwatch::reminders {
namespace {

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

enum Hole { kShopName, kBuyerNick, kOrderId, kAmount, kItems, kPayDeadline, kShipDate };

struct Placeholder {
  std::string_view name;
  TextSize max;  // the longest it renders to
};

constexpr std::array<Placeholder, 7> kPlaceholders = {{
    {"shop_name", {60, 20}},
    {"buyer_nick", {60, 20}},
    {"order_id", {64, 64}},
    {"amount", {17, 16}},  // "¥" is 2 bytes
    {"items", {120, 40}},
    {"pay_deadline", {11, 11}},  // "MM-DD HH:MM"
    {"ship_date", {11, 11}},
}};

// The time placeholder of the other use is unknown to a template.
bool Allowed(Hole h, TemplateUse use) {
  if (h == kPayDeadline) return use == TemplateUse::kReminder;
  if (h == kShipDate) return use == TemplateUse::kShipmentNotice;
  return true;
}

constexpr std::string_view kEllipsis = "…";  // 3 bytes, 1 character

std::optional<Hole> Lookup(std::string_view name) {
  for (size_t i = 0; i < kPlaceholders.size(); ++i) {
    if (kPlaceholders[i].name == name) return static_cast<Hole>(i);
  }
  return std::nullopt;
}

// The bytes of the UTF-8 sequence that starts with `lead` (1 for a stray byte).
size_t SequenceBytes(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF7) return 4;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xC0 && lead <= 0xDF) return 2;
  return 1;
}

// What a template is made of, in order. A walk stops at the first problem when `strict`, else it
// treats what it cannot parse as literal text. Without a `use`, every placeholder is known.
struct Walk {
  std::string problem;  // "" when the template parsed
};
template <typename OnLiteral, typename OnHole>
Walk WalkTemplate(std::string_view t, bool strict, std::optional<TemplateUse> use,
                  OnLiteral literal, OnHole hole) {
  Walk w;
  size_t i = 0;
  while (i < t.size()) {
    const char c = t[i];
    if (c != '{' && c != '}') {
      const size_t next = std::min(t.find_first_of("{}", i), t.size());
      literal(t.substr(i, next - i));
      i = next;
      continue;
    }
    if (i + 1 < t.size() && t[i + 1] == c) {  // "{{" or "}}"
      literal(t.substr(i, 1));
      i += 2;
      continue;
    }
    std::string problem;
    size_t skip = 1;
    if (c == '}') {
      problem = absl::StrCat("unbalanced '}' at byte ", i, "; write }} for a literal }");
    } else {
      const size_t close = t.find('}', i + 1);
      const size_t open = t.find('{', i + 1);
      if (close == std::string_view::npos || (open != std::string_view::npos && open < close)) {
        problem = absl::StrCat("unbalanced '{' at byte ", i, "; write {{ for a literal {");
      } else if (const auto h = Lookup(t.substr(i + 1, close - i - 1));
                 h.has_value() && (!use || Allowed(*h, *use))) {
        hole(*h);
        i = close + 1;
        continue;
      } else {
        problem =
            absl::StrCat("unknown placeholder ", Sv(t.substr(i, close - i + 1)),
                         "; known are {shop_name} {buyer_nick} {order_id} {amount} {items} ",
                         use == TemplateUse::kShipmentNotice ? "{ship_date}" : "{pay_deadline}",
                         ", and {{ }} for literal braces");
        skip = close - i + 1;
      }
    }
    if (strict) {
      w.problem = std::move(problem);
      return w;
    }
    literal(t.substr(i, skip));
    i += skip;
  }
  return w;
}

// `value` cut so that it fits `max`, ending in "…" when cut, on a UTF-8 sequence boundary.
std::string Fit(std::string_view value, TextSize max) {
  const TextSize size = SizeOf(value);
  if (size.bytes <= max.bytes && size.sms_chars <= max.sms_chars) return std::string(value);
  const TextSize room = {max.bytes - kEllipsis.size(), max.sms_chars - 1};
  TextSize used;
  size_t i = 0;
  while (i < value.size()) {
    const size_t n =
        std::min(SequenceBytes(static_cast<unsigned char>(value[i])), value.size() - i);
    const size_t chars = n == 4 ? 2 : 1;
    if (used.bytes + n > room.bytes || used.sms_chars + chars > room.sms_chars) break;
    used.bytes += n;
    used.sms_chars += chars;
    i += n;
  }
  return absl::StrCat(Sv(value.substr(0, i)), Sv(kEllipsis));
}

std::string Amount(int64_t fen) {
  // Through uint64 so that the most negative amount has a magnitude too.
  const uint64_t abs = fen < 0 ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  return absl::StrFormat("%s¥%d.%02d", fen < 0 ? "-" : "", abs / 100, abs % 100);
}

std::string Deadline(absl::Time t, absl::TimeZone zone) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return "";
  return absl::FormatTime("%m-%d %H:%M", t, zone);
}

absl::Status CheckFits(std::string_view field, TextSize worst, v1::Channel channel) {
  const bool sms = channel == v1::CHANNEL_SMS || channel == v1::CHANNEL_UNSPECIFIED;
  const bool im = channel != v1::CHANNEL_SMS;
  if (im && worst.bytes > kMaxImBytes) {
    return InvalidField(
        field, absl::StrCat(
                   "can render to ", worst.bytes, " bytes with every placeholder at its longest; ",
                   channel == v1::CHANNEL_PHONE ? "a call script" : "an IM message", " allows ",
                   kMaxImBytes, ": shorten it by ", worst.bytes - kMaxImBytes, " bytes"));
  }
  if (sms && worst.sms_chars > kMaxSmsChars) {
    return InvalidField(
        field, absl::StrCat("can render to ", worst.sms_chars,
                            " characters with every placeholder at its longest; an SMS allows ",
                            kMaxSmsChars, " (", kMaxSmsParts, " parts of ", kSmsPartChars,
                            "): shorten it by ", worst.sms_chars - kMaxSmsChars, " characters"));
  }
  return absl::OkStatus();
}

}  // namespace

TextSize SizeOf(std::string_view text) {
  TextSize s;
  s.bytes = text.size();
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b & 0xC0) != 0x80) s.sms_chars += SequenceBytes(b) == 4 ? 2 : 1;  // a surrogate pair
  }
  return s;
}

absl::Status ValidateTemplate(std::string_view field, std::string_view text, v1::Channel channel,
                              TemplateUse use) {
  if (text.empty()) return InvalidField(field, "is required");
  if (auto s = ValidateText(field, text, kMaxTemplateBytes); !s.ok()) return s;
  if (!v1::Channel_IsValid(channel)) {
    return InvalidField(field, absl::StrCat("is for channel ", channel, ", which is unknown"));
  }
  TextSize worst;
  const Walk w = WalkTemplate(
      text, /*strict=*/true, use,
      [&](std::string_view piece) {
        const TextSize s = SizeOf(piece);
        worst.bytes += s.bytes;
        worst.sms_chars += s.sms_chars;
      },
      [&](Hole h) {
        worst.bytes += kPlaceholders[h].max.bytes;
        worst.sms_chars += kPlaceholders[h].max.sms_chars;
      });
  if (!w.problem.empty()) return InvalidField(field, w.problem);
  return CheckFits(field, worst, channel);
}

std::string RenderTemplate(std::string_view text, const TemplateValues& v) {
  std::string out;
  WalkTemplate(
      text, /*strict=*/false, /*use=*/std::nullopt,
      [&](std::string_view piece) { out.append(piece); },
      [&](Hole h) {
        const TextSize max = kPlaceholders[h].max;
        switch (h) {
          case kShopName:
            out += Fit(v.shop_name, max);
            break;
          case kBuyerNick:
            out += Fit(v.buyer_nick, max);
            break;
          case kOrderId:
            out += Fit(v.order_id, max);
            break;
          case kAmount:
            out += Amount(v.amount_fen);
            break;
          case kItems:
            out += Fit(v.items, max);
            break;
          case kPayDeadline:
            out += Deadline(v.pay_deadline, v.zone);
            break;
          case kShipDate:
            out += Deadline(v.ship_date, v.zone);
            break;
        }
      });
  return out;
}

std::string DefaultTemplate(v1::ReminderKind kind, v1::Channel channel, bool peak) {
  if (channel == v1::CHANNEL_PHONE) {
    // A script for the agent who calls: 000 asks to find out why the buyer has not paid and when
    // they will, and to follow up then. Peak changes nothing on a call.
    switch (kind) {
      case v1::REMINDER_KIND_PRE_CLOSE:
        return "致电买家{buyer_nick}：订单{order_id}（{amount}，{items}）将在{pay_deadline}自动关闭"
               "。问清未付款的原因和打算何时付款，记在备注里。";
      case v1::REMINDER_KIND_PROMISED_TIME:
        return "致电买家{buyer_nick}：买家约好现在付款的订单{order_id}（{amount}，{items}）还未付"
               "款，确认是否遇到问题，记在备注里。";
      default:
        return "致电买家{buyer_nick}：订单{order_id}（{amount}，{items}）尚未付款。问清未付款的原"
               "因和打算何时付款，记在备注里。";
    }
  }
  if (channel == v1::CHANNEL_SMS) {
    // Chinese SMS start with the sender's signature in 【】 and offer an opt-out.
    if (peak) {
      if (kind == v1::REMINDER_KIND_PRE_CLOSE) {
        return "【{shop_name}】亲爱的，您拍下的宝贝将在{pay_deadline}自动关闭，库存有限，晚点就被"
               "抢光了，请尽快付款。退订回T";
      }
      return "【{shop_name}】亲爱的，您拍下的宝贝是不是付款遇到问题呢？库存有限，晚点就被抢光了，"
             "请尽快付款。退订回T";
    }
    switch (kind) {
      case v1::REMINDER_KIND_FLASH_SALE:
        return "【{shop_name}】亲，您抢到的{items}还未付款，秒杀订单很快会自动关闭，请尽快付款。"
               "退订回T";
      case v1::REMINDER_KIND_PRE_CLOSE:
        return "【{shop_name}】亲，您的订单将在{pay_deadline}自动关闭，拍下的{items}还为您保留，"
               "请及时付款。退订回T";
      case v1::REMINDER_KIND_PROMISED_TIME:
        return "【{shop_name}】亲，您约好现在付款，为您保留的{items}还在等您，请及时付款。退订回"
               "T";
      default:
        return "【{shop_name}】亲，您拍下的{items}还未付款，付款后我们会尽快发货，有问题请联系在线"
               "客服。退订回T";
    }
  }
  // IM (千牛/旺旺), also for CHANNEL_UNSPECIFIED.
  if (peak) {
    // 003's peak wording ("库存有限,晚点就被抢光了"), with the deadline or the promise where the
    // kind has one.
    switch (kind) {
      case v1::REMINDER_KIND_PRE_CLOSE:
        return "亲爱的，您在【{shop_name}】拍下的宝贝将在{pay_deadline}自动关闭，是不是付款遇到问题"
               "呢？库存有限，晚点就被抢光了，有需要联系在线客服哦";
      case v1::REMINDER_KIND_PROMISED_TIME:
        return "亲爱的，您约好现在付款，【{shop_name}】为您保留的宝贝库存有限，晚点就被抢光了，有需"
               "要联系在线客服哦";
      default:
        return "亲爱的，您在【{shop_name}】拍下的宝贝，是不是付款遇到问题呢？库存有限，晚点就被抢光"
               "了，有需要联系在线客服哦";
    }
  }
  switch (kind) {
    case v1::REMINDER_KIND_FLASH_SALE:
      return "亲，您在【{shop_name}】抢到的{items}"
             "还没有付款哦！秒杀订单很快会自动关闭，请尽快完成付"
             "款～";
    case v1::REMINDER_KIND_PRE_CLOSE:
      return "亲，您在【{shop_name}】拍下的宝贝（{amount}）将在{pay_deadline}自动关闭，还为您留着哦"
             "，请及时付款～";
    case v1::REMINDER_KIND_PROMISED_TIME:
      return "亲，您之前约好现在付款，【{shop_name}】为您保留的{items}（{amount}"
             "）还在等您哦，有问题"
             "随时联系在线客服～";
    case v1::REMINDER_KIND_MANUAL:
      return "亲，我是【{shop_name}】的客服，看到您拍下的{items}"
             "还没有付款，是遇到什么问题了吗？方便"
             "的话告诉我们您打算什么时候付款哦～";
    default:
      return "亲，您在【{shop_name}】拍下的{items}"
             "还没有付款哦，是遇到什么问题了吗？现在付款我们会尽"
             "快为您安排发货，有需要随时联系在线客服～";
  }
}

}  // namespace orderwatch::reminders
