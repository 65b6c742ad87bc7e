#include "services/reminders/reminder_policy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace orderwatch::reminders {
namespace {

using Action = WindowDecision::Action;

absl::TimeZone Zone(const char* name) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone(name, &tz)) << name;
  return tz;
}

// A civil time in Shanghai, the default policy's zone.
absl::Time Sh(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), Zone("Asia/Shanghai"));
}

// ---------------------------------------------------------------------------------------------
// DefaultPolicy and ValidatePolicy

TEST(DefaultPolicyTest, HoldsTheDocumentedDefaultsAndIsValid) {
  const v1::ReminderPolicy p = DefaultPolicy();
  EXPECT_TRUE(p.enabled());
  EXPECT_EQ(p.after_order_minutes(), 30);
  EXPECT_EQ(p.pre_close_minutes(), 60);
  EXPECT_EQ(p.flash_sale_minutes(), 15);
  EXPECT_TRUE(p.remind_at_promised_time());
  EXPECT_EQ(p.max_per_order(), 2);
  EXPECT_EQ(p.window_start(), "09:00");
  EXPECT_EQ(p.window_end(), "22:00");
  EXPECT_EQ(p.time_zone(), "Asia/Shanghai");
  EXPECT_EQ(p.outside_window(), v1::OUTSIDE_WINDOW_DEFER);
  EXPECT_EQ(p.max_defer_minutes(), 720);
  EXPECT_EQ(p.channel(), v1::CHANNEL_IM);
  EXPECT_EQ(p.sms_per_phone_per_day(), 1);
  EXPECT_EQ(p.holdout_percent(), 0);
  EXPECT_EQ(p.min_amount_fen(), 0);
  EXPECT_EQ(p.max_amount_fen(), 0);
  EXPECT_FALSE(p.has_peak());
  EXPECT_TRUE(ValidatePolicy(p).ok()) << ValidatePolicy(p);
}

TEST(ParseHourMinuteTest, IsStrict) {
  EXPECT_EQ(ParseHourMinute("00:00"), 0);
  EXPECT_EQ(ParseHourMinute("09:05"), 9 * 60 + 5);
  EXPECT_EQ(ParseHourMinute("23:59"), 23 * 60 + 59);
  for (const char* bad : {"", "9:00", "09:0", "0900", "24:00", "09:60", " 09:00", "09:00 ", "09-00",
                          "+9:00", "09:+5", "aa:bb", "009:00"}) {
    EXPECT_EQ(ParseHourMinute(bad), std::nullopt) << bad;
  }
}

struct BadPolicy {
  std::string name;
  std::function<void(v1::ReminderPolicy&)> mutate;
  std::string field;  // expected at the start of the message, after "policy."
};

