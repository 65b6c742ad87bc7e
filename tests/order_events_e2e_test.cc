// Order events through a real server and Redis: idempotency, out-of-order arrival, batches.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/support/test_server.h"

namespace orderwatch {
namespace {

using testing::Caller;
using testing::RedisServer;
using testing::TestServer;

constexpr int64_t kT0 = 1762790400000;  // 2025-11-11 00:00 +08:00... an event time

class OrderEventsE2ETest : public testing::ServerSuite {
 protected:
  static v1::OrderEvent Event(const std::string& id, const std::string& order, int64_t at) {
    v1::OrderEvent e;
    e.set_event_id(id);
    e.set_order_id(order);
    e.set_event_unix_ms(at);
    return e;
  }
  static v1::OrderEvent Created(const std::string& id, const std::string& order) {
    auto e = Event(id, order, kT0);
    auto* c = e.mutable_created();
    c->set_amount_fen(12900);
    c->set_buyer_id("buyer-7");
    c->set_buyer_phone_hash("9f2c");
    c->set_item_summary("羽绒服 x1");
    c->set_created_unix_ms(kT0);
    c->set_auto_close_unix_ms(kT0 + 30 * 60 * 1000);
    c->set_ship_by_unix_ms(kT0 + 72 * 3600 * 1000LL);
    c->set_flash_sale(true);
    return e;
  }

