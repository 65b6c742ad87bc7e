// Payment reminders through a real server and Redis, on a manual clock: automatic reminders on
// the policy's timings and no more than its cap, none once the order is paid, the system remark
// (purple, never over a human's flag), agents' Trigger with its window and override, and policy
// validation, and the buyer-level rules over all of a buyer's orders (one message, daily caps,
// paid today). Deliveries are read back from the log sink's file.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "services/common/clock.h"
#include "services/redis/keys.h"
#include "tests/support/test_server.h"

namespace orderwatch::testing {
namespace {

// 2025-11-10 12:00 in Asia/Shanghai: inside the default 09:00-22:00 window.
const absl::Time kT0 = absl::FromUnixSeconds(1762747200);
int64_t Ms(absl::Time t) { return absl::ToUnixMillis(t); }

class RemindersE2ETest : public ::testing::Test {
 protected:
  RemindersE2ETest() : clock_(kT0) {
    sink_path_ = ::testing::TempDir() + "reminders-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".jsonl";
    std::remove(sink_path_.c_str());
    StartServer("log:" + sink_path_);
  }

  void StartServer(const std::string& sink, bool pack_unpaid_orders = true) {
    server_.reset();
    server::ServerConfig config = TestServer::DevConfig();
    config.pack_unpaid_orders = pack_unpaid_orders;
    config.clock = &clock_;
    config.reminder_sink = sink;
    config.scheduler.tick = absl::Milliseconds(5);
    config.scheduler.idle_poll = absl::Milliseconds(100);
    config.scheduler.lease_renew = absl::Milliseconds(100);
    server_ = std::make_unique<TestServer>(redis_, config);
  }

  // The reminders in the sink (paid orders left unshipped also get shipment notices there).
  std::vector<std::string> Deliveries() const {
    std::ifstream in(sink_path_);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
      if (line.find(R"("kind":)") != std::string::npos) lines.push_back(line);
    }
    return lines;
  }

  // Waits (real time) until `n` deliveries are in the sink, or gives up after 5 s.
  std::vector<std::string> AwaitDeliveries(size_t n) const {
    for (int i = 0; i < 500 && Deliveries().size() < n; ++i) absl::SleepFor(absl::Milliseconds(10));
    return Deliveries();
  }

  // Lets the workers see the clock's new time (they tick every 5 ms).
  void Advance(absl::Duration d) {
    clock_.Advance(d);
    absl::SleepFor(absl::Milliseconds(300));
  }

  // `buyer` defaults to one buyer per order ("buyer-<order>"); the phone hash follows the buyer.
  void Created(const std::string& order, absl::Time at, bool flash = false,
               std::string buyer = "") {
    if (buyer.empty()) buyer = "buyer-" + order;
    v1::RecordEventRequest req;
    auto* e = req.mutable_event();
    e->set_event_id("created-" + order);
    e->set_order_id(order);
    e->set_event_unix_ms(Ms(at));
    auto* c = e->mutable_created();
    c->set_amount_fen(9900);
    c->set_buyer_id(buyer);
    c->set_buyer_phone_hash("ph-" + buyer.substr(buyer.find('-') + 1));
    c->set_item_summary("羊毛围巾 x1");
    c->set_created_unix_ms(Ms(at));
    c->set_auto_close_unix_ms(Ms(at + absl::Hours(24)));
    c->set_flash_sale(flash);
    v1::RecordEventResponse resp;
    ASSERT_TRUE(server_->orders()->Record(TestServer::Context(kStorefront).get(), req, &resp).ok());
  }

  void Paid(const std::string& order, absl::Time at) {
    v1::RecordEventRequest req;
    auto* e = req.mutable_event();
    e->set_event_id("paid-" + order);
    e->set_order_id(order);
    e->set_event_unix_ms(Ms(at));
    e->mutable_paid();
    v1::RecordEventResponse resp;
    ASSERT_TRUE(server_->orders()->Record(TestServer::Context(kStorefront).get(), req, &resp).ok());
  }

  v1::ListRemindersResponse List(const std::string& order) {
    v1::ListRemindersRequest req;
    req.set_order_id(order);
    v1::ListRemindersResponse resp;
    EXPECT_TRUE(server_->reminders()->ListForOrder(TestServer::Context().get(), req, &resp).ok());
    return resp;
  }

  // A person's remark (version 0: the order's first).
  void SetRemark(const std::string& order, v1::Flag flag, const std::string& text) {
    v1::SetRemarkRequest req;
    req.set_request_id("r1");
    req.set_order_id(order);
    req.set_expected_version(0);
    req.set_flag(flag);
    req.set_text(text);
    v1::Remark out;
    ASSERT_TRUE(server_->remarks()->Set(TestServer::Context().get(), req, &out).ok());
  }

  v1::Remark Remark(const std::string& order) {
    v1::GetRemarkRequest req;
    req.set_order_id(order);
    v1::Remark resp;
    EXPECT_TRUE(server_->remarks()->Get(TestServer::Context().get(), req, &resp).ok());
    return resp;
  }

