#include "services/reminders/reminder_template.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/validate.h"

namespace orderwatch::reminders {
namespace {

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.append(s);
  return out;
}

std::string Message(const absl::Status& s) { return std::string(s.message()); }

TemplateValues Values() {
  TemplateValues v;
  v.shop_name = "小熊旗舰店";
  v.buyer_nick = "tb_alice";
  v.order_id = "4012345678901234567";
  v.amount_fen = 12930;
  v.items = "羽绒服 x1";
  // 2026-11-10 16:30 UTC is 11-11 00:30 in Shanghai.
  v.pay_deadline = absl::FromCivil(absl::CivilMinute(2026, 11, 10, 16, 30), absl::UTCTimeZone());
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &v.zone));
  return v;
}

// The longest value each placeholder can take, and then some: rendering must cut them.
TemplateValues LongestValues() {
  TemplateValues v = Values();
  v.shop_name = Repeat("店", 100);
  v.buyer_nick = Repeat("😀", 100);  // 4 bytes, 2 SMS characters each
  v.order_id = std::string(64, '9');
  v.amount_fen = 99'999'999'999'999;  // ¥999999999999.99
  v.items = Repeat("羽绒服", 100);
  return v;
}

// ---------------------------------------------------------------------------------------------
// RenderTemplate

TEST(RenderTemplateTest, FillsEveryPlaceholder) {
  EXPECT_EQ(RenderTemplate("{shop_name}|{buyer_nick}|{order_id}|{amount}|{items}|{pay_deadline}",
                           Values()),
            "小熊旗舰店|tb_alice|4012345678901234567|¥129.30|羽绒服 x1|11-11 00:30");
  EXPECT_EQ(RenderTemplate("{shop_name}{shop_name}", Values()), "小熊旗舰店小熊旗舰店");
  EXPECT_EQ(RenderTemplate("没有占位符", Values()), "没有占位符");
  EXPECT_EQ(RenderTemplate("", Values()), "");
}

