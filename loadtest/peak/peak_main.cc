// orderwatch-peak: the Double-11 day, compressed in time, against a running orderwatch-server;
// or --find-max, the highest order rate it sustains. See --help.
#include <grpcpp/grpcpp.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "loadtest/event_load.h"
#include "loadtest/latency_stats.h"
#include "loadtest/peak/peak_options.h"
#include "loadtest/peak/peak_report.h"
#include "loadtest/peak/scenario_runner.h"
#include "loadtest/peak/server_probe.h"
#include "services/common/json_text.h"

namespace {

using namespace orderwatch::load;  // NOLINT: this tool's own namespace

bool WriteFile(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  f << text;
  return static_cast<bool>(f);
}

// Plays `curve` at `base` orders/s with the probe watching, waits o.drain_s, and judges.
DayFindings Play(const PeakOptions& o, ScenarioRunner& runner, const LoadCurve& curve, double base,
                 CallStats& stats, bool progress_lines) {
  ServerProbe probe(o.probe, [&runner] { return runner.in_flight(); });
  probe.Start();
  std::thread progress([&] {
    for (double t = 10; progress_lines && t < curve.total_s(); t += 10) {
      std::this_thread::sleep_for(std::chrono::seconds(10));
      const int p = curve.PhaseAt(t);
      std::fprintf(stderr, "  %3.0f s  %-6s %4.1fx  %lld orders  %d calls in flight\n", t,
                   curve.phases()[p].name.c_str(), curve.Multiplier(t),
                   static_cast<long long>(runner.orders_created()), runner.in_flight());
    }
  });
  runner.Run(curve, base, &stats);
  progress.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int64_t>(o.drain_s * 1000)));
  probe.SampleNow();
  probe.Stop();
  return Judge(o, curve, stats, probe.samples());
}

int RunDay(const PeakOptions& o, ScenarioRunner& runner) {
  const LoadCurve curve(o.curve);
  CallStats stats(static_cast<int>(curve.phases().size()), static_cast<int>(curve.total_s()));
  std::fprintf(stderr,
               "orderwatch-peak: %.0f s of load, base %.0f orders/s (%.1f calls/order), "
               "peak %.0fx, then %.0f s drain\n",
               curve.total_s(), o.base, CallsPerOrder(o.mix), o.curve.multiplier, o.drain_s);
  const DayFindings findings = Play(o, runner, curve, o.base, stats, true);
  std::fputs(DayText(o, stats, findings).c_str(), stdout);
  if (!o.json_out.empty() && !WriteFile(o.json_out, DayJson(o, curve, stats, findings))) {
    std::fprintf(stderr, "orderwatch-peak: cannot write %s\n", o.json_out.c_str());
    return 1;
  }
  return findings.all_met() ? 0 : 3;
}

// One steady step of --find-max: the targets at `rate` orders/s, judged like the day's.
struct Step {
  double rate = 0;
  bool held = false;
  std::string why;  // the worst p99 when held, else what failed
  double calls_per_s = 0;
  bool errors = false;  // calls failed or went unsent: well past capacity, not just slow
};

Step RunStep(const PeakOptions& o, ScenarioRunner& runner, double rate, double seconds) {
  PeakOptions step = o;
  step.drain_s = 2;
  const LoadCurve curve = LoadCurve::Steady(2, seconds - 2);
  CallStats stats(static_cast<int>(curve.phases().size()), static_cast<int>(curve.total_s()));
  const DayFindings f = Play(step, runner, curve, rate, stats, false);
  Step s;
  s.rate = rate;
  s.held = true;
  uint64_t calls = 0;
  for (int k = 0; k < kCallKinds; ++k) calls += stats.at(1, static_cast<CallKind>(k)).calls();
  s.calls_per_s = calls / (seconds - 2);
  for (const Target& t : f.targets) {
    // Lateness needs reminders coming due, which steady steps do not make.
    if (t.met || t.what.find("lateness") != std::string::npos) continue;
    s.held = false;
    if (t.what.find("no error") != std::string::npos) s.errors = true;
    s.why += (s.why.empty() ? "" : "; ") + t.found;
  }
  if (s.held) s.why = f.targets[0].found;
  return s;
}