  grpc::Status Trigger(const std::string& request_id, const std::string& order, v1::Reminder* out,
                       const Caller& who = {}, const std::string& override_reason = "",
                       v1::Channel channel = v1::CHANNEL_SMS) {
    v1::TriggerReminderRequest req;
    req.set_request_id(request_id);
    req.set_order_id(order);
    req.set_channel(channel);
    req.set_override_reason(override_reason);
    return server_->reminders()->Trigger(TestServer::Context(who).get(), req, out);
  }

  static inline const Caller kStorefront{"shop1", "web", "storefront"};
  static inline const Caller kSupervisor{"shop1", "boss", "supervisor"};

  RedisServer redis_;
  ManualClock clock_;
  std::string sink_path_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(RemindersE2ETest, UnpaidOrdersAreRemindedOnTimeUpToTheCapPaidOnesNever) {
  Created("A", kT0);
  Created("B", kT0);
  Advance(absl::Minutes(10));
  Paid("B", kT0 + absl::Minutes(10));

  Advance(absl::Minutes(19));  // 12:29: the after-order reminder (30 min) is not due yet
  EXPECT_EQ(Deliveries().size(), 0u);
  Advance(absl::Minutes(2));  // 12:31
  auto lines = AwaitDeliveries(1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("\"idempotency_key\":\"shop1:A:1\""), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("\"kind\":\"after_order\""), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("\"buyer_phone_hash\":\"ph-A\""), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("羊毛围巾"), std::string::npos) << lines[0];  // the items, rendered

  auto a = List("A");
  ASSERT_EQ(a.reminders_size(), 1);
  EXPECT_EQ(a.reminders(0).kind(), v1::REMINDER_KIND_AFTER_ORDER);
  EXPECT_EQ(a.reminders(0).outcome(), v1::REMINDER_OUTCOME_SENT);
  EXPECT_EQ(a.reminders(0).due_unix_ms(), Ms(kT0 + absl::Minutes(30)));
  EXPECT_EQ(List("B").reminders_size(), 0) << "a paid order is never reminded";

  v1::Remark remark = Remark("A");
  EXPECT_EQ(remark.flag(), v1::FLAG_PURPLE);
  EXPECT_NE(remark.text().find("催付 im by auto 2025-11-10 12:31"), std::string::npos)
      << remark.text();
  EXPECT_EQ(remark.updated_source(), v1::SOURCE_REMINDER);

  // The pre-close reminder: 60 min before the order closes (24 h after creation): 11-11 11:00.
  Advance(absl::Hours(22));
  EXPECT_EQ(Deliveries().size(), 1u);
  Advance(absl::Hours(1));
  lines = AwaitDeliveries(2);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[1].find("\"kind\":\"pre_close\""), std::string::npos) << lines[1];
  // Two is the default cap, and nothing else is planned: no third reminder.
  Advance(absl::Minutes(50));
  EXPECT_EQ(Deliveries().size(), 2u);
  EXPECT_EQ(List("A").reminders_size(), 2);