std::vector<BadPolicy> BadPolicies() {
  using P = v1::ReminderPolicy;
  return {
      {"after_order below 10", [](P& p) { p.set_after_order_minutes(9); }, "after_order_minutes"},
      {"after_order above 2880", [](P& p) { p.set_after_order_minutes(2881); },
       "after_order_minutes"},
      {"after_order negative", [](P& p) { p.set_after_order_minutes(-1); }, "after_order_minutes"},
      {"pre_close below 30", [](P& p) { p.set_pre_close_minutes(29); }, "pre_close_minutes"},
      {"pre_close above 1440", [](P& p) { p.set_pre_close_minutes(1441); }, "pre_close_minutes"},
      {"flash_sale above 25", [](P& p) { p.set_flash_sale_minutes(26); }, "flash_sale_minutes"},
      {"flash_sale negative", [](P& p) { p.set_flash_sale_minutes(-1); }, "flash_sale_minutes"},
      {"max_per_order 0", [](P& p) { p.set_max_per_order(0); }, "max_per_order"},
      {"max_per_order 6", [](P& p) { p.set_max_per_order(6); }, "max_per_order"},
      {"window_start loose", [](P& p) { p.set_window_start("9:00"); }, "window_start"},
      {"window_start 24:00", [](P& p) { p.set_window_start("24:00"); }, "window_start"},
      {"window_start empty", [](P& p) { p.set_window_start(""); }, "window_start"},
      {"window_end minutes 60", [](P& p) { p.set_window_end("21:60"); }, "window_end"},
      {"window_end spaces", [](P& p) { p.set_window_end("22:00 "); }, "window_end"},
      {"time_zone empty", [](P& p) { p.set_time_zone(""); }, "time_zone"},
      {"shop_name too long", [](P& p) { p.set_shop_name(std::string(61, 'x')); }, "shop_name"},
      {"time_zone unknown", [](P& p) { p.set_time_zone("Mars/Olympus_Mons"); }, "time_zone"},
      {"time_zone localtime", [](P& p) { p.set_time_zone("localtime"); }, "time_zone"},
      {"time_zone path", [](P& p) { p.set_time_zone("../../etc/passwd"); }, "time_zone"},
      {"time_zone absolute", [](P& p) { p.set_time_zone("/usr/share/zoneinfo/UTC"); }, "time_zone"},
      {"time_zone offset form", [](P& p) { p.set_time_zone("Fixed/UTC+08:00:00"); }, "time_zone"},
      {"outside_window unknown",
       [](P& p) { p.set_outside_window(static_cast<v1::OutsideWindow>(7)); }, "outside_window"},
      {"max_defer 0", [](P& p) { p.set_max_defer_minutes(0); }, "max_defer_minutes"},
      {"max_defer above 2880", [](P& p) { p.set_max_defer_minutes(2881); }, "max_defer_minutes"},
      {"min_amount negative", [](P& p) { p.set_min_amount_fen(-1); }, "min_amount_fen"},
      {"max_amount negative", [](P& p) { p.set_max_amount_fen(-1); }, "max_amount_fen"},
      {"max_amount huge", [](P& p) { p.set_max_amount_fen(kMaxAmountFen + 1); }, "max_amount_fen"},
      {"min above max",
       [](P& p) {
         p.set_min_amount_fen(5000);
         p.set_max_amount_fen(4999);
       },
       "min_amount_fen"},
      {"blacklist too long",
       [](P& p) {
         for (int i = 0; i <= kMaxBlacklist; ++i) p.add_blacklist_buyer_ids(absl::StrCat("b", i));
       },
       "blacklist_buyer_ids"},
      {"blacklist bad id",
       [](P& p) {
         p.add_blacklist_buyer_ids("good");
         p.add_blacklist_buyer_ids("no spaces");
       },
       "blacklist_buyer_ids[1]"},
      {"blacklist empty id", [](P& p) { p.add_blacklist_buyer_ids(""); }, "blacklist_buyer_ids[0]"},
      {"skip flag none", [](P& p) { p.add_skip_flags(v1::FLAG_NONE); }, "skip_flags[0]"},
      {"skip flag unknown",
       [](P& p) {
         p.add_skip_flags(v1::FLAG_RED);
         p.add_skip_flags(static_cast<v1::Flag>(9));
       },
       "skip_flags[1]"},
      {"skip flag repeated",
       [](P& p) {
         p.add_skip_flags(v1::FLAG_RED);
         p.add_skip_flags(v1::FLAG_BLUE);
         p.add_skip_flags(v1::FLAG_RED);
       },
       "skip_flags[2]"},
      {"too many keywords",
       [](P& p) {
         for (int i = 0; i <= kMaxSkipKeywords; ++i) p.add_skip_keywords(absl::StrCat("k", i));
       },
       "skip_keywords"},
      {"empty keyword",
       [](P& p) {
         p.add_skip_keywords("刷单");
         p.add_skip_keywords("");
       },
       "skip_keywords[1]"},
      {"long keyword", [](P& p) { p.add_skip_keywords(std::string(65, 'k')); }, "skip_keywords[0]"},
      {"keyword not UTF-8", [](P& p) { p.add_skip_keywords("\xff\xfe"); }, "skip_keywords[0]"},
      {"keyword control char", [](P& p) { p.add_skip_keywords("a\x01"); }, "skip_keywords[0]"},
      {"channel unspecified", [](P& p) { p.set_channel(v1::CHANNEL_UNSPECIFIED); }, "channel"},
      {"channel unknown", [](P& p) { p.set_channel(static_cast<v1::Channel>(9)); }, "channel"},
      {"sms cap 0", [](P& p) { p.set_sms_per_phone_per_day(0); }, "sms_per_phone_per_day"},
      {"sms cap 11", [](P& p) { p.set_sms_per_phone_per_day(11); }, "sms_per_phone_per_day"},
      {"im cap negative", [](P& p) { p.set_im_per_buyer_per_day(-1); }, "im_per_buyer_per_day"},
      {"phone cap 11", [](P& p) { p.set_phone_per_buyer_per_day(11); }, "phone_per_buyer_per_day"},
      {"holdout negative", [](P& p) { p.set_holdout_percent(-1); }, "holdout_percent"},
      {"holdout above 50", [](P& p) { p.set_holdout_percent(51); }, "holdout_percent"},
      {"peak start only", [](P& p) { p.mutable_peak()->set_start_unix_ms(1762790400000); },
       "peak.end_unix_ms"},
      {"peak end only", [](P& p) { p.mutable_peak()->set_end_unix_ms(1762790400000); },
       "peak.start_unix_ms"},
      {"peak end before start",
       [](P& p) {
         p.mutable_peak()->set_start_unix_ms(1762790400000);
         p.mutable_peak()->set_end_unix_ms(1762790399999);
       },
       "peak.end_unix_ms"},
      {"peak empty",
       [](P& p) {
         p.mutable_peak()->set_start_unix_ms(1762790400000);
         p.mutable_peak()->set_end_unix_ms(1762790400000);
       },
       "peak.end_unix_ms"},
      {"peak start in seconds",
       [](P& p) {
         p.mutable_peak()->set_start_unix_ms(1762790400);
         p.mutable_peak()->set_end_unix_ms(1762790400000);
       },
       "peak.start_unix_ms"},
      {"peak after_order below 10", [](P& p) { p.mutable_peak()->set_after_order_minutes(5); },
       "peak.after_order_minutes"},
      {"peak pre_close below 30", [](P& p) { p.mutable_peak()->set_pre_close_minutes(20); },
       "peak.pre_close_minutes"},
      {"peak pre_close above 1440", [](P& p) { p.mutable_peak()->set_pre_close_minutes(1441); },
       "peak.pre_close_minutes"},
  };
}

TEST(ValidatePolicyTest, EveryBadFieldIsNamed) {
  for (const BadPolicy& c : BadPolicies()) {
    v1::ReminderPolicy p = DefaultPolicy();
    c.mutate(p);
    const absl::Status s = ValidatePolicy(p);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.name << ": " << s;
    const std::string prefix = "policy." + c.field + ": ";
    EXPECT_EQ(std::string(s.message()).substr(0, prefix.size()), prefix) << c.name << ": " << s;
  }
}

TEST(ValidatePolicyTest, PathPrefixesTheField) {
  v1::ReminderPolicy p = DefaultPolicy();
  p.set_max_per_order(0);
  EXPECT_EQ(std::string(ValidatePolicy(p, "").message()).substr(0, 14), "max_per_order:");
  EXPECT_EQ(std::string(ValidatePolicy(p, "req.policy.").message()).substr(0, 25),
            "req.policy.max_per_order:");
}

