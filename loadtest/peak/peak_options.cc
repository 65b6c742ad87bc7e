#include "loadtest/peak/peak_options.h"

#include <functional>
#include <type_traits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace orderwatch::load {
namespace {

struct Setting {
  const char* name;
  const char* help;
  std::function<bool(PeakOptions&, const std::string&)> set;
};

// A setter of the option `field(options)` from its text.
template <typename T>
std::function<bool(PeakOptions&, const std::string&)> Bind(std::function<T&(PeakOptions&)> field) {
  return [field](PeakOptions& o, const std::string& v) {
    if constexpr (std::is_same_v<T, std::string>) {
      field(o) = v;
      return true;
    } else if constexpr (std::is_same_v<T, double>) {
      return absl::SimpleAtod(v, &field(o));
    } else {
      return absl::SimpleAtoi(v, &field(o));
    }
  };
}
#define OW_FIELD(T, expr) Bind<T>([](PeakOptions& o) -> T& { return o.expr; })

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> settings = {
      {"addr", "gRPC address of orderwatch-server (default 127.0.0.1:50051)",
       OW_FIELD(std::string, runner.addr)},
      {"metrics", "HOST:PORT of its /metrics: backlog, lateness, admission (default: none)",
       OW_FIELD(std::string, probe.metrics)},
      {"redis", "HOST:PORT of its Redis, for used_memory (default: none)",
       OW_FIELD(std::string, probe.redis)},
      {"server-pid", "the server's pid, for its CPU and RSS (default: none)",
       OW_FIELD(int, probe.server_pid)},
      {"redis-pid", "redis-server's pid, for its CPU and RSS (default: none)",
       OW_FIELD(int, probe.redis_pid)},
      {"json-out", "write the whole report as JSON to this file (chart.sh draws it)",
       OW_FIELD(std::string, json_out)},
      {"base", "orders per second at 1x (default 50)", OW_FIELD(double, base)},
      {"multiplier", "the midnight peak, times base (default 10)",
       OW_FIELD(double, curve.multiplier)},
      {"rise-to", "multiplier reached by the evening rise (default 2)",
       OW_FIELD(double, curve.rise_to)},
      {"normal-s", "seconds of normal load (default 20)", OW_FIELD(double, curve.normal_s)},
      {"rise-s", "seconds of the evening rise (default 20)", OW_FIELD(double, curve.rise_s)},
      {"step-s", "seconds of the step to the peak at midnight (default 2)",
       OW_FIELD(double, curve.step_s)},
      {"hold-s", "seconds at the peak (default 60)", OW_FIELD(double, curve.hold_s)},
      {"decay-s", "seconds of the decay back to 1x (default 30)", OW_FIELD(double, curve.decay_s)},
      {"tail-s", "seconds of normal load after it (default 20)", OW_FIELD(double, curve.tail_s)},
      {"drain-s", "seconds the backlog is watched after the load ends (default 15)",
       OW_FIELD(double, drain_s)},
      {"echo-minutes",
       "the shop's flash-sale reminder delay, 1-25: the midnight orders left unpaid are reminded "
       "this long after (default 1)",
       OW_FIELD(double, echo_minutes)},
      {"paid", "share of orders paid (default 0.8)", OW_FIELD(double, mix.paid)},
      {"pay-delay-s", "mean seconds to payment (default 8)", OW_FIELD(double, mix.pay_delay_s)},
      {"closed", "share of orders cancelled unpaid (default 0.05)", OW_FIELD(double, mix.closed)},
      {"shipped", "share of paid orders shipped during the run (default 0.5)",
       OW_FIELD(double, mix.shipped)},
      {"ship-delay-s", "mean seconds from payment to shipment (default 20)",
       OW_FIELD(double, mix.ship_delay_s)},
      {"at-risk",
       "share of orders whose ship-by deadline is near: a sweep warns 30 s after "
       "creation (default 0.05)",
       OW_FIELD(double, mix.at_risk)},
      {"page-reads", "storefront BatchGet calls per order (default 2)",
       OW_FIELD(double, mix.page_reads)},
      {"page-size", "orders per BatchGet (default 20)", OW_FIELD(int, mix.page_size)},
      {"remark-writes", "agent remark appends per order (default 0.1)",
       OW_FIELD(double, mix.remark_writes)},
      {"triggers", "manual reminder triggers per order (default 0.02)",
       OW_FIELD(double, mix.triggers)},
      {"p99-ms", "latency bound for the targets and --find-max (default 10)",
       OW_FIELD(double, p99_ms)},
      {"lateness-p99-s", "reminder lateness bound (default 1)", OW_FIELD(double, lateness_p99_s)},
      {"find-max-start", "--find-max: orders/s of the first step (default 50)",
       OW_FIELD(double, find_max_start)},
      {"find-max-step-s", "--find-max: seconds per step, the first 2 unmeasured (default 12)",
       OW_FIELD(double, find_max_step_s)},
      {"find-max-steps", "--find-max: most steps (default 9)", OW_FIELD(int, find_max_steps)},
      {"find-max-confirm-s",
       "--find-max: the maximum found is held this long, the first 2 s unmeasured, and lowered "
       "until it holds, at most 5 times: by 10% when only latency missed, by 25% when calls "
       "were refused (default 62; 0: not confirmed)",
       OW_FIELD(double, find_max_confirm_s)},
      {"max-in-flight",
       "the generator's cap on calls in flight; past it calls are counted "
       "unsent (default 4096)",
       OW_FIELD(int, runner.max_in_flight)},
      {"timeout-ms", "per-call deadline (default 2000)", OW_FIELD(int, runner.timeout_ms)},
      {"channels", "gRPC connections (default 4)", OW_FIELD(int, runner.channels)},
      {"seed", "random seed of the mix (default 1)", OW_FIELD(uint64_t, seed)},
  };
  return settings;
}

}  // namespace

