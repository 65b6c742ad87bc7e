#include "loadtest/sizing/sizing_model.h"

#include <algorithm>
#include <cmath>

namespace orderwatch::load {
namespace {

int AtLeastOne(double x) { return std::max(1, static_cast<int>(std::ceil(x - 1e-9))); }

}  // namespace

std::string Check(const ShopPeak& shop, const CallCost& cost, const Headroom& room) {
  if (shop.orders_per_s <= 0) return "--orders-per-s must be > 0";
  if (shop.unpaid_share < 0 || shop.closed_share < 0 || shop.unpaid_share + shop.closed_share > 1) {
    return "--unpaid-share and --closed-share must be >= 0 and add up to at most 1";
  }
  if (shop.page_reads < 0 || shop.remark_writes < 0 || shop.triggers < 0) {
    return "--page-reads, --remark-writes and --triggers must be >= 0";
  }
  if (cost.server_us <= 0 || cost.redis_us <= 0 || cost.redis_bytes_per_order <= 0) {
    return "--server-us-per-call, --redis-us-per-call and --redis-bytes-per-order must be > 0 "
           "(orderwatch-peak prints them)";
  }
  if (room.core_utilisation <= 0 || room.core_utilisation > 1) {
    return "--core-utilisation must be in (0, 1]";
  }
  if (room.cores_per_instance < 1 || room.spare_instances < 0) {
    return "--cores-per-instance must be >= 1 and --spare-instances >= 0";
  }
  if (room.redis_node_gb <= 0 || room.redis_fill <= 0 || room.redis_fill > 1) {
    return "--redis-node-gb must be > 0 and --redis-fill in (0, 1]";
  }
  return "";
}

Sizing Size(const ShopPeak& shop, const CallCost& cost, const Headroom& room) {
  Sizing s;
  s.mix.paid = 1 - shop.unpaid_share - shop.closed_share;
  s.mix.closed = shop.closed_share;
  s.mix.shipped = shop.shipped_at_peak;
  s.mix.page_reads = shop.page_reads;
  s.mix.remark_writes = shop.remark_writes;
  s.mix.triggers = shop.triggers;
  s.calls_per_order = CallsPerOrder(s.mix);
  s.calls_per_s = shop.orders_per_s * s.calls_per_order;
  s.server_cores = s.calls_per_s * cost.server_us / 1e6;
  s.instances = AtLeastOne(s.server_cores / (room.core_utilisation * room.cores_per_instance)) +
                room.spare_instances;
  s.redis_cores = s.calls_per_s * cost.redis_us / 1e6;
  s.redis_nodes_for_cpu = AtLeastOne(s.redis_cores / room.core_utilisation);
  s.tracked_orders = shop.tracked_orders > 0 ? shop.tracked_orders : shop.orders_per_s * 4 * 3600;
  s.redis_gb = s.tracked_orders * cost.redis_bytes_per_order / 1e9;
  s.redis_nodes_for_memory = AtLeastOne(s.redis_gb / (room.redis_node_gb * room.redis_fill));
  s.redis_nodes = std::max(s.redis_nodes_for_cpu, s.redis_nodes_for_memory);
  return s;
}

std::string Check(const Staffing& s) {
  if (s.sales_yuan <= 0) return "";
  if (s.cs_share <= 0 || s.cs_share > 1) return "--cs-share must be in (0, 1]";
  if (s.aov_yuan <= 0) return "--aov-yuan must be > 0";
  if (s.conversion <= 0 || s.conversion > 1) return "--conversion must be in (0, 1]";
  if (s.agent_capacity <= 0) return "--agent-capacity must be > 0";
  return "";
}

StaffPlan Plan(const Staffing& s) {
  StaffPlan p;
  p.cs_sales_yuan = s.sales_yuan * s.cs_share;
  p.buyers = p.cs_sales_yuan / s.aov_yuan;
  p.inquiries = p.buyers / s.conversion;
  p.agents = AtLeastOne(p.inquiries / s.agent_capacity);
  return p;
}

}  // namespace orderwatch::load