TEST(ValidatePolicyTest, AcceptsTheEdgesOfEveryRange) {
  std::vector<std::function<void(v1::ReminderPolicy&)>> good = {
      [](auto& p) { p.set_after_order_minutes(0); },
      [](auto& p) { p.set_after_order_minutes(10); },
      [](auto& p) { p.set_after_order_minutes(2880); },
      [](auto& p) { p.set_pre_close_minutes(0); },
      [](auto& p) { p.set_pre_close_minutes(30); },
      [](auto& p) { p.set_pre_close_minutes(1440); },
      [](auto& p) { p.set_flash_sale_minutes(0); },
      [](auto& p) { p.set_flash_sale_minutes(1); },
      [](auto& p) { p.set_flash_sale_minutes(25); },
      [](auto& p) { p.set_max_per_order(1); },
      [](auto& p) { p.set_max_per_order(5); },
      [](auto& p) {
        p.set_window_start("20:00");  // over midnight
        p.set_window_end("02:00");
      },
      [](auto& p) {
        p.set_window_start("00:00");
        p.set_window_end("23:59");
      },
      [](auto& p) { p.set_time_zone("UTC"); },
      [](auto& p) { p.set_time_zone("America/New_York"); },
      [](auto& p) { p.set_time_zone("Etc/GMT-8"); },
      [](auto& p) { p.set_outside_window(v1::OUTSIDE_WINDOW_DROP); },
      [](auto& p) { p.set_max_defer_minutes(1); },
      [](auto& p) { p.set_max_defer_minutes(2880); },
      [](auto& p) { p.set_min_amount_fen(5000); },  // no upper bound
      [](auto& p) {
        p.set_min_amount_fen(5000);
        p.set_max_amount_fen(5000);
      },
      [](auto& p) {
        for (int i = 0; i < kMaxBlacklist; ++i) p.add_blacklist_buyer_ids(absl::StrCat("b", i));
      },
      [](auto& p) {
        for (int f = v1::FLAG_RED; f <= v1::FLAG_PURPLE; ++f) {
          p.add_skip_flags(static_cast<v1::Flag>(f));
        }
      },
      [](auto& p) {
        for (int i = 0; i < kMaxSkipKeywords; ++i) p.add_skip_keywords(absl::StrCat("k", i));
        p.set_skip_keywords(0, std::string(64, 'k'));
      },
      [](auto& p) { p.set_channel(v1::CHANNEL_SMS); },
      [](auto& p) { p.set_channel(v1::CHANNEL_PHONE); },
      [](auto& p) { p.set_sms_per_phone_per_day(10); },
      [](auto& p) { p.set_holdout_percent(50); },
      [](auto& p) {
        p.mutable_peak()->set_start_unix_ms(1762776000000);
        p.mutable_peak()->set_end_unix_ms(1762797600000);
        p.mutable_peak()->set_after_order_minutes(10);
        p.mutable_peak()->set_pre_close_minutes(30);
      },
      [](auto& p) { p.set_version(-5); },  // output only
  };
  for (size_t i = 0; i < good.size(); ++i) {
    v1::ReminderPolicy p = DefaultPolicy();
    good[i](p);
    EXPECT_TRUE(ValidatePolicy(p).ok()) << "case " << i << ": " << ValidatePolicy(p);
  }
}

// ---------------------------------------------------------------------------------------------
// PlanReminders and NextReminder

// An unpaid order placed at 10:00 on 2026-11-05 (Shanghai) that the platform closes 24 h later.
OrderFacts UnpaidOrder() {
  OrderFacts o;
  o.created = Sh(2026, 11, 5, 10, 0);
  o.auto_close = o.created + absl::Hours(24);
  o.amount_fen = 12900;
  o.buyer_id = "b1";
  return o;
}

// The kinds and due times NextReminder returns for reminders_sent = 0, 1, ... until none.
std::vector<PlannedReminder> Sequence(const v1::ReminderPolicy& p, OrderFacts o, absl::Time now) {
  std::vector<PlannedReminder> out;
  for (o.reminders_sent = 0; o.reminders_sent < 10; ++o.reminders_sent) {
    auto r = NextReminder(p, o, now);
    if (!r) break;
    out.push_back(*r);
  }
  return out;
}

TEST(NextReminderTest, NormalOrderGetsAfterOrderThenPreClose) {
  const OrderFacts o = UnpaidOrder();
  const auto seq = Sequence(DefaultPolicy(), o, o.created);
  ASSERT_EQ(seq.size(), 2u);
  EXPECT_EQ(seq[0].kind, v1::REMINDER_KIND_AFTER_ORDER);
  EXPECT_EQ(seq[0].due, Sh(2026, 11, 5, 10, 30));
  EXPECT_FALSE(seq[0].peak);
  EXPECT_EQ(seq[1].kind, v1::REMINDER_KIND_PRE_CLOSE);
  EXPECT_EQ(seq[1].due, Sh(2026, 11, 6, 9, 0));
  EXPECT_FALSE(seq[1].peak);
}

TEST(NextReminderTest, MaxPerOrderCapsTheSequence) {
  v1::ReminderPolicy p = DefaultPolicy();
  p.set_max_per_order(1);
  OrderFacts o = UnpaidOrder();
  EXPECT_EQ(Sequence(p, o, o.created).size(), 1u);
  // A manual reminder counts: with one sent, the cap of 1 is reached.
  o.reminders_sent = 1;
  EXPECT_EQ(NextReminder(p, o, o.created), std::nullopt);
  // A higher cap than there are slots: the slots run out first.
  p.set_max_per_order(5);
  EXPECT_EQ(Sequence(p, UnpaidOrder(), o.created).size(), 2u);
}

TEST(NextReminderTest, NothingOncePaidClosedRefundedOrDisabled) {
  const v1::ReminderPolicy p = DefaultPolicy();
  const OrderFacts base = UnpaidOrder();
  const absl::Time now = base.created + absl::Minutes(5);
  ASSERT_TRUE(NextReminder(p, base, now).has_value());

  OrderFacts o = base;
  o.paid = base.created + absl::Minutes(1);
  EXPECT_EQ(NextReminder(p, o, now), std::nullopt);
  o = base;
  o.closed = base.created + absl::Minutes(1);
  EXPECT_EQ(NextReminder(p, o, now), std::nullopt);
  o = base;
  o.refunded = base.created + absl::Minutes(1);
  EXPECT_EQ(NextReminder(p, o, now), std::nullopt);
  // A paid time later than `now` (clocks differ) still means paid.
  o = base;
  o.paid = now + absl::Hours(1);
  EXPECT_EQ(NextReminder(p, o, now), std::nullopt);

  v1::ReminderPolicy off = p;
  off.set_enabled(false);
  EXPECT_EQ(NextReminder(off, base, now), std::nullopt);
}

TEST(NextReminderTest, NothingOnceThePlatformClosedTheOrder) {
  const OrderFacts o = UnpaidOrder();
  EXPECT_TRUE(NextReminder(DefaultPolicy(), o, o.auto_close - absl::Seconds(1)).has_value());
  EXPECT_EQ(NextReminder(DefaultPolicy(), o, o.auto_close), std::nullopt);
}

