// health: asks grpc.health.v1 whether the server (or one of its services) takes calls.
#include "services/cli/commands.h"
#include "services/cli/exit_codes.h"
#include "services/cli/output.h"

namespace orderwatch::cli {

int RunHealthCommand(const Invocation& inv, Connection& connection, std::ostream& out,
                     std::ostream& err) {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(inv.Text("service"));
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status =
      connection.health().Check(connection.NewContext().get(), request, &response);
  if (!status.ok()) return ReportRpcError(status, inv.global.addr, "", err);
  const bool serving = response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  out << (inv.global.json
              ? ToJson(response)
              : grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()) +
                    "\n");
  return serving ? kExitOk : kExitUnavailable;
}

}  // namespace orderwatch::cli
