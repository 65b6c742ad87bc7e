#include "services/server/process_metrics.h"

#include <dirent.h>
#include <prometheus/gauge.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace orderwatch::server {
namespace {

prometheus::MetricFamily Gauge(const char* name, const char* help, double value,
                               prometheus::MetricType type = prometheus::MetricType::Gauge) {
  prometheus::MetricFamily f;
  f.name = name;
  f.help = help;
  f.type = type;
  prometheus::ClientMetric m;
  if (type == prometheus::MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  f.metric.push_back(m);
  return f;
}

double BootTimeSeconds() {
  std::ifstream in("/proc/stat");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime") {
      in >> value;
      return value;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

int OpenFds() {
  int n = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (readdir(d) != nullptr) ++n;
    closedir(d);
    n -= 3;  // ".", ".." and the directory itself
  }
  return n;
}

}  // namespace

std::vector<prometheus::MetricFamily> ProcessMetrics::Collect() const {
  std::ifstream in("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces) start at field 3.
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::vector<std::string> f;
  for (std::string s; rest >> s;) f.push_back(s);
  auto field = [&](size_t n) { return n - 3 < f.size() ? std::stod(f[n - 3]) : 0.0; };
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  rlimit nofile{};
  getrlimit(RLIMIT_NOFILE, &nofile);

  std::vector<prometheus::MetricFamily> out;
  out.push_back(Gauge("process_cpu_seconds_total",
                      "Total user and system CPU time spent in seconds.",
                      (field(14) + field(15)) / ticks, prometheus::MetricType::Counter));
  out.push_back(Gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", field(23)));
  out.push_back(
      Gauge("process_resident_memory_bytes", "Resident memory size in bytes.", field(24) * page));
  out.push_back(Gauge("process_start_time_seconds",
                      "Start time of the process since unix epoch in seconds.",
                      BootTimeSeconds() + field(22) / ticks));
  out.push_back(Gauge("process_open_fds", "Number of open file descriptors.", OpenFds()));
  out.push_back(Gauge("process_max_fds", "Maximum number of open file descriptors.",
                      static_cast<double>(nofile.rlim_cur)));
  return out;
}

void RegisterBuildInfo(prometheus::Registry& registry) {
  prometheus::BuildGauge()
      .Name("orderwatch_build_info")
      .Help(
          "Always 1; the labels say which build runs: the project's version and the git "
          "revision it was built from")
      .Register(registry)
      .Add({{"version", ORDERWATCH_VERSION}, {"revision", ORDERWATCH_REVISION}})
      .Set(1);
}

}  // namespace orderwatch::server
