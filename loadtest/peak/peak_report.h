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

struct DayFindings {
  std::vector<Phase> phases;  // the curve's, then "drain" (no calls, the backlog watched)
  std::vector<ProbeSample> samples;
  std::vector<Target> targets;
  bool all_met() const;
};

// Judges the targets (needs the samples) and keeps what the reports show.
DayFindings Judge(const PeakOptions& o, const LoadCurve& curve, CallStats& stats,
                  std::vector<ProbeSample> samples);

std::string DayText(const PeakOptions& o, CallStats& stats, const DayFindings& f);
std::string DayJson(const PeakOptions& o, const LoadCurve& curve, CallStats& stats,
                    const DayFindings& f);

}  // namespace orderwatch::load
