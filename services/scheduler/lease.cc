#include "services/scheduler/lease.h"

#include <unistd.h>

#include <random>

#include "absl/strings/str_cat.h"

namespace orderwatch::scheduler {
namespace lua {
extern const std::string_view kLeaseAcquire;
extern const std::string_view kLeaseRelease;
}  // namespace lua

std::string Lease::value() const { return absl::StrCat(holder, "|", token); }

PartitionLeases::PartitionLeases(redis::Client& redis, const redis::KeyScheme& keys,
                                 std::string holder, absl::Duration ttl)
    : redis_(redis),
      keys_(keys),
      holder_(std::move(holder)),
      ttl_(ttl),
      acquire_("lease_acquire", lua::kLeaseAcquire),
      release_("lease_release", lua::kLeaseRelease) {}

redis::Command PartitionLeases::AcquireCommand(int partition) const {
  return redis::Command::Eval(acquire_, {keys_.Lease(partition), keys_.Fence(partition)},
                              {holder_, redis::MsArg(ttl_)});
}

absl::StatusOr<std::optional<Lease>> PartitionLeases::ParseAcquire(
    int partition, const absl::StatusOr<redis::Reply>& r) const {
  if (!r.ok()) return r.status();
  if (r->type != redis::Reply::Type::kArray || r->elements.size() != 2) {
    return absl::InternalError("lease_acquire: unexpected reply");
  }
  if (r->elements[0].integer != 1) return std::optional<Lease>();
  return std::optional<Lease>(Lease{partition, holder_, r->elements[1].integer});
}

void PartitionLeases::Acquire(int partition, absl::Time deadline, Done<std::optional<Lease>> done) {
  redis_.Run(AcquireCommand(partition), deadline,
             [this, partition, done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               done(ParseAcquire(partition, r));
             });
}

redis::Command PartitionLeases::ReleaseCommand(const Lease& lease) const {
  return redis::Command::Eval(release_, {keys_.Lease(lease.partition)}, {lease.value()});
}

std::string NewHolderId() {
  char host[64] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::random_device rd;
  std::string h(host);
  for (char& c : h) {
    if (c == '|') c = '-';  // the lease value's separator
  }
  return absl::StrCat(h.empty() ? "host" : h, "-", getpid(), "-", rd() % 100000);
}

}  // namespace orderwatch::scheduler
