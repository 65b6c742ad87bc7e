// Turns a shop's expected Double-11 peak into orderwatch instances and Redis nodes, from the
// cost per call measured by orderwatch-peak; and its pre-sale agents by the handbooks' staffing
// formula, so a shop plans machines and people together.
#pragma once

#include <string>

#include "loadtest/peak/order_flow.h"

namespace orderwatch::load {

struct ShopPeak {
  double orders_per_s = 0;       // orders created per second at the midnight peak
  double unpaid_share = 0.15;    // of those, left unpaid (reminded)
  double closed_share = 0.05;    // cancelled unpaid
  double page_reads = 2;         // storefront remark BatchGet calls per order
  double remark_writes = 0.1;    // agent remark writes per order
  double triggers = 0.02;        // manual reminder triggers per order
  double shipped_at_peak = 0.5;  // paid orders whose shipped event arrives within the peak
  double tracked_orders = 0;     // orders kept in Redis; 0 = 24 h of the peak rate
};

struct CallCost {        // as orderwatch-peak reports them ("cost per call")
  double server_us = 0;  // server CPU microseconds per call, background work included
  double redis_us = 0;   // Redis CPU microseconds per call
  double redis_bytes_per_order = 0;
};

struct Headroom {
  double core_utilisation = 0.5;  // share of a core planned at the peak: p99 stays low
  int cores_per_instance = 2;
  int spare_instances = 1;   // N+1: one instance may fail at midnight
  double redis_node_gb = 8;  // memory of one Redis node ...
  double redis_fill = 0.5;   // ... filled at most this much (AOF rewrite, fragmentation)
};

struct Sizing {
  Mix mix;  // the shop's peak as orderwatch-peak's mix
  double calls_per_order = 0;
  double calls_per_s = 0;
  double server_cores = 0;  // busy cores at the peak
  int instances = 0;        // with headroom and spares
  double redis_cores = 0;
  int redis_nodes_for_cpu = 0;  // Redis runs commands on one core per node
  double redis_gb = 0;
  double tracked_orders = 0;
  int redis_nodes_for_memory = 0;
  int redis_nodes = 0;  // Cluster masters: the larger of the two
};

// Empty string, or what is wrong with the inputs (naming the flag).
std::string Check(const ShopPeak& shop, const CallCost& cost, const Headroom& room);
Sizing Size(const ShopPeak& shop, const CallCost& cost, const Headroom& room);

// 店铺销售额 x 客服销售占比 / 客服客单价 / 询单转化率 / 客服饱和接待量 = 售前客服数量.
struct Staffing {
  double sales_yuan = 0;        // the shop's sales on the day
  double cs_share = 0.3;        // share of sales that goes through customer service
  double aov_yuan = 145;        // average order value of those sales
  double conversion = 0.7;      // inquiries that end in a paid order
  double agent_capacity = 300;  // inquiries one agent can serve in the day
};
struct StaffPlan {
  double cs_sales_yuan = 0;  // sales through customer service
  double buyers = 0;         // buyers served: cs_sales / aov
  double inquiries = 0;      // buyers / conversion
  int agents = 0;            // inquiries / capacity, rounded up
};
std::string Check(const Staffing& s);
StaffPlan Plan(const Staffing& s);

}  // namespace orderwatch::load
