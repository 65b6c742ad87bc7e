#include "services/reminders/stream_sink.h"

#include "absl/strings/str_cat.h"
#include "services/reminders/reminder_records.h"

namespace orderwatch::reminders {

StreamSink::StreamSink(redis::Client& redis, const redis::KeyScheme& keys, int64_t max_length)
    : redis_(redis), keys_(keys), max_length_(absl::StrCat(max_length)) {}

void StreamSink::Deliver(const Delivery& delivery, absl::AnyInvocable<void(absl::Status)> done) {
  const v1::Reminder& r = delivery.reminder;
  redis_.Run(redis::Command::Of({"XADD", keys_.ReminderStream(ChannelName(r.channel())), "MAXLEN",
                                 "~", max_length_, "*", "idempotency_key", r.idempotency_key(),
                                 "json", DeliveryJson(delivery)}),
             absl::Now() + absl::Seconds(5),
             [done = std::move(done)](absl::StatusOr<redis::Reply> reply) mutable {
               done(reply.status());
             });
}

}  // namespace orderwatch::reminders
