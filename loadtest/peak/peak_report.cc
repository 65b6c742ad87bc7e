#include "loadtest/peak/peak_report.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "loadtest/latency_stats.h"
#include "services/common/json_text.h"

namespace orderwatch::load {
namespace {

// Queues whose lateness is the reminder's: hand-over to the worker, then to the sinks.
const char* const kReminderQueues[] = {"rem", "out"};
// A p99 over fewer calls is one of the ten slowest, and one hiccup of the virtual machine
// decides it: such p99s are shown, not judged.
constexpr size_t kMinCallsJudged = 1000;

CallKind Kind(int k) { return static_cast<CallKind>(k); }

// Samples of [start, end): the last one at or before `start` and the last one before `end`.
struct Window {
  const ProbeSample* first = nullptr;
  const ProbeSample* last = nullptr;
  std::vector<const ProbeSample*> inside;  // samples taken in (start, end]
};
Window WindowOf(const std::vector<ProbeSample>& samples, double start, double end) {
  Window w;
  for (const ProbeSample& s : samples) {
    if (s.t_s <= start + 0.5) w.first = &s;
    if (s.t_s > start && s.t_s <= end + 0.5) {
      w.inside.push_back(&s);
      w.last = &s;
    }
  }
  if (w.first == nullptr && !samples.empty()) w.first = &samples.front();
  return w;
}

double MaxOldest(const ProbeSample& s) {
  double m = 0;
  for (const auto& [q, age] : s.oldest_due_age) m = std::max(m, age);
  return m;
}

struct ProbeSummary {
  double cpu_server = 0, cpu_redis = 0, cpu_load = 0;
  double rss_server = 0, rss_redis = 0, redis_used = 0;
  double max_oldest_due = 0, max_rem_due = 0, rejected = 0;
  int max_generator_in_flight = 0;
  double lateness_count[2] = {0, 0}, lateness_p50[2] = {-1, -1}, lateness_p99[2] = {-1, -1};
};

ProbeSummary SummarizeProbe(const std::vector<ProbeSample>& samples, double start, double end) {
  ProbeSummary p;
  const Window w = WindowOf(samples, start, end);
  int n = 0;
  for (const ProbeSample* s : w.inside) {
    if (s->cpu_server >= 0) p.cpu_server += s->cpu_server;
    if (s->cpu_redis >= 0) p.cpu_redis += s->cpu_redis;
    if (s->cpu_load >= 0) p.cpu_load += s->cpu_load;
    ++n;
    p.rss_server = std::max(p.rss_server, s->rss_server_mb);
    p.rss_redis = std::max(p.rss_redis, s->rss_redis_mb);
    p.redis_used = s->redis_used_mb;
    p.max_oldest_due = std::max(p.max_oldest_due, MaxOldest(*s));
    const auto rem = s->due_jobs.find("rem");
    if (rem != s->due_jobs.end()) p.max_rem_due = std::max(p.max_rem_due, rem->second);
    p.max_generator_in_flight = std::max(p.max_generator_in_flight, s->generator_in_flight);
  }
  if (n > 0) {
    p.cpu_server /= n;
    p.cpu_redis /= n;
    p.cpu_load /= n;
  }
  if (w.first != nullptr && w.last != nullptr) {
    p.rejected = w.last->rejected - w.first->rejected;
    for (int i = 0; i < 2; ++i) {
      static const std::map<double, double> kNone;
      auto hist = [&](const ProbeSample* s) -> const std::map<double, double>& {
        const auto it = s->lateness.find(kReminderQueues[i]);
        return it == s->lateness.end() ? kNone : it->second;
      };
      p.lateness_p50[i] = QuantileBound(hist(w.first), hist(w.last), 0.50, &p.lateness_count[i]);
      p.lateness_p99[i] = QuantileBound(hist(w.first), hist(w.last), 0.99);
    }
  }
  return p;
}

std::string Bound(double le) {
  if (le < 0) return "-";
  if (std::isinf(le)) return ">60s";
  return absl::StrCat("<=", le, "s");
}

std::string Codes(const CallTally& t) {
  std::vector<std::string> parts;
  for (int c = 1; c < kCodes; ++c) {
    if (t.codes[c] > 0) parts.push_back(absl::StrCat(kCodeNames[c], "=", t.codes[c]));
  }
  if (t.unsent > 0) parts.push_back(absl::StrCat("unsent=", t.unsent));
  return parts.empty() ? "0" : absl::StrJoin(parts, " ");
}

std::string Num(double v) {
  if (std::isinf(v)) return "1e9";
  if (std::isnan(v)) return "null";
  return absl::StrFormat("%.4g", v);
}

// The cost of a call is the growth of CPU from the quietest phase to the busiest over the growth
// of calls per second: what each idle second costs anyway (the scheduler looking at its
// partitions, lease renewals) is not charged to calls.
CallCost CostOf(const LoadCurve& curve, CallStats& stats, const std::vector<ProbeSample>& samples) {
  CallCost c;
  struct Rate {
    int phase = -1;
    double calls_per_s = 0;
  };
  Rate busiest, quietest;
  uint64_t created = 0;
  for (int p = 0; p < stats.phases(); ++p) {
    const Phase& ph = curve.phases()[p];
    if (ph.end_s - ph.start_s < 5) continue;  // too short for CPU samples a second apart
    uint64_t calls = 0;
    for (int k = 0; k < kCallKinds; ++k) calls += stats.at(p, Kind(k)).calls();
    created += stats.at(p, CallKind::kCreated).calls();
    const double rate = static_cast<double>(calls) / (ph.end_s - ph.start_s);
    if (busiest.phase < 0 || rate > busiest.calls_per_s) busiest = {p, rate};
    if (quietest.phase < 0 || rate < quietest.calls_per_s) quietest = {p, rate};
  }
  if (busiest.phase < 0 || busiest.calls_per_s <= quietest.calls_per_s * 1.5) return c;
  const Phase& hi = curve.phases()[busiest.phase];
  const Phase& lo = curve.phases()[quietest.phase];
  const ProbeSummary a = SummarizeProbe(samples, hi.start_s, hi.end_s);
  const ProbeSummary b = SummarizeProbe(samples, lo.start_s, lo.end_s);
  const double more = busiest.calls_per_s - quietest.calls_per_s;
  c.phase = absl::StrCat(hi.name, " over ", lo.name);
  c.calls_per_s = busiest.calls_per_s;
  // % of one core = core-seconds per 100 s; per call in microseconds.
  c.server_us = (a.cpu_server - b.cpu_server) * 1e4 / more;
  c.redis_us = (a.cpu_redis - b.cpu_redis) * 1e4 / more;
  c.generator_us = (a.cpu_load - b.cpu_load) * 1e4 / more;
  c.idle_server_pct = b.cpu_server - c.server_us * quietest.calls_per_s / 1e4;
  c.idle_redis_pct = b.cpu_redis - c.redis_us * quietest.calls_per_s / 1e4;
  if (samples.size() >= 2 && created > 0 && samples.front().redis_used_mb >= 0) {
    c.redis_bytes_per_order = (samples.back().redis_used_mb - samples.front().redis_used_mb) *
                              1024 * 1024 / static_cast<double>(created);
  }
  return c;
}

}  // namespace

bool DayFindings::all_met() const {
  return std::all_of(targets.begin(), targets.end(), [](const Target& t) { return t.met; });
}

DayFindings Judge(const PeakOptions& o, const LoadCurve& curve, CallStats& stats,
                  std::vector<ProbeSample> samples) {
  DayFindings f;
  f.phases = curve.phases();
  f.phases.push_back(Phase{"drain", curve.total_s(), curve.total_s() + o.drain_s, 1, 1});
  f.samples = std::move(samples);

  double worst = 0;
  std::string worst_where = "no p99 over enough calls";
  auto judge = [&](std::vector<int64_t> latencies, const std::string& where) {
    if (latencies.size() < kMinCallsJudged) return;
    const LatencySummary l = Summarize(latencies);
    if (l.p99_ms > worst) {
      worst = l.p99_ms;
      worst_where = absl::StrCat(where, " (", l.count, " calls)");
    }
  };
  uint64_t errors = 0, unsent = 0;
  std::string first_error;
  std::vector<std::vector<int64_t>> by_kind(kCallKinds);
  for (int p = 0; p < stats.phases(); ++p) {
    const bool judged = f.phases[p].name != "warmup";
    std::vector<int64_t> phase_all;
    for (int k = 0; k < kCallKinds; ++k) {
      CallTally& t = stats.at(p, Kind(k));
      errors += t.errors();
      unsent += t.unsent;
      for (int c = 1; c < kCodes && first_error.empty(); ++c) {
        if (t.codes[c] > 0) {
          first_error =
              absl::StrCat(CallName(Kind(k)), ": ", kCodeNames[c], " ", t.example_message[c]);
        }
      }
      if (!judged) continue;
      phase_all.insert(phase_all.end(), t.latencies_ns.begin(), t.latencies_ns.end());
      by_kind[k].insert(by_kind[k].end(), t.latencies_ns.begin(), t.latencies_ns.end());
      judge(t.latencies_ns, absl::StrCat(CallName(Kind(k)), " in ", f.phases[p].name));
    }
    if (judged) judge(std::move(phase_all), absl::StrCat("all calls in ", f.phases[p].name));
  }
  for (int k = 0; k < kCallKinds; ++k) {
    judge(std::move(by_kind[k]), absl::StrCat(CallName(Kind(k)), " over the run"));
  }
  f.targets.push_back(
      {absl::StrCat("p99 <= ", o.p99_ms,
                    " ms: all calls per phase, each RPC per phase and over the run (where >= ",
                    kMinCallsJudged, " calls)"),
       worst <= o.p99_ms, absl::StrFormat("worst %.2f ms: %s", worst, worst_where)});
  f.targets.push_back({"no error, nothing left unsent", errors == 0 && unsent == 0,
                       absl::StrCat(errors, " errors, ", unsent, " unsent",
                                    first_error.empty() ? "" : "; first: " + first_error)});
  const ProbeSummary all = SummarizeProbe(f.samples, 0, f.phases.back().end_s);
  for (int i = 0; i < 2; ++i) {
    const bool seen = all.lateness_count[i] > 0;
    f.targets.push_back(
        {absl::StrCat("reminder lateness p99 (queue ", kReminderQueues[i],
                      ") <= ", o.lateness_p99_s, " s"),
         seen && all.lateness_p99[i] <= o.lateness_p99_s,
         seen ? absl::StrCat(Bound(all.lateness_p99[i]), " over ", all.lateness_count[i], " jobs")
              : "no job seen (is --metrics set?)"});
  }
  f.cost = CostOf(curve, stats, f.samples);
  const ProbeSample* last = f.samples.empty() ? nullptr : &f.samples.back();
  const double oldest = last == nullptr ? -1 : MaxOldest(*last);
  f.targets.push_back(
      {"no backlog left after the peak (oldest due job <= 2 s, no call in flight, at the end)",
       last != nullptr && !last->oldest_due_age.empty() && oldest <= 2 &&
           last->generator_in_flight == 0,
       last == nullptr || last->oldest_due_age.empty()
           ? "no sample (is --metrics set?)"
           : absl::StrFormat("oldest due job %.1f s, %d calls in flight", oldest,
                             last->generator_in_flight)});
  return f;
}

std::string DayText(const PeakOptions& o, CallStats& stats, const DayFindings& f) {
  std::string out = absl::StrFormat(
      "\n== orderwatch-peak: a Double-11 day, base %.0f orders/s, peak %.0fx, %.0f s + %.0f s "
      "drain\n   %s\n\n",
      o.base, o.curve.multiplier, f.phases.back().start_s, o.drain_s, o.command_line);
  absl::StrAppend(
      &out, absl::StrFormat("%-7s %5s %8s %8s %8s %8s %7s %7s %17s %15s %8s %8s %10s %10s\n",
                            "phase", "secs", "orders/s", "calls/s", "p50 ms", "p99 ms", "errors",
                            "unsent", "CPU% srv/rds/gen", "RSS MB srv/rds", "redis MB", "oldest s",
                            "rem late", "out late"));
  for (size_t p = 0; p < f.phases.size(); ++p) {
    const Phase& ph = f.phases[p];
    const double secs = ph.end_s - ph.start_s;
    std::vector<int64_t> all;
    uint64_t errors = 0, unsent = 0, created = 0;
    if (static_cast<int>(p) < stats.phases()) {
      for (int k = 0; k < kCallKinds; ++k) {
        CallTally& t = stats.at(static_cast<int>(p), Kind(k));
        all.insert(all.end(), t.latencies_ns.begin(), t.latencies_ns.end());
        errors += t.errors();
        unsent += t.unsent;
        if (Kind(k) == CallKind::kCreated) created = t.calls() + t.unsent;
      }
    }
    const LatencySummary l = Summarize(all);
    const ProbeSummary s = SummarizeProbe(f.samples, ph.start_s, ph.end_s);
    absl::StrAppend(
        &out, absl::StrFormat(
                  "%-7s %5.0f %8.0f %8.0f %8.2f %8.2f %7d %7d %5.0f/%5.0f/%5.0f %7.0f/%7.0f %8.0f "
                  "%8.1f %10s %10s\n",
                  ph.name, secs, created / secs, l.count / secs, l.p50_ms, l.p99_ms, errors, unsent,
                  s.cpu_server, s.cpu_redis, s.cpu_load, s.rss_server, s.rss_redis, s.redis_used,
                  s.max_oldest_due, Bound(s.lateness_p99[0]), Bound(s.lateness_p99[1])));
  }
  absl::StrAppend(&out, "\nper RPC (latency from each call's due time):\n",
                  absl::StrFormat("%-7s %-18s %8s %8s %8s %8s %9s  %s\n", "phase", "rpc", "calls",
                                  "calls/s", "p50 ms", "p99 ms", "p99.9 ms", "errors"));
  for (int p = 0; p < stats.phases(); ++p) {
    const Phase& ph = f.phases[p];
    for (int k = 0; k < kCallKinds; ++k) {
      CallTally& t = stats.at(p, Kind(k));
      if (t.calls() + t.unsent == 0) continue;
      const LatencySummary l = Summarize(t.latencies_ns);
      absl::StrAppend(
          &out, absl::StrFormat("%-7s %-18s %8d %8.0f %8.2f %8.2f %9.2f  %s\n", ph.name,
                                CallName(Kind(k)), t.calls(), t.calls() / (ph.end_s - ph.start_s),
                                l.p50_ms, l.p99_ms, l.p999_ms, Codes(t)));
    }
  }
  const CallCost& c = f.cost;
  absl::StrAppend(
      &out,
      absl::StrFormat(
          "\ncost per call in %s (%.0f calls/s): server %.0f us CPU, Redis %.0f us, generator "
          "%.0f us; Redis %.0f bytes per order created\n  size a shop with: orderwatch-sizing "
          "--server-us-per-call=%.0f --redis-us-per-call=%.0f --redis-bytes-per-order=%.0f "
          "--orders-per-s=N\n",
          c.phase, c.calls_per_s, c.server_us, c.redis_us, c.generator_us, c.redis_bytes_per_order,
          c.server_us, c.redis_us, c.redis_bytes_per_order));
  absl::StrAppend(&out, "\ntargets:\n");
  for (const Target& t : f.targets) {
    absl::StrAppend(&out, "  ", t.met ? "PASS" : "FAIL", "  ", t.what, ": ", t.found, "\n");
  }
  absl::StrAppend(&out,
                  "\nrem late / out late: the p99 bucket of orderwatch_scheduler_lateness_seconds "
                  "(due to hand-over; committed reminder to the sinks); oldest s: the longest "
                  "any due job waited.\n");
  return out;
}

std::string DayJson(const PeakOptions& o, const LoadCurve& curve, CallStats& stats,
                    const DayFindings& f) {
  std::string j = absl::StrCat("{\"command\":", JsonQuote(o.command_line),
                               ",\"base_orders_per_s\":", Num(o.base),
                               ",\"multiplier\":", Num(o.curve.multiplier), ",\"phases\":[");
  for (size_t p = 0; p < f.phases.size(); ++p) {
    const Phase& ph = f.phases[p];
    const ProbeSummary s = SummarizeProbe(f.samples, ph.start_s, ph.end_s);
    absl::StrAppend(
        &j, p ? "," : "", "{\"name\":", JsonQuote(ph.name), ",\"start_s\":", Num(ph.start_s),
        ",\"end_s\":", Num(ph.end_s), ",\"cpu_pct\":{\"server\":", Num(s.cpu_server),
        ",\"redis\":", Num(s.cpu_redis), ",\"generator\":", Num(s.cpu_load), "}",
        ",\"rss_mb\":{\"server\":", Num(s.rss_server), ",\"redis\":", Num(s.rss_redis),
        "},\"redis_used_mb\":", Num(s.redis_used), ",\"max_oldest_due_s\":", Num(s.max_oldest_due),
        ",\"max_reminders_due\":", Num(s.max_rem_due), ",\"admission_rejected\":", Num(s.rejected),
        ",\"lateness\":{\"rem\":{\"jobs\":", Num(s.lateness_count[0]),
        ",\"p50_le_s\":", Num(s.lateness_p50[0]), ",\"p99_le_s\":", Num(s.lateness_p99[0]),
        "},\"out\":{\"jobs\":", Num(s.lateness_count[1]), ",\"p50_le_s\":", Num(s.lateness_p50[1]),
        ",\"p99_le_s\":", Num(s.lateness_p99[1]), "}},\"rpcs\":{");
    bool first = true;
    if (static_cast<int>(p) < stats.phases()) {
      for (int k = 0; k < kCallKinds; ++k) {
        CallTally& t = stats.at(static_cast<int>(p), Kind(k));
        if (t.calls() + t.unsent == 0) continue;
        const LatencySummary l = Summarize(t.latencies_ns);
        absl::StrAppend(&j, first ? "" : ",", JsonQuote(CallName(Kind(k))),
                        ":{\"calls\":", t.calls(),
                        ",\"per_s\":", Num(t.calls() / (ph.end_s - ph.start_s)),
                        ",\"p50_ms\":", Num(l.p50_ms), ",\"p99_ms\":", Num(l.p99_ms),
                        ",\"p999_ms\":", Num(l.p999_ms), ",\"unsent\":", t.unsent, ",\"errors\":{");
        first = false;
        bool first_code = true;
        for (int c = 1; c < kCodes; ++c) {
          if (t.codes[c] == 0) continue;
          absl::StrAppend(&j, first_code ? "" : ",", "\"", kCodeNames[c], "\":", t.codes[c]);
          first_code = false;
        }
        absl::StrAppend(&j, "}}");
      }
    }
    absl::StrAppend(&j, "}}");
  }
  absl::StrAppend(&j, "],\"seconds\":[");
  std::vector<SecondTally>& secs = stats.seconds();
  for (size_t t = 0; t < secs.size(); ++t) {
    SecondTally& s = secs[t];
    const LatencySummary l = Summarize(s.latencies_ns);
    absl::StrAppend(&j, t ? "," : "", "{\"t\":", t,
                    ",\"multiplier\":", Num(curve.Multiplier(static_cast<double>(t) + 0.5)),
                    ",\"calls\":", s.sent, ",\"errors\":", s.errors, ",\"unsent\":", s.unsent,
                    ",\"p50_ms\":", Num(l.p50_ms), ",\"p99_ms\":", Num(l.p99_ms), "}");
  }
  absl::StrAppend(&j, "],\"samples\":[");
  for (size_t i = 0; i < f.samples.size(); ++i) {
    const ProbeSample& s = f.samples[i];
    const auto rem = s.due_jobs.find("rem");
    absl::StrAppend(
        &j, i ? "," : "", "{\"t\":", Num(s.t_s), ",\"cpu_server\":", Num(s.cpu_server),
        ",\"cpu_redis\":", Num(s.cpu_redis), ",\"cpu_generator\":", Num(s.cpu_load),
        ",\"rss_server_mb\":", Num(s.rss_server_mb), ",\"rss_redis_mb\":", Num(s.rss_redis_mb),
        ",\"redis_used_mb\":", Num(s.redis_used_mb),
        ",\"generator_in_flight\":", s.generator_in_flight, ",\"oldest_due_s\":", Num(MaxOldest(s)),
        ",\"reminders_due\":", Num(rem == s.due_jobs.end() ? 0 : rem->second),
        ",\"admission_rejected\":", Num(s.rejected), "}");
  }
  absl::StrAppend(&j, "],\"cost\":{\"phase\":", JsonQuote(f.cost.phase),
                  ",\"calls_per_s\":", Num(f.cost.calls_per_s),
                  ",\"server_us_per_call\":", Num(f.cost.server_us),
                  ",\"redis_us_per_call\":", Num(f.cost.redis_us),
                  ",\"generator_us_per_call\":", Num(f.cost.generator_us),
                  ",\"idle_server_pct\":", Num(f.cost.idle_server_pct),
                  ",\"idle_redis_pct\":", Num(f.cost.idle_redis_pct),
                  ",\"redis_bytes_per_order\":", Num(f.cost.redis_bytes_per_order), "}");
  absl::StrAppend(&j, ",\"targets\":[");
  for (size_t i = 0; i < f.targets.size(); ++i) {
    absl::StrAppend(&j, i ? "," : "", "{\"what\":", JsonQuote(f.targets[i].what),
                    ",\"met\":", f.targets[i].met ? "true" : "false",
                    ",\"found\":", JsonQuote(f.targets[i].found), "}");
  }
  absl::StrAppend(&j, "]}\n");
  return j;
}

}  // namespace orderwatch::load
