#include "services/scheduler/scheduler.h"

#include <algorithm>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "services/common/log.h"
#include "services/scheduler/idle_poll.h"
#include "services/scheduler/partition_share.h"

namespace orderwatch::scheduler {

Scheduler::Scheduler(redis::Client& redis, const redis::KeyScheme& keys, const Clock& clock,
                     SchedulerMetrics& metrics, SchedulerOptions options, std::string holder)
    : redis_(redis),
      keys_(keys),
      clock_(clock),
      metrics_(metrics),
      options_(options),
      leases_(redis, keys, holder, options.lease_ttl),
      members_(holder, options.lease_ttl),
      mine_(keys.partitions(), true),
      held_(keys.partitions()),
      busy_(keys.partitions(), 0) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::AddQueue(DueQueue& queue, JobHandler handler, Priority priority) {
  auto q = std::make_unique<QueueState>();
  q->queue = &queue;
  q->handler = std::move(handler);
  q->priority = priority;
  q->metrics = &metrics_.queue(queue.name());
  q->next.assign(keys_.partitions(), absl::InfinitePast());
  q->last_polled.assign(keys_.partitions(), absl::InfinitePast());
  q->full.assign(keys_.partitions(), false);
  queues_.push_back(std::move(q));
}

void Scheduler::Start() {
  if (started_) return;
  started_ = true;
  thread_ = std::thread([this] { Run(); });
  lease_thread_ = std::thread([this] { KeepLeases(); });
}

void Scheduler::Stop() {
  if (!started_) return;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  thread_.join();
  lease_thread_.join();
  {
    absl::MutexLock lock(&mu_);
    auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return outstanding_ == 0; };
    mu_.AwaitWithTimeout(absl::Condition(&idle), options_.stop_wait);
  }
  std::vector<redis::Command> releases{members_.LeaveCommand()};
  {
    absl::MutexLock lock(&mu_);
    for (auto& h : held_) {
      if (h.held) releases.push_back(leases_.ReleaseCommand(h.lease));
      h.held = false;
    }
  }
  metrics_.leases_held->Set(0);
  redis_.RunAllAndWait(std::move(releases), absl::Now() + absl::Seconds(2));
}

void Scheduler::Wake(const DueQueue& queue, int partition, absl::Time due) {
  absl::MutexLock lock(&mu_);
  for (auto& q : queues_) {
    if (q->queue == &queue && partition >= 0 && partition < keys_.partitions()) {
      q->next[partition] = std::min(q->next[partition], due);
    }
  }
}

int Scheduler::leases_held() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(
      std::count_if(held_.begin(), held_.end(), [](const Held& h) { return h.held; }));
}

bool Scheduler::SleepUnlessStopping(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
  return !mu_.AwaitWithTimeout(absl::Condition(&stopping), d);
}

absl::Duration Scheduler::RenewEvery() const {
  return std::min(options_.lease_renew, options_.lease_ttl / 3);
}

void Scheduler::KeepLeases() {
  // Its own thread: claims and statistics that wait on a slow Redis never delay a renewal.
  do {
    RenewLeases();
  } while (SleepUnlessStopping(RenewEvery()));
}

void Scheduler::Run() {
  absl::Time next_stats = absl::InfinitePast();
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) break;
    }
    const absl::Time real_now = absl::Now();
    ClaimDue();
    if (real_now >= next_stats) {
      CollectStats();
      next_stats = real_now + options_.stats_every;
    }
    absl::SleepFor(options_.tick);
  }
}

void Scheduler::UpdateShare(absl::Time deadline) {
  auto replies = redis_.RunAllAndWait({members_.HeartbeatCommand()}, deadline);
  auto live = SchedulerMembers::ParseHeartbeat(replies[0]);
  if (!live.ok()) return;
  std::sort(live->begin(), live->end());
  if (*live == live_) return;
  live_ = std::move(*live);
  metrics_.instances->Set(static_cast<double>(live_.size()));
  const auto owner = AssignPartitions(live_, keys_.partitions());
  int share = 0;
  for (int p = 0; p < keys_.partitions(); ++p) {
    mine_[p] = owner[p] == holder();  // the heartbeat lists this instance among the live
    share += mine_[p];
  }
  Log(LogLevel::kInfo, absl::StrCat("scheduler: ", live_.size(), " live instance(s); ", share,
                                    " of ", keys_.partitions(), " partitions are this one's"));
}

