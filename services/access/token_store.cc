#include "services/access/token_store.h"

#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/redis/keys.h"

namespace orderwatch::access {
namespace lua {
extern const std::string_view kTokenIssue;
extern const std::string_view kTokenRevoke;
extern const std::string_view kTokenLoad;
}  // namespace lua

namespace {

constexpr char kSep = '\x1f';

std::vector<std::string> Keys() {
  return {redis::KeyScheme::Tokens(), redis::KeyScheme::TokenVersion(),
          redis::KeyScheme::TokenLog()};
}

}  // namespace

TokenStore::TokenStore(redis::Client& redis, Authenticator& auth)
    : redis_(redis),
      auth_(auth),
      issue_("token_issue", lua::kTokenIssue),
      revoke_("token_revoke", lua::kTokenRevoke),
      load_("token_load", lua::kTokenLoad) {}

std::string TokenStore::Encode(const TokenEntry& e) {
  return absl::StrJoin(
      {e.hash, e.principal.shop, e.principal.agent, std::string(RoleName(e.principal.role)),
       absl::StrCat(e.issued_ms), e.issued_by, e.note},
      std::string(1, kSep));
}

absl::StatusOr<TokenEntry> TokenStore::Decode(std::string_view value) {
  std::vector<std::string> f = absl::StrSplit(absl::string_view(value.data(), value.size()), kSep);
  TokenEntry e;
  auto role = f.size() == 7 ? ParseRole(f[3]) : absl::InvalidArgumentError("fields");
  if (!role.ok() || f[0].size() != 64 || !absl::SimpleAtoi(f[4], &e.issued_ms)) {
    return absl::DataLossError("token store: an entry is malformed");
  }
  e.hash = f[0];
  e.principal = Principal{f[1], f[2], *role};
  e.issued_by = f[5];
  e.note = f[6];
  return e;
}

absl::Status TokenStore::Load(absl::Time deadline) {
  std::vector<redis::Command> read;
  read.push_back(redis::Command::Eval(
      load_, {redis::KeyScheme::Tokens(), redis::KeyScheme::TokenVersion()}, {}));
  auto replies = redis_.RunAllAndWait(std::move(read), deadline);
  if (!replies[0].ok()) return replies[0].status();
  const auto& e = replies[0]->elements;
  if (e.size() != 2) return absl::InternalError("token_load: bad reply");
  std::vector<TokenEntry> entries;
  for (size_t i = 0; i + 1 < e[1].elements.size(); i += 2) {
    auto entry = Decode(e[1].elements[i + 1].str);
    if (!entry.ok()) return entry.status();
    entries.push_back(*std::move(entry));
  }
  auth_.ApplyStored(e[0].integer, std::move(entries));
  return absl::OkStatus();
}

absl::Status TokenStore::SyncOnce() {
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  std::vector<redis::Command> read;
  read.push_back(redis::Command::Of({"GET", redis::KeyScheme::TokenVersion()}));
  auto replies = redis_.RunAllAndWait(std::move(read), deadline);
  if (!replies[0].ok()) return replies[0].status();
  int64_t version = 0;
  if (!replies[0]->is_nil()) (void)absl::SimpleAtoi(replies[0]->str, &version);
  if (version == auth_.stored_version()) return absl::OkStatus();
  return Load(deadline);
}

void TokenStore::StartSync(absl::Duration interval) {
  sync_ = std::make_unique<Periodic>("token store sync", interval, [this] { return SyncOnce(); });
  sync_->Start();
}

void TokenStore::Issue(TokenEntry entry, absl::Time deadline, Done<TokenEntry> done) {
  std::string id(entry.id());
  std::string issuer = entry.issued_by;
  std::string now = absl::StrCat(entry.issued_ms);
  std::string value = Encode(entry);
  redis_.Run(redis::Command::Eval(issue_, Keys(), {id, std::move(value), issuer, now}), deadline,
             [this, entry = std::move(entry),
              done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               if (r->integer == 0) {
                 return done(absl::AbortedError("a token with the same id exists; issue again"));
               }
               auth_.PutStored(r->integer, entry);
               done(std::move(entry));
             });
}

void TokenStore::Revoke(std::string id, RevokeScope scope, std::string revoker, absl::Time deadline,
                        Done<TokenEntry> done) {
  redis_.Run(redis::Command::Eval(revoke_, Keys(),
                                  {id, scope.shop, scope.agents_only ? "1" : "0",
                                   std::move(revoker), redis::MsArg(absl::Now())}),
             deadline, [this, id, done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               const auto& e = r->elements;
               if (e.empty() || e[0].integer == 0) {
                 return done(absl::NotFoundError(absl::StrCat("token_id: no token ", id)));
               }
               auto entry =
                   e.size() == 2 ? Decode(e[1].str) : absl::InternalError("token_revoke: reply");
               if (!entry.ok()) return done(entry.status());
               if (e[0].integer < 0) {
                 return done(absl::PermissionDeniedError(
                     absl::StrCat("a supervisor may revoke agent and storefront tokens only, not ",
                                  std::string(RoleName(entry->principal.role)), " tokens")));
               }
               auth_.RemoveStored(e[0].integer, id);
               done(*std::move(entry));
             });
}

}  // namespace orderwatch::access