TEST(NextReminderTest, NothingWithoutACreationTime) {
  OrderFacts o = UnpaidOrder();
  o.created = absl::InfinitePast();
  EXPECT_TRUE(PlanReminders(DefaultPolicy(), o).empty());
  EXPECT_EQ(NextReminder(DefaultPolicy(), o, Sh(2026, 11, 5, 12, 0)), std::nullopt);
}

TEST(NextReminderTest, PastDueSlotIsReturnedUnchanged) {
  const OrderFacts o = UnpaidOrder();
  // The worker was down for hours: the after-order slot is still next, due as planned.
  const auto r = NextReminder(DefaultPolicy(), o, Sh(2026, 11, 5, 18, 0));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->kind, v1::REMINDER_KIND_AFTER_ORDER);
  EXPECT_EQ(r->due, Sh(2026, 11, 5, 10, 30));
}

TEST(NextReminderTest, NegativeSentCountsAsNone) {
  OrderFacts o = UnpaidOrder();
  o.reminders_sent = -3;
  const auto r = NextReminder(DefaultPolicy(), o, o.created);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->kind, v1::REMINDER_KIND_AFTER_ORDER);
}

TEST(NextReminderTest, WithoutAutoCloseOnlyAfterOrder) {
  OrderFacts o = UnpaidOrder();
  o.auto_close = absl::InfinitePast();
  const auto seq = Sequence(DefaultPolicy(), o, Sh(2026, 11, 9, 0, 0));
  ASSERT_EQ(seq.size(), 1u);
  EXPECT_EQ(seq[0].kind, v1::REMINDER_KIND_AFTER_ORDER);
}

TEST(NextReminderTest, KindsSwitchedOff) {
  v1::ReminderPolicy p = DefaultPolicy();
  p.set_after_order_minutes(0);
  const OrderFacts o = UnpaidOrder();
  auto seq = Sequence(p, o, o.created);
  ASSERT_EQ(seq.size(), 1u);
  EXPECT_EQ(seq[0].kind, v1::REMINDER_KIND_PRE_CLOSE);

  p = DefaultPolicy();
  p.set_pre_close_minutes(0);
  seq = Sequence(p, o, o.created);
  ASSERT_EQ(seq.size(), 1u);
  EXPECT_EQ(seq[0].kind, v1::REMINDER_KIND_AFTER_ORDER);
}

TEST(NextReminderTest, PreCloseMustComeAfterTheFirstReminder) {
  v1::ReminderPolicy p = DefaultPolicy();
  OrderFacts o = UnpaidOrder();
  // Closes 80 minutes after creation: pre-close (20 min after creation) would precede the
  // after-order reminder (30 min), so only the after-order one is planned.
  o.auto_close = o.created + absl::Minutes(80);
  auto seq = Sequence(p, o, o.created);
  ASSERT_EQ(seq.size(), 1u);
  EXPECT_EQ(seq[0].kind, v1::REMINDER_KIND_AFTER_ORDER);
  // Exactly at the after-order time: one message, not two.
  o.auto_close = o.created + absl::Minutes(90);
  EXPECT_EQ(Sequence(p, o, o.created).size(), 1u);
  o.auto_close = o.created + absl::Minutes(91);
  seq = Sequence(p, o, o.created);
  ASSERT_EQ(seq.size(), 2u);
  EXPECT_EQ(seq[1].due, o.created + absl::Minutes(31));
}

TEST(NextReminderTest, AfterOrderAtOrAfterCloseIsNotPlanned) {
  v1::ReminderPolicy p = DefaultPolicy();
  p.set_after_order_minutes(2880);
  const OrderFacts o = UnpaidOrder();  // closes after 24 h
  const auto seq = Sequence(p, o, o.created);
  ASSERT_EQ(seq.size(), 1u);
  EXPECT_EQ(seq[0].kind, v1::REMINDER_KIND_PRE_CLOSE);
}

TEST(NextReminderTest, FlashSaleUsesFlashMinutes) {
  const v1::ReminderPolicy p = DefaultPolicy();
  OrderFacts o = UnpaidOrder();
  o.flash_sale = true;
  o.auto_close = o.created + absl::Minutes(30);
  // Pre-close (30 minutes before creation) is not planned: only the flash reminder.
  auto seq = Sequence(p, o, o.created);
  ASSERT_EQ(seq.size(), 1u);
  EXPECT_EQ(seq[0].kind, v1::REMINDER_KIND_FLASH_SALE);
  EXPECT_EQ(seq[0].due, o.created + absl::Minutes(15));

  // A flash-sale order that closes late also gets its pre-close reminder.
  o.auto_close = o.created + absl::Hours(2);
  seq = Sequence(p, o, o.created);
  ASSERT_EQ(seq.size(), 2u);
  EXPECT_EQ(seq[0].kind, v1::REMINDER_KIND_FLASH_SALE);
  EXPECT_EQ(seq[1].kind, v1::REMINDER_KIND_PRE_CLOSE);
  EXPECT_EQ(seq[1].due, o.created + absl::Hours(1));
}

TEST(NextReminderTest, FlashSaleOffMeansNoOrdinaryTimingEither) {
  v1::ReminderPolicy p = DefaultPolicy();
  p.set_flash_sale_minutes(0);
  OrderFacts o = UnpaidOrder();
  o.flash_sale = true;
  o.auto_close = o.created + absl::Minutes(30);
  EXPECT_TRUE(Sequence(p, o, o.created).empty());
}

v1::ReminderPolicy PeakPolicy() {
  // Double 11: 11-10 20:00 to 11-11 02:00 in Shanghai.
  v1::ReminderPolicy p = DefaultPolicy();
  p.mutable_peak()->set_start_unix_ms(absl::ToUnixMillis(Sh(2026, 11, 10, 20, 0)));
  p.mutable_peak()->set_end_unix_ms(absl::ToUnixMillis(Sh(2026, 11, 11, 2, 0)));
  p.mutable_peak()->set_after_order_minutes(10);
  p.mutable_peak()->set_pre_close_minutes(30);
  return p;
}

