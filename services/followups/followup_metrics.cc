#include "services/followups/followup_metrics.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/followups/followup_book.h"
#include "services/redis/keys.h"

namespace orderwatch::followups {

FollowUpMetrics::FollowUpMetrics(prometheus::Registry& registry)
    : created_(prometheus::BuildCounter()
                   .Name("orderwatch_followups_created_total")
                   .Help("Follow-ups opened, by kind and source (agent or order_event)")
                   .Register(registry)),
      completed_(prometheus::BuildCounter()
                     .Name("orderwatch_followups_completed_total")
                     .Help("Follow-ups completed, by kind and whether past their deadline")
                     .Register(registry)),
      claims_expired_(prometheus::BuildCounter()
                          .Name("orderwatch_followup_claims_expired_total")
                          .Help("Claims that ran out unworked; their follow-ups went back to "
                                "the queue")
                          .Register(registry)
                          .Add({})),
      open_(prometheus::BuildGauge()
                .Name("orderwatch_followups_open")
                .Help("Open follow-ups by kind, over all shops")
                .Register(registry)),
      overdue_(prometheus::BuildGauge()
                   .Name("orderwatch_followups_overdue")
                   .Help("Open follow-ups past their deadline by kind, over all shops")
                   .Register(registry)) {
  for (auto kind : AllKinds()) {
    const std::string k(KindName(kind));
    for (const char* source : {"agent", "order_event"}) {
      created_.Add({{"kind", k}, {"source", source}});
    }
    for (const char* late : {"false", "true"}) completed_.Add({{"kind", k}, {"late", late}});
    open_.Add({{"kind", k}});
    overdue_.Add({{"kind", k}});
  }
}

void FollowUpMetrics::Created(v1::FollowUpKind kind, bool by_order_event) {
  created_
      .Add({{"kind", std::string(KindName(kind))},
            {"source", by_order_event ? "order_event" : "agent"}})
      .Increment();
}

void FollowUpMetrics::Completed(v1::FollowUpKind kind, bool late) {
  completed_.Add({{"kind", std::string(KindName(kind))}, {"late", late ? "true" : "false"}})
      .Increment();
}

void FollowUpMetrics::ClaimsExpired(int64_t n) {
  if (n > 0) claims_expired_.Increment(static_cast<double>(n));
}

void FollowUpMetrics::SetOpen(v1::FollowUpKind kind, int64_t open, int64_t overdue) {
  open_.Add({{"kind", std::string(KindName(kind))}}).Set(static_cast<double>(open));
  overdue_.Add({{"kind", std::string(KindName(kind))}}).Set(static_cast<double>(overdue));
}

SlaGauges::SlaGauges(redis::Client& redis, const Clock& clock, FollowUpMetrics& metrics,
                     absl::Duration interval)
    : redis_(redis),
      clock_(clock),
      metrics_(metrics),
      every_("follow-up gauges", interval, [this] { return Recount(); }) {}

void SlaGauges::Start() { every_.Start(); }

absl::Status SlaGauges::Recount() {
  auto wait = [this](std::vector<redis::Command> commands) {
    return redis_.RunAllAndWait(std::move(commands), absl::Now() + absl::Seconds(10));
  };
  auto shops = wait({redis::Command::Of({"SMEMBERS", redis::KeyScheme::FollowUpShops()})});
  if (!shops[0].ok()) return shops[0].status();
  const absl::Time now = clock_.Now();
  std::vector<redis::Command> counts;
  for (const auto& shop : shops[0]->elements) {
    for (auto& c : OpenAndOverdueCounts(shop.str, now)) counts.push_back(std::move(c));
  }
  std::map<v1::FollowUpKind, std::pair<int64_t, int64_t>> sum;
  if (!counts.empty()) {
    auto replies = wait(std::move(counts));
    const size_t kinds = AllKinds().size();
    for (size_t i = 0; i < replies.size(); i += 2) {
      if (!replies[i].ok()) return replies[i].status();
      if (!replies[i + 1].ok()) return replies[i + 1].status();
      auto& s = sum[AllKinds()[(i / 2) % kinds]];
      s.first += replies[i]->integer;
      s.second += replies[i + 1]->integer;
    }
  }
  for (auto kind : AllKinds()) metrics_.SetOpen(kind, sum[kind].first, sum[kind].second);
  return absl::OkStatus();
}

}  // namespace orderwatch::followups
