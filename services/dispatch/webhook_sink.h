// Hands messages to an HTTP endpoint (an SMS gateway, a chat platform's bridge): one POST per
// delivery of the JSON object the log sink writes, with headers
//   Idempotency-Key: <shop>:<order>:<number>      the same on every retry of the message
//   X-Orderwatch-Timestamp: <unix ms>
//   X-Orderwatch-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
// A 2xx answer delivers it; anything else (or no answer within the timeout) fails the delivery,
// and the delivery queue retries it with doubling backoff. Per-channel rate limits (token buckets
// per instance) keep an SMS gateway or platform API within its quota at peak: a delivery waits
// for its channel's token, and one that cannot get it within `most_wait` fails, to be retried.
// Plain http only: the endpoint is expected inside the deployment (or behind a TLS sidecar).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/dispatch/delivery_sink.h"

namespace orderwatch::dispatch {

struct WebhookOptions {
  std::string host;
  int port = 80;
  std::string path = "/";
  std::string secret;                        // the HMAC key; required
  std::map<std::string, double> per_second;  // channels without an entry are not limited
  absl::Duration timeout = absl::Seconds(5);
  absl::Duration most_wait = absl::Seconds(10);
  int connections = 4;
};

// "http://host[:port][/path]" into options (the rest left as they are).
absl::Status ParseWebhookUrl(std::string_view url, WebhookOptions* options);
// "sms=50,im=200,phone=5,warehouse=20" (per second, > 0) into options.per_second.
absl::Status ParseRateLimits(std::string_view spec, WebhookOptions* options);
// hex HMAC-SHA256 of "<timestamp>.<body>".
std::string WebhookSignature(const std::string& secret, const std::string& timestamp,
                             const std::string& body);

class WebhookSink final : public DeliverySink {
 public:
  static absl::StatusOr<std::unique_ptr<WebhookSink>> Open(WebhookOptions options);
  ~WebhookSink() override;

  const std::string& name() const override { return name_; }
  void Deliver(const Delivery& delivery, absl::AnyInvocable<void(absl::Status)> done) override;

 private:
  struct Loop;
  explicit WebhookSink(std::unique_ptr<Loop> loop);

  const std::string name_ = "webhook";
  std::unique_ptr<Loop> loop_;
};

}  // namespace orderwatch::dispatch
