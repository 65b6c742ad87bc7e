#include "loadtest/peak/order_flow.h"

#include <algorithm>
#include <cmath>

namespace orderwatch::load {

const char* CallName(CallKind kind) {
  switch (kind) {
    case CallKind::kCreated:
      return "event.created";
    case CallKind::kPaid:
      return "event.paid";
    case CallKind::kClosed:
      return "event.closed";
    case CallKind::kShipped:
      return "event.shipped";
    case CallKind::kPageRead:
      return "remarks.batch_get";
    case CallKind::kRemarkWrite:
      return "remarks.append";
    case CallKind::kTrigger:
      return "reminders.trigger";
  }
  return "?";
}

double OrderFlow::Exponential(double mean) {
  return std::exponential_distribution<double>(1.0 / std::max(mean, 1e-3))(rng_);
}
double OrderFlow::Uniform(double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng_);
}
bool OrderFlow::Chance(double p) { return Uniform(0, 1) < p; }
int OrderFlow::CountOf(double mean) {
  const double whole = std::floor(mean);
  return static_cast<int>(whole) + (Chance(mean - whole) ? 1 : 0);
}

void OrderFlow::OnCreated(int64_t order, double now_s, bool flash_sale, std::vector<Action>* out) {
  Action created{now_s, CallKind::kCreated, order, flash_sale, Chance(mix_.at_risk)};
  out->push_back(created);
  const double fate = Uniform(0, 1);
  if (fate < mix_.paid) {
    const double paid_at = now_s + Exponential(mix_.pay_delay_s);
    out->push_back({paid_at, CallKind::kPaid, order});
    if (Chance(mix_.shipped)) {
      out->push_back({paid_at + Exponential(mix_.ship_delay_s), CallKind::kShipped, order});
    }
  } else if (fate < mix_.paid + mix_.closed) {
    out->push_back({now_s + Exponential(mix_.close_delay_s), CallKind::kClosed, order});
  } else {
    // Left unpaid: the automatic reminders come due; now and then an agent reminds by hand.
    const double unpaid = std::max(1e-6, 1 - mix_.paid - mix_.closed);
    if (Chance(std::min(1.0, mix_.triggers / unpaid))) {
      out->push_back({now_s + Uniform(5, 20), CallKind::kTrigger, order});
    }
  }
  for (int i = CountOf(mix_.page_reads); i > 0; --i) {
    out->push_back({now_s + Uniform(0, 3), CallKind::kPageRead, order});
  }
  if (Chance(mix_.remark_writes)) {
    out->push_back({now_s + Uniform(1, 10), CallKind::kRemarkWrite, order});
  }
}

void OrderFlow::PageOf(int64_t newest, std::vector<int64_t>* out) {
  out->clear();
  // Most page views show the newest orders; some look further back.
  const int64_t span = std::max<int64_t>(1, std::min<int64_t>(newest + 1, 20000));
  for (int i = 0; i < mix_.page_size; ++i) {
    const double u = Uniform(0, 1);
    out->push_back(newest - static_cast<int64_t>(u * u * static_cast<double>(span - 1)));
  }
}

double CallsPerOrder(const Mix& mix) {
  const double unpaid = std::max(0.0, 1 - mix.paid - mix.closed);
  return 1 + mix.paid * (1 + mix.shipped) + mix.closed + std::min(unpaid, mix.triggers) +
         mix.page_reads + mix.remark_writes;
}

}  // namespace orderwatch::load