TEST(RenderTemplateTest, AmountInYuan) {
  TemplateValues v = Values();
  const std::vector<std::pair<int64_t, std::string>> cases = {
      {0, "¥0.00"},     {5, "¥0.05"},    {10, "¥0.10"},        {100, "¥1.00"},
      {1230, "¥12.30"}, {-50, "-¥0.50"}, {-12345, "-¥123.45"}, {10'000'000'000, "¥100000000.00"},
  };
  for (const auto& [fen, text] : cases) {
    v.amount_fen = fen;
    EXPECT_EQ(RenderTemplate("{amount}", v), text) << fen;
  }
  v.amount_fen = INT64_MIN;
  EXPECT_EQ(RenderTemplate("{amount}", v), "-¥92233720368547758.08");
}

TEST(RenderTemplateTest, DeadlineInTheZoneOrEmpty) {
  TemplateValues v = Values();
  EXPECT_EQ(RenderTemplate("{pay_deadline}", v), "11-11 00:30");
  v.zone = absl::UTCTimeZone();
  EXPECT_EQ(RenderTemplate("{pay_deadline}", v), "11-10 16:30");
  v.pay_deadline = absl::InfinitePast();
  EXPECT_EQ(RenderTemplate("请在{pay_deadline}前付款", v), "请在前付款");
  v.pay_deadline = absl::InfiniteFuture();
  EXPECT_EQ(RenderTemplate("{pay_deadline}", v), "");
}

TEST(RenderTemplateTest, DoubledBracesAreLiteral) {
  EXPECT_EQ(RenderTemplate("{{shop_name}}", Values()), "{shop_name}");
  EXPECT_EQ(RenderTemplate("{{{shop_name}}}", Values()), "{小熊旗舰店}");
  EXPECT_EQ(RenderTemplate("a{{b}}c }}{{", Values()), "a{b}c }{");
}

TEST(RenderTemplateTest, ValuesAreNotTemplates) {
  TemplateValues v = Values();
  v.buyer_nick = "{order_id}}{{";
  EXPECT_EQ(RenderTemplate("{buyer_nick}", v), "{order_id}}{{");
}

TEST(RenderTemplateTest, WhatDoesNotParseIsCopied) {
  EXPECT_EQ(RenderTemplate("{nick} {shop_name", Values()), "{nick} {shop_name");
  EXPECT_EQ(RenderTemplate("a } b {} {shop_name}", Values()), "a } b {} 小熊旗舰店");
  EXPECT_EQ(RenderTemplate("{ {shop_name}", Values()), "{ 小熊旗舰店");
}

TEST(RenderTemplateTest, LongValuesAreCutOnCharacterBoundaries) {
  TemplateValues v = Values();
  // 40 characters fit exactly.
  v.items = Repeat("衣", 40);
  EXPECT_EQ(RenderTemplate("{items}", v), v.items);
  // 41 do not: 39 and an ellipsis.
  v.items = Repeat("衣", 41);
  EXPECT_EQ(RenderTemplate("{items}", v), Repeat("衣", 39) + "…");
  v.items = std::string(200, 'x');
  EXPECT_EQ(RenderTemplate("{items}", v), std::string(39, 'x') + "…");
  // Emoji count twice: 19 of them (38 characters, 76 bytes) and the ellipsis.
  v.items = Repeat("🧥", 30);
  EXPECT_EQ(RenderTemplate("{items}", v), Repeat("🧥", 19) + "…");
  // Mixed widths never split a character, and stay valid UTF-8.
  for (int shift = 0; shift < 4; ++shift) {
    v.items = std::string(shift, 'a') + Repeat("羽😀é", 40);
    const std::string out = RenderTemplate("{items}", v);
    EXPECT_TRUE(ValidateText("items", out, 1000).ok()) << out;
    const TextSize size = SizeOf(out);
    EXPECT_LE(size.bytes, 120u);
    EXPECT_LE(size.sms_chars, 40u);
    EXPECT_EQ(out.substr(out.size() - 3), "…");
  }
  // Shop names and nicks are cut at 20 characters or 60 bytes, whichever comes first.
  v.shop_name = Repeat("店", 21);
  EXPECT_EQ(RenderTemplate("{shop_name}", v), Repeat("店", 19) + "…");
  v.shop_name = Repeat("店", 20);
  EXPECT_EQ(RenderTemplate("{shop_name}", v), v.shop_name);
  v.buyer_nick = Repeat("😀", 11);  // 44 bytes, 22 characters
  EXPECT_EQ(RenderTemplate("{buyer_nick}", v), Repeat("😀", 9) + "…");
}

TEST(TextSizeTest, CountsBytesAndSmsCharacters) {
  EXPECT_EQ(SizeOf("").bytes, 0u);
  EXPECT_EQ(SizeOf("abc").sms_chars, 3u);
  EXPECT_EQ(SizeOf("¥").bytes, 2u);
  EXPECT_EQ(SizeOf("¥").sms_chars, 1u);
  EXPECT_EQ(SizeOf("亲爱的").bytes, 9u);
  EXPECT_EQ(SizeOf("亲爱的").sms_chars, 3u);
  EXPECT_EQ(SizeOf("😀").bytes, 4u);
  EXPECT_EQ(SizeOf("😀").sms_chars, 2u);
}

// ---------------------------------------------------------------------------------------------
// ValidateTemplate

TEST(ValidateTemplateTest, AcceptsGoodTemplates) {
  for (v1::Channel c :
       {v1::CHANNEL_UNSPECIFIED, v1::CHANNEL_IM, v1::CHANNEL_SMS, v1::CHANNEL_PHONE}) {
    EXPECT_TRUE(ValidateTemplate("t", "亲，{shop_name}提醒您付款{amount}", c).ok());
    EXPECT_TRUE(ValidateTemplate("t", "no placeholders", c).ok());
    EXPECT_TRUE(ValidateTemplate("t", "{{literal}} braces}}{{", c).ok());
    EXPECT_TRUE(ValidateTemplate("t", "line one\nline two\tend", c).ok());
  }
}

TEST(ValidateTemplateTest, RejectsEmptyAndBadText) {
  const std::vector<std::string> bad = {"", "\xff\xfe", "ok\x01", std::string(1001, 'a')};
  for (const std::string& text : bad) {
    const absl::Status s = ValidateTemplate("templates.im", text, v1::CHANNEL_IM);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(Message(s).rfind("templates.im: ", 0), 0u) << s;
  }
  EXPECT_NE(Message(ValidateTemplate("t", "", v1::CHANNEL_IM)).find("required"), std::string::npos);
}

TEST(ValidateTemplateTest, NamesUnknownPlaceholders) {
  for (const char* name : {"{nick}", "{}", "{ shop_name }", "{SHOP_NAME}", "{店铺名}"}) {
    const absl::Status s =
        ValidateTemplate("templates.sms", absl::StrCat("亲", name, "您好"), v1::CHANNEL_SMS);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(Message(s).rfind("templates.sms: ", 0), 0u) << s;
    EXPECT_NE(Message(s).find(absl::StrCat("unknown placeholder ", name)), std::string::npos) << s;
  }
}

TEST(ValidateTemplateTest, RejectsUnbalancedBraces) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"亲{shop_name", "unbalanced '{' at byte 3"},
      {"{shop_name{items}", "unbalanced '{' at byte 0"},
      {"shop_name}", "unbalanced '}' at byte 9"},
      {"{{shop_name}", "unbalanced '}' at byte 11"},
      {"{", "unbalanced '{' at byte 0"},
      {"}", "unbalanced '}' at byte 0"},
      {"{{{", "unbalanced '{' at byte 2"},
  };
  for (const auto& [text, problem] : cases) {
    const absl::Status s = ValidateTemplate("tpl", text, v1::CHANNEL_IM);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(Message(s).rfind("tpl: ", 0), 0u) << s;
    EXPECT_NE(Message(s).find(problem), std::string::npos) << text << " -> " << s;
  }
}

