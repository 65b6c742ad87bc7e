// The "event" commands.
#include "services/cli/commands.h"
#include "services/cli/exit_codes.h"
#include "services/cli/output.h"
#include "services/cli/requests.h"
#include "services/cli/text.h"

namespace orderwatch::cli {
namespace {

int Record(const Invocation& inv, Connection& connection, std::ostream& out, std::ostream& err) {
  absl::StatusOr<v1::RecordEventRequest> request = BuildRecordRequest(inv, absl::Now());
  if (!request.ok()) {
    return ReportUsageError(std::string(request.status().message()), "event record", err);
  }
  v1::RecordEventResponse response;
  const grpc::Status status =
      connection.events().Record(connection.NewContext().get(), *request, &response);
  if (!status.ok()) return ReportRpcError(status, inv.global.addr, inv.args[0], err);
  out << (inv.global.json ? ToJson(response)
                          : FormatRecorded(*request, response, DisplayTimeZone()));
  return kExitOk;
}

int GetOrder(const Invocation& inv, Connection& connection, std::ostream& out, std::ostream& err) {
  v1::GetOrderRequest request;
  request.set_order_id(inv.args[0]);
  v1::Order response;
  const grpc::Status status =
      connection.events().GetOrder(connection.NewContext().get(), request, &response);
  if (!status.ok()) return ReportRpcError(status, inv.global.addr, inv.args[0], err);
  out << (inv.global.json ? ToJson(response) : FormatOrder(response, DisplayTimeZone()));
  return kExitOk;
}

}  // namespace

int RunEventCommand(const Invocation& inv, Connection& connection, std::ostream& out,
                    std::ostream& err) {
  const std::string_view name = inv.command->name;
  if (name == "record") return Record(inv, connection, out, err);
  if (name == "get") return GetOrder(inv, connection, out, err);
  return ReportUsageError(Cat("unknown command event ", name), "event", err);
}

}  // namespace orderwatch::cli
