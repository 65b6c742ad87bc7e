// Where messages leave orderwatch (reminders to buyers, shipment notices to buyers and
// warehouses). Delivery is at least once: after a crash or a failed acknowledgement a message may
// be handed over again, always with the same idempotency key, so the channel (or the worker
// behind a stream) acts on it once.
#pragma once

#include <array>
#include <cstdio>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"

namespace orderwatch::dispatch {

// The channels messages leave by: the buyer's (reminders, shipment notices) and the warehouse's.
inline constexpr std::array<absl::string_view, 4> kChannels = {"im", "sms", "phone", "warehouse"};

struct Delivery {
  std::string idempotency_key;  // the same on every hand-over of this message
  std::string channel;          // "im", "sms", "phone", "warehouse": rate limits and streams
  std::string json;             // the message as one JSON object (no newline)
};

class DeliverySink {
 public:
  virtual ~DeliverySink() = default;
  virtual const std::string& name() const = 0;
  // Hands the message over; done(OK) once the channel has it, an error to retry later.
  virtual void Deliver(const Delivery& delivery, absl::AnyInvocable<void(absl::Status)> done) = 0;
};

// One JSON object per line, flushed per message: the default for local runs, and a file other
// tools can tail. "-" writes to standard output. Writes happen on the sink's own thread, so a
// slow disk or a stalled pipe never holds up the Redis client's loop that calls Deliver.
class LogSink final : public DeliverySink {
 public:
  static absl::StatusOr<std::unique_ptr<LogSink>> Open(const std::string& path);
  ~LogSink() override;

  const std::string& name() const override { return name_; }
  void Deliver(const Delivery& delivery, absl::AnyInvocable<void(absl::Status)> done) override;

 private:
  struct Pending {
    std::string line;
    absl::AnyInvocable<void(absl::Status)> done;
  };
  LogSink(std::FILE* file, bool owned);
  void Write();

  const std::string name_ = "log";
  std::FILE* file_;
  bool owned_;
  absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread writer_;
};

// "stream" → the default length; "stream:<n>" with 1000 ≤ n ≤ 100 000 000 → n; else nullopt.
std::optional<int64_t> ParseStreamSpec(absl::string_view spec);

// What the webhook sink needs beside its URL.
struct WebhookSettings {
  std::string secret_file;  // holds the HMAC signing secret (trailing whitespace ignored)
  std::string rate_limits;  // "sms=50,im=200" per second per instance; empty: none
};

// The sink a --reminder-sink value names: "log:<path>" (or "log:-"), "stream" /
// "stream:<max length>" (a stream per channel in the server's Redis; see stream_sink.h), or
// "webhook:http://host:port/path" (see webhook_sink.h).
absl::StatusOr<std::unique_ptr<DeliverySink>> OpenSink(const std::string& spec,
                                                       redis::Client& redis,
                                                       const redis::KeyScheme& keys,
                                                       const WebhookSettings& webhook = {});

}  // namespace orderwatch::dispatch
