// Shops' reminder policies in Redis, with a small cache: order ingestion asks for a shop's policy
// on every created order and must not wait for Redis, so it reads the cache (and starts a load
// when the shop's entry is missing or old); workers and the Reminders API read through it.
#pragma once

#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "orderwatch/v1/reminders.pb.h"
#include "services/common/async.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/redis/script.h"

namespace orderwatch::reminders {

class PolicyStore {
 public:
  // A cached policy is used for up to `fresh` after it was read.
  PolicyStore(redis::Client& redis, const redis::KeyScheme& keys, absl::Duration fresh);

  // The shop's policy (the defaults when it never set one), from the cache while fresh.
  void Get(const std::string& shop, absl::Time deadline, Done<v1::ReminderPolicy> done);
  // The cached policy without waiting, even if old; a missing or old entry starts a load.
  std::optional<v1::ReminderPolicy> Peek(const std::string& shop);
  // Validated by the caller. ABORTED with the current version when expected_version is stale.
  void Set(const std::string& shop, v1::ReminderPolicy policy,
           std::optional<int64_t> expected_version, absl::Time deadline,
           Done<v1::ReminderPolicy> done);

 private:
  struct Entry {
    v1::ReminderPolicy policy;
    absl::Time read;
    bool loading = false;
  };
  void Load(const std::string& shop, absl::Time deadline, Done<v1::ReminderPolicy> done);
  void Remember(const std::string& shop, const v1::ReminderPolicy& policy);

  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  absl::Duration fresh_;
  redis::Script set_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace orderwatch::reminders
