#include "services/orders/order_fields.h"

#include <gtest/gtest.h>

namespace orderwatch::orders {
namespace {

redis::Reply Hash(const std::vector<std::pair<std::string, std::string>>& fields) {
  return redis::Reply::HashOf(fields);
}

TEST(OrderFieldsTest, StateComesFromTheStrongestFact) {
  EXPECT_EQ(OrderFromHash("1", Hash({{"paid", "5"}}))->state(), v1::ORDER_STATE_PAID);
  EXPECT_EQ(OrderFromHash("1", Hash({{"ct", "1"}}))->state(), v1::ORDER_STATE_PENDING_PAYMENT);
  // A late "created" after "paid" leaves the order paid.
  EXPECT_EQ(OrderFromHash("1", Hash({{"paid", "5"}, {"ct", "9"}}))->state(), v1::ORDER_STATE_PAID);
  EXPECT_EQ(OrderFromHash("1", Hash({{"ct", "1"}, {"paid", "5"}, {"shp", "7"}}))->state(),
            v1::ORDER_STATE_SHIPPED);
  EXPECT_EQ(OrderFromHash("1", Hash({{"paid", "5"}, {"cls", "6"}}))->state(),
            v1::ORDER_STATE_CLOSED);
  EXPECT_EQ(OrderFromHash("1", Hash({{"shp", "5"}, {"rfd", "8"}}))->state(),
            v1::ORDER_STATE_REFUNDED);
  EXPECT_EQ(OrderFromHash("1", Hash({{"urg", "5"}}))->state(), v1::ORDER_STATE_UNKNOWN);
}

TEST(OrderFieldsTest, ReadsFieldsAndIgnoresRemarkFields) {
  auto o = OrderFromHash("1001", Hash({{"amt", "9900"},
                                       {"cur", "CNY"},
                                       {"buy", "b1"},
                                       {"ph", "abc"},
                                       {"fs", "1"},
                                       {"urgn", "2"},
                                       {"f", "1"},
                                       {"t", "memo"},
                                       {"n", "3"}}));
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->order_id(), "1001");
  EXPECT_EQ(o->amount_fen(), 9900);
  EXPECT_EQ(o->buyer_id(), "b1");
  EXPECT_TRUE(o->has_buyer_phone());
  EXPECT_TRUE(o->flash_sale());
  EXPECT_EQ(o->shipment_urged_count(), 2);
  EXPECT_EQ(o->events_applied(), 3);
}

TEST(OrderFieldsTest, ACreatedOrderWithoutCurrencyIsInYuan) {
  EXPECT_EQ(OrderFromHash("1", Hash({{"ct", "9"}, {"amt", "100"}}))->currency(), "CNY");
  EXPECT_EQ(OrderFromHash("1", Hash({{"ct", "9"}, {"cur", "USD"}}))->currency(), "USD");
  EXPECT_EQ(OrderFromHash("1", Hash({{"urg", "5"}}))->currency(), "") << "nothing known yet";
}

}  // namespace
}  // namespace orderwatch::orders
