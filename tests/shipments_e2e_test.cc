// Delayed-shipment sweeps through a real server and Redis, on a manual clock: a paid order's
// stages on the policy's timings (warning, overdue, escalated) with their system remarks, the
// storefront's ship-by time, a campaign's promise, the buyer urging, the review hold, leaving the
// sweep when shipped, closed or refunded, the stage lists a page at a time, and the summary with
// its compensation.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/clock.h"
#include "tests/support/test_server.h"

namespace orderwatch::testing {
namespace {

// 2025-11-10 12:00 in Asia/Shanghai.
const absl::Time kT0 = absl::FromUnixSeconds(1762747200);

int64_t Ms(absl::Time t) { return absl::ToUnixMillis(t); }

class ShipmentsE2ETest : public ::testing::Test {
 protected:
  ShipmentsE2ETest() : clock_(kT0) {
    sink_path_ = ::testing::TempDir() + "shipments-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".jsonl";
    std::remove(sink_path_.c_str());
    server::ServerConfig config = TestServer::DevConfig();
    config.clock = &clock_;
    config.reminder_sink = "log:" + sink_path_;
    config.scheduler.tick = absl::Milliseconds(5);
    config.scheduler.idle_poll = absl::Milliseconds(50);
    config.scheduler.lease_renew = absl::Milliseconds(100);
    config.gauge_interval = absl::Milliseconds(100);
    server_ = std::make_unique<TestServer>(redis_, config);
  }

  // Moves the clock to kT0 + `d` and lets the workers see it (they tick every 5 ms).
  void At(absl::Duration d) {
    clock_.Advance(kT0 + d - clock_.Now());
    absl::SleepFor(absl::Milliseconds(300));
  }