TEST(ValidateTemplateTest, ImLimitCountsPlaceholdersAtTheirLongest) {
  // {shop_name} may render to 60 bytes: 440 bytes of text + 60 = 500.
  EXPECT_TRUE(ValidateTemplate("t", std::string(440, 'a') + "{shop_name}", v1::CHANNEL_IM).ok());
  const absl::Status s =
      ValidateTemplate("t", std::string(441, 'a') + "{shop_name}", v1::CHANNEL_IM);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(Message(s).find("501 bytes"), std::string::npos) << s;
  EXPECT_NE(Message(s).find("shorten it by 1 bytes"), std::string::npos) << s;
  // Every placeholder: 60+60+64+17+120+11 = 332 bytes.
  const std::string all = "{shop_name}{buyer_nick}{order_id}{amount}{items}{pay_deadline}";
  EXPECT_TRUE(ValidateTemplate("t", std::string(168, 'a') + all, v1::CHANNEL_IM).ok());
  EXPECT_NE(Message(ValidateTemplate("t", std::string(178, 'a') + all, v1::CHANNEL_IM))
                .find("by 10 bytes"),
            std::string::npos);
  // Escaped braces count as the one brace they render to.
  EXPECT_TRUE(ValidateTemplate("t", Repeat("{{", 499) + "a", v1::CHANNEL_IM).ok());
  EXPECT_NE(
      Message(ValidateTemplate("t", Repeat("{{", 499) + "aa", v1::CHANNEL_IM)).find("501 bytes"),
      std::string::npos);
}

TEST(ValidateTemplateTest, PhoneScriptsHaveTheImLimit) {
  EXPECT_TRUE(ValidateTemplate("t", std::string(500, 'a'), v1::CHANNEL_PHONE).ok());
  const absl::Status s = ValidateTemplate("t", std::string(501, 'a'), v1::CHANNEL_PHONE);
  EXPECT_NE(Message(s).find("call script"), std::string::npos) << s;
}

