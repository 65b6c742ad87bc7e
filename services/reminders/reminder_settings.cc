#include "services/reminders/policy_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/reminders/reminder_policy.h"

namespace orderwatch::reminders {
namespace lua {
extern const std::string_view kPolicySet;
}

PolicyStore::PolicyStore(redis::Client& redis, const redis::KeyScheme& keys, absl::Duration fresh)
    : redis_(redis), keys_(keys), fresh_(fresh), set_("policy_set", lua::kPolicySet) {}

void PolicyStore::Remember(const std::string& shop, const v1::ReminderPolicy& policy) {
  absl::MutexLock lock(&mu_);
  Entry& e = cache_[shop];
  e.policy = policy;
  e.read = absl::Now();
  e.loading = false;
}

void PolicyStore::Load(const std::string& shop, absl::Time deadline,
                       Done<v1::ReminderPolicy> done) {
  redis_.Run(redis::Command::Of({"HMGET", keys_.ReminderPolicy(shop), "v", "p"}), deadline,
             [this, shop, done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok() || r->elements.size() != 2) {
                 absl::MutexLock lock(&mu_);
                 cache_[shop].loading = false;
                 if (!r.ok()) return done(r.status());
                 return done(absl::InternalError("policy: unexpected reply"));
               }
               v1::ReminderPolicy policy = DefaultPolicy();
               if (!r->elements[1].is_nil() && !policy.ParseFromString(r->elements[1].str)) {
                 return done(absl::DataLossError(
                     absl::StrCat("policy of shop ", shop, ": stored bytes do not parse")));
               }
               int64_t version = 0;
               if (!r->elements[0].is_nil()) absl::SimpleAtoi(r->elements[0].str, &version);
               policy.set_version(version);
               Remember(shop, policy);
               done(std::move(policy));
             });
}

void PolicyStore::Get(const std::string& shop, absl::Time deadline, Done<v1::ReminderPolicy> done) {
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(shop);
    if (it != cache_.end() && absl::Now() - it->second.read < fresh_) {
      v1::ReminderPolicy copy = it->second.policy;
      return done(std::move(copy));
    }
  }
  Load(shop, deadline, std::move(done));
}

std::optional<v1::ReminderPolicy> PolicyStore::Peek(const std::string& shop) {
  std::optional<v1::ReminderPolicy> cached;
  {
    absl::MutexLock lock(&mu_);
    Entry& e = cache_[shop];
    if (e.read != absl::Time()) cached = e.policy;
    if (e.loading || (e.read != absl::Time() && absl::Now() - e.read < fresh_)) return cached;
    e.loading = true;
  }
  Load(shop, absl::Now() + absl::Seconds(5), [](absl::StatusOr<v1::ReminderPolicy>) {});
  return cached;
}

void PolicyStore::Set(const std::string& shop, v1::ReminderPolicy policy,
                      std::optional<int64_t> expected_version, absl::Time deadline,
                      Done<v1::ReminderPolicy> done) {
  policy.clear_version();
  std::string bytes;
  policy.SerializeToString(&bytes);
  redis_.Run(redis::Command::Eval(set_, {keys_.ReminderPolicy(shop)},
                                  {expected_version ? absl::StrCat(*expected_version) : "", bytes}),
             deadline,
             [this, shop, policy = std::move(policy),
              done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               if (r->elements.size() != 2)
                 return done(absl::InternalError("policy_set: bad reply"));
               if (r->elements[0].str == "aborted") {
                 return done(absl::AbortedError(absl::StrCat(
                     "policy: changed meanwhile; current version is ", r->elements[1].integer)));
               }
               policy.set_version(r->elements[1].integer);
               Remember(shop, policy);
               done(std::move(policy));
             });
}

}  // namespace orderwatch::reminders
