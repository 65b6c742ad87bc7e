// Partition leases: each partition's due-queues are worked by one instance at a time. A lease
// has a time to live and is renewed by its holder; when an instance dies, its leases run out and
// another instance takes the partitions over. Every lease carries a fencing token that only grows;
// each effect a worker writes checks, in the same script, that the lease is still the one it
// claimed under, so a stalled worker that lost its lease changes nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "services/common/async.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/redis/script.h"

namespace orderwatch::scheduler {

struct Lease {
  int partition = 0;
  std::string holder;
  int64_t token = 0;
  // As stored in the lease key, and passed to every fenced script.
  std::string value() const;
};

class PartitionLeases {
 public:
  PartitionLeases(redis::Client& redis, const redis::KeyScheme& keys, std::string holder,
                  absl::Duration ttl);

  const std::string& holder() const { return holder_; }
  absl::Duration ttl() const { return ttl_; }

  // Takes the partition's lease, or renews it when this holder has it already; nullopt when
  // another holder has it.
  redis::Command AcquireCommand(int partition) const;
  absl::StatusOr<std::optional<Lease>> ParseAcquire(int partition,
                                                    const absl::StatusOr<redis::Reply>& r) const;
  void Acquire(int partition, absl::Time deadline, Done<std::optional<Lease>> done);
  redis::Command ReleaseCommand(const Lease& lease) const;

 private:
  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  std::string holder_;
  absl::Duration ttl_;
  redis::Script acquire_, release_;
};

// "host-pid-random": unique per process start, so a restarted instance never mistakes its
// predecessor's leases for its own.
std::string NewHolderId();

}  // namespace orderwatch::scheduler
