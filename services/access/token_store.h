// The token store: principals issued and revoked at run time (with the CLI, through the Access
// service), kept in Redis under one hash tag (ow:{auth}:...) as the SHA-256 of each token, never
// the token. Every change is one script that also bumps the store's version and writes the audit
// log. Each instance applies its own changes to its Authenticator at once and reloads the store
// when the version moved, every sync interval, so a revocation holds everywhere within it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/async.h"
#include "services/common/auth.h"
#include "services/common/periodic.h"
#include "services/redis/client.h"

namespace orderwatch::access {

class TokenStore {
 public:
  TokenStore(redis::Client& redis, Authenticator& auth);

  // Loads the store into the authenticator, waiting (start-up and the sync thread only).
  absl::Status Load(absl::Time deadline);
  // Reloads every `interval` when the store's version moved.
  void StartSync(absl::Duration interval);

  // Stores `entry` (its hash, never a token); on success the authenticator has it.
  void Issue(TokenEntry entry, absl::Time deadline, Done<TokenEntry> done);

  // What a revoker may revoke: tokens of `shop` ("" = any), and when `agents_only`, only those
  // of agents and storefronts.
  struct RevokeScope {
    std::string shop;
    bool agents_only = false;
  };
  // Revokes the token `id`: NOT_FOUND when there is none in scope, PERMISSION_DENIED when its
  // role is out of scope. On success the authenticator no longer knows it.
  void Revoke(std::string id, RevokeScope scope, std::string revoker, absl::Time deadline,
              Done<TokenEntry> done);

  // The encoding of a stored principal: the fields joined by \x1f (token_revoke.lua reads it).
  static std::string Encode(const TokenEntry& entry);
  static absl::StatusOr<TokenEntry> Decode(std::string_view value);

 private:
  absl::Status SyncOnce();

  redis::Client& redis_;
  Authenticator& auth_;
  const redis::Script issue_, revoke_, load_;
  std::unique_ptr<Periodic> sync_;
};

}  // namespace orderwatch::access
