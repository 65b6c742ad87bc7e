#include "services/orders/order_event_rules.h"

#include <gtest/gtest.h>

#include <map>

#include "services/orders/order_fields.h"

namespace orderwatch::orders {
namespace {

v1::OrderEvent Created() {
  v1::OrderEvent e;
  e.set_event_id("e1");
  e.set_order_id("1001");
  e.set_event_unix_ms(1762790400000);
  auto* c = e.mutable_created();
  c->set_amount_fen(9900);
  c->set_buyer_id("buyer1");
  c->set_item_summary("保温杯 x1");
  c->set_auto_close_unix_ms(1762792200000);
  return e;
}

TEST(OrderEventRulesTest, AcceptsAWellFormedEvent) {
  EXPECT_TRUE(ValidateEvent(Created(), "event.").ok());
}

TEST(OrderEventRulesTest, ErrorsNameTheField) {
  auto e = Created();
  e.clear_event_id();
  EXPECT_EQ(ValidateEvent(e, "events[3].").message(), "events[3].event_id: is required");
  e = Created();
  e.set_event_unix_ms(1762790400);  // seconds
  EXPECT_EQ(ValidateEvent(e, "event.").message().substr(0, 20), "event.event_unix_ms:");
  e = Created();
  e.mutable_created()->set_amount_fen(-1);
  EXPECT_EQ(ValidateEvent(e, "").message().substr(0, 19), "created.amount_fen:");
  e = Created();
  e.mutable_created()->set_currency("rmb");
  EXPECT_EQ(ValidateEvent(e, "").message().substr(0, 17), "created.currency:");
  e = Created();
  e.mutable_created()->set_item_summary("\xff");
  EXPECT_EQ(ValidateEvent(e, "").message().substr(0, 21), "created.item_summary:");
  e = Created();
  e.mutable_created()->set_buyer_phone_hash(
      "9f86d0\x10"
      "81884c7d");  // found by event_fuzz
  EXPECT_EQ(ValidateEvent(e, "").message().substr(0, 25), "created.buyer_phone_hash:");
  e.mutable_created()->set_buyer_phone_hash("n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=");
  EXPECT_TRUE(ValidateEvent(e, "").ok());
  e = Created();
  e.clear_created();
  EXPECT_EQ(ValidateEvent(e, "").message().substr(0, 5), "kind:");
}

TEST(OrderEventRulesTest, WritesPerKind) {
  auto created = WriteFor(Created());
  EXPECT_EQ(created.mode, "first");
  EXPECT_EQ(created.time_field, field::kCreated);
  EXPECT_EQ(created.time, 1762790400000);  // no created_unix_ms given: the event's time
  // Defaults are written as "" (the field is removed): CNY, not a flash sale, no ship-by time.
  std::map<std::string, std::string> written(created.fields.begin(), created.fields.end());
  EXPECT_EQ(written.at(field::kCurrency), "");
  EXPECT_EQ(written.at(field::kFlashSale), "");
  EXPECT_EQ(written.at(field::kShipBy), "");
  EXPECT_EQ(written.at(field::kAmount), "9900");

  v1::OrderEvent paid;
  paid.mutable_paid();
  EXPECT_EQ(WriteFor(paid).mode, "first");
  EXPECT_EQ(WriteFor(paid).time_field, field::kPaid);

  v1::OrderEvent urged;
  urged.mutable_shipment_urged();
  EXPECT_EQ(WriteFor(urged).mode, "last");
  EXPECT_EQ(WriteFor(urged).count_field, field::kUrgedCount);
}

}  // namespace
}  // namespace orderwatch::orders
