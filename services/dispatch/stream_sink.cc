#include "services/dispatch/stream_sink.h"

#include "absl/strings/str_cat.h"

namespace orderwatch::dispatch {

StreamSink::StreamSink(redis::Client& redis, const redis::KeyScheme& keys, int64_t max_length)
    : redis_(redis), keys_(keys), max_length_(absl::StrCat(max_length)) {}

void StreamSink::Deliver(const Delivery& delivery, absl::AnyInvocable<void(absl::Status)> done) {
  redis_.Run(redis::Command::Of({"XADD", keys_.DispatchStream(delivery.channel), "MAXLEN", "~",
                                 max_length_, "*", "idempotency_key", delivery.idempotency_key,
                                 "json", delivery.json}),
             absl::Now() + absl::Seconds(5),
             [done = std::move(done)](absl::StatusOr<redis::Reply> reply) mutable {
               done(reply.status());
             });
}

}  // namespace orderwatch::dispatch
