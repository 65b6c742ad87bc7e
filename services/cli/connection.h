// The channel to orderwatch-server and the per-call context: deadline and identity metadata.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "orderwatch/v1/access.grpc.pb.h"
#include "orderwatch/v1/followups.grpc.pb.h"
#include "orderwatch/v1/order_events.grpc.pb.h"
#include "orderwatch/v1/remarks.grpc.pb.h"
#include "orderwatch/v1/reminders.grpc.pb.h"
#include "orderwatch/v1/shipments.grpc.pb.h"
#include "services/cli/args.h"

namespace orderwatch::cli {

// The metadata sent with every call: "authorization: Bearer TOKEN" when there is a token,
// otherwise the development identity headers x-orderwatch-shop/-agent/-role (those not empty).
std::vector<std::pair<std::string, std::string>> CallMetadata(const GlobalOptions& options);

// gRPC metadata values must be printable ASCII; a usage error otherwise.
absl::Status CheckCallMetadata(const GlobalOptions& options);

// Plaintext, or TLS with the CA and client certificate files read (a usage error names an
// unreadable one).
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentials(
    const GlobalOptions& options);

class Connection {
 public:
  // The channel connects lazily, on the first call.
  Connection(const GlobalOptions& options, std::shared_ptr<grpc::ChannelCredentials> credentials);

  // A context for one call: deadline now + --timeout, and the identity metadata.
  std::unique_ptr<grpc::ClientContext> NewContext() const;

  v1::Remarks::Stub& remarks() { return *remarks_; }
  v1::OrderEvents::Stub& events() { return *events_; }
  v1::Reminders::Stub& reminders() { return *reminders_; }
  v1::Shipments::Stub& shipments() { return *shipments_; }
  v1::FollowUps::Stub& followups() { return *followups_; }
  grpc::health::v1::Health::Stub& health() { return *health_; }
  v1::Access::Stub& access() { return *access_; }
  const GlobalOptions& options() const { return options_; }

 private:
  GlobalOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Remarks::Stub> remarks_;
  std::unique_ptr<v1::OrderEvents::Stub> events_;
  std::unique_ptr<v1::Reminders::Stub> reminders_;
  std::unique_ptr<v1::Shipments::Stub> shipments_;
  std::unique_ptr<v1::FollowUps::Stub> followups_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
  std::unique_ptr<v1::Access::Stub> access_;
};

}  // namespace orderwatch::cli
