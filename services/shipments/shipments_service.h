// The Shipments API without gRPC: the shop's shipment policy, its delayed orders a page at a time
// (merged over the partitions, earliest deadline first) and the summary of its stages.
#pragma once

#include "orderwatch/v1/shipments.pb.h"
#include "services/common/async.h"
#include "services/common/auth.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/redis/script.h"
#include "services/shipments/shipment_policy_store.h"

namespace orderwatch::shipments {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

class ShipmentsService {
 public:
  ShipmentsService(redis::Client& redis, const redis::KeyScheme& keys,
                   ShipmentPolicyStore& policies);

  void GetPolicy(const Principal& who, const v1::GetShipmentPolicyRequest& request,
                 absl::Time deadline, Done<v1::ShipmentPolicy> done);
  void SetPolicy(const Principal& who, const v1::SetShipmentPolicyRequest& request,
                 absl::Time deadline, Done<v1::ShipmentPolicy> done);
  void ListDelayed(const Principal& who, const v1::ListDelayedRequest& request,
                   absl::Time deadline, Done<v1::ListDelayedResponse> done);
  void Summary(const Principal& who, const v1::ShipmentSummaryRequest& request,
               absl::Time deadline, Done<v1::ShipmentSummary> done);

 private:
  // Fills in the listed orders' stage time, compensation and urging from their hashes.
  void Describe(const std::string& shop, v1::ListDelayedResponse response, absl::Time deadline,
                Done<v1::ListDelayedResponse> done);

  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  ShipmentPolicyStore& policies_;
  redis::Script page_;
};

}  // namespace orderwatch::shipments
