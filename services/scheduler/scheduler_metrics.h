// Prometheus metrics of the scheduler, one child per queue, all created at start-up. Labels are
// queue names and results only: never an order, buyer or shop.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <map>
#include <string>
#include <vector>

namespace orderwatch::scheduler {

struct QueueMetrics {
  prometheus::Counter* done;          // handled and acknowledged
  prometheus::Counter* retried;       // failed, back on the queue after a backoff
  prometheus::Counter* dead;          // failed for the last time, or their worker kept dying
  prometheus::Counter* lease_lost;    // not finished here: the partition moved to another holder
  prometheus::Counter* reaped;        // in flight past their deadline, taken back
  prometheus::Histogram* lateness;    // seconds from due to handed to a worker
  prometheus::Gauge* due;             // waiting jobs (all partitions)
  prometheus::Gauge* in_flight;       // claimed, not yet answered (all partitions)
  prometheus::Gauge* dead_letters;    // dead letters kept (all partitions)
  prometheus::Gauge* oldest_due_age;  // seconds the earliest due job has waited (0 if none)
  prometheus::Counter* yielded;       // ticks an after-sales queue gave way to pre-sale work
};

struct SchedulerMetrics {
  SchedulerMetrics(prometheus::Registry& registry, const std::vector<std::string>& queues);

  QueueMetrics& queue(const std::string& name) { return queues.at(name); }

  std::map<std::string, QueueMetrics> queues;
  prometheus::Gauge* leases_held;  // partitions this instance works now
  prometheus::Gauge* instances;    // live instances sharing the partitions, as last seen
};

}  // namespace orderwatch::scheduler
