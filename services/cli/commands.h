// Runs one parsed command against the server: build the request, call, print. Each returns the
// process exit code (see exit_codes.h).
#pragma once

#include <ostream>

#include "services/cli/args.h"
#include "services/cli/connection.h"

namespace orderwatch::cli {

int RunRemarkCommand(const Invocation& inv, Connection& connection, std::ostream& out,
                     std::ostream& err);
int RunEventCommand(const Invocation& inv, Connection& connection, std::ostream& out,
                    std::ostream& err);
// remind, reminders, policy get and policy set.
int RunReminderCommand(const Invocation& inv, Connection& connection, std::ostream& out,
                       std::ostream& err);
// delayed and shipping.
int RunShipmentCommand(const Invocation& inv, Connection& connection, std::ostream& out,
                       std::ostream& err);

// followup ... and cashback.
int RunFollowUpCommand(const Invocation& inv, Connection& connection, std::ostream& out,
                       std::ostream& err);

// token new, issue, list and revoke.
int RunTokenCommand(const Invocation& inv, Connection& connection, std::ostream& out,
                    std::ostream& err);

// health: the server's grpc.health.v1 status.
int RunHealthCommand(const Invocation& inv, Connection& connection, std::ostream& out,
                     std::ostream& err);

}  // namespace orderwatch::cli