TEST(NextReminderTest, PeakTimingsFollowTheBaseTime) {
  const v1::ReminderPolicy p = PeakPolicy();
  OrderFacts o;
  o.created = Sh(2026, 11, 10, 23, 50);
  o.auto_close = o.created + absl::Hours(24);  // closes outside the peak
  auto seq = Sequence(p, o, o.created);
  ASSERT_EQ(seq.size(), 2u);
  EXPECT_EQ(seq[0].kind, v1::REMINDER_KIND_AFTER_ORDER);
  EXPECT_EQ(seq[0].due, o.created + absl::Minutes(10));
  EXPECT_TRUE(seq[0].peak);
  EXPECT_EQ(seq[1].kind, v1::REMINDER_KIND_PRE_CLOSE);
  EXPECT_EQ(seq[1].due, o.auto_close - absl::Minutes(60));
  EXPECT_FALSE(seq[1].peak);

  // Placed before the peak, closing inside it: normal after-order, peak pre-close.
  o.created = Sh(2026, 11, 10, 12, 0);
  o.auto_close = Sh(2026, 11, 11, 0, 0);
  seq = Sequence(p, o, o.created);
  ASSERT_EQ(seq.size(), 2u);
  EXPECT_EQ(seq[0].due, o.created + absl::Minutes(30));
  EXPECT_FALSE(seq[0].peak);
  EXPECT_EQ(seq[1].due, o.auto_close - absl::Minutes(30));
  EXPECT_TRUE(seq[1].peak);
}

TEST(NextReminderTest, PeakIsHalfOpen) {
  const v1::ReminderPolicy p = PeakPolicy();
  OrderFacts o;
  o.created = Sh(2026, 11, 10, 20, 0);  // the start is inside
  auto r = NextReminder(p, o, o.created);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->peak);
  EXPECT_EQ(r->due, o.created + absl::Minutes(10));
  o.created = Sh(2026, 11, 11, 2, 0);  // the end is not
  r = NextReminder(p, o, o.created);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->peak);
  EXPECT_EQ(r->due, o.created + absl::Minutes(30));
  o.created = Sh(2026, 11, 11, 1, 59, 59);
  EXPECT_TRUE(NextReminder(p, o, o.created)->peak);
}

TEST(NextReminderTest, PeakWithoutMinutesKeepsTimingsButMarksPeak) {
  v1::ReminderPolicy p = PeakPolicy();
  p.mutable_peak()->set_after_order_minutes(0);
  OrderFacts o;
  o.created = Sh(2026, 11, 10, 21, 0);
  const auto r = NextReminder(p, o, o.created);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->due, o.created + absl::Minutes(30));
  EXPECT_TRUE(r->peak);
}

TEST(NextReminderTest, FlashSaleAtPeakIsPeakButKeepsFlashMinutes) {
  const v1::ReminderPolicy p = PeakPolicy();
  OrderFacts o;
  o.created = Sh(2026, 11, 11, 0, 0);
  o.auto_close = o.created + absl::Minutes(30);
  o.flash_sale = true;
  const auto seq = Sequence(p, o, o.created);
  ASSERT_EQ(seq.size(), 1u);
  EXPECT_EQ(seq[0].kind, v1::REMINDER_KIND_FLASH_SALE);
  EXPECT_EQ(seq[0].due, o.created + absl::Minutes(15));
  EXPECT_TRUE(seq[0].peak);
}

TEST(NextReminderTest, PromisedTimeTakesItsPlaceInTimeOrder) {
  v1::ReminderPolicy p = DefaultPolicy();
  p.set_max_per_order(3);
  OrderFacts o = UnpaidOrder();
  o.promised_pay = Sh(2026, 11, 5, 20, 0);  // "I'll pay tonight at eight"
  const auto seq = Sequence(p, o, o.created);
  ASSERT_EQ(seq.size(), 3u);
  EXPECT_EQ(seq[0].kind, v1::REMINDER_KIND_AFTER_ORDER);
  EXPECT_EQ(seq[1].kind, v1::REMINDER_KIND_PROMISED_TIME);
  EXPECT_EQ(seq[1].due, o.promised_pay);
  EXPECT_EQ(seq[2].kind, v1::REMINDER_KIND_PRE_CLOSE);

  // The default cap of 2: the promise comes second and the pre-close one is not sent.
  const auto capped = Sequence(DefaultPolicy(), o, o.created);
  ASSERT_EQ(capped.size(), 2u);
  EXPECT_EQ(capped[1].kind, v1::REMINDER_KIND_PROMISED_TIME);

  // After the pre-close time, it comes last.
  o.promised_pay = o.auto_close - absl::Minutes(10);
  const auto late = Sequence(p, o, o.created);
  ASSERT_EQ(late.size(), 3u);
  EXPECT_EQ(late[2].kind, v1::REMINDER_KIND_PROMISED_TIME);
}

TEST(NextReminderTest, PromisedTimeEdges) {
  v1::ReminderPolicy p = DefaultPolicy();
  p.set_max_per_order(5);
  const OrderFacts base = UnpaidOrder();
  auto kinds = [&](const OrderFacts& o) {
    std::vector<v1::ReminderKind> k;
    for (const auto& r : Sequence(p, o, o.created)) k.push_back(r.kind);
    return k;
  };
  const std::vector<v1::ReminderKind> without = {v1::REMINDER_KIND_AFTER_ORDER,
                                                 v1::REMINDER_KIND_PRE_CLOSE};
  OrderFacts o = base;
  o.promised_pay = base.auto_close;  // the order is closed by then
  EXPECT_EQ(kinds(o), without);
  o.promised_pay = base.created - absl::Minutes(1);  // before the order existed
  EXPECT_EQ(kinds(o), without);
  o.promised_pay = base.created + absl::Minutes(30);  // same instant as after-order: one message
  EXPECT_EQ(kinds(o), without);
  o.promised_pay = base.created + absl::Minutes(5);  // before the after-order reminder
  EXPECT_EQ(kinds(o), (std::vector<v1::ReminderKind>{v1::REMINDER_KIND_PROMISED_TIME,
                                                     v1::REMINDER_KIND_AFTER_ORDER,
                                                     v1::REMINDER_KIND_PRE_CLOSE}));
  p.set_remind_at_promised_time(false);
  o.promised_pay = Sh(2026, 11, 5, 20, 0);
  EXPECT_EQ(kinds(o), without);
}

