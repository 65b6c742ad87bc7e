#include "services/cli/run.h"

#include "services/cli/commands.h"
#include "services/cli/connection.h"
#include "services/cli/exit_codes.h"
#include "services/cli/usage.h"

namespace orderwatch::cli {

int Run(const std::vector<std::string>& args, const EnvLookup& env, std::ostream& out,
        std::ostream& err) {
  const ParseOutcome parsed = ParseCommandLine(args, env);
  switch (parsed.kind) {
    case ParseOutcome::Kind::kHelp:
      out << HelpText(parsed.topic);
      return kExitOk;
    case ParseOutcome::Kind::kUsageError:
      if (parsed.error.empty()) {
        err << HelpText(parsed.topic);
        return kExitUsage;
      }
      return ReportUsageError(parsed.error, parsed.topic, err);
    case ParseOutcome::Kind::kRun:
      break;
  }
  const Invocation& inv = parsed.invocation;
  if (absl::Status s = CheckCallMetadata(inv.global); !s.ok()) {
    return ReportUsageError(std::string(s.message()), parsed.topic, err);
  }
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      ChannelCredentials(inv.global);
  if (!credentials.ok()) {
    return ReportUsageError(std::string(credentials.status().message()), parsed.topic, err);
  }
  Connection connection(inv.global, *std::move(credentials));
  const std::string_view group = inv.command->group;
  if (group == "health") return RunHealthCommand(inv, connection, out, err);
  if (group == "token") return RunTokenCommand(inv, connection, out, err);
  if (group == "remark") return RunRemarkCommand(inv, connection, out, err);
  if (group == "event") return RunEventCommand(inv, connection, out, err);
  if (group == "delayed" || group == "shipping") return RunShipmentCommand(inv, connection, out, err);
  if (group == "followup" || group == "cashback")
    return RunFollowUpCommand(inv, connection, out, err);
  return RunReminderCommand(inv, connection, out, err);
}

}  // namespace orderwatch::cli