std::string PeakUsage() {
  std::string out =
      "usage: orderwatch-peak [--find-max] [--setting=value ...]\n\n"
      "Replays a Double-11 day, compressed in time, open loop against a running orderwatch-server\n"
      "(started with --auth=dev): normal load, the evening rise, the step to --multiplier times\n"
      "the base at midnight within seconds, a hold, the decay and a tail. Orders are created at\n"
      "the curve's rate; each brings its paid / cancelled / shipped events, storefront remark\n"
      "page reads (BatchGet), agent remark writes and manual reminder triggers, drawn by the mix.\n"
      "Orders created at midnight are flash-sale orders: those left unpaid are reminded\n"
      "--echo-minutes later (the reminder echo); some orders' ship-by deadline is near, so sweeps\n"
      "warn them. It sets shop loadshop's reminder policy (any hour, flash-sale delay).\n\n"
      "Reports per phase: calls/s, p50/p99/p99.9 per RPC (latency from each call's due time),\n"
      "errors by code, calls the generator could not send, reminder lateness, the scheduler's\n"
      "backlog, CPU and memory of server, Redis and generator; then the targets (p99 within\n"
      "--p99-ms at the peak, no error, reminder lateness p99 within --lateness-p99-s, no backlog\n"
      "left after the peak) as PASS/FAIL. --json-out writes it all, second by second too.\n\n"
      "--find-max instead runs steady steps and searches the highest order rate that holds:\n"
      "p99 of every RPC within --p99-ms, no error, nothing unsent, no backlog left.\n\n";
  for (const Setting& s : Settings()) absl::StrAppend(&out, "  --", s.name, "=V  ", s.help, "\n");
  absl::StrAppend(&out, "  --find-max  search the maximum sustainable rate (see above)\n",
                  "  --help      this text\n");
  return out;
}

std::optional<PeakOptions> ParsePeakOptions(const std::vector<std::string>& argv, bool* help,
                                            std::string* error) {
  PeakOptions o;
  o.command_line = absl::StrJoin(argv, " ");
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--help" || a == "-h") {
      *help = true;
      return std::nullopt;
    }
    if (a == "--find-max") {
      o.find_max = true;
      continue;
    }
    const size_t eq = a.find('=');
    if (a.rfind("--", 0) != 0 || eq == std::string::npos) {
      *error = absl::StrCat("\"", a, "\": flags are --name=value; see --help");
      return std::nullopt;
    }
    const std::string name = a.substr(2, eq - 2), value = a.substr(eq + 1);
    const Setting* found = nullptr;
    for (const Setting& s : Settings()) {
      if (name == s.name) found = &s;
    }
    if (found == nullptr) {
      *error = absl::StrCat("unknown flag --", name, "; see --help");
      return std::nullopt;
    }
    if (!found->set(o, value)) {
      *error = absl::StrCat("--", name, ": \"", value, "\" is not a number");
      return std::nullopt;
    }
  }
  if (o.base <= 0 || o.curve.multiplier < 1 || o.runner.channels < 1 ||
      o.runner.max_in_flight < 1 || o.mix.page_size < 1 || o.mix.page_size > 500) {
    *error =
        "--base must be > 0, --multiplier >= 1, --channels and --max-in-flight >= 1, "
        "--page-size 1-500";
    return std::nullopt;
  }
  if (o.echo_minutes < 1 || o.echo_minutes > 25) {
    *error = "--echo-minutes must be 1-25 (the flash-sale reminder delay the policy allows)";
    return std::nullopt;
  }
  if (o.mix.paid + o.mix.closed > 1) {
    *error = "--paid plus --closed must be at most 1";
    return std::nullopt;
  }
  return o;
}

}  // namespace orderwatch::load