TEST(ValidateTemplateTest, SmsLimitIsTwoParts) {
  // {shop_name} may render to 20 characters: 114 + 20 = 134 = 2 x 67.
  EXPECT_TRUE(ValidateTemplate("t", Repeat("催", 114) + "{shop_name}", v1::CHANNEL_SMS).ok());
  const absl::Status s = ValidateTemplate("t", Repeat("催", 115) + "{shop_name}", v1::CHANNEL_SMS);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(Message(s).find("135 characters"), std::string::npos) << s;
  EXPECT_NE(Message(s).find("shorten it by 1 characters"), std::string::npos) << s;
  // Emoji count twice.
  EXPECT_TRUE(ValidateTemplate("t", Repeat("😀", 67), v1::CHANNEL_SMS).ok());
  EXPECT_FALSE(ValidateTemplate("t", Repeat("😀", 67) + "a", v1::CHANNEL_SMS).ok());
  // The same text is fine as an IM message (405 bytes).
  EXPECT_TRUE(ValidateTemplate("t", Repeat("催", 115) + "{shop_name}", v1::CHANNEL_IM).ok());
}

TEST(ValidateTemplateTest, UnspecifiedChannelMustFitEveryChannel) {
  EXPECT_TRUE(ValidateTemplate("t", std::string(134, 'a'), v1::CHANNEL_UNSPECIFIED).ok());
  const absl::Status sms = ValidateTemplate("t", std::string(135, 'a'), v1::CHANNEL_UNSPECIFIED);
  EXPECT_NE(Message(sms).find("SMS"), std::string::npos) << sms;
  const absl::Status im = ValidateTemplate("t", std::string(501, 'a'), v1::CHANNEL_UNSPECIFIED);
  EXPECT_NE(Message(im).find("IM"), std::string::npos) << im;
  const absl::Status unknown = ValidateTemplate("t", "hi", static_cast<v1::Channel>(9));
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(unknown).rfind("t: ", 0), 0u);
}

// ---------------------------------------------------------------------------------------------
// DefaultTemplate

const std::vector<v1::ReminderKind>& AllKinds() {
  static const std::vector<v1::ReminderKind> kinds = {
      v1::REMINDER_KIND_UNSPECIFIED, v1::REMINDER_KIND_AFTER_ORDER,   v1::REMINDER_KIND_PRE_CLOSE,
      v1::REMINDER_KIND_FLASH_SALE,  v1::REMINDER_KIND_PROMISED_TIME, v1::REMINDER_KIND_MANUAL};
  return kinds;
}

TEST(DefaultTemplateTest, EveryDefaultIsValidAndFitsWithTheLongestValues) {
  for (v1::Channel c :
       {v1::CHANNEL_UNSPECIFIED, v1::CHANNEL_IM, v1::CHANNEL_SMS, v1::CHANNEL_PHONE}) {
    for (v1::ReminderKind k : AllKinds()) {
      for (bool peak : {false, true}) {
        const std::string t = DefaultTemplate(k, c, peak);
        const std::string what = absl::StrCat("channel ", c, " kind ", k, " peak ", peak);
        EXPECT_TRUE(ValidateTemplate("t", t, c).ok())
            << what << ": " << ValidateTemplate("t", t, c);
        // The worst-case estimate is a real bound: render with over-long values.
        const std::string out = RenderTemplate(t, LongestValues());
        const TextSize size = SizeOf(out);
        if (c == v1::CHANNEL_SMS) {
          EXPECT_LE(size.sms_chars, kMaxSmsChars) << what << ": " << out;
        } else {
          EXPECT_LE(size.bytes, kMaxImBytes) << what << ": " << out;
        }
        EXPECT_EQ(out.find('{'), std::string::npos) << what << ": " << out;
        EXPECT_TRUE(ValidateText("out", out, 1000).ok()) << what;
      }
    }
  }
}

