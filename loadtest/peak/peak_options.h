// orderwatch-peak's command-line settings.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loadtest/peak/load_curve.h"
#include "loadtest/peak/order_flow.h"
#include "loadtest/peak/scenario_runner.h"
#include "loadtest/peak/server_probe.h"

namespace orderwatch::load {

struct PeakOptions {
  RunnerOptions runner;
  ProbeTargets probe;
  CurveShape curve;
  Mix mix;
  double base = 50;           // orders/s at 1x
  double drain_s = 15;        // seconds watched after the curve ends
  double echo_minutes = 1;    // flash-sale reminder delay: the echo of the midnight orders
  double p99_ms = 10;         // the latency bound (targets, --find-max)
  double lateness_p99_s = 1;  // the reminder lateness bound
  bool find_max = false;
  double find_max_start = 50;   // orders/s of the first step
  double find_max_step_s = 12;  // seconds per step (the first 2 unmeasured)
  int find_max_steps = 9;
  double find_max_confirm_s = 62;  // the maximum found is held this long (0: not confirmed)
  std::string json_out;  // "" = no JSON file
  uint64_t seed = 1;
  std::string command_line;
};

std::string PeakUsage();

// Parses argv. On failure returns nullopt and sets *error; --help sets *help.
std::optional<PeakOptions> ParsePeakOptions(const std::vector<std::string>& argv, bool* help,
                                            std::string* error);

}  // namespace orderwatch::load
