#include "services/reminders/reminder_metrics.h"

#include "services/reminders/reminder_records.h"

namespace orderwatch::reminders {
namespace {
constexpr const char* kResults[] = {"delivered", "failed", "dropped"};
}  // namespace

ReminderMetrics::ReminderMetrics(prometheus::Registry& registry, const std::string& sink) {
  auto& committed = prometheus::BuildCounter()
                        .Name("orderwatch_reminders_total")
                        .Help(
                            "Payment reminders committed, by kind, channel and outcome "
                            "(sent, or skipped with a recorded reason).")
                        .Register(registry);
  auto& delivered = prometheus::BuildCounter()
                        .Name("orderwatch_reminder_deliveries_total")
                        .Help(
                            "Attempts to hand a sent reminder to its sink, by sink, channel "
                            "and result (dropped: the order was settled first).")
                        .Register(registry);
  for (auto kind : kReminderKinds) {
    for (auto channel : kChannels) {
      for (bool sent : {true, false}) {
        committed_[{kind, channel, sent}] =
            &committed.Add({{"kind", KindName(kind)},
                            {"channel", ChannelName(channel)},
                            {"outcome", sent ? "sent" : "skipped"}});
      }
    }
  }
  for (auto channel : kChannels) {
    for (const char* result : kResults) {
      delivered_[{channel, result}] =
          &delivered.Add({{"sink", sink}, {"channel", ChannelName(channel)}, {"result", result}});
    }
  }
}

void ReminderMetrics::Committed(v1::ReminderKind kind, v1::Channel channel, bool sent) {
  auto it = committed_.find({kind, channel, sent});
  if (it != committed_.end()) it->second->Increment();
}

void ReminderMetrics::Delivered(v1::Channel channel, const char* result) {
  auto it = delivered_.find({channel, result});
  if (it != delivered_.end()) it->second->Increment();
}

}  // namespace orderwatch::reminders
