#include "loadtest/peak/server_probe.h"

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "loadtest/event_load.h"

namespace orderwatch::load {
namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

long long ProcessTicks(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return -1;
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {  // field 3 is the state
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  return utime + stime;
}

namespace {

double RssMb(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return -1;
}

}  // namespace

bool SplitHostPort(const std::string& addr, std::string* host, int* port) {
  const size_t colon = addr.rfind(':');
  if (colon == std::string::npos) return false;
  *host = addr.substr(0, colon);
  return absl::SimpleAtoi(addr.substr(colon + 1), port);
}

std::string HttpGetMetrics(const std::string& addr) {
  std::string host;
  int port = 0;
  if (!SplitHostPort(addr, &host, &port)) return "";
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  timeval tv{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, host.c_str(), &sa.sin_addr);
  std::string out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0) {
    const std::string req = "GET /metrics HTTP/1.0\r\nHost: " + addr + "\r\n\r\n";
    if (write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size())) {
      char buf[65536];
      for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;) out.append(buf, n);
    }
  }
  close(fd);
  const size_t body = out.find("\r\n\r\n");
  return body == std::string::npos ? "" : out.substr(body + 4);
}

void ParseMetrics(
    const std::string& text,
    const std::function<void(const std::string&, const std::map<std::string, std::string>&,
                             double)>& line) {
  for (absl::string_view l : absl::StrSplit(text, '\n')) {
    if (l.empty() || l[0] == '#') continue;
    const size_t space = l.rfind(' ');
    if (space == absl::string_view::npos) continue;
    double value = 0;
    if (!absl::SimpleAtod(l.substr(space + 1), &value)) continue;
    absl::string_view head = l.substr(0, space);
    std::map<std::string, std::string> labels;
    const size_t brace = head.find('{');
    std::string name(head.substr(0, brace));
    if (brace != absl::string_view::npos) {
      absl::string_view inner = head.substr(brace + 1, head.size() - brace - 2);
      for (absl::string_view kv : absl::StrSplit(inner, ',', absl::SkipEmpty())) {
        const size_t eq = kv.find('=');
        if (eq == absl::string_view::npos || kv.size() < eq + 3) continue;
        labels[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 2, kv.size() - eq - 3));
      }
    }
    line(name, labels, value);
  }
}

double QuantileBound(const std::map<double, double>& before, const std::map<double, double>& after,
                     double q, double* count) {
  auto delta = [&](double le) {
    const auto a = after.find(le);
    const auto b = before.find(le);
    return (a == after.end() ? 0 : a->second) - (b == before.end() ? 0 : b->second);
  };
  const double inf = std::numeric_limits<double>::infinity();
  const double total = delta(inf);
  if (count != nullptr) *count = total;
  if (total <= 0) return -1;
  for (const auto& [le, unused] : after) {
    if (delta(le) >= q * total) return le;
  }
  return inf;
}

ServerProbe::ServerProbe(const ProbeTargets& targets, std::function<int()> generator_in_flight)
    : targets_(targets), generator_in_flight_(std::move(generator_in_flight)) {}

ServerProbe::~ServerProbe() { Stop(); }

void ServerProbe::Start() {
  started_ = Now();
  Take();  // the first CPU readings
  thread_ = std::thread([this] { Loop(); });
}

void ServerProbe::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void ServerProbe::Loop() {
  double next = started_ + 1;
  while (!stop_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (Now() < next) continue;
    next += 1;
    ProbeSample s = Take();
    std::lock_guard<std::mutex> lock(mu_);
    samples_.push_back(std::move(s));
  }
}

ProbeSample ServerProbe::SampleNow() {
  ProbeSample s = Take();
  std::lock_guard<std::mutex> lock(mu_);
  samples_.push_back(s);
  return s;
}

std::vector<ProbeSample> ServerProbe::samples() {
  std::lock_guard<std::mutex> lock(mu_);
  return samples_;
}

ProbeSample ServerProbe::Take() {
  ProbeSample s;
  const double now = Now();
  s.t_s = now - started_;
  s.generator_in_flight = generator_in_flight_();
  const double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
  auto cpu = [&](int pid) {
    if (pid <= 0) return -1.0;
    const long long t = ProcessTicks(pid);
    double pct = -1;
    const auto last = last_ticks_.find(pid);
    if (t >= 0 && last != last_ticks_.end() && now > last_at_) {
      pct = 100.0 * static_cast<double>(t - last->second) / hz / (now - last_at_);
    }
    last_ticks_[pid] = t;
    return pct;
  };
  s.cpu_server = cpu(targets_.server_pid);
  s.cpu_redis = cpu(targets_.redis_pid);
  s.cpu_load = cpu(getpid());
  last_at_ = now;
  if (targets_.server_pid > 0) s.rss_server_mb = RssMb(targets_.server_pid);
  if (targets_.redis_pid > 0) s.rss_redis_mb = RssMb(targets_.redis_pid);
  if (!targets_.redis.empty()) {
    std::string host;
    int port = 0;
    if (SplitHostPort(targets_.redis, &host, &port)) {
      timeval tv{1, 0};
      redisContext* c = redisConnectWithTimeout(host.c_str(), port, tv);
      if (c != nullptr && c->err == 0) {
        const long long used = RedisInt(c, "INFO memory", "used_memory");
        if (used >= 0) s.redis_used_mb = static_cast<double>(used) / (1024.0 * 1024.0);
      }
      if (c != nullptr) redisFree(c);
    }
  }
  if (!targets_.metrics.empty()) {
    ParseMetrics(HttpGetMetrics(targets_.metrics),
                 [&](const std::string& name, const auto& labels, double value) {
                   auto label = [&](const char* k) {
                     const auto it = labels.find(k);
                     return it == labels.end() ? std::string() : it->second;
                   };
                   if (name == "orderwatch_scheduler_queue_jobs" && label("state") == "due") {
                     s.due_jobs[label("queue")] = value;
                   } else if (name == "orderwatch_scheduler_oldest_due_age_seconds") {
                     s.oldest_due_age[label("queue")] = value;
                   } else if (name == "orderwatch_admission_rejected_total") {
                     s.rejected += value;
                   } else if (name == "orderwatch_scheduler_lateness_seconds_bucket") {
                     double le = std::numeric_limits<double>::infinity();
                     if (label("le") != "+Inf") (void)absl::SimpleAtod(label("le"), &le);
                     s.lateness[label("queue")][le] = value;
                   }
                 });
  }
  return s;
}

}  // namespace orderwatch::load
