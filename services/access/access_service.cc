#include "services/access/access_service.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "services/common/validate.h"

namespace orderwatch::access {
namespace {

absl::Status MayManage(const Authenticator& auth, const Principal& who, std::string_view what) {
  if (auth.development()) {
    return absl::FailedPreconditionError(
        "this server runs with --auth=dev: it takes identity from headers and uses no tokens");
  }
  return RequireRole(who, {Role::kSupervisor, Role::kOps}, what);
}

bool AgentOrStorefront(Role role) { return role == Role::kAgent || role == Role::kStorefront; }

}  // namespace

v1::TokenInfo AccessService::Info(const TokenEntry& e) {
  v1::TokenInfo info;
  info.set_token_id(std::string(e.id()));
  info.set_shop_id(e.principal.shop);
  info.set_agent_id(e.principal.agent);
  info.set_role(RoleToProto(e.principal.role));
  info.set_issued_unix_ms(e.issued_ms);
  info.set_issued_by(e.issued_by);
  info.set_note(e.note);
  return info;
}

void AccessService::IssueToken(const Principal& who, const v1::IssueTokenRequest& request,
                               absl::Time deadline, Done<v1::IssuedToken> done) {
  if (auto s = MayManage(auth_, who, "issue tokens"); !s.ok()) return done(s);
  const std::string shop = request.shop_id().empty() ? who.shop : request.shop_id();
  if (auto s = ValidateId("shop_id", shop); !s.ok()) return done(s);
  if (auto s = ValidateId("agent_id", request.agent_id()); !s.ok()) return done(s);
  auto role = RoleFromProto(request.role());
  if (!role.ok()) return done(role.status());
  // A note is printed as one row of `token list`: it must not forge rows or drive a terminal.
  if (auto s = ValidateLine("note", request.note(), 200); !s.ok()) return done(s);
  if (who.role == Role::kSupervisor) {
    if (shop != who.shop) {
      return done(absl::PermissionDeniedError(
          "shop_id: a supervisor issues tokens of their own shop only"));
    }
    if (!AgentOrStorefront(*role)) {
      return done(absl::PermissionDeniedError(
          absl::StrCat("role: a supervisor issues agent and storefront tokens only, not ",
                       std::string(RoleName(*role)))));
    }
  }
  std::string token = NewToken();
  TokenEntry entry;
  entry.hash = TokenHash(token);
  entry.principal = Principal{shop, request.agent_id(), *role};
  entry.issued_ms = absl::ToUnixMillis(absl::Now());
  entry.issued_by = absl::StrCat(who.shop, "/", who.agent);
  entry.note = request.note();
  store_.Issue(std::move(entry), deadline,
               [token = std::move(token),
                done = std::move(done)](absl::StatusOr<TokenEntry> issued) mutable {
                 if (!issued.ok()) return done(issued.status());
                 v1::IssuedToken out;
                 out.set_token(std::move(token));
                 *out.mutable_info() = Info(*issued);
                 done(std::move(out));
               });
}

void AccessService::ListTokens(const Principal& who, const v1::ListTokensRequest& request,
                               absl::Time, Done<v1::ListTokensResponse> done) {
  if (auto s = MayManage(auth_, who, "list tokens"); !s.ok()) return done(s);
  const std::string shop = request.shop_id().empty() ? who.shop : request.shop_id();
  if (shop != "*") {
    if (auto s = ValidateId("shop_id", shop); !s.ok()) return done(s);
  }
  if (who.role != Role::kOps && shop != who.shop) {
    return done(absl::PermissionDeniedError(
        "shop_id: a supervisor lists the tokens of their own shop only"));
  }
  std::vector<TokenEntry> entries = auth_.Entries();
  if (shop != "*") {
    std::erase_if(entries, [&](const TokenEntry& e) { return e.principal.shop != shop; });
  }
  std::sort(entries.begin(), entries.end(), [](const TokenEntry& a, const TokenEntry& b) {
    return std::tie(a.principal.shop, a.principal.agent, a.issued_ms) <
           std::tie(b.principal.shop, b.principal.agent, b.issued_ms);
  });
  v1::ListTokensResponse out;
  for (const auto& e : entries) *out.add_tokens() = Info(e);
  done(std::move(out));
}

void AccessService::RevokeToken(const Principal& who, const v1::RevokeTokenRequest& request,
                                absl::Time deadline, Done<v1::TokenInfo> done) {
  if (auto s = MayManage(auth_, who, "revoke tokens"); !s.ok()) return done(s);
  if (!IsTokenId(request.token_id())) {
    return done(InvalidField("token_id", "must be the 16 hex digits ListTokens shows"));
  }
  TokenStore::RevokeScope scope;
  if (who.role != Role::kOps) scope = {who.shop, true};
  // A file token out of scope falls through to the store: NOT_FOUND, as for no token at all.
  if (const TokenEntry* e = auth_.FileEntry(request.token_id());
      e != nullptr && (scope.shop.empty() || e->principal.shop == scope.shop)) {
    return done(absl::FailedPreconditionError(
        absl::StrCat("token_id: token ", request.token_id(),
                     " is in the token file; remove its line there and restart the servers")));
  }
  store_.Revoke(request.token_id(), std::move(scope), absl::StrCat(who.shop, "/", who.agent),
                deadline, [done = std::move(done)](absl::StatusOr<TokenEntry> revoked) mutable {
                  if (!revoked.ok()) return done(revoked.status());
                  done(Info(*revoked));
                });
}

}  // namespace orderwatch::access
