// The payment reminder commands: remind, answer, reminders, stats, policy get, policy set.
#include "services/cli/commands.h"
#include "services/cli/exit_codes.h"
#include "services/cli/output.h"
#include "services/cli/requests.h"
#include "services/cli/text.h"

namespace orderwatch::cli {
namespace {

class ReminderCommand {
 public:
  ReminderCommand(const Invocation& inv, Connection& connection, std::ostream& out,
                  std::ostream& err)
      : inv_(inv), connection_(connection), out_(out), err_(err), tz_(DisplayTimeZone()) {}

  int Run() {
    const std::string_view group = inv_.command->group;
    const std::string_view name = inv_.command->name;
    if (group == "remind") return Remind();
    if (group == "reminders") return List();
    if (group == "answer") return Answer();
    if (group == "stats") return Stats();
    if (group == "policy" && name == "get") return GetPolicy();
    if (group == "policy" && name == "set") return SetPolicy();
    return ReportUsageError(Cat("unknown command ", CommandName(*inv_.command)), "", err_);
  }

 private:
  int UsageError(const absl::Status& status) {
    return ReportUsageError(std::string(status.message()), CommandName(*inv_.command), err_);
  }

  // Prints the response as JSON or with `format`; a failed call with `hints`.
  template <typename Response, typename Format>
  int Print(const grpc::Status& status, const Response& response, const ConflictHints& hints,
            Format format) {
    if (!status.ok()) return ReportRpcErrorWithHints(status, inv_.global.addr, hints, err_);
    out_ << (inv_.global.json ? ToJson(response) : format(response));
    return kExitOk;
  }

  int Remind() {
    absl::StatusOr<v1::TriggerReminderRequest> request = BuildTriggerRequest(inv_);
    if (!request.ok()) return UsageError(request.status());
    const std::string& order = request->order_id();
    ConflictHints hints;
    hints.aborted = Cat("hint: another reminder of order ", order,
                        " was recorded at the same moment; see \"orderwatch reminders ", order,
                        "\" before sending one more\n");
    hints.failed_precondition =
        "hint: nothing was sent. Outside the sending window, or when the policy skips the order, "
        "a supervisor\n      may still send it with --override REASON; a paid, closed or "
        "refunded order is never reminded.\n";
    v1::Reminder response;
    const grpc::Status status =
        connection_.reminders().Trigger(connection_.NewContext().get(), *request, &response);
    return Print(status, response, hints,
                 [&](const v1::Reminder& r) { return FormatReminder(r, tz_); });
  }

  int Answer() {
    absl::StatusOr<v1::RecordAnswerRequest> request = BuildAnswerRequest(inv_, absl::Now());
    if (!request.ok()) return UsageError(request.status());
    ConflictHints hints;
    hints.failed_precondition =
        "hint: the order is paid, closed or refunded: there is no promise to keep. Record the "
        "answer\n      without --promised.\n";
    v1::Reminder response;
    const grpc::Status status =
        connection_.reminders().RecordAnswer(connection_.NewContext().get(), *request, &response);
    return Print(status, response, hints,
                 [&](const v1::Reminder& r) { return FormatReminder(r, tz_); });
  }

  int Stats() {
    absl::StatusOr<v1::ReminderStatsRequest> request = BuildStatsRequest(inv_);
    if (!request.ok()) return UsageError(request.status());
    v1::ReminderStats response;
    const grpc::Status status =
        connection_.reminders().Stats(connection_.NewContext().get(), *request, &response);
    return Print(status, response, ConflictHints(), FormatReminderStats);
  }

  int List() {
    absl::StatusOr<v1::ListRemindersRequest> request = BuildListRemindersRequest(inv_);
    if (!request.ok()) return UsageError(request.status());
    v1::ListRemindersResponse response;
    const grpc::Status status =
        connection_.reminders().ListForOrder(connection_.NewContext().get(), *request, &response);
    return Print(status, response, ConflictHints(), [&](const v1::ListRemindersResponse& r) {
      return FormatReminders(r, request->order_id(), tz_);
    });
  }

  int GetPolicy() {
    v1::ReminderPolicy response;
    const grpc::Status status = connection_.reminders().GetPolicy(
        connection_.NewContext().get(), v1::GetReminderPolicyRequest(), &response);
    return Print(status, response, ConflictHints(),
                 [&](const v1::ReminderPolicy& p) { return FormatPolicy(p, tz_); });
  }

  int SetPolicy() {
    absl::StatusOr<v1::SetReminderPolicyRequest> request =
        BuildSetPolicyRequest(inv_, ReadWholeFile);
    if (!request.ok()) return UsageError(request.status());
    ConflictHints hints;
    hints.aborted =
        "hint: the policy changed since it was read; re-read it with \"orderwatch policy get\" "
        "and retry with its version as --expected-version\n";
    v1::ReminderPolicy response;
    const grpc::Status status =
        connection_.reminders().SetPolicy(connection_.NewContext().get(), *request, &response);
    return Print(status, response, hints,
                 [&](const v1::ReminderPolicy& p) { return FormatPolicy(p, tz_); });
  }

  const Invocation& inv_;
  Connection& connection_;
  std::ostream& out_;
  std::ostream& err_;
  absl::TimeZone tz_;
};

}  // namespace

int RunReminderCommand(const Invocation& inv, Connection& connection, std::ostream& out,
                       std::ostream& err) {
  return ReminderCommand(inv, connection, out, err).Run();
}

}  // namespace orderwatch::cli
