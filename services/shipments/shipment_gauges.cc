#include "services/shipments/shipment_gauges.h"

#include <array>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/redis/reply.h"
#include "services/shipments/shipment_policy.h"

namespace orderwatch::shipments {
namespace {

constexpr std::array<v1::ShipmentStage, 3> kStages = {
    v1::SHIPMENT_STAGE_WARNING, v1::SHIPMENT_STAGE_OVERDUE, v1::SHIPMENT_STAGE_ESCALATED};

}  // namespace

ShipmentGauges::ShipmentGauges(redis::Client& redis, const redis::KeyScheme& keys,
                               prometheus::Registry& registry, absl::Duration interval)
    : redis_(redis),
      keys_(keys),
      orders_(prometheus::BuildGauge()
                  .Name("orderwatch_shipments_delayed_orders")
                  .Help("Paid, unshipped orders in a delayed-shipment stage (warning: near their "
                        "ship-by time; overdue: past it; escalated: to the warehouse), over all "
                        "shops")
                  .Register(registry)),
      compensation_(prometheus::BuildGauge()
                        .Name("orderwatch_shipments_compensation_yuan")
                        .Help("Late-shipment compensation of the orders in a stage, in yuan "
                              "(warning: at risk; overdue, escalated: owed), over all shops")
                        .Register(registry)),
      every_("shipment gauges", interval, [this] { return Recount(); }) {
  for (auto stage : kStages) {
    orders_.Add({{"stage", std::string(StageName(stage))}});
    compensation_.Add({{"stage", std::string(StageName(stage))}});
  }
}

void ShipmentGauges::Start() { every_.Start(); }

absl::Status ShipmentGauges::Recount() {
  std::vector<redis::Command> reads;
  for (int p = 0; p < keys_.partitions(); ++p) {
    reads.push_back(redis::Command::Of({"HGETALL", keys_.ShipmentTotals(p)}));
  }
  auto replies = redis_.RunAllAndWait(std::move(reads), absl::Now() + absl::Seconds(10));
  std::array<int64_t, kStages.size()> orders{}, fen{};
  for (const auto& r : replies) {
    if (!r.ok()) return r.status();
    const redis::HashFields totals(*r);
    for (size_t i = 0; i < kStages.size(); ++i) {
      orders[i] += totals.num(absl::StrCat("n:", static_cast<int>(kStages[i])));
      fen[i] += totals.num(absl::StrCat("c:", static_cast<int>(kStages[i])));
    }
  }
  for (size_t i = 0; i < kStages.size(); ++i) {
    const std::string stage(StageName(kStages[i]));
    orders_.Add({{"stage", stage}}).Set(static_cast<double>(orders[i]));
    compensation_.Add({{"stage", stage}}).Set(static_cast<double>(fen[i]) / 100.0);
  }
  return absl::OkStatus();
}

}  // namespace orderwatch::shipments
