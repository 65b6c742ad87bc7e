// orderwatch-server: reads its settings, serves until SIGTERM or SIGINT, then drains and exits.
#include <signal.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/log.h"
#include "services/server/server_app.h"
#include "services/server/server_config.h"

extern char** environ;

int main(int argc, char** argv) {
  using orderwatch::Log;
  using orderwatch::LogLevel;
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  std::vector<std::string> args(argv + 1, argv + argc);
  bool help = false;
  auto config = orderwatch::server::ParseServerConfig(env, args, &help);
  if (help) {
    std::fputs(orderwatch::server::ServerUsage().c_str(), stdout);
    return 0;
  }
  if (!config.ok()) {
    std::fprintf(stderr, "orderwatch-server: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }

  // Debian builds Abseil with deadlock detection on: every lock gRPC takes would go through a
  // global lock graph. It finds nothing in production and costs a few percent of CPU.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // Block the stop signals in every thread; this one waits for them below.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  auto app = orderwatch::server::ServerApp::Start(*config);
  if (!app.ok()) {
    Log(LogLevel::kError, absl::StrCat("cannot start: ", app.status().ToString()));
    return 1;
  }
  Log(LogLevel::kInfo,
      absl::StrCat(
          "orderwatch-server listening: gRPC on ", config->grpc_addr, " (port ",
          (*app)->grpc_port(), "), metrics on http://", config->metrics_addr, "/metrics, Redis at ",
          config->redis_unix.empty() ? absl::StrCat(config->redis_host, ":", config->redis_port)
                                     : absl::StrCat("unix:", config->redis_unix),
          ", auth=", config->auth,
          config->tls.enabled() ? (config->tls.client_ca.empty() ? ", TLS" : ", mutual TLS")
                                : ", plaintext"));
  int sig = 0;
  sigwait(&stop, &sig);
  Log(LogLevel::kInfo,
      absl::StrCat("signal ", sig, ": draining for up to ", absl::FormatDuration(config->drain)));
  (*app)->Shutdown(config->drain);
  Log(LogLevel::kInfo, "stopped");
  return 0;
}
