// The server's settings: defaults, then ORDERWATCH_* environment variables, then --flags.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/admission.h"
#include "services/common/clock.h"
#include "services/common/retention.h"
#include "services/redis/cluster_slots.h"
#include "services/scheduler/scheduler.h"
#include "services/server/tls.h"

namespace orderwatch::server {

struct ServerConfig {
  std::string grpc_addr = "127.0.0.1:50051";
  std::string metrics_addr = "127.0.0.1:9464";
  TlsFiles tls;  // plaintext gRPC unless a certificate is configured
  std::string redis_host = "127.0.0.1";
  int redis_port = 6379;
  std::string redis_unix;                         // a Unix socket path instead of host and port
  std::vector<redis::NodeAddress> redis_cluster;  // Redis Cluster seeds instead of the above
  int redis_connections = 2;
  std::string redis_user;           // an ACL user (Redis 6 and later); empty: "default"
  std::string redis_password_file;  // holds its password; empty: no AUTH
  // gRPC calls admitted at once (see Admission): low-priority ones only below half of it.
  int max_in_flight = Admission::kDefaultLimit;
  int partitions = 256;
  std::string auth = "tokens";  // "tokens" or "dev"
  std::string tokens_file;
  std::string timezone = "Asia/Shanghai";
  Retention retention;
  // Unpaid orders waiting for their reminders are packed into shared order buckets (README, "How
  // it works"). Off while instances of a version that cannot read packed orders share the Redis.
  bool pack_unpaid_orders = true;
  absl::Duration drain = absl::Seconds(10);
  // Client connections are closed (GOAWAY) after about this long; zero: never.
  absl::Duration max_connection_age = absl::ZeroDuration();
  // Where sent reminders are delivered (see dispatch::OpenSink).
  std::string reminder_sink = "log:-";
  std::string reminder_webhook_secret_file;  // the webhook sink's signing secret
  std::string reminder_rate_limits;          // the webhook sink's per-channel limits
  // Scheduling decisions read this clock; null means the system clock (tests set a manual one).
  const Clock* clock = nullptr;
  scheduler::SchedulerOptions scheduler;
  // A claimed job not finished within this is run again.
  absl::Duration job_in_flight = absl::Seconds(30);
  // How often the gauges kept in Redis (follow-ups, delayed shipments) are recounted.
  absl::Duration gauge_interval = absl::Seconds(15);
  // How long start-up waits for Redis before giving up.
  absl::Duration redis_wait = absl::Seconds(10);
};

// The --help text: every setting, its variable, its default.
std::string ServerUsage();

// Reads `env` (NAME=value strings) and `args` (argv without the program name). Unknown flags and
// malformed values are INVALID_ARGUMENT naming the setting. `help` is set when --help was given.
absl::StatusOr<ServerConfig> ParseServerConfig(const std::vector<std::string>& env,
                                               const std::vector<std::string>& args, bool* help);

}  // namespace orderwatch::server
