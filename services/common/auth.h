// Identity: who is calling, taken from call metadata by one layer for all services.
//
// Token mode (the default): metadata "authorization: Bearer <token>", looked up in a table loaded
// from a file with one principal per line: "<token> <shop> <agent> <role>" ('#' starts a comment).
// Development mode: metadata "x-orderwatch-shop", "x-orderwatch-agent" and optionally
// "x-orderwatch-role" (default agent) are trusted as they are. Never use it where a network
// reaches the server.
#pragma once

#include <grpcpp/server_context.h>

#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace orderwatch {

enum class Role { kStorefront, kAgent, kSupervisor, kOps };

std::string_view RoleName(Role role);
absl::StatusOr<Role> ParseRole(std::string_view name);

struct Principal {
  std::string shop;
  std::string agent;
  Role role = Role::kAgent;
};

class Authenticator {
 public:
  static Authenticator Development();
  // Parses a token table; errors name the line.
  static absl::StatusOr<Authenticator> FromTokenTable(std::string_view text);
  static absl::StatusOr<Authenticator> FromTokenFile(const std::string& path);

  bool development() const { return development_; }
  size_t token_count() const { return tokens_.size(); }

  // UNAUTHENTICATED when the metadata names no valid principal.
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& context) const;

 private:
  bool development_ = false;
  std::map<std::string, Principal, std::less<>> tokens_;
};

// PERMISSION_DENIED unless the principal's role is one of `allowed`.
absl::Status RequireRole(const Principal& principal, std::initializer_list<Role> allowed,
                         std::string_view action);

}  // namespace orderwatch
