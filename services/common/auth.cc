#include "services/common/auth.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/validate.h"

namespace orderwatch {
namespace {

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

std::string_view Metadata(const grpc::ServerContextBase& context, std::string_view key) {
  const auto& md = context.client_metadata();
  auto it = md.find(grpc::string_ref(key.data(), key.size()));
  if (it == md.end()) return {};
  return std::string_view(it->second.data(), it->second.size());
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kStorefront:
      return "storefront";
    case Role::kAgent:
      return "agent";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kOps:
      return "ops";
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kStorefront, Role::kAgent, Role::kSupervisor, Role::kOps}) {
    if (name == RoleName(r)) return r;
  }
  return absl::InvalidArgumentError(absl::StrCat("role: unknown role \"", Sv(name),
                                                 "\"; use storefront, agent, supervisor or ops"));
}

Authenticator Authenticator::Development() {
  Authenticator a;
  a.development_ = true;
  return a;
}

absl::StatusOr<Authenticator> Authenticator::FromTokenTable(std::string_view text) {
  Authenticator a;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(Sv(text), '\n')) {
    ++line_no;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f = absl::StrSplit(line, ' ', absl::SkipWhitespace());
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat("token table line ", line_no, ": ", why));
    };
    if (f.size() != 4) return bad("want \"<token> <shop> <agent> <role>\"");
    if (f[0].size() < 16) return bad("token is shorter than 16 characters");
    if (auto s = ValidateId("shop", f[1]); !s.ok()) return bad(s.message());
    if (auto s = ValidateId("agent", f[2]); !s.ok()) return bad(s.message());
    auto role = ParseRole(f[3]);
    if (!role.ok()) return bad(role.status().message());
    if (!a.tokens_.emplace(f[0], Principal{f[1], f[2], *role}).second) {
      return bad("token appears twice");
    }
  }
  return a;
}

absl::StatusOr<Authenticator> Authenticator::FromTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("token file ", path, " cannot be read"));
  std::stringstream buf;
  buf << in.rdbuf();
  return FromTokenTable(buf.str());
}

absl::StatusOr<Principal> Authenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  if (development_) {
    Principal p;
    p.shop = std::string(Metadata(context, "x-orderwatch-shop"));
    p.agent = std::string(Metadata(context, "x-orderwatch-agent"));
    if (auto s = ValidateId("x-orderwatch-shop", p.shop); !s.ok()) {
      return absl::UnauthenticatedError(s.message());
    }
    if (auto s = ValidateId("x-orderwatch-agent", p.agent); !s.ok()) {
      return absl::UnauthenticatedError(s.message());
    }
    std::string_view role = Metadata(context, "x-orderwatch-role");
    if (!role.empty()) {
      auto r = ParseRole(role);
      if (!r.ok()) return absl::UnauthenticatedError(r.status().message());
      p.role = *r;
    }
    return p;
  }
  std::string_view header = Metadata(context, "authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.substr(0, kBearer.size()) != kBearer) {
    return absl::UnauthenticatedError("authorization: send \"Bearer <token>\"");
  }
  auto it = tokens_.find(header.substr(kBearer.size()));
  if (it == tokens_.end()) return absl::UnauthenticatedError("authorization: unknown token");
  return it->second;
}

absl::Status RequireRole(const Principal& principal, std::initializer_list<Role> allowed,
                         std::string_view action) {
  for (Role r : allowed) {
    if (principal.role == r) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("role ", Sv(RoleName(principal.role)), " may not ", Sv(action)));
}

}  // namespace orderwatch
