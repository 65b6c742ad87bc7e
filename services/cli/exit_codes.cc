#include "services/cli/exit_codes.h"

#include "services/cli/text.h"

namespace orderwatch::cli {

int ExitCodeFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return kExitOk;
    case grpc::StatusCode::NOT_FOUND:
      return kExitNotFound;
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::FAILED_PRECONDITION:
      return kExitConflict;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return kExitUnavailable;
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
      return kExitDenied;
    default:
      return kExitFailure;
  }
}

std::string_view StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

int ReportRpcError(const grpc::Status& status, std::string_view addr, std::string_view order_id,
                   std::ostream& err) {
  ConflictHints hints;
  hints.aborted =
      Cat("hint: the remark changed since it was read; re-read it with \"orderwatch remark get ",
          order_id.empty() ? "ORDER_ID" : order_id, "\" and retry with its current --version\n");
  return ReportRpcErrorWithHints(status, addr, hints, err);
}

int ReportRpcErrorWithHints(const grpc::Status& status, std::string_view addr,
                            const ConflictHints& hints, std::ostream& err) {
  const grpc::StatusCode code = status.error_code();
  err << "orderwatch: " << StatusCodeName(code) << ": " << status.error_message() << "\n";
  switch (code) {
    case grpc::StatusCode::ABORTED:
      err << hints.aborted;
      break;
    case grpc::StatusCode::FAILED_PRECONDITION:
      err << hints.failed_precondition;
      break;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      if (status.error_message().find("andshake") != std::string::npos) {
        err << "hint: the TLS handshake with " << addr << " failed: TLS on one side only "
            << "(--tls, --tls-ca-file), a server certificate the CA does not sign, or a server "
            << "asking for a client certificate (--client-cert-file, --client-key-file)\n";
        break;
      }
      err << "is orderwatch-server running at " << addr << "?\n";
      break;
    case grpc::StatusCode::UNAUTHENTICATED:
      err << "hint: pass --token (env ORDERWATCH_TOKEN), or in development mode --shop and "
             "--agent\n";
      break;
    default:
      break;
  }
  return ExitCodeFor(code);
}

int ReportUsageError(std::string_view message, std::string_view topic, std::ostream& err) {
  err << "orderwatch: " << message << "\n"
      << "Run \"orderwatch " << topic << (topic.empty() ? "" : " ") << "--help\" for usage.\n";
  return kExitUsage;
}

}  // namespace orderwatch::cli
