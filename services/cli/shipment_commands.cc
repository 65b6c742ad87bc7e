// The shipment commands: delayed (orders at risk or overdue) and shipping (the summary).
#include "services/cli/commands.h"
#include "services/cli/exit_codes.h"
#include "services/cli/output.h"
#include "services/cli/requests.h"
#include "services/cli/text.h"

namespace orderwatch::cli {

int RunShipmentCommand(const Invocation& inv, Connection& connection, std::ostream& out,
                       std::ostream& err) {
  auto print = [&](const grpc::Status& status, const google::protobuf::Message& response,
                   const std::string& text) -> int {
    if (!status.ok()) return ReportRpcErrorWithHints(status, inv.global.addr, {}, err);
    out << (inv.global.json ? ToJson(response) : text);
    return kExitOk;
  };
  if (inv.command->group == "delayed") {
    absl::StatusOr<v1::ListDelayedRequest> request = BuildListDelayedRequest(inv);
    if (!request.ok()) {
      return ReportUsageError(std::string(request.status().message()), "delayed", err);
    }
    v1::ListDelayedResponse response;
    const grpc::Status status =
        connection.shipments().ListDelayed(connection.NewContext().get(), *request, &response);
    return print(status, response,
                 status.ok() ? FormatDelayed(response, DisplayTimeZone()) : std::string());
  }
  v1::ShipmentSummary response;
  const grpc::Status status = connection.shipments().Summary(
      connection.NewContext().get(), v1::ShipmentSummaryRequest(), &response);
  return print(status, response, status.ok() ? FormatShipmentSummary(response) : std::string());
}

}  // namespace orderwatch::cli
