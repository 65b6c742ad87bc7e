// A due-queue: one kind of time-based work (reminders, shipment sweeps, dispatch ...) spread over
// the partitions. A partition's waiting jobs (ids scored by due time) sit in small sorted sets
// that Redis stores compactly, found by a hash of the id and indexed by their earliest due time
// (services/scheduler/lua/lib/jobs.lua has the layout and its figures). Workers claim due
// jobs under their partition's lease; a claimed job sits in flight with a deadline until it is
// acknowledged, retried after a backoff, or, once its worker died, taken back by the next claim.
// A job that keeps failing ends in the dead letters with its reason. A job id names its work
// (e.g. "<shop>:<order>"): scheduling an id that is queued moves it, and cancel finds it in one
// small set whatever the queue's length. Domain scripts schedule and acknowledge jobs themselves, atomically with the state
// they change, through Keys().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/common/async.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/redis/script.h"
#include "services/scheduler/lease.h"

namespace orderwatch::scheduler {

struct QueueOptions {
  // A claimed job comes back to the queue when not acknowledged within this time.
  absl::Duration in_flight = absl::Seconds(30);
  // Tries (including ones whose worker died) before a job becomes a dead letter.
  int max_attempts = 8;
  // Backoff after the first failure, doubling up to the longest.
  absl::Duration first_backoff = absl::Seconds(1);
  absl::Duration longest_backoff = absl::Minutes(10);
};

struct Job {
  std::string id;
  absl::Time due;
  int attempts = 0;  // earlier tries of this job
};

struct Claimed {
  std::vector<Job> jobs;
  // When this queue next needs a worker in this partition (InfiniteFuture: nothing queued).
  absl::Time next = absl::InfiniteFuture();
  int reaped = 0;  // in-flight jobs whose worker did not answer in time, back on the queue
  int dead = 0;    // of those, the ones that ran out of attempts
};

enum class RetryResult { kRetried, kDead, kGone };

struct QueueStats {
  int64_t due = 0;                               // waiting, due or not
  int64_t in_flight = 0;                         // claimed, not yet acknowledged
  int64_t dead = 0;                              // dead letters
  absl::Time earliest = absl::InfiniteFuture();  // earliest due time of a waiting job
};

class DueQueue {
 public:
  DueQueue(redis::Client& redis, const redis::KeyScheme& keys, std::string name,
           QueueOptions options);

  const std::string& name() const { return name_; }
  const QueueOptions& options() const { return options_; }
  redis::KeyScheme::QueueKeys Keys(int partition) const { return keys_.Queue(partition, name_); }

  // Puts the job on the queue due at `due` (moving it if queued already).
  void Schedule(int partition, const std::string& id, absl::Time due, absl::Time deadline,
                Done<bool> done);
  // Removes the job, due or in flight; true if it was there.
  void Cancel(int partition, const std::string& id, absl::Time deadline, Done<bool> done);

  // Takes back jobs whose in-flight deadline passed, then claims up to `limit` due jobs.
  // FAILED_PRECONDITION when the lease was lost.
  redis::Command ClaimCommand(const Lease& lease, absl::Time now, int limit) const;
  absl::StatusOr<Claimed> ParseClaim(const Lease& lease,
                                     const absl::StatusOr<redis::Reply>& r) const;
  void Claim(const Lease& lease, absl::Time now, int limit, absl::Time deadline,
             Done<Claimed> done);
  // true if acknowledged, false if the job was no longer in flight (cancelled meanwhile).
  void Ack(const Lease& lease, const std::string& id, absl::Time deadline, Done<bool> done);
  void Retry(const Lease& lease, const std::string& id, absl::Time now, const std::string& reason,
             absl::Time deadline, Done<RetryResult> done);

  redis::Command StatsCommand(int partition) const;
  static absl::StatusOr<QueueStats> ParseStats(const absl::StatusOr<redis::Reply>& r);
  // Dead letters of one partition: job id -> "time|attempts|reason".
  void DeadLetters(int partition, absl::Time deadline,
                   Done<std::vector<std::pair<std::string, std::string>>> done);

 private:
  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  std::string name_;
  QueueOptions options_;
  redis::Script claim_, ack_, retry_, cancel_, schedule_, stats_;
};

// The FAILED_PRECONDITION every fenced script's {'fenced'} reply turns into.
absl::Status LeaseLost(const Lease& lease);
bool IsLeaseLost(const absl::Status& status);

}  // namespace orderwatch::scheduler
