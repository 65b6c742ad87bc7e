#include "services/scheduler/scheduler_metrics.h"

namespace orderwatch::scheduler {

SchedulerMetrics::SchedulerMetrics(prometheus::Registry& registry,
                                   const std::vector<std::string>& names) {
  auto& jobs = prometheus::BuildCounter()
                   .Name("orderwatch_scheduler_jobs_total")
                   .Help("Jobs taken off a due-queue, by queue and result.")
                   .Register(registry);
  auto& reaped = prometheus::BuildCounter()
                     .Name("orderwatch_scheduler_reaped_jobs_total")
                     .Help(
                         "Claimed jobs not answered within their in-flight time (their worker "
                         "died or stalled), taken back onto the queue.")
                     .Register(registry);
  auto& lateness = prometheus::BuildHistogram()
                       .Name("orderwatch_scheduler_lateness_seconds")
                       .Help("Seconds from a job's due time to its hand-over to a worker.")
                       .Register(registry);
  auto& due = prometheus::BuildGauge()
                  .Name("orderwatch_scheduler_queue_jobs")
                  .Help(
                      "Jobs on a due-queue over all partitions, by state (due = waiting, "
                      "in_flight = claimed and not yet answered).")
                  .Register(registry);
  auto& dead = prometheus::BuildGauge()
                   .Name("orderwatch_scheduler_dead_letters")
                   .Help("Jobs kept as dead letters over all partitions.")
                   .Register(registry);
  auto& oldest = prometheus::BuildGauge()
                     .Name("orderwatch_scheduler_oldest_due_age_seconds")
                     .Help(
                         "How long the earliest waiting job of a queue has been due (0 when "
                         "none is due).")
                     .Register(registry);
  auto& yielded = prometheus::BuildCounter()
                      .Name("orderwatch_scheduler_yielded_ticks_total")
                      .Help(
                          "Ticks in which an after-sales queue (sweeps, their notices) claimed "
                          "only a trickle because pre-sale work (reminders) was due: at peak, "
                          "sweeps absorb the delay.")
                      .Register(registry);
  const prometheus::Histogram::BucketBoundaries buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                        1,     2.5,  5,     10,   30,  60};
  for (const auto& name : names) {
    QueueMetrics m;
    m.done = &jobs.Add({{"queue", name}, {"result", "done"}});
    m.retried = &jobs.Add({{"queue", name}, {"result", "retried"}});
    m.dead = &jobs.Add({{"queue", name}, {"result", "dead"}});
    m.lease_lost = &jobs.Add({{"queue", name}, {"result", "lease_lost"}});
    m.reaped = &reaped.Add({{"queue", name}});
    m.lateness = &lateness.Add({{"queue", name}}, buckets);
    m.due = &due.Add({{"queue", name}, {"state", "due"}});
    m.in_flight = &due.Add({{"queue", name}, {"state", "in_flight"}});
    m.dead_letters = &dead.Add({{"queue", name}});
    m.oldest_due_age = &oldest.Add({{"queue", name}});
    m.yielded = &yielded.Add({{"queue", name}});
    queues.emplace(name, m);
  }
  leases_held = &prometheus::BuildGauge()
                     .Name("orderwatch_scheduler_leases_held")
                     .Help("Partitions whose due-queues this instance works now.")
                     .Register(registry)
                     .Add({});
  instances = &prometheus::BuildGauge()
                   .Name("orderwatch_scheduler_instances")
                   .Help(
                       "Live orderwatch instances sharing the partitions out, as this instance "
                       "last saw them.")
                   .Register(registry)
                   .Add({});
}

}  // namespace orderwatch::scheduler
