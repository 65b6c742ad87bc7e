// The token commands: new (offline: a token and its token-file line), issue, list, revoke.
#include "absl/strings/str_format.h"
#include "services/cli/commands.h"
#include "services/cli/exit_codes.h"
#include "services/cli/output.h"
#include "services/cli/text.h"
#include "services/common/token_table.h"

namespace orderwatch::cli {
namespace {

// "agent", ... for a role on the wire; "?" for one this CLI does not know.
std::string RoleWord(int role) {
  auto r = RoleFromProto(role);
  return r.ok() ? std::string(RoleName(*r)) : "?";
}

std::string FormatTokens(const v1::ListTokensResponse& r, absl::TimeZone tz) {
  if (r.tokens().empty()) return "no tokens\n";
  std::string out = absl::StrFormat("%-16s  %-12s  %-12s  %-10s  %-26s  %-16s  %s\n", "ID", "SHOP",
                                    "AGENT", "ROLE", "ISSUED", "BY", "NOTE");
  for (const auto& t : r.tokens()) {
    absl::StrAppendFormat(
        &out, "%-16s  %-12s  %-12s  %-10s  %-26s  %-16s  %s\n", t.token_id(), t.shop_id(),
        t.agent_id(), RoleWord(t.role()),
        t.issued_unix_ms() == 0 ? "(token file)" : FormatTime(t.issued_unix_ms(), tz),
        t.issued_by(), t.note());
  }
  return out;
}

}  // namespace

int RunTokenCommand(const Invocation& inv, Connection& connection, std::ostream& out,
                    std::ostream& err) {
  const std::string_view name = inv.command->name;
  const std::string topic = CommandName(*inv.command);
  if (name == "new") {
    if (!ParseRole(inv.args[2]).ok()) {
      return ReportUsageError("ROLE: use storefront, agent, supervisor or ops", topic, err);
    }
    const std::string token = NewToken();
    out << "token: " << token << "\n"
        << "token file line (only the hash is kept):\n"
        << "sha256:" << TokenHash(token) << " " << inv.args[0] << " " << inv.args[1] << " "
        << inv.args[2] << "\n";
    return kExitOk;
  }
  auto print = [&](const grpc::Status& status, const google::protobuf::Message& response,
                   const std::string& text) -> int {
    if (!status.ok()) return ReportRpcError(status, inv.global.addr, "", err);
    out << (inv.global.json ? ToJson(response) : text);
    return kExitOk;
  };
  if (name == "issue") {
    v1::IssueTokenRequest request;
    request.set_shop_id(inv.args[0]);
    request.set_agent_id(inv.args[1]);
    auto role = ParseRole(inv.args[2]);
    if (!role.ok()) {
      return ReportUsageError("ROLE: use storefront, agent, supervisor or ops", topic, err);
    }
    request.set_role(RoleToProto(*role));
    request.set_note(inv.Text("note"));
    v1::IssuedToken response;
    const grpc::Status status =
        connection.access().IssueToken(connection.NewContext().get(), request, &response);
    const auto& i = response.info();
    return print(status, response,
                 Cat("token ", i.token_id(), " issued for ", i.shop_id(), "/", i.agent_id(), " (",
                     RoleWord(i.role()), ")\ntoken: ", response.token(),
                     "\nit is shown only now: hand it over (orderwatch --token TOKEN ...), and "
                     "revoke it with: orderwatch token revoke ",
                     i.token_id(), "\n"));
  }
  if (name == "list") {
    v1::ListTokensRequest request;
    if (!inv.args.empty()) request.set_shop_id(inv.args[0]);
    v1::ListTokensResponse response;
    const grpc::Status status =
        connection.access().ListTokens(connection.NewContext().get(), request, &response);
    return print(status, response,
                 status.ok() ? FormatTokens(response, DisplayTimeZone()) : std::string());
  }
  v1::RevokeTokenRequest request;
  request.set_token_id(inv.args[0]);
  v1::TokenInfo response;
  const grpc::Status status =
      connection.access().RevokeToken(connection.NewContext().get(), request, &response);
  return print(status, response,
               Cat("token ", response.token_id(), " of ", response.shop_id(), "/",
                   response.agent_id(), " (", RoleWord(response.role()), ") revoked\n"));
}

}  // namespace orderwatch::cli
