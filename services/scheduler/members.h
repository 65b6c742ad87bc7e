// The live scheduler instances on one Redis: each renews its liveness with its leases, and
// reads the others' in the same call, so every instance knows which partitions are its share
// (partition_share.h). An instance that dies drops out once its liveness runs out, one lease
// time to live after its last renewal; one that stops leaves at once.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/redis/client.h"
#include "services/redis/script.h"

namespace orderwatch::scheduler {

class SchedulerMembers {
 public:
  SchedulerMembers(std::string id, absl::Duration ttl);

  redis::Command HeartbeatCommand() const;
  // The live ids, this instance's among them.
  static absl::StatusOr<std::vector<std::string>> ParseHeartbeat(
      const absl::StatusOr<redis::Reply>& r);
  redis::Command LeaveCommand() const;

 private:
  std::string id_;
  absl::Duration ttl_;
  redis::Script heartbeat_, leave_;
};

}  // namespace orderwatch::scheduler