int FindMax(const PeakOptions& o, ScenarioRunner& runner) {
  double good = 0, bad = 0, rate = o.find_max_start;
  std::vector<Step> steps;
  std::printf(
      "\n== orderwatch-peak --find-max: steady steps of %.0f s (first 2 s unmeasured), "
      "bound p99 <= %.1f ms, no error, no backlog\n   %s\n\n",
      o.find_max_step_s, o.p99_ms, o.command_line.c_str());
  for (int i = 0; i < o.find_max_steps; ++i) {
    Step s = RunStep(o, runner, rate, o.find_max_step_s);
    std::printf("  step %d: %7.0f orders/s = %7.0f calls/s  %s  %s\n", i + 1, s.rate, s.calls_per_s,
                s.held ? "held  " : "FAILED", s.why.c_str());
    std::fflush(stdout);
    steps.push_back(s);
    if (s.held)
      good = std::max(good, rate);
    else
      bad = bad == 0 ? rate : std::min(bad, rate);
    if (bad > 0 && good > 0 && (bad - good) <= 0.05 * good) break;
    rate = bad == 0 ? rate * 2 : good == 0 ? rate / 2 : (good + bad) / 2;
  }
  // Sustained means held as long as the day holds its peak: a short step's p99 over a few
  // thousand calls passes at rates a minute does not (an order's payment, shipment, reminders
  // and their echo come seconds to a minute after it). The rate found is held for
  // --find-max-confirm-s, and lowered each time it is not: by 10% when only latency missed, by
  // 25% when calls were refused (well past capacity), at most kConfirmTries times.
  double calls = 0;
  for (const Step& s : steps) {
    if (s.rate == good) calls = s.calls_per_s;
  }
  constexpr int kConfirmTries = 5;
  for (int i = 0; good > 0 && o.find_max_confirm_s > 0 && i < kConfirmTries; ++i) {
    Step s = RunStep(o, runner, good, o.find_max_confirm_s);
    std::printf("  confirm %d: %5.0f orders/s = %7.0f calls/s for %.0f s  %s  %s\n", i + 1, s.rate,
                s.calls_per_s, o.find_max_confirm_s, s.held ? "held  " : "FAILED", s.why.c_str());
    std::fflush(stdout);
    steps.push_back(s);
    if (s.held) {
      calls = s.calls_per_s;
      break;
    }
    good = std::floor(good * (s.errors ? 0.75 : 0.9));
    if (i == kConfirmTries - 1) good = 0;  // not confirmed: no rate to offer
  }
  std::printf("\nmaximum sustained: %.0f orders/s (%.0f calls/s); base (10%%): %.0f orders/s\n",
              good, calls, good / 10);
  if (!o.json_out.empty()) {
    std::string j = absl::StrFormat(
        "{\"command\":%s,\"max_orders_per_s\":%.1f,\"max_calls_per_s\":%.1f,\"steps\":[",
        orderwatch::JsonQuote(o.command_line), good, calls);
    for (size_t i = 0; i < steps.size(); ++i) {
      absl::StrAppendFormat(&j, "%s{\"orders_per_s\":%.1f,\"calls_per_s\":%.1f,\"held\":%s}",
                            i ? "," : "", steps[i].rate, steps[i].calls_per_s,
                            steps[i].held ? "true" : "false");
    }
    j += "]}\n";
    if (!WriteFile(o.json_out, j)) return 1;
  }
  return good > 0 ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  bool help = false;
  std::string error;
  auto options = ParsePeakOptions(args, &help, &error);
  if (help) {
    std::fputs(PeakUsage().c_str(), stdout);
    return 0;
  }
  if (!options) {
    std::fprintf(stderr, "orderwatch-peak: %s\n", error.c_str());
    return 2;
  }
  // Debian's Abseil keeps absl::Mutex deadlock detection on; the generator should not pay it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  ScenarioRunner runner(options->runner, options->mix, options->seed);
  if (std::string e = runner.Connect(); !e.empty()) {
    std::fprintf(stderr, "orderwatch-peak: %s\n", e.c_str());
    return 1;
  }
  // Reminders 10 min after an order, --echo-minutes after a flash-sale one; up to 3 per order.
  if (std::string e = SetLoadReminderPolicy(
          grpc::CreateChannel(options->runner.addr, grpc::InsecureChannelCredentials()), 10,
          static_cast<int>(options->echo_minutes), 3);
      !e.empty()) {
    std::fprintf(stderr, "orderwatch-peak: %s\n", e.c_str());
    return 1;
  }
  return options->find_max ? FindMax(*options, runner) : RunDay(*options, runner);
}
