// Who is calling: a shop, an agent id and a role, from the call's token (see auth.h).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "orderwatch/v1/access.pb.h"

namespace orderwatch {

enum class Role { kStorefront, kAgent, kSupervisor, kOps };

std::string_view RoleName(Role role);
absl::StatusOr<Role> ParseRole(std::string_view name);

// The wire's PrincipalRole (orderwatch.v1.Access); RoleFromProto fails INVALID_ARGUMENT naming
// the field "role" for 0 and unknown numbers.
v1::PrincipalRole RoleToProto(Role role);
absl::StatusOr<Role> RoleFromProto(int role);

struct Principal {
  std::string shop;
  std::string agent;
  Role role = Role::kAgent;
};

// PERMISSION_DENIED unless the principal's role is one of `allowed`.
absl::Status RequireRole(const Principal& principal, std::initializer_list<Role> allowed,
                         std::string_view action);

}  // namespace orderwatch
