// Once a second during a run: CPU and memory of the server, its Redis and this generator (from
// /proc), Redis's used_memory, and from the server's /metrics the scheduler's backlog (jobs due
// and how long the oldest has waited, per queue), its lateness histogram and admission
// rejections.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace orderwatch::load {

struct ProbeTargets {
  int server_pid = 0;   // 0: not sampled
  int redis_pid = 0;    // 0: not sampled
  std::string metrics;  // host:port of the server's /metrics; "": not scraped
  std::string redis;    // host:port of its Redis, for INFO memory; "": not read
};

struct ProbeSample {
  double t_s = 0;                                         // since the probe started
  double cpu_server = -1, cpu_redis = -1, cpu_load = -1;  // % of one core over the last second
  double rss_server_mb = -1, rss_redis_mb = -1, redis_used_mb = -1;
  int generator_in_flight = 0;
  std::map<std::string, double> due_jobs;        // by queue: jobs waiting (state="due")
  std::map<std::string, double> oldest_due_age;  // by queue, seconds
  double rejected = 0;                           // orderwatch_admission_rejected_total, summed
  // orderwatch_scheduler_lateness_seconds buckets per queue: le -> cumulative count.
  std::map<std::string, std::map<double, double>> lateness;
};

class ServerProbe {
 public:
  ServerProbe(const ProbeTargets& targets, std::function<int()> generator_in_flight);
  ~ServerProbe();

  void Start();
  void Stop();
  // The last sample taken (after one more is taken now).
  ProbeSample SampleNow();
  std::vector<ProbeSample> samples();

 private:
  void Loop();
  ProbeSample Take();

  const ProbeTargets targets_;
  std::function<int()> generator_in_flight_;
  std::mutex mu_;
  std::vector<ProbeSample> samples_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  double started_ = 0;
  std::map<int, long long> last_ticks_;  // pid -> utime + stime
  double last_at_ = 0;
};

// "host:port" into its parts; false if it is not that.
bool SplitHostPort(const std::string& addr, std::string* host, int* port);

// GET http://addr/metrics (addr is host:port); the body, or "" on failure.
std::string HttpGetMetrics(const std::string& addr);

// utime + stime of a process, in clock ticks (sysconf(_SC_CLK_TCK) a second); -1 if gone.
long long ProcessTicks(int pid);

// Reads a Prometheus text exposition: calls `line(name, labels, value)` per sample line.
void ParseMetrics(const std::string& text,
                  const std::function<void(const std::string& name,
                                           const std::map<std::string, std::string>& labels,
                                           double value)>& line);

// The p-quantile's bucket bound ("at most this") of a cumulative histogram delta (after minus
// before); -1 when it holds no sample, +inf when the quantile lies past the last bound.
double QuantileBound(const std::map<double, double>& before, const std::map<double, double>& after,
                     double q, double* count = nullptr);

}  // namespace orderwatch::load