  void Record(const std::string& order, const std::string& id, absl::Time at,
              const std::function<void(v1::OrderEvent*)>& fill) {
    v1::RecordEventRequest req;
    auto* e = req.mutable_event();
    e->set_event_id(id);
    e->set_order_id(order);
    e->set_event_unix_ms(Ms(at));
    fill(e);
    v1::RecordEventResponse resp;
    auto s = server_->orders()->Record(TestServer::Context(kStorefront).get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  // Created and paid at `at`, ¥129 (compensation 5 %: ¥6.45).
  void PaidOrder(const std::string& order, absl::Time at, absl::Time ship_by = absl::InfinitePast()) {
    Record(order, "c", at, [&](v1::OrderEvent* e) {
      auto* c = e->mutable_created();
      c->set_amount_fen(12900);
      c->set_buyer_id("buyer-" + order);
      c->set_created_unix_ms(Ms(at));
      if (ship_by != absl::InfinitePast()) c->set_ship_by_unix_ms(Ms(ship_by));
    });
    Record(order, "p", at, [](v1::OrderEvent* e) { e->mutable_paid(); });
  }

  // The notices in the sink so far, one JSON line each.
  std::vector<std::string> Notices() const {
    std::ifstream in(sink_path_);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  // Those whose JSON holds `needle`, after waiting (up to 3 s) for at least `n` of them.
  std::vector<std::string> AwaitNotices(const std::string& needle, size_t n) const {
    std::vector<std::string> found;
    for (int i = 0; i < 300; ++i) {
      found.clear();
      for (auto& l : Notices()) {
        if (l.find(needle) != std::string::npos) found.push_back(l);
      }
      if (found.size() >= n) break;
      absl::SleepFor(absl::Milliseconds(10));
    }
    return found;
  }

  v1::ListDelayedResponse List(v1::ShipmentStage stage = v1::SHIPMENT_STAGE_UNSPECIFIED,
                               int page_size = 0, const std::string& token = "") {
    v1::ListDelayedRequest req;
    req.set_stage(stage);
    req.set_page_size(page_size);
    req.set_page_token(token);
    v1::ListDelayedResponse resp;
    auto s = server_->shipments()->ListDelayed(TestServer::Context().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }
  v1::ShipmentSummary Summary() {
    v1::ShipmentSummary resp;
    auto s = server_->shipments()->Summary(TestServer::Context().get(), {}, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }
  v1::Remark Remark(const std::string& order) {
    v1::GetRemarkRequest req;
    req.set_order_id(order);
    v1::Remark resp;
    EXPECT_TRUE(server_->remarks()->Get(TestServer::Context().get(), req, &resp).ok());
    return resp;
  }
  grpc::Status SetPolicy(const v1::ShipmentPolicy& p, const Caller& who = kSupervisor) {
    v1::SetShipmentPolicyRequest req;
    *req.mutable_policy() = p;
    v1::ShipmentPolicy resp;
    return server_->shipments()->SetPolicy(TestServer::Context(who).get(), req, &resp);
  }
  // The shop's policy as the server has it (the defaults, until a test sets one).
  v1::ShipmentPolicy Defaults() {
    v1::ShipmentPolicy p;
    EXPECT_TRUE(server_->shipments()->GetPolicy(TestServer::Context().get(), {}, &p).ok());
    p.clear_version();
    return p;
  }

  static inline const Caller kStorefront{"shop1", "web", "storefront"};
  static inline const Caller kSupervisor{"shop1", "sam", "supervisor"};
  std::string sink_path_;
  RedisServer redis_;
  ManualClock clock_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(ShipmentsE2ETest, APaidOrderGoesThroughTheStagesAndLeavesWhenShipped) {
  PaidOrder("A1", kT0);  // 24 h promise: ship by kT0 + 24 h; warning 4 h before
  At(absl::Hours(19));
  EXPECT_EQ(List().orders_size(), 0) << "not at risk yet";

  At(absl::Hours(20));
  auto l = List();
  ASSERT_EQ(l.orders_size(), 1);
  EXPECT_EQ(l.orders(0).order_id(), "A1");
  EXPECT_EQ(l.orders(0).stage(), v1::SHIPMENT_STAGE_WARNING);
  EXPECT_EQ(l.orders(0).deadline_unix_ms(), Ms(kT0 + absl::Hours(24)));
  EXPECT_EQ(l.orders(0).stage_since_unix_ms(), Ms(kT0 + absl::Hours(20)));
  EXPECT_EQ(l.orders(0).compensation_fen(), 645);
  v1::Remark r = Remark("A1");
  EXPECT_EQ(r.flag(), v1::FLAG_PURPLE);
  EXPECT_NE(r.text().find("发货预警 ship by 2025-11-11 12:00"), std::string::npos) << r.text();
  auto s = Summary();
  EXPECT_EQ(s.stages(0).orders(), 1);
  EXPECT_EQ(s.at_risk_fen(), 645);
  EXPECT_EQ(s.incurred_orders(), 0);
  // The warehouse hears of it, and the buyer is told before they ask: still by the deadline.
  auto warehouse = AwaitNotices(R"("type":"shipment_stage")", 1);
  ASSERT_EQ(warehouse.size(), 1u);
  EXPECT_NE(warehouse[0].find(R"("idempotency_key":"shop1:A1:w1")"), std::string::npos);
  EXPECT_NE(warehouse[0].find(R"("stage":"warning")"), std::string::npos);
  auto buyer = AwaitNotices(R"("type":"shipment_delay")", 1);
  ASSERT_EQ(buyer.size(), 1u);
  EXPECT_NE(buyer[0].find(R"("buyer_id":"buyer-A1")"), std::string::npos) << buyer[0];
  EXPECT_NE(buyer[0].find(absl::StrCat(R"("expected_ship_unix_ms":)", Ms(kT0 + absl::Hours(24)))),
            std::string::npos)
      << buyer[0];
  EXPECT_NE(buyer[0].find("预计11-11 12:00前发出"), std::string::npos) << buyer[0];

  At(absl::Hours(24));
  l = List(v1::SHIPMENT_STAGE_OVERDUE);
  ASSERT_EQ(l.orders_size(), 1);
  EXPECT_EQ(List(v1::SHIPMENT_STAGE_WARNING).orders_size(), 0);
  s = Summary();
  EXPECT_EQ(s.stages(0).orders(), 0);
  EXPECT_EQ(s.stages(1).orders(), 1);
  EXPECT_EQ(s.at_risk_fen(), 0);
  EXPECT_EQ(s.incurred_fen(), 645);

  // Overdue: the buyer gets a new date, a day on.
  buyer = AwaitNotices(R"("type":"shipment_delay")", 2);
  ASSERT_EQ(buyer.size(), 2u);
  EXPECT_NE(buyer[1].find(absl::StrCat(R"("expected_ship_unix_ms":)", Ms(kT0 + absl::Hours(48)))),
            std::string::npos)
      << buyer[1];

  At(absl::Hours(36));
  ASSERT_EQ(List(v1::SHIPMENT_STAGE_ESCALATED).orders_size(), 1);
  EXPECT_NE(Remark("A1").text().find("发货超时升级"), std::string::npos);
  EXPECT_EQ(AwaitNotices(R"("type":"shipment_stage")", 3).size(), 3u);
  EXPECT_EQ(AwaitNotices(R"("type":"shipment_delay")", 2).size(), 2u) << "no third buyer notice";

  Record("A1", "s", kT0 + absl::Hours(37), [](v1::OrderEvent* e) { e->mutable_shipped(); });
  EXPECT_EQ(List().orders_size(), 0);
  s = Summary();
  for (const auto& st : s.stages()) EXPECT_EQ(st.orders(), 0) << st.stage();
  EXPECT_EQ(s.incurred_orders(), 1) << "shipped late: the compensation stays incurred";
}

// The stage gauges add up every partition's orders (no shop id in a label) and follow the
// orders through the stages and out when shipped.
TEST_F(ShipmentsE2ETest, TheStageGaugesCountOrdersAndCompensationOverThePartitions) {
  auto expect = [this](const char* stage, double orders, double yuan) {
    absl::SleepFor(absl::Milliseconds(400));  // a few recounts
    const std::string scrape = HttpGet(server_->metrics_port(), "/metrics");
    EXPECT_EQ(scrape.find("shop1"), std::string::npos);
    const std::string labels = absl::StrCat("{stage=\"", stage, "\"}");
    EXPECT_EQ(MetricValue(scrape, "orderwatch_shipments_delayed_orders" + labels), orders) << stage;
    EXPECT_NEAR(MetricValue(scrape, "orderwatch_shipments_compensation_yuan" + labels), yuan, 1e-6)
        << stage;
  };
  for (const char* o : {"G1", "G2", "G3", "G4", "G5", "G6"}) PaidOrder(o, kT0);
  expect("warning", 0, 0);

  At(absl::Hours(20));
  expect("warning", 6, 6 * 6.45);
  At(absl::Hours(24));
  expect("warning", 0, 0);
  expect("overdue", 6, 6 * 6.45);

  Record("G1", "s", kT0 + absl::Hours(25), [](v1::OrderEvent* e) { e->mutable_shipped(); });
  Record("G2", "s", kT0 + absl::Hours(25), [](v1::OrderEvent* e) { e->mutable_shipped(); });
  expect("overdue", 4, 4 * 6.45);
  expect("escalated", 0, 0);
}

TEST_F(ShipmentsE2ETest, ARefundRequestedBeforeShippingStopsTheShipment) {
  PaidOrder("S1", kT0);
  PaidOrder("S2", kT0);
  Record("S2", "s", kT0 + absl::Hours(1), [](v1::OrderEvent* e) { e->mutable_shipped(); });
  for (const char* order : {"S1", "S2"}) {
    Record(order, "rr", kT0 + absl::Hours(2), [](v1::OrderEvent* e) {
      e->mutable_refund_requested()->set_reason("拍错了");
    });
  }
  At(absl::Hours(2));
  auto stops = AwaitNotices(R"("type":"stop_shipment")", 1);
  absl::SleepFor(absl::Milliseconds(200));
  stops = AwaitNotices(R"("type":"stop_shipment")", 1);
  ASSERT_EQ(stops.size(), 1u) << "only the unshipped order";
  EXPECT_NE(stops[0].find(R"("order_id":"S1")"), std::string::npos) << stops[0];
  EXPECT_NE(stops[0].find(R"("idempotency_key":"shop1:S1:stop")"), std::string::npos);
  EXPECT_NE(stops[0].find(absl::StrCat(R"("refund_requested_unix_ms":)",
                                       Ms(kT0 + absl::Hours(2)))),
            std::string::npos);
}

TEST_F(ShipmentsE2ETest, TheStorefrontsShipByWinsAndAPersonsFlagIsKept) {
  PaidOrder("B1", kT0, kT0 + absl::Hours(5));  // warning due at kT0 + 1 h
  v1::SetRemarkRequest set;
  set.set_request_id("r1");
  set.set_order_id("B1");
  set.set_expected_version(0);
  set.set_flag(v1::FLAG_RED);
  set.set_text("顺丰发货");
  v1::Remark out;
  ASSERT_TRUE(server_->remarks()->Set(TestServer::Context().get(), set, &out).ok());
  At(absl::Hours(1));
  auto l = List();
  ASSERT_EQ(l.orders_size(), 1);
  EXPECT_EQ(l.orders(0).deadline_unix_ms(), Ms(kT0 + absl::Hours(5)));
  v1::Remark r = Remark("B1");
  EXPECT_EQ(r.flag(), v1::FLAG_RED);
  EXPECT_EQ(r.text().substr(0, 12), "顺丰发货");
  EXPECT_NE(r.text().find("发货预警"), std::string::npos);
}

TEST_F(ShipmentsE2ETest, UnpaidOrdersAreNotWatchedAndRefundedOrClosedOnesLeave) {
  Record("U1", "c", kT0, [](v1::OrderEvent* e) {
    e->mutable_created()->set_amount_fen(100);
    e->mutable_created()->set_buyer_id("buyer-U1");
  });
  PaidOrder("R1", kT0);
  PaidOrder("C1", kT0);
  At(absl::Hours(25));
  auto l = List();
  ASSERT_EQ(l.orders_size(), 2);
  std::set<std::string> ids = {l.orders(0).order_id(), l.orders(1).order_id()};
  EXPECT_EQ(ids, (std::set<std::string>{"R1", "C1"}));
  Record("R1", "r", kT0 + absl::Hours(25), [](v1::OrderEvent* e) { e->mutable_refunded(); });
  Record("C1", "x", kT0 + absl::Hours(25), [](v1::OrderEvent* e) { e->mutable_closed(); });
  EXPECT_EQ(List().orders_size(), 0);
  EXPECT_EQ(Summary().stages(1).orders(), 0);
  // Their jobs are gone too: nothing comes back at the escalation time.
  At(absl::Hours(40));
  EXPECT_EQ(List().orders_size(), 0);
}

TEST_F(ShipmentsE2ETest, AnUrgedOrderIsAtRiskAtOnceAndAModifiedOneIsHeldForReview) {
  auto p = Defaults();
  p.set_review_hold_minutes(120);
  ASSERT_TRUE(SetPolicy(p).ok());
  PaidOrder("G1", kT0);
  PaidOrder("M1", kT0);
  At(absl::Hours(1));
  Record("G1", "u", kT0 + absl::Hours(1), [](v1::OrderEvent* e) { e->mutable_shipment_urged(); });
  At(absl::Hours(1) + absl::Seconds(1));
  auto l = List();
  ASSERT_EQ(l.orders_size(), 1);
  EXPECT_EQ(l.orders(0).order_id(), "G1");
  EXPECT_TRUE(l.orders(0).buyer_urged());

  // M1 changed at 19:00: held for review until 21:00, though its warning was due at 20:00.
  At(absl::Hours(19));
  Record("M1", "m", kT0 + absl::Hours(19), [](v1::OrderEvent* e) {
    e->mutable_modified()->set_what("address");
  });
  At(absl::Hours(20) + absl::Minutes(30));
  EXPECT_EQ(List().orders_size(), 1) << "M1 is in review";
  At(absl::Hours(21));
  EXPECT_EQ(List().orders_size(), 2);
}

TEST_F(ShipmentsE2ETest, ACampaignsPromiseSetsTheDeadline) {
  auto p = Defaults();
  auto* c = p.add_campaigns();
  c->set_start_unix_ms(Ms(kT0 - absl::Hours(1)));
  c->set_end_unix_ms(Ms(kT0 + absl::Hours(1)));
  c->set_promise_hours(72);
  ASSERT_TRUE(SetPolicy(p).ok());
  PaidOrder("D1", kT0);                       // inside: 72 h
  PaidOrder("D2", kT0 + absl::Hours(2));      // after: 24 h
  At(absl::Hours(30));
  auto l = List();
  ASSERT_EQ(l.orders_size(), 1);
  EXPECT_EQ(l.orders(0).order_id(), "D2");
  At(absl::Hours(68));
  l = List(v1::SHIPMENT_STAGE_WARNING);
  ASSERT_EQ(l.orders_size(), 1);
  EXPECT_EQ(l.orders(0).deadline_unix_ms(), Ms(kT0 + absl::Hours(72)));
}

TEST_F(ShipmentsE2ETest, PagesComeInDeadlineOrderWithoutRepeats) {
  for (int i = 0; i < 7; ++i) PaidOrder("P" + std::to_string(i), kT0 + absl::Minutes(7 - i));
  At(absl::Hours(21));
  std::vector<std::string> seen;
  std::string token;
  int64_t last = 0;
  for (int page = 0; page < 5; ++page) {
    auto l = List(v1::SHIPMENT_STAGE_WARNING, 3, token);
    for (const auto& o : l.orders()) {
      EXPECT_GE(o.deadline_unix_ms(), last);
      last = o.deadline_unix_ms();
      seen.push_back(o.order_id());
    }
    token = l.next_page_token();
    if (token.empty()) break;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"P6", "P5", "P4", "P3", "P2", "P1", "P0"}));
}

// Without a stage, one read per partition covers all three stage lists: the pages merge them
// by deadline and each order keeps its own stage.
TEST_F(ShipmentsE2ETest, AllStagesPageTogetherByDeadline) {
  PaidOrder("X0", kT0);                      // ship by 24 h: overdue at 24 h 01
  PaidOrder("X1", kT0 + absl::Hours(3));     // ship by 27 h: at risk (warning) from 23 h
  PaidOrder("X2", kT0 + absl::Hours(10));    // ship by 34 h: on time
  PaidOrder("X3", kT0 + absl::Minutes(90));  // ship by 25 h 30: at risk
  At(absl::Hours(24) + absl::Minutes(1));
  std::vector<std::pair<std::string, v1::ShipmentStage>> seen;
  std::string token;
  for (int page = 0; page < 5; ++page) {
    auto l = List(v1::SHIPMENT_STAGE_UNSPECIFIED, 1, token);
    for (const auto& o : l.orders()) seen.emplace_back(o.order_id(), o.stage());
    token = l.next_page_token();
    if (token.empty()) break;
  }
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, v1::ShipmentStage>>{
                      {"X0", v1::SHIPMENT_STAGE_OVERDUE},
                      {"X3", v1::SHIPMENT_STAGE_WARNING},
                      {"X1", v1::SHIPMENT_STAGE_WARNING}}));
}

TEST_F(ShipmentsE2ETest, PolicyIsValidatedAndOnlySupervisorsChangeIt) {
  auto p = Defaults();
  p.set_escalate_after_minutes(5);
  auto s = SetPolicy(p);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().substr(0, 30), "policy.escalate_after_minutes:");
  EXPECT_EQ(SetPolicy(Defaults(), Caller{}).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::ShipmentPolicy got;
  ASSERT_TRUE(server_->shipments()->GetPolicy(TestServer::Context().get(), {}, &got).ok());
  EXPECT_EQ(got.promise_hours(), 24);
  EXPECT_EQ(got.flag(), v1::FLAG_PURPLE);
  v1::ListDelayedRequest bad;
  bad.set_page_token("nonsense");
  v1::ListDelayedResponse resp;
  s = server_->shipments()->ListDelayed(TestServer::Context().get(), bad, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().substr(0, 11), "page_token:");
}

TEST_F(ShipmentsE2ETest, TheBuyersNoticeIsTheShopsTemplateAndItsPeakOneInACampaign) {
  auto p = Defaults();
  p.set_notice_template("{order_id}: ships by {ship_date}, {buyer_nick}");
  p.set_peak_notice_template("双11 {order_id} {items} 预计{ship_date}发出");
  // Unknown placeholders (a reminder's {pay_deadline} too) are refused on save, naming the field.
  auto bad = p;
  bad.set_peak_notice_template("{order_id} {pay_deadline}");
  auto s = SetPolicy(bad);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("policy.peak_notice_template: unknown placeholder", 0), 0u)
      << s.error_message();
  ASSERT_TRUE(SetPolicy(p).ok());

  PaidOrder("N1", kT0);
  At(absl::Hours(20));
  auto buyer = AwaitNotices(R"("type":"shipment_delay")", 1);
  ASSERT_EQ(buyer.size(), 1u);
  EXPECT_NE(buyer[0].find("N1: ships by 11-11 12:00, buyer-N1"), std::string::npos) << buyer[0];

  // A campaign window open now: the peak template.
  auto* c = p.add_campaigns();
  c->set_start_unix_ms(Ms(kT0 + absl::Hours(21)));
  c->set_end_unix_ms(Ms(kT0 + absl::Hours(72)));
  c->set_promise_hours(72);
  p.set_overdue_ship_delay_hours(12);  // overdue: ships 12 h after the deadline
  ASSERT_TRUE(SetPolicy(p).ok());  // this server's cache has it at once
  At(absl::Hours(24));
  buyer = AwaitNotices(R"("type":"shipment_delay")", 2);
  ASSERT_EQ(buyer.size(), 2u);
  EXPECT_NE(buyer[1].find("双11 N1"), std::string::npos) << buyer[1];
  EXPECT_NE(buyer[1].find("预计11-12 00:00发出"), std::string::npos) << buyer[1];
}

}  // namespace
}  // namespace orderwatch::testing
