#include "services/shipments/shipment_policy_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/shipments/shipment_policy.h"

namespace orderwatch::shipments {
ShipmentPolicyStore::ShipmentPolicyStore(redis::Client& redis, const redis::KeyScheme& keys,
                                         absl::Duration fresh)
    : redis_(redis), keys_(keys), fresh_(fresh) {}

void ShipmentPolicyStore::Get(const std::string& shop, absl::Time deadline,
                              Done<v1::ShipmentPolicy> done) {
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(shop);
    if (it != cache_.end() && absl::Now() - it->second.read < fresh_) {
      return done(it->second.policy);
    }
  }
  redis_.Run(redis::Command::Of({"HMGET", keys_.ShipmentPolicy(shop), "v", "p"}), deadline,
             [this, shop, done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               if (r->elements.size() != 2) {
                 return done(absl::InternalError("shipment policy: bad reply"));
               }
               v1::ShipmentPolicy p = DefaultShipmentPolicy();
               if (r->elements[1].type == redis::Reply::Type::kString) {
                 if (!p.ParseFromString(r->elements[1].str)) {
                   return done(absl::DataLossError(
                       absl::StrCat("shipment policy of shop ", shop, " does not parse")));
                 }
                 int64_t version = 0;
                 (void)absl::SimpleAtoi(r->elements[0].str, &version);
                 p.set_version(version);
               }
               {
                 absl::MutexLock lock(&mu_);
                 cache_[shop] = Entry{p, absl::Now()};
               }
               done(std::move(p));
             });
}

void ShipmentPolicyStore::Set(const std::string& shop, v1::ShipmentPolicy policy,
                              std::optional<int64_t> expected_version, absl::Time deadline,
                              Done<v1::ShipmentPolicy> done) {
  policy.clear_version();
  policy.DiscardUnknownFields();  // what a newer client sent is not kept for it
  std::string bytes;
  policy.SerializeToString(&bytes);
  set_.Run(redis_, keys_.ShipmentPolicy(shop), std::move(bytes), expected_version, deadline,
           [this, shop, policy = std::move(policy),
            done = std::move(done)](absl::StatusOr<int64_t> version) mutable {
             if (!version.ok()) return done(version.status());
             policy.set_version(*version);
             {
               absl::MutexLock lock(&mu_);
               cache_[shop] = Entry{policy, absl::Now()};
             }
             done(std::move(policy));
           });
}

}  // namespace orderwatch::shipments
