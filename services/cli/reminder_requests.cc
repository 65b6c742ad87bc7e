// Request building for the payment reminder commands: remind, answer, reminders, policy set.
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "services/cli/requests.h"
#include "services/cli/text.h"
#include "services/cli/values.h"

namespace orderwatch::cli {
namespace {

// A policy file larger than this is a mistake (a policy at its limits is well under 100 KiB).
constexpr size_t kMaxPolicyFileBytes = 4 << 20;

absl::Status Usage(std::string message) { return absl::InvalidArgumentError(message); }

absl::StatusOr<v1::Channel> ParseChannelOption(std::string_view option, std::string_view value) {
  const std::string name = absl::AsciiStrToLower(Absl(value));
  if (name == "im") return v1::CHANNEL_IM;
  if (name == "sms") return v1::CHANNEL_SMS;
  if (name == "phone") return v1::CHANNEL_PHONE;
  return Usage(Cat("--", option, ": \"", value, "\" is not a channel: im, sms or phone"));
}

// Reads all of `file` (at most kMaxPolicyFileBytes); `name` is for messages.
absl::StatusOr<std::string> ReadAll(std::FILE* file, const std::string& name) {
  std::string contents;
  char buffer[65536];
  while (true) {
    const size_t n = std::fread(buffer, 1, sizeof(buffer), file);
    contents.append(buffer, n);
    if (contents.size() > kMaxPolicyFileBytes) {
      return absl::InvalidArgumentError(
          Cat("cannot read ", name, ": larger than ", kMaxPolicyFileBytes, " bytes"));
    }
    if (n < sizeof(buffer)) break;
  }
  if (std::ferror(file)) {
    return absl::InvalidArgumentError(Cat("cannot read ", name, ": ", std::strerror(errno)));
  }
  return contents;
}

}  // namespace

absl::StatusOr<v1::TriggerReminderRequest> BuildTriggerRequest(const Invocation& inv) {
  v1::TriggerReminderRequest request;
  request.set_order_id(inv.args.at(0));
  if (const std::string* channel = inv.Find("channel")) {
    absl::StatusOr<v1::Channel> c = ParseChannelOption("channel", *channel);
    if (!c.ok()) return c.status();
    request.set_channel(*c);
  }
  if (const std::string* reason = inv.Find("override")) {
    if (reason->empty()) return Usage("--override needs the reason for sending anyway");
    request.set_override_reason(*reason);
  }
  absl::StatusOr<std::string> id = RequestIdFor(inv);
  if (!id.ok()) return id.status();
  request.set_request_id(*id);
  return request;
}

absl::StatusOr<v1::UnpaidReason> ParseUnpaidReason(std::string_view value) {
  const std::string name = absl::AsciiStrToUpper(Absl(value));
  v1::UnpaidReason reason;
  if (v1::UnpaidReason_Parse("UNPAID_REASON_" + name, &reason) &&
      reason != v1::UNPAID_REASON_UNSPECIFIED) {
    return reason;
  }
  return Usage(Cat("--reason: \"", value,
                   "\" is not a reason: forgot, price, shipping, product_question, "
                   "payment_problem, changed_mind, no_answer or other"));
}

absl::StatusOr<v1::RecordAnswerRequest> BuildAnswerRequest(const Invocation& inv, absl::Time now) {
  v1::RecordAnswerRequest request;
  request.set_order_id(inv.args.at(0));
  const std::string* reason = inv.Find("reason");
  if (reason == nullptr) return Usage("--reason is required: why the buyer had not paid");
  absl::StatusOr<v1::UnpaidReason> r = ParseUnpaidReason(*reason);
  if (!r.ok()) return r.status();
  request.set_reason(*r);
  if (const std::string* note = inv.Find("note")) request.set_note(*note);
  if (const std::string* promised = inv.Find("promised")) {
    absl::StatusOr<int64_t> ms = ParseTimeMs("promised", *promised, now);
    if (!ms.ok()) return ms.status();
    request.set_promised_pay_unix_ms(*ms);
  }
  if (const std::string* number = inv.Find("reminder")) {
    absl::StatusOr<int32_t> n = ParsePositiveInt32("reminder", *number);
    if (!n.ok()) return n.status();
    request.set_reminder_number(*n);
  }
  absl::StatusOr<std::string> id = RequestIdFor(inv);
  if (!id.ok()) return id.status();
  request.set_request_id(*id);
  return request;
}

absl::StatusOr<v1::ReminderStatsRequest> BuildStatsRequest(const Invocation& inv) {
  v1::ReminderStatsRequest request;
  if (const std::string* day = inv.Find("day")) {
    absl::CivilDay d;
    if (!absl::ParseCivilTime(Absl(*day), &d)) {
      return Usage(Cat("--day: \"", *day, "\" is not a date YYYY-MM-DD"));
    }
    request.set_day(*day);
  }
  return request;
}

absl::StatusOr<v1::ListRemindersRequest> BuildListRemindersRequest(const Invocation& inv) {
  v1::ListRemindersRequest request;
  request.set_order_id(inv.args.at(0));
  return request;
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  if (path == "-") return ReadAll(stdin, "stdin");
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return absl::InvalidArgumentError(Cat("cannot read ", path, ": ", std::strerror(errno)));
  }
  absl::StatusOr<std::string> contents = ReadAll(file, path);
  std::fclose(file);
  return contents;
}

absl::StatusOr<v1::SetReminderPolicyRequest> BuildSetPolicyRequest(const Invocation& inv,
                                                                   const FileReader& read) {
  const std::string* path = inv.Find("file");
  if (path == nullptr) {
    return Usage("missing --file (the policy as proto JSON, as \"policy get --json\" prints it)");
  }
  if (path->empty()) return Usage("--file must not be empty");
  v1::SetReminderPolicyRequest request;
  if (const std::string* version = inv.Find("expected-version")) {
    absl::StatusOr<int64_t> v = ParseNonNegativeInt64("expected-version", *version);
    if (!v.ok()) return v.status();
    request.set_expected_version(*v);
  }
  absl::StatusOr<std::string> json = read(*path);
  if (!json.ok()) return Usage(Cat("--file: ", json.status().message()));
  // Unknown fields are errors: a misspelt field name must not silently keep its default.
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      *json, request.mutable_policy(), google::protobuf::util::JsonParseOptions());
  if (!parsed.ok()) {
    const std::string problem(parsed.message().data(), parsed.message().size());
    return Usage(Cat("--file: ", *path == "-" ? "stdin" : *path,
                     " is not a ReminderPolicy in proto JSON: ", problem));
  }
  return request;
}

}  // namespace orderwatch::cli
