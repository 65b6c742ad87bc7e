// The whole server wired together: Redis client, services, gRPC (health, reflection, metrics
// interceptor) and the Prometheus exposer. main() and the end-to-end tests both start this.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "services/server/server_config.h"

namespace orderwatch::server {

// Requests above this many bytes are refused by gRPC with RESOURCE_EXHAUSTED.
inline constexpr int kMaxRequestBytes = 1 << 20;

class ServerApp {
 public:
  // Binds both ports, connects to Redis in the background and serves. With port 0 in an
  // address, the system picks one: see grpc_port() and metrics_port().
  static absl::StatusOr<std::unique_ptr<ServerApp>> Start(const ServerConfig& config);
  ~ServerApp();

  int grpc_port() const;
  int metrics_port() const;

  // Reports NOT_SERVING, stops taking calls, lets calls in flight finish for up to `drain`,
  // then closes Redis. Safe to call twice.
  void Shutdown(absl::Duration drain);

 private:
  struct Parts;
  explicit ServerApp(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace orderwatch::server
