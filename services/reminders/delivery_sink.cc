#include "services/reminders/delivery_sink.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/json_text.h"
#include "services/reminders/reminder_records.h"
#include "services/reminders/stream_sink.h"
#include "services/reminders/webhook_sink.h"

namespace orderwatch::reminders {
namespace {

std::string MergedIds(const v1::Reminder& r) {
  std::string out;
  for (const auto& id : r.merged_order_ids()) {
    if (!out.empty()) out += ',';
    out += JsonQuote(id);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<LogSink>> LogSink::Open(const std::string& path) {
  if (path == "-") return std::unique_ptr<LogSink>(new LogSink(stdout, false));
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (f == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("reminder-sink: cannot open ", path, ": ", std::strerror(errno)));
  }
  return std::unique_ptr<LogSink>(new LogSink(f, true));
}

LogSink::LogSink(std::FILE* file, bool owned)
    : file_(file), owned_(owned), writer_([this] { Write(); }) {}

LogSink::~LogSink() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  writer_.join();  // what was handed over is written first
  if (owned_) std::fclose(file_);
}

void LogSink::Write() {
  while (true) {
    std::deque<Pending> batch;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]()
                       ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || !queue_.empty(); };
      mu_.Await(absl::Condition(&ready));
      if (queue_.empty()) return;  // stopping, and nothing left
      batch.swap(queue_);
    }
    for (auto& p : batch) {
      const bool ok = std::fwrite(p.line.data(), 1, p.line.size(), file_) == p.line.size() &&
                      std::fflush(file_) == 0;
      p.done(ok ? absl::OkStatus()
                : absl::UnavailableError(
                      absl::StrCat("log sink: write failed: ", std::strerror(errno))));
    }
  }
}

std::string DeliveryJson(const Delivery& d) {
  const v1::Reminder& r = d.reminder;
  return absl::StrCat(
      "{\"idempotency_key\":", JsonQuote(r.idempotency_key()), ",\"shop\":", JsonQuote(d.shop),
      ",\"order_id\":", JsonQuote(r.order_id()), ",\"number\":", r.number(),
      ",\"kind\":", JsonQuote(KindName(r.kind())),
      ",\"channel\":", JsonQuote(ChannelName(r.channel())), ",\"agent\":", JsonQuote(r.agent_id()),
      ",\"buyer_id\":", JsonQuote(d.buyer_id),
      ",\"buyer_phone_hash\":", JsonQuote(d.buyer_phone_hash), ",\"due_unix_ms\":", r.due_unix_ms(),
      ",\"sent_unix_ms\":", r.sent_unix_ms(), ",\"text\":", JsonQuote(r.text()),
      ",\"merged_order_ids\":[", MergedIds(r), "]}");
}

void LogSink::Deliver(const Delivery& delivery, absl::AnyInvocable<void(absl::Status)> done) {
  Pending p{DeliveryJson(delivery) + "\n", std::move(done)};
  absl::MutexLock lock(&mu_);
  queue_.push_back(std::move(p));
}

absl::StatusOr<std::unique_ptr<DeliverySink>> OpenSink(const std::string& spec,
                                                       redis::Client& redis,
                                                       const redis::KeyScheme& keys,
                                                       const WebhookSettings& webhook) {
  if (absl::StartsWith(spec, "webhook:")) {
    WebhookOptions options;
    if (auto s = ParseWebhookUrl(spec.substr(8), &options); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("reminder-sink: ", s.message()));
    }
    if (auto s = ParseRateLimits(webhook.rate_limits, &options); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("reminder-rate-limits: ", s.message()));
    }
    if (webhook.secret_file.empty()) {
      return absl::InvalidArgumentError(
          "reminder-sink: a webhook needs --reminder-webhook-secret-file (the signing secret)");
    }
    std::FILE* f = std::fopen(webhook.secret_file.c_str(), "r");
    if (f == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("reminder-webhook-secret-file: cannot open ",
                                                     webhook.secret_file, ": ",
                                                     std::strerror(errno)));
    }
    char buffer[4096];
    const size_t n = std::fread(buffer, 1, sizeof(buffer), f);
    std::fclose(f);
    options.secret = std::string(absl::StripTrailingAsciiWhitespace(absl::string_view(buffer, n)));
    if (options.secret.size() < 16) {
      return absl::InvalidArgumentError(absl::StrCat(
          "reminder-webhook-secret-file: ", webhook.secret_file, " holds fewer than 16 bytes"));
    }
    auto sink = WebhookSink::Open(std::move(options));
    if (!sink.ok()) return sink.status();
    return std::unique_ptr<DeliverySink>(std::move(*sink));
  }
  if (absl::StartsWith(spec, "log:") && spec.size() > 4) {
    auto sink = LogSink::Open(spec.substr(4));
    if (!sink.ok()) return sink.status();
    return std::unique_ptr<DeliverySink>(std::move(*sink));
  }
  if (auto length = ParseStreamSpec(spec)) {
    return std::unique_ptr<DeliverySink>(std::make_unique<StreamSink>(redis, keys, *length));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "reminder-sink: \"", spec,
      "\" is not log:<path>, log:-, stream, stream:<max length> or webhook:http://..."));
}

std::optional<int64_t> ParseStreamSpec(absl::string_view spec) {
  if (spec == "stream") return kDefaultStreamLength;
  int64_t n = 0;
  if (absl::ConsumePrefix(&spec, "stream:") && absl::SimpleAtoi(spec, &n) && n >= 1000 &&
      n <= 100000000) {
    return n;
  }
  return std::nullopt;
}

}  // namespace orderwatch::reminders
