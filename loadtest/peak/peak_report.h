// orderwatch-peak's findings: per phase and per RPC, second by second, and the targets judged;
// as a text report and as JSON (chart.sh draws the JSON).
#pragma once

#include <string>
#include <vector>

#include "loadtest/peak/call_stats.h"
#include "loadtest/peak/load_curve.h"
#include "loadtest/peak/peak_options.h"
#include "loadtest/peak/server_probe.h"

namespace orderwatch::load {

struct Target {
  std::string what;  // "p99 of every RPC in every phase <= 10 ms"
  bool met = false;
  std::string found;  // "worst 7.2 ms: remarks.batch_get in hold"
};

// What a call costs: CPU per call (the work it brings later, such as its reminders and
// sweeps, included; the idle cost of the scheduler not) and Redis memory per order; the inputs
// of orderwatch-sizing.
struct CallCost {
  std::string phase;       // where it was measured: "hold over normal"
  double calls_per_s = 0;  // in the busier phase
  double server_us = 0, redis_us = 0, generator_us = 0;  // CPU microseconds per call
  double idle_server_pct = 0, idle_redis_pct = 0;        // % of a core with no calls
  double redis_bytes_per_order = 0;                      // used_memory growth / orders created
};

struct DayFindings {
  std::vector<Phase> phases;  // the curve's, then "drain" (no calls, the backlog watched)
  std::vector<ProbeSample> samples;
  std::vector<Target> targets;
  CallCost cost;
  bool all_met() const;
};

// Judges the targets (needs the samples) and keeps what the reports show.
DayFindings Judge(const PeakOptions& o, const LoadCurve& curve, CallStats& stats,
                  std::vector<ProbeSample> samples);

std::string DayText(const PeakOptions& o, CallStats& stats, const DayFindings& f);
std::string DayJson(const PeakOptions& o, const LoadCurve& curve, CallStats& stats,
                    const DayFindings& f);

}  // namespace orderwatch::load
