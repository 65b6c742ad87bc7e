// Identity: who is calling, taken from call metadata by one layer for all services.
//
// Token mode (the default): metadata "authorization: Bearer <token>". The token's SHA-256 is
// looked up among the principals of the token file (--tokens-file, see TokenTable::Parse) and
// those of the token store in Redis (services/access: issued and revoked with the CLI, applied on
// every instance within a second). No token is kept, only hashes.
// Development mode: metadata "x-orderwatch-shop", "x-orderwatch-agent" and optionally
// "x-orderwatch-role" (default agent) are trusted as they are. Never use it where a network
// reaches the server.
#pragma once

#include <grpcpp/server_context.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/principal.h"
#include "services/common/token_table.h"

namespace orderwatch {

class Authenticator {
 public:
  static Authenticator Development();
  // Token mode with the principals of a token file's text (errors name the line).
  static absl::StatusOr<Authenticator> FromTokenTable(std::string_view text);
  // The same from a file; an empty path: no file principals (only the store's).
  static absl::StatusOr<Authenticator> FromTokenFile(const std::string& path);

  Authenticator(Authenticator&&) noexcept;
  Authenticator& operator=(Authenticator&&) noexcept;
  ~Authenticator();

  bool development() const;
  // Principals with a token: the file's and the store's.
  size_t token_count() const;

  // UNAUTHENTICATED when the metadata names no valid principal.
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& context) const;

  // The token store's principals as of store version `version` (a snapshot; snapshots are
  // applied one after another, and a lower version than the last means Redis went back: it is
  // taken as the truth). Changes made here (Put/RemoveStored, with the version they made) hold
  // until a snapshot of that version or later arrives, so a snapshot read before them never
  // undoes them; a change older than the applied snapshot adds nothing.
  void ApplyStored(int64_t version, std::vector<TokenEntry> entries);
  void PutStored(int64_t version, TokenEntry entry);
  void RemoveStored(int64_t version, std::string_view id);
  // The version of the last snapshot applied (-1: none).
  int64_t stored_version() const;

  // Every principal, the file's first.
  std::vector<TokenEntry> Entries() const;
  // The token file's entry of this id, or null (the file's entries never change).
  const TokenEntry* FileEntry(std::string_view id) const;

 private:
  struct State;
  explicit Authenticator(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace orderwatch
