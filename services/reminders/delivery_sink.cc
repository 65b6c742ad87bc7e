#include "services/reminders/delivery_sink.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/reminders/reminder_records.h"

namespace orderwatch::reminders {
namespace {

// A JSON string literal. The text is valid UTF-8 (checked on the way in), so only quotes,
// backslashes and control characters need escaping.
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
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

LogSink::~LogSink() {
  if (owned_) std::fclose(file_);
}

std::string LogSink::Line(const Delivery& d) {
  const v1::Reminder& r = d.reminder;
  return absl::StrCat(
      "{\"idempotency_key\":", Quote(r.idempotency_key()), ",\"shop\":", Quote(d.shop),
      ",\"order_id\":", Quote(r.order_id()), ",\"number\":", r.number(),
      ",\"kind\":", Quote(KindName(r.kind())), ",\"channel\":", Quote(ChannelName(r.channel())),
      ",\"agent\":", Quote(r.agent_id()), ",\"buyer_id\":", Quote(d.buyer_id),
      ",\"buyer_phone_hash\":", Quote(d.buyer_phone_hash), ",\"due_unix_ms\":", r.due_unix_ms(),
      ",\"sent_unix_ms\":", r.sent_unix_ms(), ",\"text\":", Quote(r.text()), "}");
}

void LogSink::Deliver(const Delivery& delivery, absl::AnyInvocable<void(absl::Status)> done) {
  const std::string line = Line(delivery) + "\n";
  bool ok;
  {
    absl::MutexLock lock(&mu_);
    ok = std::fwrite(line.data(), 1, line.size(), file_) == line.size() && std::fflush(file_) == 0;
  }
  done(ok ? absl::OkStatus()
          : absl::UnavailableError(absl::StrCat("log sink: write failed: ", std::strerror(errno))));
}

absl::StatusOr<std::unique_ptr<DeliverySink>> OpenSink(const std::string& spec) {
  if (absl::StartsWith(spec, "log:") && spec.size() > 4) {
    auto sink = LogSink::Open(spec.substr(4));
    if (!sink.ok()) return sink.status();
    return std::unique_ptr<DeliverySink>(std::move(*sink));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("reminder-sink: \"", spec, "\" is not log:<path> (or log:-)"));
}

}  // namespace orderwatch::reminders