void Scheduler::RenewLeases() {
  const absl::Time sent = absl::Now();
  UpdateShare(sent + RenewEvery());
  // This instance's share is taken or renewed. A held partition that is no longer its share is
  // renewed while claims or jobs are out there, and released once none are.
  std::vector<redis::Command> commands;  // releases, then takes and renewals
  std::vector<redis::Command> takes;
  std::vector<int> taking;
  {
    absl::MutexLock lock(&mu_);
    for (int p = 0; p < keys_.partitions(); ++p) {
      Held& h = held_[p];
      h.draining = h.held && !mine_[p];
      if (h.draining && busy_[p] == 0) {
        commands.push_back(leases_.ReleaseCommand(h.lease));
        h.held = h.draining = false;
      } else if (mine_[p] || h.held) {
        takes.push_back(leases_.AcquireCommand(p));
        taking.push_back(p);
      }
    }
  }
  for (auto& c : takes) commands.push_back(std::move(c));
  auto replies = redis_.RunAllAndWait(std::move(commands), sent + RenewEvery());
  const size_t released = replies.size() - taking.size();
  absl::MutexLock lock(&mu_);
  for (size_t i = 0; i < taking.size(); ++i) {
    const int p = taking[i];
    auto lease = leases_.ParseAcquire(p, replies[released + i]);
    Held& h = held_[p];
    if (lease.ok()) {
      if (lease->has_value()) {
        if (!h.held || h.lease.token != (*lease)->token) {
          // Newly ours: look at every queue of the partition at once.
          for (auto& q : queues_) q->next[p] = absl::InfinitePast();
        }
        h.held = true;
        h.lease = **lease;
        h.renewed = sent;
      } else {
        h.held = false;
      }
    } else if (h.held && absl::Now() - h.renewed > options_.lease_ttl / 2) {
      // Redis did not answer for a while: the lease may run out unseen, so stop using it.
      h.held = false;
    }
  }
  metrics_.leases_held->Set(static_cast<double>(
      std::count_if(held_.begin(), held_.end(), [](const Held& h) { return h.held; })));
}

void Scheduler::DropLease(const Lease& lease) {
  absl::MutexLock lock(&mu_);
  Held& h = held_[lease.partition];
  if (h.held && h.lease.token == lease.token) {
    h.held = false;
    metrics_.leases_held->Decrement();
  }
}

void Scheduler::ClaimDue() {
  const absl::Time now = clock_.Now();
  const absl::Time real_now = absl::Now();
  // Every queue's due partitions go to Redis in one pipelined round: a tick costs one round trip,
  // however many queues there are.
  struct Plan {
    QueueState* q;
    std::vector<Lease> leases;
    int limit = 0;
  };
  std::vector<Plan> plans;
  {
    absl::MutexLock lock(&mu_);
    int room = options_.max_outstanding - outstanding_;
    bool pre_sale_behind = false;  // a pre-sale queue has more due than it claims this tick
    const IdlePoll idle(options_.idle_poll,
                        static_cast<int64_t>(keys_.partitions()) * queues_.size());
    for (size_t i = 0; i < queues_.size(); ++i) {
      auto& q = queues_[i];
      const bool after_sales = q->priority == Priority::kAfterSales;
      const bool yield = after_sales && pre_sale_behind;
      // A share of the room, so a queue with many due partitions does not leave none to the
      // queues after it (reminders' deliveries come right after the reminders).
      const int sharing = static_cast<int>(queues_.size() - i);
      int budget = std::max(std::min(room, 1), room / sharing);
      if (after_sales) {
        budget = std::min(budget, yield ? options_.after_sales_per_tick_when_busy
                                        : options_.after_sales_per_tick);
      }
      if (yield) q->metrics->yielded->Increment();
      Plan plan{q.get(), {}, 0};
      // At most `budget` partitions, one job each at least: never more jobs out than the bound.
      // The partitions take turns: a tick starts after the last one the previous tick took, so
      // with a small budget none waits behind partitions that always have work.
      const int partitions = keys_.partitions();
      int next_first = q->first;
      for (int k = 0; k < partitions; ++k) {
        const int p = (q->first + k) % partitions;
        if (!held_[p].held || held_[p].draining) continue;
        const bool due = q->next[p] <= now;
        if (static_cast<int>(plan.leases.size()) >= budget) {
          if (!due) continue;
          if (!after_sales) pre_sale_behind = true;  // due, and left for a later tick
          break;
        }
        if (due ||
            idle.Due(static_cast<int64_t>(p) * queues_.size() + i, q->last_polled[p], real_now)) {
          if (due && !after_sales && q->full[p]) pre_sale_behind = true;
          plan.leases.push_back(held_[p].lease);
          ++busy_[p];  // until its claim is answered
          q->last_polled[p] = real_now;
          q->next[p] = absl::InfiniteFuture();  // until the claim says otherwise
          next_first = (p + 1) % partitions;
        }
      }
      q->first = next_first;
      if (plan.leases.empty()) continue;
      const int n = static_cast<int>(plan.leases.size());
      plan.limit = std::max(1, std::min(options_.claim_batch, budget / n));
      room -= std::min(room, n * plan.limit);
      plans.push_back(std::move(plan));
    }
  }
  if (plans.empty()) return;
  std::vector<redis::Command> commands;
  for (const Plan& plan : plans) {
    for (const auto& lease : plan.leases) {
      commands.push_back(plan.q->queue->ClaimCommand(lease, now, plan.limit));
    }
  }
  auto replies = redis_.RunAllAndWait(std::move(commands), absl::Now() + absl::Seconds(2));
  size_t at = 0;
  for (Plan& plan : plans) {
    QueueState& q = *plan.q;
    for (const Lease& lease : plan.leases) {
      auto claimed = q.queue->ParseClaim(lease, replies[at++]);
      absl::Cleanup answered = [this, p = lease.partition] {
        absl::MutexLock lock(&mu_);
        --busy_[p];
      };
      if (!claimed.ok()) {
        if (IsLeaseLost(claimed.status())) {
          DropLease(lease);
        } else {
          absl::MutexLock lock(&mu_);
          q.next[lease.partition] = now;  // try again next tick
        }
        continue;
      }
      q.metrics->reaped->Increment(claimed->reaped);
      q.metrics->dead->Increment(claimed->dead);
      {
        absl::MutexLock lock(&mu_);
        absl::Time& next = q.next[lease.partition];
        // A full batch may leave more due: claim again next tick.
        const bool full = static_cast<int>(claimed->jobs.size()) >= plan.limit;
        q.full[lease.partition] = full;
        next = std::min(next, full ? now : claimed->next);
      }
      for (auto& job : claimed->jobs) HandOver(q, lease, std::move(job), now);
    }
  }
}

