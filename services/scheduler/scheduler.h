// The worker side of the due-queues: holds partition leases and hands due jobs to their queue's
// handler. One thread per instance takes and renews leases (so each partition is worked by one
// instance at a time, and a dead instance's partitions are taken over once its leases run out).
// Instances on one Redis share the partitions out evenly (members.h, partition_share.h): each
// takes only its share, and gives up a partition that is no longer its share once the jobs it
// has out there are answered, so the partition's next holder starts with nothing in flight;
// another claims due jobs from the partitions it holds, higher-priority queues first. It polls a
// partition only when its earliest job is due (known from the previous claim, or from Wake for
// jobs scheduled here), or once per idle poll for jobs other instances scheduled: a tick's cost
// grows with due work, not with pending work. Handlers run asynchronously; the number of jobs
// out with handlers is bounded.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/scheduler/due_queue.h"
#include "services/scheduler/lease.h"
#include "services/scheduler/members.h"
#include "services/scheduler/scheduler_metrics.h"

namespace orderwatch::scheduler {

// How a handler's work on a job ended, when it ended well.
enum class JobResult {
  kAcknowledge,  // the scheduler takes the job off its queue
  kFinished,     // the handler's own script already did (job_done), atomically with its effect
};
using JobDone = absl::AnyInvocable<void(absl::StatusOr<JobResult>)>;

// Does a job's work, then calls done exactly once, from any thread:
// - a JobResult: the job is finished (acknowledged by the scheduler unless kFinished says the
//   handler's script did it);
// - an error: the job is retried after a backoff, and becomes a dead letter at the most attempts;
// - FAILED_PRECONDITION from LeaseLost(): nothing more; the partition's new holder has the job.
// Every effect the handler writes must be fenced by the lease (checked in the same script).
using JobHandler =
    std::function<void(const Lease& lease, const Job& job, absl::Time now, JobDone done)>;

// Pre-sale work (payment reminders and their delivery) goes before after-sales work (shipment
// sweeps, their notices): in a tick in which a pre-sale queue is behind (a partition's last claim
// took a full batch, or more partitions are due than it may claim), after-sales queues claim only
// a trickle, so at peak reminders keep their lateness and sweeps absorb the delay. Reminders
// that are merely due, and all claimed, take nothing from the sweeps.
// Even when no reminder is due, an after-sales queue claims a bounded number per tick: jobs out
// with their handlers are work a reminder coming due would wait behind.
enum class Priority { kPreSale, kAfterSales };

struct SchedulerOptions {
  absl::Duration tick = absl::Milliseconds(20);  // how often due partitions are claimed
  absl::Duration idle_poll = absl::Seconds(1);  // a held partition is looked at at least this often
  absl::Duration lease_ttl = absl::Seconds(5);  // a dead instance's partitions wait this long
  absl::Duration lease_renew = absl::Seconds(1);   // how often leases are taken and renewed
  absl::Duration stats_every = absl::Seconds(10);  // queue depth gauges
  int claim_batch = 100;                           // jobs per claim of one partition
  int max_outstanding = 2000;                      // jobs out with handlers at once
  // After-sales jobs claimed per tick: at most this many, so a backlog of sweeps never stands
  // between reminders coming due and the workers; and this trickle while pre-sale work is behind.
  int after_sales_per_tick = 200;
  int after_sales_per_tick_when_busy = 5;
  absl::Duration stop_wait = absl::Seconds(5);  // Stop waits this long for handlers
};

class Scheduler {
 public:
  Scheduler(redis::Client& redis, const redis::KeyScheme& keys, const Clock& clock,
            SchedulerMetrics& metrics, SchedulerOptions options, std::string holder);
  ~Scheduler();

  // Before Start. Queues added first are claimed first.
  void AddQueue(DueQueue& queue, JobHandler handler, Priority priority = Priority::kPreSale);
  void Start();
  // Stops claiming, waits (bounded) for jobs out with handlers, and releases the leases so
  // another instance takes the partitions over at once.
  void Stop();

  // A job of `queue` was scheduled in `partition` for `due` by this instance.
  void Wake(const DueQueue& queue, int partition, absl::Time due);

  int leases_held() const;
  const std::string& holder() const { return leases_.holder(); }

 private:
  struct QueueState {
    DueQueue* queue;
    JobHandler handler;
    Priority priority;
    QueueMetrics* metrics;
    std::vector<absl::Time> next;         // per partition: when to claim next (scheduling clock)
    std::vector<absl::Time> last_polled;  // per partition: real time of the last claim
    std::vector<bool> full;  // per partition: its last claim took all it could (more is due)
    int first = 0;  // the partition a tick looks at first: they take turns when work is short
  };
  struct Held {
    bool held = false;
    bool draining = false;  // no longer this instance's share: released once nothing is out
    Lease lease;
    absl::Time renewed;  // real time of the last successful take or renewal
  };

  void Run();
  void KeepLeases();
  void RenewLeases();
  // Reads the live instances and works out this one's share of the partitions; keeps the last
  // share when Redis does not answer.
  void UpdateShare(absl::Time deadline);
  absl::Duration RenewEvery() const;
  // Sleeps for `d`; false (at once) when Stop was called.
  bool SleepUnlessStopping(absl::Duration d);
  // Claims the due jobs of every queue's due partitions in one round, pre-sale queues first.
  void ClaimDue();
  void HandOver(QueueState& q, const Lease& lease, Job job, absl::Time now);
  void Finish(QueueState& q, const Lease& lease, const Job& job, absl::StatusOr<JobResult> result);
  void DropLease(const Lease& lease);
  void CollectStats();

  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  const Clock& clock_;
  SchedulerMetrics& metrics_;
  SchedulerOptions options_;
  PartitionLeases leases_;
  SchedulerMembers members_;
  std::vector<std::string> live_;  // as last read (lease thread only)
  std::vector<bool> mine_;         // this instance's share (lease thread only)
  std::vector<std::unique_ptr<QueueState>> queues_;

  mutable absl::Mutex mu_;
  std::vector<Held> held_ ABSL_GUARDED_BY(mu_);
  int outstanding_ ABSL_GUARDED_BY(mu_) = 0;
  // Per partition: claims and jobs out, so a partition is given up only when nothing is.
  std::vector<int> busy_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;

  std::thread thread_;        // claims and statistics
  std::thread lease_thread_;  // takes and renews leases
  bool started_ = false;
};

}  // namespace orderwatch::scheduler
