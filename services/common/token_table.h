// The principals that may call orderwatch, by the SHA-256 of their bearer token. The token itself
// is never kept: an entry is found by hashing what the caller sent. Entries come from the token
// file (--tokens-file) and from the token store in Redis (services/access).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/principal.h"

namespace orderwatch {

struct TokenEntry {
  std::string hash;  // SHA-256 of the token, 64 lowercase hex digits
  Principal principal;
  int64_t issued_ms = 0;  // 0 for the file's
  std::string issued_by;  // "<shop>/<agent>", or "file"
  std::string note;

  // The first 16 hex digits of the hash: names the token in lists and revocations.
  std::string_view id() const { return std::string_view(hash).substr(0, 16); }
};

// Hex SHA-256 of a token.
std::string TokenHash(std::string_view token);
// A fresh token: "owt_" and 43 characters of base64url (256 random bits).
std::string NewToken();
// Whether `id` looks like a token id (16 lowercase hex digits).
bool IsTokenId(std::string_view id);

class TokenTable {
 public:
  // Parses a token file: one principal per line, "<token> <shop> <agent> <role>" or
  // "sha256:<hex of the token's SHA-256> <shop> <agent> <role>"; '#' starts a comment.
  // Errors name the line.
  static absl::StatusOr<TokenTable> Parse(std::string_view text);

  // Adds or replaces (by id) an entry.
  void Put(TokenEntry entry);
  bool Remove(std::string_view id);
  // The entry of the token the caller sent, or null.
  const TokenEntry* Find(std::string_view token) const;
  // The same by the token's hash (TokenHash).
  const TokenEntry* FindHash(std::string_view hash) const;
  const TokenEntry* FindId(std::string_view id) const;
  size_t size() const { return by_id_.size(); }
  std::vector<TokenEntry> Entries() const;

 private:
  std::map<std::string, TokenEntry, std::less<>> by_id_;
};

}  // namespace orderwatch