  // Prometheus sees totals by kind, channel, outcome and sink; never a shop or an order.
  const std::string metrics = HttpGet(server_->metrics_port(), "/metrics");
  auto sample = [&metrics](const std::string& series) {
    const size_t at = metrics.find("\n" + series + " ");
    return at == std::string::npos ? -1.0 : std::stod(metrics.substr(at + series.size() + 2));
  };
  EXPECT_EQ(sample(R"(orderwatch_reminders_total{channel="im",kind="after_order",outcome="sent"})"),
            1);
  EXPECT_EQ(sample(R"(orderwatch_reminders_total{channel="im",kind="pre_close",outcome="sent"})"),
            1);
  EXPECT_EQ(
      sample(R"(orderwatch_reminder_deliveries_total{channel="im",result="delivered",sink="log"})"),
      2);
  EXPECT_EQ(sample("orderwatch_scheduler_leases_held"), 16);
  EXPECT_GE(sample(R"(orderwatch_scheduler_lateness_seconds_count{queue="rem"})"), 2);
  EXPECT_GE(sample(R"(orderwatch_scheduler_jobs_total{queue="out",result="done"})"), 2);
  EXPECT_EQ(metrics.find("shop1"), std::string::npos);
  EXPECT_EQ(metrics.find("buyer-A"), std::string::npos);
}

TEST_F(RemindersE2ETest, PaymentAfterTheReminderIsQueuedStopsIt) {
  Created("C", kT0);
  Advance(absl::Minutes(5));
  Paid("C", kT0 + absl::Minutes(5));
  Advance(absl::Hours(30));
  EXPECT_EQ(Deliveries().size(), 0u);
  EXPECT_EQ(List("C").reminders_size(), 0);
  // Paid and not shipped 30 h later, the order carries the shipment sweep's remark, not a
  // reminder's.
  EXPECT_EQ(Remark("C").text().find("催付"), std::string::npos) << Remark("C").text();
  EXPECT_NE(Remark("C").text().find("发货超时"), std::string::npos) << Remark("C").text();
}

// An unpaid order waiting for its first reminder has no key of its own: it is packed into one of
// its partition's order buckets (services/orders/lua/lib/order_place.lua). Every read sees it as
// before; a write (a remark, an event) or the end of its reminders moves it back to its own key,
// which expires like any order's.
TEST_F(RemindersE2ETest, OrdersWaitingForAReminderArePackedAndReadAsBefore) {
  const redis::KeyScheme keys(16);
  auto own_key = [&](const std::string& order) {
    return redis_.Command("EXISTS " + keys.Order("shop1", order)) == "1";
  };
  auto ttl_ms = [&](const std::string& order) {
    return std::stoll(redis_.Command("PTTL " + keys.Order("shop1", order)));
  };
  auto get = [&](const std::string& order) {
    v1::GetOrderRequest req;
    req.set_order_id(order);
    v1::Order out;
    EXPECT_TRUE(server_->orders()->GetOrder(TestServer::Context().get(), req, &out).ok());
    return out;
  };
  const std::vector<std::string> orders = {"K1", "K2", "K3", "K4"};
  for (const auto& o : orders) Created(o, kT0);
  for (const auto& o : orders) EXPECT_FALSE(own_key(o)) << o << " is packed";
  std::string packed_in;
  const std::string prefix = absl::StrCat("ow:{p", keys.PartitionOf("shop1", "K1"), "}:ob:");
  std::istringstream buckets(redis_.Flat("KEYS " + prefix + "*"));
  for (std::string bucket; std::getline(buckets, bucket);) {
    if (redis_.Command("HEXISTS " + bucket + " shop1:K1") == "1") packed_in = bucket;
  }
  EXPECT_FALSE(packed_in.empty()) << "K1 is in a bucket of its partition";
  EXPECT_GT(std::stoll(redis_.Command("PTTL " + packed_in)), 0) << "buckets expire";

  v1::Order k1 = get("K1");
  EXPECT_EQ(k1.state(), v1::ORDER_STATE_PENDING_PAYMENT);
  EXPECT_EQ(k1.amount_fen(), 9900);
  EXPECT_EQ(k1.buyer_id(), "buyer-K1");
  EXPECT_EQ(k1.item_summary(), "羊毛围巾 x1");
  EXPECT_EQ(k1.auto_close_unix_ms(), Ms(kT0 + absl::Hours(24)));
  EXPECT_EQ(k1.events_applied(), 1);
  v1::RecordEventRequest again;
  auto* e = again.mutable_event();
  e->set_event_id("created-K1");
  e->set_order_id("K1");
  e->set_event_unix_ms(Ms(kT0));
  e->mutable_created()->set_amount_fen(1);
  e->mutable_created()->set_buyer_id("buyer-K1");
  v1::RecordEventResponse resp;
  const grpc::Status repeated =
      server_->orders()->Record(TestServer::Context(kStorefront).get(), again, &resp);
  ASSERT_TRUE(repeated.ok()) << repeated.error_message();
  EXPECT_TRUE(resp.duplicate()) << "a packed order knows its events";
  EXPECT_EQ(resp.order().amount_fen(), 9900);
  EXPECT_FALSE(own_key("K1")) << "a repeated event leaves the order packed";
  EXPECT_EQ(Remark("K1").version(), 0);

  SetRemark("K2", v1::FLAG_RED, "客户要求改地址");
  EXPECT_TRUE(own_key("K2")) << "a remark unpacks the order";
  EXPECT_GT(ttl_ms("K2"), 0);
  EXPECT_EQ(get("K2").amount_fen(), 9900) << "nothing lost by packing";
  EXPECT_EQ(Remark("K2").flag(), v1::FLAG_RED);

  Paid("K3", kT0 + absl::Minutes(1));
  EXPECT_TRUE(own_key("K3")) << "an event unpacks the order";
  EXPECT_GT(ttl_ms("K3"), 0);
  EXPECT_EQ(get("K3").state(), v1::ORDER_STATE_PAID);
  EXPECT_EQ(get("K3").buyer_id(), "buyer-K3");

  // With reminders turned off, the worker drops K1's and K4's jobs when they come up; with no job
  // left, they go back to their own keys.
  v1::SetReminderPolicyRequest set;
  ASSERT_TRUE(server_->reminders()
                  ->GetPolicy(TestServer::Context().get(), v1::GetReminderPolicyRequest(),
                              set.mutable_policy())
                  .ok());
  set.mutable_policy()->set_enabled(false);
  set.set_expected_version(0);
  v1::ReminderPolicy policy;
  const grpc::Status off =
      server_->reminders()->SetPolicy(TestServer::Context(kSupervisor).get(), set, &policy);
  ASSERT_TRUE(off.ok()) << off.error_message();
  Advance(absl::Minutes(31));
  for (int i = 0; i < 100 && !(own_key("K1") && own_key("K4")); ++i) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  for (const char* o : {"K1", "K4"}) {
    EXPECT_TRUE(own_key(o)) << o;
    EXPECT_GT(ttl_ms(o), 0) << o;
    EXPECT_EQ(get(o).amount_fen(), 9900) << o;
  }
  EXPECT_EQ(redis_.Command("EXISTS " + packed_in), "0") << "an emptied bucket is gone";
  EXPECT_EQ(Deliveries().size(), 0u);
}

// A reminder job that keeps failing ends as a dead letter; its packed order goes back to its own
// key, to expire like any other, rather than staying in a bucket that new orders keep alive.
TEST_F(RemindersE2ETest, ADeadLetteredReminderUnpacksItsOrder) {
  redis_.Command("HSET ow:{sshop1}:policy v 1 p not-a-policy");  // every attempt fails to read it
  Created("D1", kT0);
  const std::string order = redis::KeyScheme(16).Order("shop1", "D1");
  EXPECT_EQ(redis_.Command("EXISTS " + order), "0") << "packed";
  const std::string dead =
      absl::StrCat("ow:{p", redis::KeyScheme(16).PartitionOf("shop1", "D1"), "}:d:rem");
  // Attempts 1 s, 2 s, 4 s ... apart (the queue's backoff), eight in all.
  for (int i = 0; i < 12 && redis_.Command("HEXISTS " + dead + " shop1:D1") != "1"; ++i) {
    Advance(absl::Minutes(3));
  }
  EXPECT_NE(redis_.Command("HGET " + dead + " shop1:D1").find("do not parse"), std::string::npos)
      << redis_.Command("HGET " + dead + " shop1:D1");
  EXPECT_EQ(redis_.Command("EXISTS " + order), "1") << "unpacked";
  EXPECT_GT(std::stoll(redis_.Command("PTTL " + order)), 0);
  EXPECT_EQ(Deliveries().size(), 0u);
}

// Off, as while instances that cannot read packed orders share the Redis, every order keeps its
// own key, and is reminded as usual.
TEST_F(RemindersE2ETest, WithPackingOffEveryOrderKeepsItsOwnKey) {
  StartServer("log:" + sink_path_, /*pack_unpaid_orders=*/false);
  Created("L1", kT0);
  EXPECT_EQ(redis_.Command("EXISTS " + redis::KeyScheme(16).Order("shop1", "L1")), "1");
  Advance(absl::Minutes(31));
  auto lines = AwaitDeliveries(1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("\"order_id\":\"L1\""), std::string::npos) << lines[0];
}

TEST_F(RemindersE2ETest, AHumansFlagIsNeverOverwritten) {
  Created("D", kT0);
  SetRemark("D", v1::FLAG_RED, "顺丰 only");
  Advance(absl::Minutes(31));
  ASSERT_EQ(AwaitDeliveries(1).size(), 1u);
  v1::Remark remark = Remark("D");
  EXPECT_EQ(remark.flag(), v1::FLAG_RED);
  EXPECT_EQ(remark.text().rfind("顺丰 only\n催付 im by auto", 0), 0u) << remark.text();
}

TEST_F(RemindersE2ETest, AgentsTriggerWithinTheWindowAndSupervisorsMayOverride) {
  Created("E", kT0);
  v1::Reminder r;
  ASSERT_TRUE(Trigger("t1", "E", &r).ok());
  EXPECT_EQ(r.number(), 1);
  EXPECT_EQ(r.kind(), v1::REMINDER_KIND_MANUAL);
  EXPECT_EQ(r.channel(), v1::CHANNEL_SMS);
  EXPECT_EQ(r.agent_id(), "alice");
  EXPECT_EQ(r.idempotency_key(), "shop1:E:1");
  v1::Reminder again;
  ASSERT_TRUE(Trigger("t1", "E", &again).ok());
  EXPECT_EQ(again.DebugString(), r.DebugString()) << "a retried request returns its first result";
  EXPECT_FALSE(r.text().empty());
  auto lines = AwaitDeliveries(1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("\"agent\":\"alice\""), std::string::npos) << lines[0];
  EXPECT_NE(Remark("E").text().find("催付 sms by alice"), std::string::npos);

  // 23:00 is outside the window: agents are refused, a supervisor overrides with a reason.
  Advance(absl::Hours(11));
  auto refused = Trigger("t2", "E", &r);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("sending window"), std::string::npos);
  EXPECT_EQ(Trigger("t3", "E", &r, {}, "buyer asked").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Trigger("t4", "E", &r, kSupervisor, "buyer asked for a call").ok());
  EXPECT_EQ(r.number(), 2);
  EXPECT_EQ(r.reason(), "override: buyer asked for a call");

