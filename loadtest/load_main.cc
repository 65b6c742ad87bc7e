// orderwatch-load: a gRPC load generator for orderwatch-server's Remarks API. See --help.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "loadtest/latency_stats.h"
#include "loadtest/load_driver.h"
#include "loadtest/load_options.h"
#include "loadtest/report.h"

int main(int argc, char** argv) {
  using namespace orderwatch::load;
  std::vector<std::string> args(argv, argv + argc);
  bool help = false;
  std::string error;
  auto options = ParseOptions(args, &help, &error);
  if (help) {
    std::fputs(Usage().c_str(), stdout);
    return 0;
  }
  if (!options) {
    std::fprintf(stderr, "orderwatch-load: %s\n", error.c_str());
    return 2;
  }
  // Debian builds Abseil without NDEBUG, which turns on absl::Mutex deadlock detection: every
  // lock gRPC takes then updates one global lock graph. The generator should not pay for that.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  Driver driver(*options);
  if (std::string e = driver.Prepare(); !e.empty()) {
    std::fprintf(stderr, "orderwatch-load: %s\n", e.c_str());
    return 1;
  }
  RunResult result = driver.Run();
  if (result.unfinished > 0) {
    std::fprintf(stderr, "orderwatch-load: %llu calls never finished, even past their deadline\n",
                 static_cast<unsigned long long>(result.unfinished));
    std::fflush(stdout);
    _exit(1);  // gRPC still holds the driver's calls: do not tear it down
  }
  const LatencySummary latency = Summarize(result.latencies_ns);
  const LatencySummary lag = Summarize(result.send_lags_ns);
  const std::string out = options->json ? JsonReport(*options, result, latency, lag)
                                        : TextReport(*options, result, latency, lag);
  std::fputs(out.c_str(), stdout);
  return result.calls == 0 ? 1 : 0;
}