TEST(NextReminderTest, PromisedTimeInPeakIsPeak) {
  v1::ReminderPolicy p = PeakPolicy();
  p.set_max_per_order(5);
  OrderFacts o;
  o.created = Sh(2026, 11, 10, 10, 0);
  o.promised_pay = Sh(2026, 11, 10, 21, 0);
  const auto plan = PlanReminders(p, o);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[1].kind, v1::REMINDER_KIND_PROMISED_TIME);
  EXPECT_TRUE(plan[1].peak);
  EXPECT_FALSE(plan[0].peak);
}

// ---------------------------------------------------------------------------------------------
// ApplyWindow

TEST(ApplyWindowTest, InsideTheWindowGoesOut) {
  const v1::ReminderPolicy p = DefaultPolicy();
  // Due in the past: now.
  WindowDecision d = ApplyWindow(p, Sh(2026, 11, 5, 12, 0), Sh(2026, 11, 5, 12, 5));
  EXPECT_EQ(d.action, Action::kSendNow);
  EXPECT_EQ(d.at, Sh(2026, 11, 5, 12, 5));
  EXPECT_EQ(d.reason, "");
  // Due in the future: judged at its due time.
  d = ApplyWindow(p, Sh(2026, 11, 5, 12, 0), Sh(2026, 11, 5, 8, 0));
  EXPECT_EQ(d.action, Action::kSendNow);
  EXPECT_EQ(d.at, Sh(2026, 11, 5, 12, 0));
}

TEST(ApplyWindowTest, WindowIsHalfOpen) {
  const v1::ReminderPolicy p = DefaultPolicy();
  EXPECT_EQ(ApplyWindow(p, Sh(2026, 11, 5, 9, 0), Sh(2026, 11, 5, 9, 0)).action, Action::kSendNow);
  EXPECT_EQ(ApplyWindow(p, Sh(2026, 11, 5, 21, 59, 59), Sh(2026, 11, 5, 21, 59, 59)).action,
            Action::kSendNow);
  const WindowDecision d = ApplyWindow(p, Sh(2026, 11, 5, 22, 0), Sh(2026, 11, 5, 22, 0));
  EXPECT_EQ(d.action, Action::kDefer);
  EXPECT_EQ(d.at, Sh(2026, 11, 6, 9, 0));
  const WindowDecision early = ApplyWindow(p, Sh(2026, 11, 5, 8, 59, 59), Sh(2026, 11, 5, 8, 0));
  EXPECT_EQ(early.action, Action::kDefer);
  EXPECT_EQ(early.at, Sh(2026, 11, 5, 9, 0));
}

TEST(ApplyWindowTest, NightReminderMovesToTheMorning) {
  const v1::ReminderPolicy p = DefaultPolicy();
  const WindowDecision d = ApplyWindow(p, Sh(2026, 11, 5, 23, 30), Sh(2026, 11, 5, 23, 0));
  EXPECT_EQ(d.action, Action::kDefer);
  EXPECT_EQ(d.at, Sh(2026, 11, 6, 9, 0));
  EXPECT_EQ(d.reason, "outside sending window");
  // After midnight the opening is the same day's.
  EXPECT_EQ(ApplyWindow(p, Sh(2026, 11, 6, 3, 0), Sh(2026, 11, 6, 3, 0)).at, Sh(2026, 11, 6, 9, 0));
  // Fired at its opening, the deferred reminder goes out.
  EXPECT_EQ(ApplyWindow(p, Sh(2026, 11, 5, 23, 30), Sh(2026, 11, 6, 9, 0)).action,
            Action::kSendNow);
}

TEST(ApplyWindowTest, DropPolicyDrops) {
  v1::ReminderPolicy p = DefaultPolicy();
  p.set_outside_window(v1::OUTSIDE_WINDOW_DROP);
  const WindowDecision d = ApplyWindow(p, Sh(2026, 11, 5, 23, 30), Sh(2026, 11, 5, 23, 31));
  EXPECT_EQ(d.action, Action::kDrop);
  EXPECT_EQ(d.reason, "outside sending window");
  EXPECT_EQ(d.at, Sh(2026, 11, 5, 23, 31));
  EXPECT_EQ(ApplyWindow(p, Sh(2026, 11, 5, 13, 0), Sh(2026, 11, 5, 13, 0)).action,
            Action::kSendNow);
}

TEST(ApplyWindowTest, DeferralIsLimitedByMaxDefer) {
  v1::ReminderPolicy p = DefaultPolicy();
  p.set_max_defer_minutes(600);  // 10 h
  // 22:30 -> 09:00 is 10.5 h.
  WindowDecision d = ApplyWindow(p, Sh(2026, 11, 5, 22, 30), Sh(2026, 11, 5, 22, 30));
  EXPECT_EQ(d.action, Action::kDrop);
  EXPECT_EQ(d.reason, "deferred past max_defer_minutes");
  // 23:00 -> 09:00 is exactly 10 h: allowed.
  d = ApplyWindow(p, Sh(2026, 11, 5, 23, 0), Sh(2026, 11, 5, 23, 0));
  EXPECT_EQ(d.action, Action::kDefer);
  EXPECT_EQ(d.at, Sh(2026, 11, 6, 9, 0));
  // A second more than 10 h before the opening: dropped.
  EXPECT_EQ(ApplyWindow(p, Sh(2026, 11, 5, 22, 59, 59), Sh(2026, 11, 5, 23, 0)).action,
            Action::kDrop);
}