  Paid("E", clock_.Now());
  auto paid = Trigger("t5", "E", &r, kSupervisor, "again");
  EXPECT_EQ(paid.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Trigger("t6", "nope", &r).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Trigger("", "E", &r).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RemindersE2ETest, PoliciesAreValidatedVersionedAndObeyed) {
  v1::ReminderPolicy policy;
  ASSERT_TRUE(server_->reminders()
                  ->GetPolicy(TestServer::Context().get(), v1::GetReminderPolicyRequest(), &policy)
                  .ok());
  EXPECT_EQ(policy.version(), 0);
  EXPECT_EQ(policy.after_order_minutes(), 30);

  v1::SetReminderPolicyRequest set;
  *set.mutable_policy() = policy;
  set.mutable_policy()->set_after_order_minutes(5);
  v1::ReminderPolicy out;
  auto bad = server_->reminders()->SetPolicy(TestServer::Context(kSupervisor).get(), set, &out);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("policy.after_order_minutes"), std::string::npos)
      << bad.error_message();

  set.mutable_policy()->set_after_order_minutes(10);
  set.mutable_policy()->set_pre_close_minutes(0);
  set.set_expected_version(0);
  EXPECT_EQ(server_->reminders()->SetPolicy(TestServer::Context().get(), set, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "agents do not change policies";
  ASSERT_TRUE(
      server_->reminders()->SetPolicy(TestServer::Context(kSupervisor).get(), set, &out).ok());
  EXPECT_EQ(out.version(), 1);
  EXPECT_EQ(server_->reminders()
                ->SetPolicy(TestServer::Context(kSupervisor).get(), set, &out)
                .error_code(),
            grpc::StatusCode::ABORTED)
      << "a stale expected_version";

  Created("F", clock_.Now());
  Advance(absl::Minutes(11));
  auto lines = AwaitDeliveries(1);
  ASSERT_EQ(lines.size(), 1u) << "reminded after 10 minutes, as the new policy says";
  Advance(absl::Hours(30));
  EXPECT_EQ(Deliveries().size(), 1u) << "no pre-close reminder: the policy turned it off";
}

TEST_F(RemindersE2ETest, OneBuyersOrdersShareOneMessageTheDailyCapAndPaidToday) {
  v1::SetReminderPolicyRequest set;
  ASSERT_TRUE(server_->reminders()
                  ->GetPolicy(TestServer::Context().get(), v1::GetReminderPolicyRequest(),
                              set.mutable_policy())
                  .ok());
  set.mutable_policy()->set_channel(v1::CHANNEL_SMS);
  set.mutable_policy()->set_sms_per_phone_per_day(1);
  set.mutable_policy()->set_skip_buyers_paid_today(true);
  set.mutable_policy()->set_pre_close_minutes(0);
  v1::ReminderPolicy out;
  ASSERT_TRUE(
      server_->reminders()->SetPolicy(TestServer::Context(kSupervisor).get(), set, &out).ok());

  Created("M1", kT0, false, "buyer-bob");
  Created("M2", kT0 + absl::Minutes(1), false, "buyer-bob");
  Created("P1", kT0, false, "buyer-carol");
  Created("P2", kT0, false, "buyer-carol");
  Advance(absl::Minutes(5));
  Paid("P1", clock_.Now());

  // 12:30: M1's message names bob's other unpaid order; P2 is skipped, carol paid P1 today.
  Advance(absl::Minutes(25) + absl::Seconds(30));
  auto lines = AwaitDeliveries(1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("\"order_id\":\"M1\""), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("\"merged_order_ids\":[\"M2\"]"), std::string::npos) << lines[0];
  ASSERT_EQ(List("M1").reminders_size(), 1);
  ASSERT_EQ(List("M1").reminders(0).merged_order_ids_size(), 1);
  auto p2 = List("P2");
  ASSERT_EQ(p2.reminders_size(), 1);
  EXPECT_EQ(p2.reminders(0).outcome(), v1::REMINDER_OUTCOME_SKIPPED);
  EXPECT_EQ(p2.reminders(0).reason(), "buyer_paid_today");

  // 12:31: M2's own reminder was covered by M1's message.
  Advance(absl::Minutes(2));
  auto m2 = List("M2");
  ASSERT_EQ(m2.reminders_size(), 1);
  EXPECT_EQ(m2.reminders(0).outcome(), v1::REMINDER_OUTCOME_SKIPPED);
  EXPECT_EQ(m2.reminders(0).reason(), "merged");

  // A later order of bob's: the one SMS per phone per day is spent.
  Created("M3", clock_.Now(), false, "buyer-bob");
  Advance(absl::Minutes(31));
  auto m3 = List("M3");
  ASSERT_EQ(m3.reminders_size(), 1);
  EXPECT_EQ(m3.reminders(0).reason(), "buyer_cap:sms");
  EXPECT_EQ(Deliveries().size(), 1u);

  // Agents meet the same cap; a supervisor may override it.
  v1::Reminder r;
  auto capped = Trigger("cap1", "M3", &r);
  EXPECT_EQ(capped.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(capped.error_message().find("buyer_cap:sms"), std::string::npos)
      << capped.error_message();
  ASSERT_TRUE(Trigger("cap2", "M3", &r, kSupervisor, "buyer asked for the SMS").ok());
  EXPECT_EQ(r.merged_order_ids_size(), 2) << "M1 and M2 are still unpaid";
  EXPECT_EQ(AwaitDeliveries(2).size(), 2u);

  // Paying M1 takes it out of bob's next message.
  Paid("M1", clock_.Now());
  Advance(absl::Hours(24));
  ASSERT_TRUE(Trigger("next-day", "M2", &r).ok());
  ASSERT_EQ(r.merged_order_ids_size(), 1);
  EXPECT_EQ(r.merged_order_ids(0), "M3");
}

TEST_F(RemindersE2ETest, TheStreamSinkFeedsOneStreamPerChannel) {
  StartServer("stream:5000");
  Created("S1", kT0);
  Created("S2", kT0);
  Advance(absl::Minutes(31));  // S1's and S2's after-order reminders, by IM
  v1::Reminder r;
  ASSERT_TRUE(Trigger("sms1", "S2", &r).ok());  // by SMS
  auto await_length = [this](const std::string& stream, const std::string& length) {
    for (int i = 0; i < 250 && redis_.Command("XLEN " + stream) != length; ++i) {
      absl::SleepFor(absl::Milliseconds(20));
    }
    return redis_.Command("XLEN " + stream);
  };
  ASSERT_EQ(await_length("ow:{x:im}:out", "2"), "2");
  ASSERT_EQ(await_length("ow:{x:sms}:out", "1"), "1");
  const std::string sms = redis_.Flat("XRANGE ow:{x:sms}:out - +");
  EXPECT_NE(sms.find("shop1:S2:2"), std::string::npos) << sms;
  EXPECT_NE(sms.find("\"agent\":\"alice\""), std::string::npos) << sms;  // the JSON object
  const std::string im = redis_.Flat("XRANGE ow:{x:im}:out - +");
  EXPECT_NE(im.find("shop1:S1:1"), std::string::npos) << im;
  EXPECT_NE(im.find("shop1:S2:1"), std::string::npos) << im;
  EXPECT_TRUE(Deliveries().empty()) << "nothing goes to the log file";
}

TEST_F(RemindersE2ETest, BuyersAnswersAreRecordedAndTheirPromisesKept) {
  Created("W1", kT0);
  Created("W2", kT0 + absl::Minutes(20));
  Advance(absl::Minutes(31));  // 12:31: W1's after-order reminder
  ASSERT_EQ(AwaitDeliveries(1).size(), 1u);

  const absl::Time eight_pm = kT0 + absl::Hours(8);
  auto answer = [this](const std::string& request_id, const std::string& order,
                       v1::UnpaidReason reason, absl::Time promised, v1::Reminder* out,
                       const Caller& who = {}) {
    v1::RecordAnswerRequest req;
    req.set_request_id(request_id);
    req.set_order_id(order);
    req.set_reason(reason);
    req.set_note("想等优惠券");
    if (promised != absl::InfinitePast()) req.set_promised_pay_unix_ms(Ms(promised));
    return server_->reminders()->RecordAnswer(TestServer::Context(who).get(), req, out);
  };
  v1::Reminder r;
  auto bad = answer("a0", "W1", v1::UNPAID_REASON_UNSPECIFIED, eight_pm, &r);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("reason"), std::string::npos) << bad.error_message();
  bad = answer("a0", "W1", v1::UNPAID_REASON_PRICE, kT0, &r);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("promised_pay_unix_ms"), std::string::npos);
  bad = answer("a0", "W1", v1::UNPAID_REASON_PRICE, kT0 + absl::Hours(25), &r);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << "after the order closes";
  EXPECT_EQ(answer("a0", "W2", v1::UNPAID_REASON_PRICE, eight_pm, &r).error_code(),
            grpc::StatusCode::NOT_FOUND)
      << "W2 was never reminded";
  EXPECT_EQ(answer("a0", "W1", v1::UNPAID_REASON_PRICE, eight_pm, &r, kStorefront).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  ASSERT_TRUE(answer("a1", "W1", v1::UNPAID_REASON_PRICE, eight_pm, &r).ok());
  EXPECT_EQ(r.number(), 1);
  EXPECT_EQ(r.answer().reason(), v1::UNPAID_REASON_PRICE);
  EXPECT_EQ(r.answer().note(), "想等优惠券");
  EXPECT_EQ(r.answer().agent_id(), "alice");
  EXPECT_EQ(r.answer().promised_pay_unix_ms(), Ms(eight_pm));
  v1::Reminder again;
  ASSERT_TRUE(answer("a1", "W1", v1::UNPAID_REASON_OTHER, eight_pm, &again).ok());
  EXPECT_EQ(again.answer().reason(), v1::UNPAID_REASON_PRICE) << "a retry returns the first";

  // The promise brings a reminder at 20:00, long before the pre-close one. (W2's after-order
  // reminder went out at 12:50.)
  Advance(eight_pm - absl::Minutes(1) - clock_.Now());
  EXPECT_EQ(Deliveries().size(), 2u);
  Advance(absl::Minutes(2));
  auto lines = AwaitDeliveries(3);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[2].find("\"kind\":\"promised_time\""), std::string::npos) << lines[2];
  EXPECT_NE(lines[2].find("\"order_id\":\"W1\""), std::string::npos) << lines[2];
  auto list = List("W1");
  ASSERT_EQ(list.reminders_size(), 2);
  EXPECT_EQ(list.reminders(0).kind(), v1::REMINDER_KIND_PROMISED_TIME);
  EXPECT_EQ(list.reminders(0).due_unix_ms(), Ms(eight_pm));
  EXPECT_EQ(list.reminders(1).answer().reason(), v1::UNPAID_REASON_PRICE);

  Paid("W1", clock_.Now());
  EXPECT_EQ(
      answer("a2", "W1", v1::UNPAID_REASON_FORGOT, clock_.Now() + absl::Hours(1), &r).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION)
      << "no promise to keep on a paid order";
  ASSERT_TRUE(answer("a3", "W1", v1::UNPAID_REASON_FORGOT, absl::InfinitePast(), &r).ok());
  EXPECT_EQ(r.number(), 2);
}

TEST_F(RemindersE2ETest, StatsCountWhatRemindersRecoveredAgainstTheHoldout) {
  v1::SetReminderPolicyRequest set;
  ASSERT_TRUE(server_->reminders()
                  ->GetPolicy(TestServer::Context().get(), v1::GetReminderPolicyRequest(),
                              set.mutable_policy())
                  .ok());
  set.mutable_policy()->set_holdout_percent(50);
  set.mutable_policy()->set_pre_close_minutes(0);
  v1::ReminderPolicy out;
  ASSERT_TRUE(
      server_->reminders()->SetPolicy(TestServer::Context(kSupervisor).get(), set, &out).ok());

  const std::vector<std::string> orders = {"H1", "H2", "H3", "H4", "H5", "H6"};
  for (const auto& o : orders) Created(o, kT0);
  Created("Q", kT0);
  Advance(absl::Minutes(10));
  Paid("Q", clock_.Now());     // paid before any reminder
  Advance(absl::Minutes(21));  // 12:31: every H order's after-order reminder is decided
  std::vector<std::string> sent, held;
  for (const auto& o : orders) {
    auto list = List(o);
    ASSERT_EQ(list.reminders_size(), 1) << o;
    (list.reminders(0).outcome() == v1::REMINDER_OUTCOME_SENT ? sent : held).push_back(o);
  }
  // The buckets are fixed by shop and order id: these six split both ways.
  ASSERT_GE(sent.size(), 2u);
  ASSERT_GE(held.size(), 1u);
  EXPECT_EQ(List(held[0]).reminders(0).reason(), "holdout");
  v1::Reminder r;
  ASSERT_TRUE(Trigger("st1", sent[1], &r).ok());  // alice, by hand
  Advance(absl::Minutes(9));                      // 12:40
  Paid(sent[0], clock_.Now());
  Paid(held[0], clock_.Now());

  auto stats = [this](const std::string& day, v1::ReminderStats* s) {
    v1::ReminderStatsRequest req;
    req.set_day(day);
    return server_->reminders()->Stats(TestServer::Context().get(), req, s);
  };
  v1::ReminderStats s;
  ASSERT_TRUE(stats("2025-11-10", &s).ok());
  EXPECT_EQ(s.orders_placed(), 7);
  EXPECT_EQ(s.orders_paid_same_day(), 3);
  EXPECT_NEAR(s.placed_to_paid_rate(), 3.0 / 7, 1e-9);
  EXPECT_EQ(s.eligible_orders(), 6);
  const v1::ReminderKindStats& after_order = s.kinds(0);
  ASSERT_EQ(after_order.kind(), v1::REMINDER_KIND_AFTER_ORDER);
  EXPECT_EQ(after_order.eligible(), 6);
  EXPECT_EQ(after_order.sent(), static_cast<int64_t>(sent.size()));
  EXPECT_EQ(after_order.sent_im(), static_cast<int64_t>(sent.size()));
  EXPECT_EQ(after_order.held_out(), static_cast<int64_t>(held.size()));
  EXPECT_EQ(after_order.paid_after(), 1);
  EXPECT_EQ(after_order.recovered_fen(), 9900);
  EXPECT_EQ(s.kinds(4).sent_sms(), 1) << "alice's reminder";
  EXPECT_EQ(s.paid_after_reminder(), 1);
  EXPECT_EQ(s.paid_within_1h(), 1);
  EXPECT_EQ(s.held_out(), static_cast<int64_t>(held.size()));
  EXPECT_EQ(s.held_out_paid(), 1);
  EXPECT_EQ(s.held_out_recovered_fen(), 9900);
  EXPECT_EQ(s.skipped().at("holdout"), static_cast<int64_t>(held.size()));
  ASSERT_EQ(s.agents_size(), 1);
  EXPECT_EQ(s.agents(0).agent_id(), "alice");
  EXPECT_EQ(s.agents(0).sent(), 1);

  v1::ReminderStats today;
  ASSERT_TRUE(stats("", &today).ok());
  EXPECT_EQ(today.day(), "2025-11-10");
  EXPECT_EQ(today.SerializeAsString(), s.SerializeAsString());
  v1::ReminderStats other;
  ASSERT_TRUE(stats("2025-11-09", &other).ok());
  EXPECT_EQ(other.orders_placed(), 0);
  auto bad = stats("2025-13-01", &other);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.error_message().rfind("day:", 0), 0u) << bad.error_message();
}

