// orderwatch-load's output: a text report, or one JSON line (--json).
#pragma once

#include <string>

#include "loadtest/latency_stats.h"
#include "loadtest/load_driver.h"
#include "loadtest/load_options.h"

namespace orderwatch::load {

// `lag` summarises RunResult::send_lags_ns (open loop only).
std::string TextReport(const Options& o, const RunResult& r, const LatencySummary& l,
                       const LatencySummary& lag);
std::string JsonReport(const Options& o, const RunResult& r, const LatencySummary& l,
                       const LatencySummary& lag);

}  // namespace orderwatch::load