  static grpc::Status Record(const v1::OrderEvent& e, v1::RecordEventResponse* out,
                             const Caller& who = Storefront()) {
    v1::RecordEventRequest req;
    *req.mutable_event() = e;
    return server_->orders()->Record(TestServer::Context(who).get(), req, out);
  }
  static Caller Storefront() { return Caller{"shop1", "web", "storefront"}; }
};

TEST_F(OrderEventsE2ETest, CreatedThenPaidAndRetriesAreIdempotent) {
  v1::RecordEventResponse r;
  ASSERT_TRUE(Record(Created("c1", "A1"), &r).ok());
  EXPECT_FALSE(r.duplicate());
  EXPECT_EQ(r.order().state(), v1::ORDER_STATE_PENDING_PAYMENT);
  EXPECT_EQ(r.order().amount_fen(), 12900);
  EXPECT_EQ(r.order().currency(), "CNY");
  EXPECT_TRUE(r.order().flash_sale());

  auto paid = Event("p1", "A1", kT0 + 60000);
  paid.mutable_paid();
  ASSERT_TRUE(Record(paid, &r).ok());
  EXPECT_EQ(r.order().state(), v1::ORDER_STATE_PAID);
  EXPECT_EQ(r.order().paid_unix_ms(), kT0 + 60000);
  EXPECT_EQ(r.order().events_applied(), 2);

  // The same event again changes nothing.
  ASSERT_TRUE(Record(paid, &r).ok());
  EXPECT_TRUE(r.duplicate());
  EXPECT_EQ(r.order().events_applied(), 2);
}

TEST_F(OrderEventsE2ETest, LateCreatedDoesNotMakeAPaidOrderUnpaid) {
  v1::RecordEventResponse r;
  auto paid = Event("p1", "A2", kT0 + 60000);
  paid.mutable_paid();
  ASSERT_TRUE(Record(paid, &r).ok());
  EXPECT_EQ(r.order().state(), v1::ORDER_STATE_PAID);
  ASSERT_TRUE(Record(Created("c1", "A2"), &r).ok());
  EXPECT_EQ(r.order().state(), v1::ORDER_STATE_PAID);
  EXPECT_EQ(r.order().buyer_id(), "buyer-7");  // the late details still land

  // A second "paid" with an earlier time keeps the earliest.
  auto early = Event("p0", "A2", kT0 + 1000);
  early.mutable_paid();
  ASSERT_TRUE(Record(early, &r).ok());
  EXPECT_EQ(r.order().paid_unix_ms(), kT0 + 1000);

  auto shipped = Event("s1", "A2", kT0 + 7200000);
  shipped.mutable_shipped()->set_carrier("SF");
  ASSERT_TRUE(Record(shipped, &r).ok());
  EXPECT_EQ(r.order().state(), v1::ORDER_STATE_SHIPPED);
  auto refunded = Event("r1", "A2", kT0 + 9000000);
  refunded.mutable_refunded()->set_amount_fen(12900);
  ASSERT_TRUE(Record(refunded, &r).ok());
  EXPECT_EQ(r.order().state(), v1::ORDER_STATE_REFUNDED);
}

TEST_F(OrderEventsE2ETest, UrgesAndModificationsAreCounted) {
  v1::RecordEventResponse r;
  for (int i = 0; i < 3; ++i) {
    auto urged = Event("u" + std::to_string(i), "A3", kT0 + i * 1000);
    urged.mutable_shipment_urged();
    ASSERT_TRUE(Record(urged, &r).ok());
  }
  auto modified = Event("m1", "A3", kT0);
  modified.mutable_modified()->set_what("address");
  ASSERT_TRUE(Record(modified, &r).ok());
  EXPECT_EQ(r.order().shipment_urged_count(), 3);
  EXPECT_EQ(r.order().shipment_urged_unix_ms(), kT0 + 2000);
  EXPECT_EQ(r.order().modified_count(), 1);

  v1::GetOrderRequest get;
  get.set_order_id("A3");
  v1::Order order;
  ASSERT_TRUE(
      server_->orders()->GetOrder(TestServer::Context(Storefront()).get(), get, &order).ok());
  EXPECT_EQ(order.shipment_urged_count(), 3);
}

TEST_F(OrderEventsE2ETest, BatchAppliesEachEventAndRejectsMalformedBatchesWhole) {
  v1::RecordEventBatchRequest batch;
  for (int i = 0; i < 500; ++i) *batch.add_events() = Created("c", "B" + std::to_string(i));
  v1::RecordEventBatchResponse r;
  ASSERT_TRUE(
      server_->orders()->RecordBatch(TestServer::Context(Storefront()).get(), batch, &r).ok());
  ASSERT_EQ(r.results_size(), 500);
  for (const auto& res : r.results()) {
    EXPECT_EQ(res.code(), 0);
    EXPECT_EQ(res.state(), v1::ORDER_STATE_PENDING_PAYMENT);
  }

  // One bad event: INVALID_ARGUMENT naming it, and nothing written.
  v1::RecordEventBatchRequest bad;
  *bad.add_events() = Created("c", "C1");
  *bad.add_events() = Created("c", "C2");
  bad.mutable_events(1)->set_event_unix_ms(5);
  auto s = server_->orders()->RecordBatch(TestServer::Context(Storefront()).get(), bad, &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().substr(0, 24), "events[1].event_unix_ms:");
  v1::GetOrderRequest get;
  get.set_order_id("C1");
  v1::Order order;
  EXPECT_EQ(server_->orders()
                ->GetOrder(TestServer::Context(Storefront()).get(), get, &order)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::RecordEventBatchRequest too_big;
  for (int i = 0; i < 501; ++i) *too_big.add_events() = Created("c", "D" + std::to_string(i));
  s = server_->orders()->RecordBatch(TestServer::Context(Storefront()).get(), too_big, &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().substr(0, 7), "events:");
}

TEST_F(OrderEventsE2ETest, RolesAndShopsAreEnforced) {
  v1::RecordEventResponse r;
  auto s = Record(Created("c1", "E1"), &r, Caller{"shop1", "alice", "agent"});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Record(Created("c1", "E1"), &r).ok());
  // Another shop does not see shop1's order.
  v1::GetOrderRequest get;
  get.set_order_id("E1");
  v1::Order order;
  EXPECT_EQ(
      server_->orders()
          ->GetOrder(TestServer::Context(Caller{"shop2", "web", "storefront"}).get(), get, &order)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
  // No identity at all.
  grpc::ClientContext anonymous;
  v1::RecordEventRequest req;
  EXPECT_EQ(server_->orders()->Record(&anonymous, req, &r).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(OrderEventsE2ETest, BadInputNamesTheField) {
  v1::RecordEventResponse r;
  auto e = Created("c1", "bad:id");
  auto s = Record(e, &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().substr(0, 15), "event.order_id:");
  e = Created("c1", "F1");
  e.mutable_created()->set_item_summary(std::string(300, 'x'));
  s = Record(e, &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().substr(0, 27), "event.created.item_summary:");
  v1::RecordEventRequest empty;
  s = server_->orders()->Record(TestServer::Context(Storefront()).get(), empty, &r);
  EXPECT_EQ(s.error_message(), "event: is required");
}

}  // namespace
}  // namespace orderwatch

namespace orderwatch {
namespace {

std::string OrderKey(const std::string& shop, const std::string& order) {
  return absl::StrCat("ow:{p", redis::KeyScheme(16).PartitionOf(shop, order), "}:o:", shop, ":",
                      order);
}

TEST_F(OrderEventsE2ETest, FieldsComeFromTheWinningEventWhateverTheArrivalOrder) {
  v1::RecordEventResponse r;
  auto late = Event("s2", "G1", kT0 + 20000);
  late.mutable_shipped()->set_carrier("YTO");
  auto early = Event("s1", "G1", kT0 + 10000);
  early.mutable_shipped()->set_carrier("SF");
  ASSERT_TRUE(Record(late, &r).ok());
  ASSERT_TRUE(Record(early, &r).ok());
  EXPECT_EQ(r.order().shipped_unix_ms(), kT0 + 10000);
  EXPECT_EQ(redis_->Command("HGET " + OrderKey("shop1", "G1") + " car"), "SF");

  // A second "created" with another id and a later time leaves the first one's details.
  auto again = Created("c2", "G1");
  again.mutable_created()->set_created_unix_ms(kT0 + 5000);
  again.mutable_created()->set_amount_fen(1);
  ASSERT_TRUE(Record(Created("c1", "G1"), &r).ok());
  ASSERT_TRUE(Record(again, &r).ok());
  EXPECT_EQ(r.order().amount_fen(), 12900);
  EXPECT_EQ(r.order().created_unix_ms(), kT0);

  // An earlier "created" arriving last wins whole: its defaults (CNY, no flash sale, no ship-by)
  // clear what the later one had set, though defaults are not stored.
  auto later = Created("c3", "G2");
  later.mutable_created()->set_created_unix_ms(kT0 + 5000);
  later.mutable_created()->set_currency("USD");
  auto earliest = Created("c4", "G2");
  earliest.mutable_created()->set_flash_sale(false);
  earliest.mutable_created()->clear_ship_by_unix_ms();
  ASSERT_TRUE(Record(later, &r).ok());
  EXPECT_EQ(r.order().currency(), "USD");
  EXPECT_TRUE(r.order().flash_sale());
  ASSERT_TRUE(Record(earliest, &r).ok());
  EXPECT_EQ(r.order().created_unix_ms(), kT0);
  EXPECT_EQ(r.order().currency(), "CNY");
  EXPECT_FALSE(r.order().flash_sale());
  EXPECT_EQ(r.order().ship_by_unix_ms(), 0);
  EXPECT_EQ(redis_->Command("HEXISTS " + OrderKey("shop1", "G2") + " cur"), "0");
}

// Events keep a flagged order alive in the lists as long as they keep its keys alive.
class OrderEventsRetentionTest : public OrderEventsE2ETest {};
TEST_F(OrderEventsRetentionTest, ActiveOrdersStayListedUnderTheirFlag) {
  RedisServer redis;
  auto config = TestServer::DevConfig();
  config.retention.order = absl::Seconds(2);
  TestServer server(redis, config);
  const Caller agent{"shopR", "alice", "agent"}, web{"shopR", "web", "storefront"};
  v1::SetRemarkRequest set;
  set.set_request_id("r1");
  set.set_order_id("H1");
  set.set_expected_version(0);
  set.set_flag(v1::FLAG_RED);
  v1::Remark remark;
  ASSERT_TRUE(server.remarks()->Set(TestServer::Context(agent).get(), set, &remark).ok());
  for (int i = 0; i < 5; ++i) {  // 3.5 s of activity, longer than the retention
    absl::SleepFor(absl::Milliseconds(700));
    v1::RecordEventRequest req;
    *req.mutable_event() = OrderEventsE2ETest::Event(absl::StrCat("u", i), "H1", kT0 + i);
    req.mutable_event()->mutable_shipment_urged();
    v1::RecordEventResponse r;
    ASSERT_TRUE(server.orders()->Record(TestServer::Context(web).get(), req, &r).ok());
  }
  v1::CountByFlagResponse counts;
  ASSERT_TRUE(server.remarks()->CountByFlag(TestServer::Context(agent).get(), {}, &counts).ok());
  EXPECT_EQ(counts.counts(0).count(), 1);
  v1::ListByFlagRequest list;
  list.set_flag(v1::FLAG_RED);
  v1::ListByFlagResponse page;
  ASSERT_TRUE(server.remarks()->ListByFlag(TestServer::Context(agent).get(), list, &page).ok());
  ASSERT_EQ(page.remarks_size(), 1);
  EXPECT_EQ(page.remarks(0).order_id(), "H1");

  // Once idle past the retention, the order and its place in the lists are gone.
  absl::SleepFor(absl::Milliseconds(2200));
  ASSERT_TRUE(server.remarks()->CountByFlag(TestServer::Context(agent).get(), {}, &counts).ok());
  EXPECT_EQ(counts.counts(0).count(), 0);
  EXPECT_EQ(redis.Command("EXISTS " + OrderKey("shopR", "H1")), "0");
}

}  // namespace
}  // namespace orderwatch