TEST(ApplyWindowTest, StaleReminderJudgedAtNow) {
  const v1::ReminderPolicy p = DefaultPolicy();  // max_defer 720
  // Due yesterday at 21:30 (inside), but the worker only got to it at 23:00: the opening at
  // 09:00 is 11.5 h after due, within 12 h.
  WindowDecision d = ApplyWindow(p, Sh(2026, 11, 5, 21, 30), Sh(2026, 11, 5, 23, 0));
  EXPECT_EQ(d.action, Action::kDefer);
  EXPECT_EQ(d.at, Sh(2026, 11, 6, 9, 0));
  // Due at 20:00: 13 h before the opening.
  d = ApplyWindow(p, Sh(2026, 11, 5, 20, 0), Sh(2026, 11, 5, 23, 0));
  EXPECT_EQ(d.action, Action::kDrop);
  EXPECT_EQ(d.reason, "deferred past max_defer_minutes");
  EXPECT_EQ(d.at, Sh(2026, 11, 5, 23, 0));
  // Inside the window a late reminder goes out: max_defer limits deferral only.
  EXPECT_EQ(ApplyWindow(p, Sh(2026, 11, 3, 10, 0), Sh(2026, 11, 5, 10, 0)).action,
            Action::kSendNow);
}

TEST(ApplyWindowTest, WindowOverMidnight) {
  v1::ReminderPolicy p = DefaultPolicy();
  p.set_window_start("20:00");
  p.set_window_end("02:00");
  auto at = [&](int d, int h, int m, int s = 0) {
    const absl::Time t = Sh(2026, 11, d, h, m, s);
    return ApplyWindow(p, t, t);
  };
  EXPECT_EQ(at(10, 20, 0).action, Action::kSendNow);
  EXPECT_EQ(at(10, 23, 59).action, Action::kSendNow);
  EXPECT_EQ(at(11, 0, 0).action, Action::kSendNow);
  EXPECT_EQ(at(11, 1, 59, 59).action, Action::kSendNow);
  // Outside, 02:00 to 20:00, everything waits for 20:00 the same day.
  p.set_max_defer_minutes(2880);
  for (const WindowDecision& d : {at(11, 2, 0), at(11, 12, 0), at(11, 19, 59, 59)}) {
    EXPECT_EQ(d.action, Action::kDefer);
    EXPECT_EQ(d.at, Sh(2026, 11, 11, 20, 0));
  }
  // Deferred from 02:00 to 20:00 is 18 h: past the default 12 h.
  p.set_max_defer_minutes(720);
  const WindowDecision d = at(11, 2, 0);
  EXPECT_EQ(d.action, Action::kDrop);
  EXPECT_EQ(d.reason, "deferred past max_defer_minutes");
  EXPECT_EQ(at(11, 8, 0).action, Action::kDefer);  // 12 h exactly
  EXPECT_EQ(at(11, 7, 59).action, Action::kDrop);
}

TEST(ApplyWindowTest, UsesThePolicysTimeZone) {
  v1::ReminderPolicy p = DefaultPolicy();
  const absl::Time t = Sh(2026, 11, 5, 9, 30);  // 01:30 UTC
  EXPECT_EQ(ApplyWindow(p, t, t).action, Action::kSendNow);
  p.set_time_zone("UTC");
  const WindowDecision d = ApplyWindow(p, t, t);
  EXPECT_EQ(d.action, Action::kDefer);
  EXPECT_EQ(d.at, absl::FromCivil(absl::CivilMinute(2026, 11, 5, 9, 0), absl::UTCTimeZone()));
}

TEST(ApplyWindowTest, DaylightSavingZones) {
  v1::ReminderPolicy p = DefaultPolicy();
  p.set_time_zone("America/New_York");
  const absl::TimeZone ny = Zone("America/New_York");
  const absl::TimeZone utc = absl::UTCTimeZone();
  // 2026-03-08: clocks jump from 02:00 EST to 03:00 EDT. 01:00 EST is 06:00 UTC; the 09:00 EDT
  // opening is 13:00 UTC, 7 h later (not 8).
  const absl::Time night = absl::FromCivil(absl::CivilMinute(2026, 3, 8, 1, 0), ny);
  WindowDecision d = ApplyWindow(p, night, night);
  EXPECT_EQ(d.action, Action::kDefer);
  EXPECT_EQ(d.at, absl::FromCivil(absl::CivilMinute(2026, 3, 8, 13, 0), utc));
  // A window opening at a skipped time opens at the jump (03:00 EDT = 07:00 UTC).
  p.set_window_start("02:30");
  p.set_window_end("05:00");
  d = ApplyWindow(p, night, night);
  EXPECT_EQ(d.action, Action::kDefer);
  EXPECT_EQ(d.at, absl::FromCivil(absl::CivilMinute(2026, 3, 8, 7, 0), utc));
  EXPECT_EQ(ApplyWindow(p, night, d.at).action, Action::kSendNow);
}

TEST(ApplyWindowTest, EqualStartAndEndMeansAnyHour) {
  v1::ReminderPolicy p = DefaultPolicy();
  p.set_window_start("00:00");
  p.set_window_end("00:00");
  EXPECT_TRUE(ValidatePolicy(p).ok());
  for (int hour : {0, 3, 12, 23}) {
    const absl::Time t = Sh(2026, 11, 5, hour, 30);
    EXPECT_EQ(ApplyWindow(p, t, t).action, Action::kSendNow) << hour;
  }
}

TEST(ApplyWindowTest, InvalidPolicyDrops) {
  v1::ReminderPolicy p = DefaultPolicy();
  p.set_window_start("nine");
  const absl::Time t = Sh(2026, 11, 5, 12, 0);
  WindowDecision d = ApplyWindow(p, t, t);
  EXPECT_EQ(d.action, Action::kDrop);
  EXPECT_EQ(d.reason, "invalid policy");
  p = DefaultPolicy();
  p.set_time_zone("Nowhere/Special");
  EXPECT_EQ(ApplyWindow(p, t, t).reason, "invalid policy");
}

// ---------------------------------------------------------------------------------------------
// SkipReason and HoldoutBucket

TEST(SkipReasonTest, EligibleOrderHasNoReason) {
  EXPECT_EQ(SkipReason(DefaultPolicy(), UnpaidOrder(), "shop1", "1001"), "");
}