TEST_F(RemindersE2ETest, PeakModeForAllShopsAppliesWhereAShopHasNoneOfItsOwn) {
  const Caller ops{"shop1", "oncall", "ops"};
  v1::SetAllShopsPeakRequest set;
  set.mutable_peak()->set_start_unix_ms(Ms(kT0 - absl::Hours(1)));
  set.mutable_peak()->set_end_unix_ms(Ms(kT0 + absl::Hours(1)));
  set.mutable_peak()->set_after_order_minutes(10);
  v1::PeakMode out;
  EXPECT_EQ(server_->reminders()
                ->SetAllShopsPeak(TestServer::Context(kSupervisor).get(), set, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "a deployment-wide switch is ops' to make";
  v1::SetAllShopsPeakRequest bad = set;
  bad.mutable_peak()->set_end_unix_ms(0);
  auto refused = server_->reminders()->SetAllShopsPeak(TestServer::Context(ops).get(), bad, &out);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(refused.error_message().rfind("peak.end_unix_ms", 0), 0u) << refused.error_message();
  ASSERT_TRUE(
      server_->reminders()->SetAllShopsPeak(TestServer::Context(ops).get(), set, &out).ok());
  v1::PeakMode read;
  ASSERT_TRUE(
      server_->reminders()
          ->GetAllShopsPeak(TestServer::Context().get(), v1::GetAllShopsPeakRequest(), &read)
          .ok());
  EXPECT_EQ(read.after_order_minutes(), 10);

  // shop1 has no peak of its own: its orders get the peak timing and the peak template.
  Created("K1", kT0);
  Advance(absl::Minutes(11));
  auto lines = AwaitDeliveries(1);
  ASSERT_EQ(lines.size(), 1u) << "reminded after the peak's 10 minutes, not the normal 30";
  v1::PreviewTemplateRequest preview;
  preview.set_order_id("K1");
  preview.set_kind(v1::REMINDER_KIND_AFTER_ORDER);
  preview.set_channel(v1::CHANNEL_IM);
  preview.set_peak(true);
  v1::PreviewTemplateResponse peak_text;
  ASSERT_TRUE(
      server_->reminders()->PreviewTemplate(TestServer::Context().get(), preview, &peak_text).ok());
  EXPECT_EQ(List("K1").reminders(0).text(), peak_text.text());
  // The shop's own policy still shows no peak window, so a read-modify-write keeps it that way.
  v1::ReminderPolicy own;
  ASSERT_TRUE(server_->reminders()
                  ->GetPolicy(TestServer::Context().get(), v1::GetReminderPolicyRequest(), &own)
                  .ok());
  EXPECT_EQ(own.peak().start_unix_ms(), 0);

  // Ended: back to the normal 30 minutes.
  v1::SetAllShopsPeakRequest end;
  ASSERT_TRUE(
      server_->reminders()->SetAllShopsPeak(TestServer::Context(ops).get(), end, &out).ok());
  Created("K2", clock_.Now());
  Advance(absl::Minutes(11));
  EXPECT_EQ(Deliveries().size(), 1u);
  Advance(absl::Minutes(20));
  EXPECT_EQ(AwaitDeliveries(2).size(), 2u);
}

TEST_F(RemindersE2ETest, ShopsTemplatesAreCheckedPreviewedAndUsed) {
  auto stub = server_->reminders();
  v1::SetTemplateRequest set;
  auto* t = set.mutable_template_();
  t->set_kind(v1::REMINDER_KIND_AFTER_ORDER);
  t->set_channel(v1::CHANNEL_IM);
  t->set_text("{shop_name}: 亲, 订单{order_id}的{items}还在等您, {amount}, {coupon}");
  v1::Template out;
  auto bad = stub->SetTemplate(TestServer::Context(kSupervisor).get(), set, &out);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("template.text"), std::string::npos) << bad.error_message();
  EXPECT_NE(bad.error_message().find("{coupon}"), std::string::npos) << bad.error_message();

  t->set_text("{shop_name}: 亲, 订单{order_id}的{items}还在等您, {amount}");
  EXPECT_EQ(stub->SetTemplate(TestServer::Context().get(), set, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "agents do not change templates";
  ASSERT_TRUE(stub->SetTemplate(TestServer::Context(kSupervisor).get(), set, &out).ok());
  EXPECT_FALSE(out.built_in());

  v1::ListTemplatesResponse list;
  ASSERT_TRUE(stub->ListTemplates(TestServer::Context().get(), {}, &list).ok());
  EXPECT_EQ(list.templates_size(), 5 * 3 * 2);
  int own = 0;
  for (const auto& tpl : list.templates()) {
    EXPECT_FALSE(tpl.text().empty());
    if (!tpl.built_in()) {
      ++own;
      EXPECT_EQ(tpl.text(), t->text());
    }
  }
  EXPECT_EQ(own, 1);

  // The shop's display name comes from its policy.
  v1::ReminderPolicy policy;
  ASSERT_TRUE(stub->GetPolicy(TestServer::Context().get(), {}, &policy).ok());
  v1::SetReminderPolicyRequest set_policy;
  *set_policy.mutable_policy() = policy;
  set_policy.mutable_policy()->set_shop_name("暖暖小店");
  ASSERT_TRUE(stub->SetPolicy(TestServer::Context(kSupervisor).get(), set_policy, &policy).ok());

  Created("G", kT0);
  v1::PreviewTemplateRequest preview;
  preview.set_order_id("G");
  preview.set_kind(v1::REMINDER_KIND_AFTER_ORDER);
  preview.set_channel(v1::CHANNEL_IM);
  v1::PreviewTemplateResponse rendered;
  ASSERT_TRUE(stub->PreviewTemplate(TestServer::Context().get(), preview, &rendered).ok());
  const std::string expected = "暖暖小店: 亲, 订单G的羊毛围巾 x1还在等您, ¥99.00";
  EXPECT_EQ(rendered.text(), expected);
  EXPECT_EQ(rendered.bytes(), static_cast<int>(expected.size()));
  preview.set_order_id("nope");
  EXPECT_EQ(stub->PreviewTemplate(TestServer::Context().get(), preview, &rendered).error_code(),
            grpc::StatusCode::NOT_FOUND);

  Advance(absl::Minutes(31));
  auto lines = AwaitDeliveries(1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("\"text\":\"" + expected + "\""), std::string::npos) << lines[0];
}

}  // namespace
}  // namespace orderwatch::testing
