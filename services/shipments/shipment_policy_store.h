// A shop's shipment policy in Redis (ow:{s<shop>}:shipping: v = version, p = protobuf), cached:
// every sweep job reads its shop's policy, and a change made through another instance shows
// within `fresh`.
#pragma once

#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "orderwatch/v1/shipments.pb.h"
#include "services/common/async.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/redis/policy_write.h"

namespace orderwatch::shipments {

class ShipmentPolicyStore {
 public:
  ShipmentPolicyStore(redis::Client& redis, const redis::KeyScheme& keys, absl::Duration fresh);

  // The shop's policy (the defaults when it never set one), from the cache while fresh.
  void Get(const std::string& shop, absl::Time deadline, Done<v1::ShipmentPolicy> done);
  // Validated by the caller. ABORTED with the current version when expected_version is stale.
  void Set(const std::string& shop, v1::ShipmentPolicy policy,
           std::optional<int64_t> expected_version, absl::Time deadline,
           Done<v1::ShipmentPolicy> done);

 private:
  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  const absl::Duration fresh_;
  redis::PolicyWrite set_;
  absl::Mutex mu_;
  struct Entry {
    v1::ShipmentPolicy policy;
    absl::Time read;
  };
  absl::flat_hash_map<std::string, Entry> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace orderwatch::shipments