TEST(SkipReasonTest, EachReason) {
  v1::ReminderPolicy p = DefaultPolicy();
  p.set_min_amount_fen(1000);
  p.set_max_amount_fen(100000);
  p.add_blacklist_buyer_ids("troll");
  p.add_skip_flags(v1::FLAG_GREEN);
  p.add_skip_flags(v1::FLAG_BLUE);
  p.add_skip_keywords("不要催");
  const OrderFacts base = UnpaidOrder();
  ASSERT_EQ(SkipReason(p, base, "shop1", "1001"), "");

  auto reason = [&](const std::function<void(OrderFacts&)>& change) {
    OrderFacts o = base;
    change(o);
    return SkipReason(p, o, "shop1", "1001");
  };
  const absl::Time t = base.created + absl::Minutes(1);
  EXPECT_EQ(reason([&](OrderFacts& o) { o.paid = t; }), "paid");
  EXPECT_EQ(reason([&](OrderFacts& o) { o.closed = t; }), "closed");
  EXPECT_EQ(reason([&](OrderFacts& o) { o.refunded = t; }), "refunded");
  EXPECT_EQ(reason([](OrderFacts& o) { o.reminders_sent = 2; }), "max_per_order");
  EXPECT_EQ(reason([](OrderFacts& o) { o.amount_fen = 999; }), "amount_below_min");
  EXPECT_EQ(reason([](OrderFacts& o) { o.amount_fen = 1000; }), "");
  EXPECT_EQ(reason([](OrderFacts& o) { o.amount_fen = 100000; }), "");
  EXPECT_EQ(reason([](OrderFacts& o) { o.amount_fen = 100001; }), "amount_above_max");
  EXPECT_EQ(reason([](OrderFacts& o) { o.buyer_id = "troll"; }), "blacklisted");
  EXPECT_EQ(reason([](OrderFacts& o) { o.buyer_id = "trolls"; }), "");
  EXPECT_EQ(reason([](OrderFacts& o) { o.flag = v1::FLAG_GREEN; }), "flag:green");
  EXPECT_EQ(reason([](OrderFacts& o) { o.flag = v1::FLAG_BLUE; }), "flag:blue");
  EXPECT_EQ(reason([](OrderFacts& o) { o.flag = v1::FLAG_RED; }), "");
  EXPECT_EQ(reason([](OrderFacts& o) { o.remark = "买家说不要催他 alice/2026-11-05"; }), "keyword");
  EXPECT_EQ(reason([](OrderFacts& o) { o.remark = "指定顺丰"; }), "");

  // The first reason in the documented order wins.
  EXPECT_EQ(reason([&](OrderFacts& o) {
              o.paid = t;
              o.buyer_id = "troll";
              o.flag = v1::FLAG_GREEN;
            }),
            "paid");
  EXPECT_EQ(reason([](OrderFacts& o) {
              o.amount_fen = 1;
              o.buyer_id = "troll";
            }),
            "amount_below_min");

  // Bounds of 0 are off; the paid-today rule only when the policy asks for it.
  p = DefaultPolicy();
  EXPECT_EQ(reason([](OrderFacts& o) { o.amount_fen = 0; }), "");
  EXPECT_EQ(reason([](OrderFacts& o) { o.amount_fen = kMaxAmountFen; }), "");
  // No buyer id never matches the blacklist.
  p.add_blacklist_buyer_ids("x");
  EXPECT_EQ(reason([](OrderFacts& o) { o.buyer_id.clear(); }), "");
}

TEST(SkipReasonTest, EveryFlagColourHasItsName) {
  const std::vector<std::pair<v1::Flag, std::string>> names = {{v1::FLAG_RED, "flag:red"},
                                                               {v1::FLAG_YELLOW, "flag:yellow"},
                                                               {v1::FLAG_GREEN, "flag:green"},
                                                               {v1::FLAG_BLUE, "flag:blue"},
                                                               {v1::FLAG_PURPLE, "flag:purple"}};
  for (const auto& [flag, name] : names) {
    v1::ReminderPolicy p = DefaultPolicy();
    p.add_skip_flags(flag);
    OrderFacts o = UnpaidOrder();
    o.flag = flag;
    EXPECT_EQ(SkipReason(p, o, "shop1", "1001"), name);
  }
}

TEST(SkipReasonTest, DisabledPolicyIsNoSkipReason) {
  v1::ReminderPolicy p = DefaultPolicy();
  p.set_enabled(false);  // a manual Trigger still goes
  EXPECT_EQ(SkipReason(p, UnpaidOrder(), "shop1", "1001"), "");
}

TEST(HoldoutTest, BucketsAreFixed) {
  // FNV-1a 64 of "shop1\0" "1001" etc., mod 100, computed independently. These values must never
  // change: a change would move orders between the holdout and the reminded group.
  EXPECT_EQ(HoldoutBucket("shop1", "1001"), 2);
  EXPECT_EQ(HoldoutBucket("shop1", "1002"), 91);
  EXPECT_EQ(HoldoutBucket("shop2", "1001"), 65);
  // The separator keeps ("ab", "c") and ("a", "bc") apart.
  EXPECT_NE(HoldoutBucket("ab", "c"), HoldoutBucket("a", "bc"));
  for (int i = 0; i < 1000; ++i) {
    const int b = HoldoutBucket("s", absl::StrCat(i));
    EXPECT_GE(b, 0);
    EXPECT_LT(b, 100);
  }
}

TEST(HoldoutTest, HoldsOutRoughlyTheShareAsked) {
  for (int percent : {1, 10, 50}) {
    v1::ReminderPolicy p = DefaultPolicy();
    p.set_holdout_percent(percent);
    for (const char* shop : {"shop1", "tmall-flagship"}) {
      int held = 0;
      for (int i = 0; i < 10000; ++i) {
        held += SkipReason(p, UnpaidOrder(), shop, absl::StrCat(4000000000000 + i)) == "holdout";
      }
      // Binomial(10000, p): 4 standard deviations either side.
      const double expected = 100.0 * percent;
      const double sd = std::sqrt(10000 * (percent / 100.0) * (1 - percent / 100.0));
      EXPECT_NEAR(held, expected, 4 * sd) << shop << " " << percent << "%";
    }
  }
  // 0% holds out nothing.
  int held = 0;
  for (int i = 0; i < 1000; ++i) {
    held += SkipReason(DefaultPolicy(), UnpaidOrder(), "shop1", absl::StrCat(i)) == "holdout";
  }
  EXPECT_EQ(held, 0);
}

}  // namespace
}  // namespace orderwatch::reminders
