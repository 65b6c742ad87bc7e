// A shop's policy kept as one versioned blob: replaced whole, with compare-and-set on its version,
// by one script on one key (lua/policy_set.lua). The reminder and shipment policy stores share it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/redis/client.h"
#include "services/redis/script.h"

namespace orderwatch::redis {

class PolicyWrite {
 public:
  PolicyWrite();

  // Stores `bytes` under `key` (hash: v = version, p = bytes) if the version is still
  // `expected` (nullopt: any). `done` gets the new version, or ABORTED naming the current one.
  void Run(Client& redis, const std::string& key, std::string bytes,
           std::optional<int64_t> expected, absl::Time deadline,
           absl::AnyInvocable<void(absl::StatusOr<int64_t>)> done) const;

 private:
  Script script_;
};

}  // namespace orderwatch::redis
