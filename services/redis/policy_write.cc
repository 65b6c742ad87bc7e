#include "services/redis/policy_write.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace orderwatch::redis {
namespace lua {
extern const std::string_view kPolicySet;
}  // namespace lua

PolicyWrite::PolicyWrite() : script_("policy_set", lua::kPolicySet) {}

void PolicyWrite::Run(Client& redis, const std::string& key, std::string bytes,
                      std::optional<int64_t> expected, absl::Time deadline,
                      absl::AnyInvocable<void(absl::StatusOr<int64_t>)> done) const {
  redis.Run(
      Command::Eval(script_, {key}, {expected ? absl::StrCat(*expected) : "", std::move(bytes)}),
      deadline, [done = std::move(done)](absl::StatusOr<Reply> r) mutable {
        if (!r.ok()) return done(r.status());
        if (r->elements.size() != 2) return done(absl::InternalError("policy_set: bad reply"));
        if (r->elements[0].str == "aborted") {
          return done(absl::AbortedError(absl::StrCat(
              "policy: changed meanwhile; current version is ", r->elements[1].integer)));
        }
        done(r->elements[1].integer);
      });
}

}  // namespace orderwatch::redis
