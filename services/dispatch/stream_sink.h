// A Redis stream per channel for external channel workers (an SMS gateway worker reads the sms
// stream, a chat bot the im stream, a warehouse system the warehouse stream): XADD of the
// idempotency key and the same JSON object the log sink writes. Streams are capped (MAXLEN ~) so
// an absent worker cannot fill Redis; a message handed over twice after a crash appears twice with the same idempotency key, which
// the worker uses to send it once.
#pragma once

#include <cstdint>
#include <string>

#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/dispatch/delivery_sink.h"

namespace orderwatch::dispatch {

inline constexpr int64_t kDefaultStreamLength = 1000000;

class StreamSink final : public DeliverySink {
 public:
  StreamSink(redis::Client& redis, const redis::KeyScheme& keys, int64_t max_length);

  const std::string& name() const override { return name_; }
  void Deliver(const Delivery& delivery, absl::AnyInvocable<void(absl::Status)> done) override;

 private:
  const std::string name_ = "stream";
  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  std::string max_length_;
};

}  // namespace orderwatch::dispatch
