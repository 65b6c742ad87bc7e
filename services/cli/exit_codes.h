// Exit codes of the CLI and the reporting of failed calls and usage errors on stderr.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "grpcpp/support/status.h"

namespace orderwatch::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,      // any other error
  kExitUsage = 2,        // bad or missing option or argument
  kExitNotFound = 3,     // NOT_FOUND
  kExitConflict = 4,     // ABORTED, FAILED_PRECONDITION
  kExitUnavailable = 5,  // UNAVAILABLE, DEADLINE_EXCEEDED
  kExitDenied = 6,       // UNAUTHENTICATED, PERMISSION_DENIED
};

int ExitCodeFor(grpc::StatusCode code);

// "NOT_FOUND", "ABORTED", ...
std::string_view StatusCodeName(grpc::StatusCode code);

// Prints "orderwatch: CODE: message" and, for some codes, a hint; returns the exit code.
// `order_id` (may be empty) goes into the hint after a version conflict.
int ReportRpcError(const grpc::Status& status, std::string_view addr, std::string_view order_id,
                   std::ostream& err);

// What to print after a conflict: whole lines starting "hint: ", or empty for none.
struct ConflictHints {
  std::string aborted;
  std::string failed_precondition;
};

// As ReportRpcError, with these hints after ABORTED and FAILED_PRECONDITION.
int ReportRpcErrorWithHints(const grpc::Status& status, std::string_view addr,
                            const ConflictHints& hints, std::ostream& err);

// Prints "orderwatch: message" and where to find help for `topic`; returns kExitUsage.
int ReportUsageError(std::string_view message, std::string_view topic, std::ostream& err);

}  // namespace orderwatch::cli
