#include "loadtest/report.h"

#include <cstdio>

#include "services/common/json_text.h"

namespace orderwatch::load {
namespace {

std::string Fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), format, v);
  return buf;
}

std::string Mode(const Options& o) { return o.open_loop() ? "open" : "closed"; }
double CallsPerS(const RunResult& r) { return static_cast<double>(r.ok) / r.measured_s; }
double OrdersPerS(const RunResult& r) { return static_cast<double>(r.orders_read) / r.measured_s; }
uint64_t Errors(const RunResult& r) { return r.calls - r.ok + r.unsent; }

}  // namespace

std::string TextReport(const Options& o, const RunResult& r, const LatencySummary& l,
                       const LatencySummary& lag) {
  std::string out = "command:     " + o.command_line + "\n";
  out += std::string("op:          ") + OpName(o.op) +
         (o.op == Op::kBatchGet ? " (" + std::to_string(o.batch) + " orders/call)" : "") + "\n";
  out += "mode:        " + Mode(o) + " loop, " +
         (o.open_loop() ? Fmt("%.0f", o.rate) + " calls/s scheduled, at most " +
                              std::to_string(o.concurrency) + " in flight"
                        : std::to_string(o.concurrency) + " calls in flight") +
         ", " + std::to_string(o.channels) + " channels, " + Fmt("%g", o.duration_s) +
         " s measured after " + Fmt("%g", o.warmup_s) + " s warmup\n";
  out += "throughput:  " + Fmt("%.1f", CallsPerS(r)) + " OK calls/s";
  if (o.op != Op::kSet) out += ", " + Fmt("%.1f", OrdersPerS(r)) + " orders/s";
  out += "\n";
  out += "latency ms:  p50 " + Fmt("%.3f", l.p50_ms) + "  p90 " + Fmt("%.3f", l.p90_ms) + "  p99 " +
         Fmt("%.3f", l.p99_ms) + "  p99.9 " + Fmt("%.3f", l.p999_ms) + "  max " +
         Fmt("%.3f", l.max_ms) + "  (mean " + Fmt("%.3f", l.mean_ms) + ", " +
         std::to_string(l.count) + " calls" + (o.open_loop() ? ", from scheduled send time" : "") +
         ")\n";
  if (o.open_loop()) {
    out += "send lag ms: p50 " + Fmt("%.3f", lag.p50_ms) + "  p99 " + Fmt("%.3f", lag.p99_ms) +
           "  max " + Fmt("%.3f", lag.max_ms) +
           "  (sent after due: generator or in-flight cap, included in the latency above)\n";
  }
  out +=
      "calls:       " + std::to_string(r.calls) + " completed, " + std::to_string(r.ok) + " OK\n";
  out += "errors:      " + std::to_string(Errors(r)) + (Errors(r) ? "" : " (none)") + "\n";
  for (int c = 1; c < kCodes; ++c) {
    if (r.codes[c] == 0) continue;
    out += std::string("  ") + kCodeNames[c] + ": " + std::to_string(r.codes[c]) + "  e.g. \"" +
           r.example_message[c] + "\"\n";
  }
  if (r.unsent > 0) {
    out += "  NOT_SENT: " + std::to_string(r.unsent) +
           "  (due in the window, never sent: all --concurrency slots were busy)\n";
  }
  out += "client CPU:  " + Fmt("%.0f", 100 * r.cpu_s / r.measured_s) +
         "% of one core (this generator, during the measured window)\n";
  return out;
}

std::string JsonReport(const Options& o, const RunResult& r, const LatencySummary& l,
                       const LatencySummary& lag) {
  std::string out = "{\"op\":" + JsonQuote(OpName(o.op)) + ",\"mode\":" + JsonQuote(Mode(o));
  out += ",\"concurrency\":" + std::to_string(o.concurrency) + ",\"rate\":" + Fmt("%.1f", o.rate);
  out += ",\"batch\":" + std::to_string(o.op == Op::kBatchGet ? o.batch : 1);
  out += ",\"channels\":" + std::to_string(o.channels);
  out += ",\"duration_s\":" + Fmt("%g", r.measured_s);
  out += ",\"calls\":" + std::to_string(r.calls) + ",\"ok\":" + std::to_string(r.ok);
  out += ",\"calls_per_s\":" + Fmt("%.1f", CallsPerS(r));
  out += ",\"orders_per_s\":" + Fmt("%.1f", o.op == Op::kSet ? CallsPerS(r) : OrdersPerS(r));
  out += ",\"p50_ms\":" + Fmt("%.3f", l.p50_ms) + ",\"p90_ms\":" + Fmt("%.3f", l.p90_ms);
  out += ",\"p99_ms\":" + Fmt("%.3f", l.p99_ms) + ",\"p999_ms\":" + Fmt("%.3f", l.p999_ms);
  out += ",\"max_ms\":" + Fmt("%.3f", l.max_ms) + ",\"mean_ms\":" + Fmt("%.3f", l.mean_ms);
  out += ",\"send_lag_p50_ms\":" + Fmt("%.3f", lag.p50_ms) +
         ",\"send_lag_p99_ms\":" + Fmt("%.3f", lag.p99_ms) +
         ",\"send_lag_max_ms\":" + Fmt("%.3f", lag.max_ms);
  out += ",\"errors\":" + std::to_string(Errors(r)) + ",\"errors_by_code\":{";
  bool first = true;
  for (int c = 1; c < kCodes; ++c) {
    if (r.codes[c] == 0) continue;
    out +=
        std::string(first ? "" : ",") + "\"" + kCodeNames[c] + "\":" + std::to_string(r.codes[c]);
    first = false;
  }
  if (r.unsent > 0)
    out += std::string(first ? "" : ",") + "\"NOT_SENT\":" + std::to_string(r.unsent);
  out += "},\"client_cpu_pct\":" + Fmt("%.1f", 100 * r.cpu_s / r.measured_s);
  out += ",\"command\":" + JsonQuote(o.command_line) + "}\n";
  return out;
}

}  // namespace orderwatch::load
