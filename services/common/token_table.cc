#include "services/common/token_table.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/validate.h"

namespace orderwatch {
namespace {

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool IsHex(std::string_view s, size_t size) {
  if (s.size() != size) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(c) && (c < 'a' || c > 'f')) return false;
  }
  return true;
}

}  // namespace

std::string TokenHash(std::string_view token) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(token.data(), token.size(), md, &size, EVP_sha256(), nullptr);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(md), static_cast<size_t>(size)));
}

std::string NewToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) std::abort();  // no entropy: nothing safe to do
  return absl::StrCat("owt_", absl::WebSafeBase64Escape(absl::string_view(
                                  reinterpret_cast<const char*>(bytes), sizeof(bytes))));
}

bool IsTokenId(std::string_view id) { return IsHex(id, 16); }

absl::StatusOr<TokenTable> TokenTable::Parse(std::string_view text) {
  TokenTable table;
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
    TokenEntry e;
    if (absl::StartsWith(f[0], "sha256:")) {
      e.hash = absl::AsciiStrToLower(f[0].substr(7));
      if (!IsHex(e.hash, 64)) return bad("sha256: wants the 64 hex digits of the token's SHA-256");
    } else {
      if (f[0].size() < 16) return bad("token is shorter than 16 characters");
      e.hash = TokenHash(f[0]);
    }
    if (auto s = ValidateId("shop", f[1]); !s.ok()) return bad(s.message());
    if (auto s = ValidateId("agent", f[2]); !s.ok()) return bad(s.message());
    auto role = ParseRole(f[3]);
    // Not the value: on a misordered line it may be the token.
    if (!role.ok()) return bad("role: must be storefront, agent, supervisor or ops");
    e.principal = Principal{f[1], f[2], *role};
    e.issued_by = "file";
    if (table.FindId(e.id()) != nullptr) return bad("token appears twice");
    table.Put(std::move(e));
  }
  return table;
}

void TokenTable::Put(TokenEntry entry) {
  std::string id(entry.id());
  by_id_[std::move(id)] = std::move(entry);
}

bool TokenTable::Remove(std::string_view id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return false;
  by_id_.erase(it);
  return true;
}

const TokenEntry* TokenTable::Find(std::string_view token) const {
  return FindHash(TokenHash(token));
}

const TokenEntry* TokenTable::FindHash(std::string_view hash) const {
  if (hash.size() != 64) return nullptr;
  const TokenEntry* e = FindId(hash.substr(0, 16));
  // The whole hash, compared in constant time.
  if (e == nullptr || CRYPTO_memcmp(e->hash.data(), hash.data(), hash.size()) != 0) return nullptr;
  return e;
}

const TokenEntry* TokenTable::FindId(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

std::vector<TokenEntry> TokenTable::Entries() const {
  std::vector<TokenEntry> out;
  out.reserve(by_id_.size());
  for (const auto& [id, e] : by_id_) out.push_back(e);
  return out;
}

}  // namespace orderwatch
