#include "services/reminders/reminder_records.h"

#include <gtest/gtest.h>

namespace orderwatch::reminders {
namespace {

redis::Reply Hash(const std::vector<std::pair<std::string, std::string>>& fields) {
  return redis::Reply::HashOf(fields);
}

TEST(ReminderRecordsTest, FactsComeFromTheOrderHash) {
  const OrderFacts f = FactsFromHash(Hash({{"ct", "1762747200000"},
                                           {"ac", "1762833600000"},
                                           {"amt", "9900"},
                                           {"buy", "b1"},
                                           {"fs", "1"},
                                           {"ru", "2"},
                                           {"f", "1"},
                                           {"t", "顺丰"},
                                           {"e:c1", "1"}}));
  EXPECT_EQ(f.created, absl::FromUnixMillis(1762747200000));
  EXPECT_EQ(f.auto_close, absl::FromUnixMillis(1762833600000));
  EXPECT_EQ(f.paid, absl::InfinitePast());
  EXPECT_EQ(f.amount_fen, 9900);
  EXPECT_EQ(f.buyer_id, "b1");
  EXPECT_TRUE(f.flash_sale);
  EXPECT_EQ(f.reminders_sent, 2);
  EXPECT_EQ(f.flag, v1::FLAG_RED);
  EXPECT_EQ(f.remark, "顺丰");
}

TEST(ReminderRecordsTest, ShippingImpliesPayment) {
  EXPECT_EQ(FactsFromHash(Hash({{"ct", "1"}, {"shp", "5000"}})).paid, absl::FromUnixMillis(5000));
  EXPECT_EQ(FactsFromHash(Hash({{"paid", "4000"}, {"shp", "5000"}})).paid,
            absl::FromUnixMillis(4000));
}

TEST(ReminderRecordsTest, TheRemindersOwnPurpleIsNoHumanFlag) {
  // Source 3 = SOURCE_REMINDER: its purple must not trip a skip_flags=[purple] policy.
  EXPECT_EQ(FactsFromHash(Hash({{"f", "5"}, {"us", "3"}})).flag, v1::FLAG_NONE);
  EXPECT_EQ(FactsFromHash(Hash({{"f", "5"}, {"us", "1"}})).flag, v1::FLAG_PURPLE);
  EXPECT_EQ(FactsFromHash(Hash({{"f", "1"}, {"us", "3"}})).flag, v1::FLAG_RED);
}

TEST(ReminderRecordsTest, JobIdsRoundTrip) {
  EXPECT_EQ(scheduler::OrderJobId("shop1", "A:1"), "shop1:A:1");
  auto ids = scheduler::ParseOrderJobId("shop1:A:1");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(ids->first, "shop1");
  EXPECT_EQ(ids->second, "A:1") << "order ids may hold ':'; shop ids may not";
  auto d = ParseDeliveryJobId(DeliveryJobId("shop1", "A:1", 12));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->shop, "shop1");
  EXPECT_EQ(d->order, "A:1");
  EXPECT_EQ(d->number, 12);
  EXPECT_FALSE(ParseDeliveryJobId("shop1:A:x").ok());
  EXPECT_FALSE(scheduler::ParseOrderJobId("nocolon").ok());
}

TEST(ReminderRecordsTest, RecordsParseBackAndRejectDamage) {
  const std::string value =
      "2\x1f"
      "2\x1f"
      "alice\x1f"
      "100\x1f"
      "200\x1f"
      "sent\x1f"
      "\x1f"
      "亲";
  auto r = ParseRecord("shop1", "A", 3, value);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->kind(), v1::REMINDER_KIND_PRE_CLOSE);
  EXPECT_EQ(r->channel(), v1::CHANNEL_SMS);
  EXPECT_EQ(r->agent_id(), "alice");
  EXPECT_EQ(r->due_unix_ms(), 100);
  EXPECT_EQ(r->sent_unix_ms(), 200);
  EXPECT_EQ(r->outcome(), v1::REMINDER_OUTCOME_SENT);
  EXPECT_EQ(r->text(), "亲");
  EXPECT_EQ(r->idempotency_key(), "shop1:A:3");
  EXPECT_TRUE(r->merged_order_ids().empty());
  auto merged = ParseRecord("shop1", "A", 3,
                            value +
                                "\x1f"
                                "B,C");
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->text(), "亲");
  ASSERT_EQ(merged->merged_order_ids_size(), 2);
  EXPECT_EQ(merged->merged_order_ids(1), "C");
  EXPECT_FALSE(ParseRecord("shop1", "A", 3,
                           "2\x1f"
                           "2")
                   .ok());
  EXPECT_FALSE(ParseRecord("shop1", "A", 3,
                           "99\x1f"
                           "2\x1f\x1f\x1f\x1f\x1f\x1f")
                   .ok());
}

TEST(ReminderRecordsTest, RemarkLineNamesChannelAgentAndLocalTime) {
  absl::TimeZone sh;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &sh));
  const absl::Time t = absl::FromUnixSeconds(1762747200);  // 2025-11-10 12:00 +08:00
  EXPECT_EQ(RemarkLine(v1::CHANNEL_SMS, "alice", t, sh), "催付 sms by alice 2025-11-10 12:00");
  EXPECT_EQ(RemarkLine(v1::CHANNEL_IM, "", t, sh), "催付 im by auto 2025-11-10 12:00");
}

TEST(ReminderRecordsTest, AnswersRoundTripAndJoinTheirReminders) {
  v1::BuyerAnswer a;
  a.set_reason(v1::UNPAID_REASON_SHIPPING);
  a.set_note("问顺丰");
  a.set_promised_pay_unix_ms(1762776000000);
  a.set_agent_id("alice");
  a.set_recorded_unix_ms(1762749060000);
  auto back = ParseAnswer(AnswerValue(a));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->SerializeAsString(), a.SerializeAsString());
  EXPECT_FALSE(ParseAnswer("99\x1f\x1f"
                           "0\x1f\x1f"
                           "0")
                   .ok());
  EXPECT_FALSE(ParseAnswer("2").ok());

  const std::string record =
      "1\x1f"
      "1\x1f\x1f"
      "100\x1f"
      "200\x1f"
      "sent\x1f\x1f"
      "亲";
  auto list = RemindersFromHash("shop1", "A",
                                Hash({{"1", record}, {"a:2", AnswerValue(a)}, {"2", record}}));
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].number(), 2);  // newest first
  EXPECT_EQ((*list)[0].answer().note(), "问顺丰");
  EXPECT_FALSE((*list)[1].has_answer());
}

}  // namespace
}  // namespace orderwatch::reminders
