// orderwatch-sizing: instances, Redis nodes and pre-sale agents for a shop's Double-11 peak.
// See --help.
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "loadtest/sizing/sizing_model.h"

namespace {

using namespace orderwatch::load;  // NOLINT: this tool's own namespace

struct Inputs {
  ShopPeak shop;
  CallCost cost{kMeasuredServerUs, kMeasuredRedisUs, kMeasuredRedisBytes};
  Headroom room;
  Staffing staff;
  // The cost per call orderwatch-peak measured at the 10x peak (README, "Sized for the peak").
  static constexpr double kMeasuredServerUs = 395, kMeasuredRedisUs = 236,
                          kMeasuredRedisBytes = 635;
};

struct Flag {
  const char* name;
  const char* help;
  std::function<double&(Inputs&)> field;
};

std::vector<Flag> Flags() {
  return {
      {"orders-per-s", "orders created per second at the midnight peak (required)",
       [](Inputs& i) -> double& { return i.shop.orders_per_s; }},
      {"unpaid-share", "share of orders left unpaid (default 0.15)",
       [](Inputs& i) -> double& { return i.shop.unpaid_share; }},
      {"closed-share", "share cancelled unpaid (default 0.05)",
       [](Inputs& i) -> double& { return i.shop.closed_share; }},
      {"page-reads", "storefront remark BatchGet calls per order (default 2)",
       [](Inputs& i) -> double& { return i.shop.page_reads; }},
      {"remark-writes", "agent remark writes per order (default 0.1)",
       [](Inputs& i) -> double& { return i.shop.remark_writes; }},
      {"triggers", "manual reminder triggers per order (default 0.02)",
       [](Inputs& i) -> double& { return i.shop.triggers; }},
      {"shipped-at-peak",
       "share of paid orders whose shipped event comes during the peak "
       "(default 0.5)",
       [](Inputs& i) -> double& { return i.shop.shipped_at_peak; }},
      {"tracked-orders", "orders kept in Redis (default: 4 h of the peak rate, a Double-11 day)",
       [](Inputs& i) -> double& { return i.shop.tracked_orders; }},
      {"server-us-per-call", "server CPU us per call (default: measured, see README)",
       [](Inputs& i) -> double& { return i.cost.server_us; }},
      {"redis-us-per-call", "Redis CPU us per call (default: measured, see README)",
       [](Inputs& i) -> double& { return i.cost.redis_us; }},
      {"redis-bytes-per-order", "Redis memory per order (default: measured, see README)",
       [](Inputs& i) -> double& { return i.cost.redis_bytes_per_order; }},
      {"core-utilisation", "share of each core planned at the peak (default 0.5)",
       [](Inputs& i) -> double& { return i.room.core_utilisation; }},
      {"redis-node-gb", "memory of one Redis node (default 8)",
       [](Inputs& i) -> double& { return i.room.redis_node_gb; }},
      {"redis-fill", "share of a Redis node's memory used at most (default 0.5)",
       [](Inputs& i) -> double& { return i.room.redis_fill; }},
      {"sales-yuan", "staffing: the shop's sales on the day (default: no staffing plan)",
       [](Inputs& i) -> double& { return i.staff.sales_yuan; }},
      {"cs-share", "staffing: share of sales through customer service (default 0.3)",
       [](Inputs& i) -> double& { return i.staff.cs_share; }},
      {"aov-yuan", "staffing: average order value through customer service (default 145)",
       [](Inputs& i) -> double& { return i.staff.aov_yuan; }},
      {"conversion", "staffing: share of inquiries that end paid (default 0.7)",
       [](Inputs& i) -> double& { return i.staff.conversion; }},
      {"agent-capacity", "staffing: inquiries one agent serves in the day (default 300)",
       [](Inputs& i) -> double& { return i.staff.agent_capacity; }},
  };
}

std::string Usage() {
  std::string out =
      "usage: orderwatch-sizing --orders-per-s=N [--flag=value ...]\n\n"
      "Turns a shop's expected Double-11 peak into orderwatch instances and Redis Cluster\n"
      "nodes, from the cost per call orderwatch-peak measured (its report prints the three\n"
      "cost flags), and with --sales-yuan into pre-sale agents by the handbooks' formula:\n"
      "sales x CS share / average order value / inquiry conversion / per-agent capacity.\n\n";
  for (const Flag& f : Flags()) absl::StrAppend(&out, "  --", f.name, "=V  ", f.help, "\n");
  absl::StrAppend(
      &out, "  --cores-per-instance=N  cores of one server instance (default 2)\n",
      "  --spare-instances=N     instances beyond the need, for failures (default 1)\n");
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Inputs in;
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    if (arg == "--help" || arg == "-h") {
      std::fputs(Usage().c_str(), stdout);
      return 0;
    }
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(2, eq == std::string::npos ? 0 : eq - 2);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    bool known = false, parsed = false;
    if (name == "cores-per-instance" || name == "spare-instances") {
      known = true;
      parsed = absl::SimpleAtoi(value, name == "cores-per-instance" ? &in.room.cores_per_instance
                                                                    : &in.room.spare_instances);
    }
    for (const Flag& f : Flags()) {
      if (name == f.name) {
        known = true;
        parsed = absl::SimpleAtod(value, &f.field(in));
      }
    }
    if (arg.rfind("--", 0) != 0 || !known) {
      std::fprintf(stderr, "orderwatch-sizing: unknown flag \"%s\"; see --help\n", arg.c_str());
      return 2;
    }
    if (!parsed) {
      std::fprintf(stderr, "orderwatch-sizing: --%s: \"%s\" is not a number\n", name.c_str(),
                   value.c_str());
      return 2;
    }
  }
  std::string error = Check(in.shop, in.cost, in.room);
  if (error.empty()) error = Check(in.staff);
  if (!error.empty()) {
    std::fprintf(stderr, "orderwatch-sizing: %s\n", error.c_str());
    return 2;
  }
  const Sizing s = Size(in.shop, in.cost, in.room);
  std::printf(
      "peak: %.0f orders/s x %.2f calls per order = %.0f calls/s\n"
      "server: %.0f calls/s x %.0f us = %.2f busy cores; at %.0f%% of %d cores per instance\n"
      "        -> %d instances (%d spare)\n"
      "redis:  %.0f calls/s x %.0f us = %.2f busy cores; one core per node at %.0f%%\n"
      "        -> %d nodes for CPU\n"
      "        %.0f tracked orders x %.0f bytes = %.1f GB; %.1f GB usable per node\n"
      "        -> %d nodes for memory\n"
      "        => %d Redis Cluster masters (each with a replica for failover)\n",
      in.shop.orders_per_s, s.calls_per_order, s.calls_per_s, s.calls_per_s, in.cost.server_us,
      s.server_cores, 100 * in.room.core_utilisation, in.room.cores_per_instance, s.instances,
      in.room.spare_instances, s.calls_per_s, in.cost.redis_us, s.redis_cores,
      100 * in.room.core_utilisation, s.redis_nodes_for_cpu, s.tracked_orders,
      in.cost.redis_bytes_per_order, s.redis_gb, in.room.redis_node_gb * in.room.redis_fill,
      s.redis_nodes_for_memory, s.redis_nodes);
  if (in.staff.sales_yuan > 0) {
    const StaffPlan p = Plan(in.staff);
    std::printf(
        "agents: %.0f yuan x %.0f%% through customer service = %.0f yuan; / %.0f yuan a buyer "
        "= %.0f buyers;\n        / %.0f%% conversion = %.0f inquiries; / %.0f per agent\n"
        "        -> %d pre-sale agents on the day\n",
        in.staff.sales_yuan, 100 * in.staff.cs_share, p.cs_sales_yuan, in.staff.aov_yuan, p.buyers,
        100 * in.staff.conversion, p.inquiries, in.staff.agent_capacity, p.agents);
  }
  return 0;
}
