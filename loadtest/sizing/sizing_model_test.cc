#include "loadtest/sizing/sizing_model.h"

#include <gtest/gtest.h>

namespace orderwatch::load {
namespace {

TEST(SizingTest, CallsFollowTheMixAndCoresTheMeasuredCost) {
  ShopPeak shop;
  shop.orders_per_s = 1000;
  shop.unpaid_share = 0.15;
  shop.closed_share = 0.05;
  shop.shipped_at_peak = 0.5;
  shop.page_reads = 2;
  shop.remark_writes = 0.1;
  shop.triggers = 0.02;
  const CallCost cost{200, 100, 1000};
  Headroom room;
  room.core_utilisation = 0.5;
  room.cores_per_instance = 2;
  room.spare_instances = 1;
  room.redis_node_gb = 8;
  room.redis_fill = 0.5;
  ASSERT_EQ(Check(shop, cost, room), "");
  const Sizing s = Size(shop, cost, room);
  // created 1 + paid 0.8 x (paid 1 + shipped 0.5) + closed 0.05 + triggers 0.02 + reads 2
  // + writes 0.1 = 4.37
  EXPECT_NEAR(s.calls_per_order, 4.37, 1e-9);
  EXPECT_NEAR(s.calls_per_s, 4370, 1e-6);
  EXPECT_NEAR(s.server_cores, 0.874, 1e-9);
  EXPECT_EQ(s.instances, 1 + 1);  // 0.874 cores / (0.5 x 2) -> 1, plus the spare
  EXPECT_NEAR(s.redis_cores, 0.437, 1e-9);
  EXPECT_EQ(s.redis_nodes_for_cpu, 1);
  // 4 h of 1000 orders/s at 1000 bytes = 14.4 GB; 4 GB usable per node -> 4 nodes.
  EXPECT_NEAR(s.redis_gb, 14.4, 1e-9);
  EXPECT_EQ(s.redis_nodes_for_memory, 4);
  EXPECT_EQ(s.redis_nodes, 4);
}

TEST(SizingTest, ABiggerPeakNeedsMoreInstancesAndRedisCores) {
  ShopPeak shop;
  shop.orders_per_s = 20000;
  shop.tracked_orders = 1e6;
  const CallCost cost{200, 100, 1000};
  const Sizing s = Size(shop, cost, Headroom{});
  EXPECT_GT(s.server_cores, 10);
  EXPECT_EQ(s.instances, static_cast<int>(std::ceil(s.server_cores / 1.0)) + 1);
  EXPECT_EQ(s.redis_nodes_for_cpu, static_cast<int>(std::ceil(s.redis_cores / 0.5)));
  EXPECT_EQ(s.redis_nodes_for_memory, 1);  // 1 GB of orders
  EXPECT_EQ(s.redis_nodes, s.redis_nodes_for_cpu);
}

TEST(SizingTest, BadInputsNameTheFlag) {
  ShopPeak shop;
  const CallCost cost{200, 100, 1000};
  EXPECT_NE(Check(shop, cost, Headroom{}).find("--orders-per-s"), std::string::npos);
  shop.orders_per_s = 10;
  shop.unpaid_share = 0.99;
  EXPECT_NE(Check(shop, cost, Headroom{}).find("--unpaid-share"), std::string::npos);
  shop.unpaid_share = 0.1;
  EXPECT_NE(Check(shop, CallCost{0, 1, 1}, Headroom{}).find("--server-us-per-call"),
            std::string::npos);
  Headroom room;
  room.core_utilisation = 1.5;
  EXPECT_NE(Check(shop, cost, room).find("--core-utilisation"), std::string::npos);
}

TEST(StaffingTest, TheHandbookFormula) {
  // 10 million yuan of sales, 30% through customer service, 145 yuan a buyer, 70% of inquiries
  // convert, 300 inquiries an agent a day.
  const StaffPlan p = Plan(Staffing{10'000'000, 0.3, 145, 0.7, 300});
  EXPECT_NEAR(p.cs_sales_yuan, 3'000'000, 1e-6);
  EXPECT_NEAR(p.buyers, 3'000'000 / 145.0, 1e-6);
  EXPECT_NEAR(p.inquiries, 3'000'000 / 145.0 / 0.7, 1e-6);
  EXPECT_EQ(p.agents, 99);  // 29556.7 / 300 = 98.5 -> 99
  EXPECT_NE(Check(Staffing{1, 0.3, 145, 0, 300}).find("--conversion"), std::string::npos);
}

}  // namespace
}  // namespace orderwatch::load
