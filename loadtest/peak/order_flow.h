// What one order brings in a Double-11 day: its created event, then (drawn at random by the mix)
// its payment or cancellation, its shipment, the storefront page reads that show it, an agent's
// remark, a manual reminder. Each comes as a timed action; the runner sends it when it is due.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace orderwatch::load {

enum class CallKind { kCreated, kPaid, kClosed, kShipped, kPageRead, kRemarkWrite, kTrigger };
inline constexpr int kCallKinds = 7;

// "event.created", "remarks.batch_get", ...: the name in reports.
const char* CallName(CallKind kind);

struct Mix {
  double paid = 0.80;           // share of orders paid ...
  double pay_delay_s = 8;       // ... this long after creation on average (exponential)
  double closed = 0.05;         // share cancelled unpaid by the buyer ...
  double close_delay_s = 30;    // ... this long after creation on average
  double shipped = 0.5;         // share of paid orders shipped during the run ...
  double ship_delay_s = 20;     // ... this long after payment on average
  double at_risk = 0.05;        // share of orders whose ship-by deadline is so near that the
  double at_risk_after_s = 30;  // sweep warns this long after creation (a sweep tick)
  double page_reads = 2;        // storefront BatchGet calls per order (page views of order lists)
  int page_size = 20;           // orders per BatchGet
  double remark_writes = 0.1;   // agent remark appends per order
  double triggers = 0.02;       // manual reminder triggers per order, on orders left unpaid
};

// Calls per order the mix makes on average (reports, sizing).
double CallsPerOrder(const Mix& mix);

struct Action {
  double at_s = 0;  // due, in seconds from the start of the run
  CallKind kind = CallKind::kCreated;
  int64_t order = 0;
  bool flash_sale = false;  // kCreated: a midnight flash-sale order (reminded within minutes)
  bool at_risk = false;     // kCreated: ship-by deadline near
  bool operator>(const Action& o) const { return at_s > o.at_s; }
};

class OrderFlow {
 public:
  OrderFlow(const Mix& mix, uint64_t seed) : mix_(mix), rng_(seed) {}

  // The actions of order `order` created at `now_s`, its created event first.
  void OnCreated(int64_t order, double now_s, bool flash_sale, std::vector<Action>* out);

  // `page_size` order numbers among the latest created (a storefront's order list page).
  void PageOf(int64_t newest, std::vector<int64_t>* out);

  const Mix& mix() const { return mix_; }

 private:
  double Exponential(double mean);
  double Uniform(double lo, double hi);
  bool Chance(double p);
  int CountOf(double mean);  // floor(mean) plus one with the fractional part's chance

  Mix mix_;
  std::mt19937_64 rng_;
};

}  // namespace orderwatch::load