void Scheduler::HandOver(QueueState& q, const Lease& lease, Job job, absl::Time now) {
  {
    absl::MutexLock lock(&mu_);
    ++outstanding_;
    ++busy_[lease.partition];
  }
  q.metrics->lateness->Observe(std::max(0.0, absl::ToDoubleSeconds(now - job.due)));
  auto shared = std::make_shared<Job>(std::move(job));
  q.handler(lease, *shared, now, [this, &q, lease, shared](absl::StatusOr<JobResult> result) {
    Finish(q, lease, *shared, std::move(result));
  });
}

void Scheduler::Finish(QueueState& q, const Lease& lease, const Job& job,
                       absl::StatusOr<JobResult> result) {
  auto release = [this, p = lease.partition] {
    absl::MutexLock lock(&mu_);
    --outstanding_;
    --busy_[p];
  };
  if (result.ok() && *result == JobResult::kFinished) {
    q.metrics->done->Increment();
    release();
    return;
  }
  const absl::Status status = result.status();
  const absl::Time deadline = absl::Now() + absl::Seconds(2);
  if (status.ok()) {
    q.queue->Ack(lease, job.id, deadline, [this, &q, lease, release](absl::StatusOr<bool> r) {
      if (r.ok()) {
        q.metrics->done->Increment();
      } else if (IsLeaseLost(r.status())) {
        q.metrics->lease_lost->Increment();
        DropLease(lease);
      } else {
        // The job stays in flight and comes back after its deadline: handlers are idempotent.
        Log(LogLevel::kWarning, absl::StrCat("scheduler: ack of a ", q.queue->name(),
                                             " job failed: ", r.status().ToString()));
      }
      release();
    });
    return;
  }
  if (IsLeaseLost(status)) {
    q.metrics->lease_lost->Increment();
    DropLease(lease);
    release();
    return;
  }
  q.queue->Retry(lease, job.id, clock_.Now(), std::string(status.message()), deadline,
                 [this, &q, lease, release, job_id = job.id](absl::StatusOr<RetryResult> r) {
                   if (r.ok() && *r == RetryResult::kRetried) q.metrics->retried->Increment();
                   if (r.ok() && *r == RetryResult::kDead) q.metrics->dead->Increment();
                   if (!r.ok() && IsLeaseLost(r.status())) {
                     q.metrics->lease_lost->Increment();
                     DropLease(lease);
                   }
                   if (r.ok() && *r == RetryResult::kRetried) {
                     absl::MutexLock lock(&mu_);
                     // Its backoff is short enough to matter for the next claim only if it is soon.
                     q.next[lease.partition] = std::min(
                         q.next[lease.partition], clock_.Now() + q.queue->options().first_backoff);
                   }
                   release();
                 });
}

void Scheduler::CollectStats() {
  const absl::Time now = clock_.Now();
  for (auto& q : queues_) {
    std::vector<redis::Command> commands;
    commands.reserve(keys_.partitions());
    for (int p = 0; p < keys_.partitions(); ++p) commands.push_back(q->queue->StatsCommand(p));
    auto replies = redis_.RunAllAndWait(std::move(commands), absl::Now() + absl::Seconds(2));
    QueueStats total;
    bool complete = true;
    for (auto& r : replies) {
      auto s = DueQueue::ParseStats(r);
      if (!s.ok()) {
        complete = false;
        break;
      }
      total.due += s->due;
      total.in_flight += s->in_flight;
      total.dead += s->dead;
      total.earliest = std::min(total.earliest, s->earliest);
    }
    if (!complete) continue;  // keep the last complete figures
    q->metrics->due->Set(static_cast<double>(total.due));
    q->metrics->in_flight->Set(static_cast<double>(total.in_flight));
    q->metrics->dead_letters->Set(static_cast<double>(total.dead));
    q->metrics->oldest_due_age->Set(
        total.earliest < now ? absl::ToDoubleSeconds(now - total.earliest) : 0.0);
  }
}

}  // namespace orderwatch::scheduler
