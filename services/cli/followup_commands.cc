// The follow-up commands (followup create/list/claim/get/note/done/reassign/summary) and cashback.
#include "services/cli/commands.h"
#include "services/cli/exit_codes.h"
#include "services/cli/followup_output.h"
#include "services/cli/followup_requests.h"
#include "services/cli/output.h"

namespace orderwatch::cli {

int RunFollowUpCommand(const Invocation& inv, Connection& connection, std::ostream& out,
                       std::ostream& err) {
  const absl::TimeZone tz = DisplayTimeZone();
  const std::string topic = CommandName(*inv.command);
  auto print = [&](const grpc::Status& status, const google::protobuf::Message& response,
                   const std::function<std::string()>& text) -> int {
    if (!status.ok()) return ReportRpcErrorWithHints(status, inv.global.addr, {}, err);
    out << (inv.global.json ? ToJson(response) : text());
    return kExitOk;
  };
  // Builds the request (a usage error when it cannot), calls, prints one follow-up.
  auto one = [&](auto request, auto call) -> int {
    if (!request.ok()) return ReportUsageError(std::string(request.status().message()), topic, err);
    v1::FollowUp response;
    const grpc::Status status = call(*request, &response);
    return print(status, response, [&] { return FormatFollowUp(response, tz); });
  };
  auto& stub = connection.followups();
  const std::string_view name = inv.command->name;
  const absl::Time now = absl::Now();
  if (inv.command->group == "cashback") {
    return one(BuildCashbackRequest(inv, now), [&](const auto& r, v1::FollowUp* f) {
      return stub.RegisterCashback(connection.NewContext().get(), r, f);
    });
  }
  if (name == "create") {
    return one(BuildCreateFollowUpRequest(inv, now), [&](const auto& r, v1::FollowUp* f) {
      return stub.Create(connection.NewContext().get(), r, f);
    });
  }
  if (name == "get") {
    v1::GetFollowUpRequest request;
    request.set_id(inv.args.at(0));
    return one(absl::StatusOr<v1::GetFollowUpRequest>(request),
               [&](const auto& r, v1::FollowUp* f) {
                 return stub.Get(connection.NewContext().get(), r, f);
               });
  }
  if (name == "note") {
    return one(BuildNoteFollowUpRequest(inv), [&](const auto& r, v1::FollowUp* f) {
      return stub.Note(connection.NewContext().get(), r, f);
    });
  }
  if (name == "done") {
    return one(BuildCompleteFollowUpRequest(inv), [&](const auto& r, v1::FollowUp* f) {
      return stub.Complete(connection.NewContext().get(), r, f);
    });
  }
  if (name == "reassign") {
    return one(BuildReassignFollowUpRequest(inv), [&](const auto& r, v1::FollowUp* f) {
      return stub.Reassign(connection.NewContext().get(), r, f);
    });
  }
  if (name == "claim") {
    auto request = BuildClaimNextRequest(inv);
    if (!request.ok()) return ReportUsageError(std::string(request.status().message()), topic, err);
    v1::ClaimNextResponse response;
    const grpc::Status status = stub.ClaimNext(connection.NewContext().get(), *request, &response);
    return print(status, response, [&] {
      return response.has_follow_up() ? FormatFollowUp(response.follow_up(), tz)
                                      : std::string("queue empty: nothing to claim\n");
    });
  }
  if (name == "list") {
    auto request = BuildListFollowUpsRequest(inv);
    if (!request.ok()) return ReportUsageError(std::string(request.status().message()), topic, err);
    v1::ListFollowUpsResponse response;
    const grpc::Status status = stub.List(connection.NewContext().get(), *request, &response);
    return print(status, response, [&] { return FormatFollowUps(response, tz); });
  }
  v1::FollowUpSummary response;
  const grpc::Status status =
      stub.Summary(connection.NewContext().get(), v1::FollowUpSummaryRequest(), &response);
  return print(status, response, [&] { return FormatFollowUpSummary(response); });
}

}  // namespace orderwatch::cli