TEST(DefaultTemplateTest, PeakImFollowsTheHandbook) {
  const std::string peak =
      DefaultTemplate(v1::REMINDER_KIND_AFTER_ORDER, v1::CHANNEL_IM, /*peak=*/true);
  EXPECT_EQ(RenderTemplate(peak, Values()),
            "亲爱的，您在【小熊旗舰店】拍下的宝贝，是不是付款遇到问题呢？库存有限，晚点就被抢光了，"
            "有需要联系在线客服哦");
  EXPECT_NE(peak, DefaultTemplate(v1::REMINDER_KIND_AFTER_ORDER, v1::CHANNEL_IM, false));
  const std::string sms = DefaultTemplate(v1::REMINDER_KIND_AFTER_ORDER, v1::CHANNEL_SMS, true);
  EXPECT_NE(sms.find("库存有限"), std::string::npos);
  EXPECT_EQ(sms.rfind("【{shop_name}】", 0), 0u);  // SMS signature first
}

TEST(DefaultTemplateTest, KindsSayWhatTheyAreAbout) {
  const std::string pre = DefaultTemplate(v1::REMINDER_KIND_PRE_CLOSE, v1::CHANNEL_IM, false);
  EXPECT_NE(pre.find("{pay_deadline}"), std::string::npos);
  EXPECT_NE(
      DefaultTemplate(v1::REMINDER_KIND_PRE_CLOSE, v1::CHANNEL_IM, true).find("{pay_deadline}"),
      std::string::npos);
  EXPECT_NE(DefaultTemplate(v1::REMINDER_KIND_FLASH_SALE, v1::CHANNEL_IM, false).find("秒杀"),
            std::string::npos);
  EXPECT_NE(DefaultTemplate(v1::REMINDER_KIND_PROMISED_TIME, v1::CHANNEL_IM, false).find("约好"),
            std::string::npos);
  // Only pre-close texts use the deadline: it is unknown for orders without an auto-close time.
  for (v1::Channel c : {v1::CHANNEL_IM, v1::CHANNEL_SMS, v1::CHANNEL_PHONE}) {
    for (v1::ReminderKind k : AllKinds()) {
      for (bool peak : {false, true}) {
        if (k == v1::REMINDER_KIND_PRE_CLOSE) continue;
        EXPECT_EQ(DefaultTemplate(k, c, peak).find("{pay_deadline}"), std::string::npos)
            << c << " " << k << " " << peak;
      }
    }
  }
  // Unspecified channel = IM; unknown kind = after-order.
  EXPECT_EQ(DefaultTemplate(v1::REMINDER_KIND_AFTER_ORDER, v1::CHANNEL_UNSPECIFIED, false),
            DefaultTemplate(v1::REMINDER_KIND_AFTER_ORDER, v1::CHANNEL_IM, false));
  EXPECT_EQ(DefaultTemplate(static_cast<v1::ReminderKind>(42), v1::CHANNEL_SMS, false),
            DefaultTemplate(v1::REMINDER_KIND_AFTER_ORDER, v1::CHANNEL_SMS, false));
}

TEST(ReminderTemplateTest, EachUseKnowsItsOwnTimePlaceholder) {
  EXPECT_TRUE(ValidateTemplate("t", "{order_id} {pay_deadline}", v1::CHANNEL_IM).ok());
  EXPECT_FALSE(ValidateTemplate("t", "{order_id} {ship_date}", v1::CHANNEL_IM).ok());
  EXPECT_TRUE(
      ValidateTemplate("t", "{order_id} {ship_date}", v1::CHANNEL_IM, TemplateUse::kShipmentNotice)
          .ok());
  const absl::Status s =
      ValidateTemplate("t", "{pay_deadline}", v1::CHANNEL_IM, TemplateUse::kShipmentNotice);
  EXPECT_NE(std::string(s.message())
                .find("known are {shop_name} {buyer_nick} {order_id} "
                      "{amount} {items} {ship_date}"),
            std::string::npos)
      << s;
  TemplateValues v;
  v.order_id = "o1";
  v.ship_date = absl::FromUnixSeconds(1762833600);  // 2025-11-11 12:00 +08:00
  v.zone = absl::FixedTimeZone(8 * 3600);
  EXPECT_EQ(RenderTemplate("{order_id} by {ship_date}", v), "o1 by 11-11 12:00");
}

}  // namespace
}  // namespace orderwatch::reminders
