// The "remark" commands.
#include "services/cli/commands.h"
#include "services/cli/exit_codes.h"
#include "services/cli/output.h"
#include "services/cli/requests.h"
#include "services/cli/text.h"

namespace orderwatch::cli {
namespace {

class RemarkCommand {
 public:
  RemarkCommand(const Invocation& inv, Connection& connection, std::ostream& out, std::ostream& err)
      : inv_(inv), connection_(connection), out_(out), err_(err), tz_(DisplayTimeZone()) {}

  int Run() {
    const std::string_view name = inv_.command->name;
    if (name == "get") return inv_.args.size() == 1 ? Get() : BatchGet();
    if (name == "set") return Mutate(BuildSetRequest(inv_), &v1::Remarks::Stub::Set);
    if (name == "append") return Mutate(BuildAppendRequest(inv_), &v1::Remarks::Stub::Append);
    if (name == "clear") return Mutate(BuildClearRequest(inv_), &v1::Remarks::Stub::Clear);
    if (name == "history") return History();
    if (name == "list") return List();
    if (name == "counts") return Counts();
    if (name == "legend") return Legend();
    if (name == "legend-set") return SetLegend();
    return ReportUsageError(Cat("unknown command remark ", name), "remark", err_);
  }

 private:
  int UsageError(const absl::Status& status) {
    return ReportUsageError(std::string(status.message()), Cat("remark ", inv_.command->name),
                            err_);
  }

  int RpcError(const grpc::Status& status) {
    return ReportRpcError(status, inv_.global.addr, inv_.args.empty() ? "" : inv_.args[0], err_);
  }

  // Prints the response as JSON or with `format`.
  template <typename Response, typename Format>
  int Print(const grpc::Status& status, const Response& response, Format format) {
    if (!status.ok()) return RpcError(status);
    out_ << (inv_.global.json ? ToJson(response) : format(response));
    return kExitOk;
  }

  int Get() {
    absl::StatusOr<v1::GetRemarkRequest> request = BuildGetRequest(inv_);
    if (!request.ok()) return UsageError(request.status());
    v1::Remark response;
    const grpc::Status status =
        connection_.remarks().Get(connection_.NewContext().get(), *request, &response);
    return Print(status, response, [&](const v1::Remark& r) { return FormatRemark(r, tz_); });
  }

  int BatchGet() {
    absl::StatusOr<v1::BatchGetRemarksRequest> request = BuildBatchGetRequest(inv_);
    if (!request.ok()) return UsageError(request.status());
    v1::BatchGetRemarksResponse response;
    const grpc::Status status =
        connection_.remarks().BatchGet(connection_.NewContext().get(), *request, &response);
    return Print(status, response,
                 [&](const v1::BatchGetRemarksResponse& r) { return FormatRemarks(r, tz_); });
  }

  // set, append and clear: they all return the remark after the change.
  template <typename Request>
  int Mutate(const absl::StatusOr<Request>& request,
             grpc::Status (v1::Remarks::Stub::*method)(grpc::ClientContext*, const Request&,
                                                       v1::Remark*)) {
    if (!request.ok()) return UsageError(request.status());
    v1::Remark response;
    const grpc::Status status =
        (connection_.remarks().*method)(connection_.NewContext().get(), *request, &response);
    return Print(status, response, [&](const v1::Remark& r) { return FormatRemark(r, tz_); });
  }

  int History() {
    absl::StatusOr<v1::RemarkHistoryRequest> request = BuildHistoryRequest(inv_);
    if (!request.ok()) return UsageError(request.status());
    v1::RemarkHistoryResponse all;
    while (true) {
      v1::RemarkHistoryResponse page;
      const grpc::Status status =
          connection_.remarks().History(connection_.NewContext().get(), *request, &page);
      if (!status.ok()) return RpcError(status);
      for (v1::RemarkChange& change : *page.mutable_changes()) {
        *all.add_changes() = std::move(change);
      }
      all.set_next_page_token(page.next_page_token());
      if (!inv_.Has("all") || page.next_page_token().empty()) break;
      if (page.next_page_token() == request->page_token()) {
        return RpcError(grpc::Status(grpc::StatusCode::INTERNAL,
                                     "the server returned the same page token twice"));
      }
      request->set_page_token(page.next_page_token());
    }
    return Print(grpc::Status::OK, all,
                 [&](const v1::RemarkHistoryResponse& r) { return FormatHistory(r, tz_); });
  }

  int List() {
    absl::StatusOr<v1::ListByFlagRequest> request = BuildListRequest(inv_);
    if (!request.ok()) return UsageError(request.status());
    v1::ListByFlagResponse response;
    const grpc::Status status =
        connection_.remarks().ListByFlag(connection_.NewContext().get(), *request, &response);
    return Print(status, response, [&](const v1::ListByFlagResponse& r) {
      return FormatList(r, request->flag(), tz_);
    });
  }

  int Counts() {
    v1::CountByFlagResponse response;
    const grpc::Status status = connection_.remarks().CountByFlag(
        connection_.NewContext().get(), v1::CountByFlagRequest(), &response);
    return Print(status, response,
                 [](const v1::CountByFlagResponse& r) { return FormatCounts(r); });
  }

  int Legend() {
    v1::Legend response;
    const grpc::Status status = connection_.remarks().GetLegend(connection_.NewContext().get(),
                                                                v1::GetLegendRequest(), &response);
    return Print(status, response, [](const v1::Legend& r) { return FormatLegend(r); });
  }

  int SetLegend() {
    absl::StatusOr<v1::SetLegendRequest> request = BuildSetLegendRequest(inv_);
    if (!request.ok()) return UsageError(request.status());
    v1::Legend response;
    const grpc::Status status =
        connection_.remarks().SetLegend(connection_.NewContext().get(), *request, &response);
    return Print(status, response, [](const v1::Legend& r) { return FormatLegend(r); });
  }

  const Invocation& inv_;
  Connection& connection_;
  std::ostream& out_;
  std::ostream& err_;
  absl::TimeZone tz_;
};

}  // namespace

int RunRemarkCommand(const Invocation& inv, Connection& connection, std::ostream& out,
                     std::ostream& err) {
  return RemarkCommand(inv, connection, out, err).Run();
}

}  // namespace orderwatch::cli
