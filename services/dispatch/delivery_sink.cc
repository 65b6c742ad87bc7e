#include "services/dispatch/delivery_sink.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/secret_file.h"
#include "services/dispatch/stream_sink.h"
#include "services/dispatch/webhook_sink.h"

namespace orderwatch::dispatch {
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

void LogSink::Deliver(const Delivery& delivery, absl::AnyInvocable<void(absl::Status)> done) {
  Pending p{delivery.json + "\n", std::move(done)};
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
    auto secret = ReadSecretFile("reminder-webhook-secret-file", webhook.secret_file, 16);
    if (!secret.ok()) return secret.status();
    options.secret = *std::move(secret);
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

}  // namespace orderwatch::dispatch
