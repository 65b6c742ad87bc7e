#include "services/common/auth.h"

#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
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

v1::PrincipalRole RoleToProto(Role role) {
  switch (role) {
    case Role::kStorefront:
      return v1::PRINCIPAL_ROLE_STOREFRONT;
    case Role::kAgent:
      return v1::PRINCIPAL_ROLE_AGENT;
    case Role::kSupervisor:
      return v1::PRINCIPAL_ROLE_SUPERVISOR;
    case Role::kOps:
      return v1::PRINCIPAL_ROLE_OPS;
  }
  return v1::PRINCIPAL_ROLE_UNSPECIFIED;
}

absl::StatusOr<Role> RoleFromProto(int role) {
  switch (role) {
    case v1::PRINCIPAL_ROLE_STOREFRONT:
      return Role::kStorefront;
    case v1::PRINCIPAL_ROLE_AGENT:
      return Role::kAgent;
    case v1::PRINCIPAL_ROLE_SUPERVISOR:
      return Role::kSupervisor;
    case v1::PRINCIPAL_ROLE_OPS:
      return Role::kOps;
    default:
      return InvalidField("role", absl::StrCat("is ", role,
                                               "; must be 1 (storefront), 2 (agent), "
                                               "3 (supervisor) or 4 (ops)"));
  }
}

absl::StatusOr<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kStorefront, Role::kAgent, Role::kSupervisor, Role::kOps}) {
    if (name == RoleName(r)) return r;
  }
  return absl::InvalidArgumentError(absl::StrCat("role: unknown role \"", Sv(name),
                                                 "\"; use storefront, agent, supervisor or ops"));
}

struct Authenticator::State {
  bool development = false;
  TokenTable file;  // fixed after start
  mutable absl::Mutex mu;
  TokenTable stored ABSL_GUARDED_BY(mu);
  int64_t version ABSL_GUARDED_BY(mu) = -1;  // of the last snapshot applied
  // Changes made here, by the store version they made, until a snapshot that has them arrives:
  // an entry issued, or nullopt for one revoked (so a slower snapshot never brings it back).
  std::map<std::string, std::pair<int64_t, std::optional<TokenEntry>>, std::less<>> local
      ABSL_GUARDED_BY(mu);
};

Authenticator::Authenticator(std::unique_ptr<State> state) : state_(std::move(state)) {}
Authenticator::Authenticator(Authenticator&&) noexcept = default;
Authenticator& Authenticator::operator=(Authenticator&&) noexcept = default;
Authenticator::~Authenticator() = default;

Authenticator Authenticator::Development() {
  auto state = std::make_unique<State>();
  state->development = true;
  return Authenticator(std::move(state));
}

absl::StatusOr<Authenticator> Authenticator::FromTokenTable(std::string_view text) {
  auto table = TokenTable::Parse(text);
  if (!table.ok()) return table.status();
  auto state = std::make_unique<State>();
  state->file = *std::move(table);
  return Authenticator(std::move(state));
}

absl::StatusOr<Authenticator> Authenticator::FromTokenFile(const std::string& path) {
  if (path.empty()) return FromTokenTable("");
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("token file ", path, " cannot be read"));
  std::stringstream buf;
  buf << in.rdbuf();
  return FromTokenTable(buf.str());
}

bool Authenticator::development() const { return state_->development; }

size_t Authenticator::token_count() const {
  absl::ReaderMutexLock lock(&state_->mu);
  return state_->file.size() + state_->stored.size();
}

absl::StatusOr<Principal> Authenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  if (state_->development) {
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
  const std::string hash = TokenHash(header.substr(kBearer.size()));
  if (const TokenEntry* e = state_->file.FindHash(hash); e != nullptr) return e->principal;
  absl::ReaderMutexLock lock(&state_->mu);
  if (const TokenEntry* e = state_->stored.FindHash(hash); e != nullptr) return e->principal;
  return absl::UnauthenticatedError("authorization: unknown or revoked token");
}

void Authenticator::ApplyStored(int64_t version, std::vector<TokenEntry> entries) {
  TokenTable table;
  for (auto& e : entries) table.Put(std::move(e));
  absl::MutexLock lock(&state_->mu);
  // Snapshots are read one after another, so a lower version means Redis went back (a failover
  // to a lagging replica, an older file, a flush): the snapshot is the truth, local changes too
  // (their versions no longer compare).
  if (version < state_->version) state_->local.clear();
  for (auto it = state_->local.begin(); it != state_->local.end();) {
    const auto& [made_at, entry] = it->second;
    if (made_at <= version) {  // the snapshot has it
      it = state_->local.erase(it);
      continue;
    }
    if (entry.has_value()) {
      table.Put(*entry);
    } else {
      table.Remove(it->first);
    }
    ++it;
  }
  state_->stored = std::move(table);
  state_->version = version;
}

void Authenticator::PutStored(int64_t version, TokenEntry entry) {
  absl::MutexLock lock(&state_->mu);
  // A snapshot of this version or later is applied already and says what holds (the token may
  // have been revoked since on another instance).
  if (version <= state_->version) return;
  state_->local[std::string(entry.id())] = {version, entry};
  state_->stored.Put(std::move(entry));
}

void Authenticator::RemoveStored(int64_t version, std::string_view id) {
  absl::MutexLock lock(&state_->mu);
  state_->stored.Remove(id);  // removing is always safe
  if (version > state_->version) state_->local[std::string(id)] = {version, std::nullopt};
}

int64_t Authenticator::stored_version() const {
  absl::ReaderMutexLock lock(&state_->mu);
  return state_->version;
}

std::vector<TokenEntry> Authenticator::Entries() const {
  std::vector<TokenEntry> out = state_->file.Entries();
  absl::ReaderMutexLock lock(&state_->mu);
  for (auto& e : state_->stored.Entries()) out.push_back(std::move(e));
  return out;
}

const TokenEntry* Authenticator::FileEntry(std::string_view id) const {
  return state_->file.FindId(id);
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
