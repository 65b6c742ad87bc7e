// The scheduler against a real redis-server: leases and fencing, claim, ack, reaping of jobs
// whose worker died, retry with backoff, dead letters, cancel, and the worker runtime with two
// instances sharing the partitions.
#include "services/scheduler/scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "services/common/clock.h"
#include "services/scheduler/due_queue.h"
#include "services/scheduler/lease.h"
#include "tests/support/redis_server.h"

namespace orderwatch::scheduler {
namespace {

using testing::RedisServer;

template <typename T, typename Start>
absl::StatusOr<T> Wait(Start start) {
  std::promise<absl::StatusOr<T>> p;
  start([&p](absl::StatusOr<T> r) { p.set_value(std::move(r)); });
  return p.get_future().get();
}

absl::Time Deadline() { return absl::Now() + absl::Seconds(5); }

class SchedulerTest : public ::testing::Test {
 protected:
  SchedulerTest() : keys_(4), redis_metrics_(registry_) {
    redis::ClientOptions o;
    o.port = server_.port();
    client_ = std::make_unique<redis::Client>(o, &redis_metrics_);
    client_->Start();
    EXPECT_TRUE(client_->WaitConnected(absl::Seconds(5)));
  }

  QueueOptions Options() {
    QueueOptions o;
    o.in_flight = absl::Seconds(30);
    o.max_attempts = 3;
    o.first_backoff = absl::Seconds(1);
    o.longest_backoff = absl::Seconds(10);
    return o;
  }

  // Quick ticks and renewals, so a test takes fractions of a second.
  static SchedulerOptions FastRuntime() {
    SchedulerOptions o;
    o.tick = absl::Milliseconds(5);
    o.lease_renew = absl::Milliseconds(100);
    o.lease_ttl = absl::Seconds(2);
    o.idle_poll = absl::Milliseconds(50);
    return o;
  }

  Lease Take(PartitionLeases& leases, int partition) {
    auto lease = Wait<std::optional<Lease>>(
        [&](auto done) { leases.Acquire(partition, Deadline(), std::move(done)); });
    EXPECT_TRUE(lease.ok() && lease->has_value());
    return lease.ok() && lease->has_value() ? **lease : Lease{};
  }

  Claimed Claim(DueQueue& q, const Lease& lease, absl::Time now, int limit = 100) {
    auto c =
        Wait<Claimed>([&](auto done) { q.Claim(lease, now, limit, Deadline(), std::move(done)); });
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *c : Claimed{};
  }

  void Schedule(DueQueue& q, int partition, const std::string& id, absl::Time due) {
    auto r =
        Wait<bool>([&](auto done) { q.Schedule(partition, id, due, Deadline(), std::move(done)); });
    ASSERT_TRUE(r.ok()) << r.status();
  }

  RedisServer server_;
  redis::KeyScheme keys_;
  prometheus::Registry registry_;
  redis::ClientMetrics redis_metrics_;
  std::unique_ptr<redis::Client> client_;
  const absl::Time t0_ = absl::FromUnixSeconds(1762790400);  // 2025-11-11 00:00 +08:00
};

TEST_F(SchedulerTest, OneHolderAtATimeAndTokensOnlyGrow) {
  PartitionLeases a(*client_, keys_, "a", absl::Milliseconds(300));
  PartitionLeases b(*client_, keys_, "b", absl::Milliseconds(300));
  const Lease first = Take(a, 2);
  EXPECT_EQ(first.token, 1);
  auto other = Wait<std::optional<Lease>>([&](auto d) { b.Acquire(2, Deadline(), std::move(d)); });
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value()) << "b must not take a's partition";
  EXPECT_EQ(Take(a, 2).token, 1) << "a renewal keeps the token";
  EXPECT_EQ(Take(b, 3).token, 1) << "partitions are independent";

  // a stops renewing (it died): b takes over once the lease runs out, with a larger token.
  absl::SleepFor(absl::Milliseconds(400));
  const Lease second = Take(b, 2);
  EXPECT_EQ(second.token, 2);

  // a, stalled and back, is fenced off from the partition's queues.
  DueQueue q(*client_, keys_, "rem", Options());
  auto claim = Wait<Claimed>([&](auto d) { q.Claim(first, t0_, 10, Deadline(), std::move(d)); });
  EXPECT_TRUE(IsLeaseLost(claim.status())) << claim.status();
  auto ack = Wait<bool>([&](auto d) { q.Ack(first, "x", Deadline(), std::move(d)); });
  EXPECT_TRUE(IsLeaseLost(ack.status())) << ack.status();
  auto retry = Wait<RetryResult>(
      [&](auto d) { q.Retry(first, "x", t0_, "boom", Deadline(), std::move(d)); });
  EXPECT_TRUE(IsLeaseLost(retry.status())) << retry.status();

  // Released, the partition is free at once.
  auto released = Wait<redis::Reply>(
      [&](auto d) { client_->Run(b.ReleaseCommand(second), Deadline(), std::move(d)); });
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(released->integer, 1);
  EXPECT_EQ(Take(a, 2).token, 3);
}

TEST_F(SchedulerTest, ClaimTakesOnlyDueJobsInDueOrder) {
  PartitionLeases leases(*client_, keys_, "w", absl::Seconds(10));
  DueQueue q(*client_, keys_, "rem", Options());
  const Lease lease = Take(leases, 1);
  Schedule(q, 1, "late", t0_ + absl::Minutes(30));
  Schedule(q, 1, "second", t0_ - absl::Seconds(1));
  Schedule(q, 1, "first", t0_ - absl::Seconds(5));
  Schedule(q, 0, "other-partition", t0_ - absl::Seconds(5));

  Claimed c = Claim(q, lease, t0_);
  ASSERT_EQ(c.jobs.size(), 2u);
  EXPECT_EQ(c.jobs[0].id, "first");
  EXPECT_EQ(c.jobs[0].due, t0_ - absl::Seconds(5));
  EXPECT_EQ(c.jobs[0].attempts, 0);
  EXPECT_EQ(c.jobs[1].id, "second");
  // Next: the in-flight deadline of the claimed jobs comes before "late".
  EXPECT_EQ(c.next, t0_ + Options().in_flight);
  EXPECT_EQ(Claim(q, lease, t0_).jobs.size(), 0u) << "claimed jobs are not claimed twice";

  for (const char* id : {"first", "second"}) {
    auto acked = Wait<bool>([&](auto d) { q.Ack(lease, id, Deadline(), std::move(d)); });
    ASSERT_TRUE(acked.ok());
    EXPECT_TRUE(*acked);
  }
  EXPECT_EQ(Claim(q, lease, t0_).next, t0_ + absl::Minutes(30));
  auto stats = Wait<redis::Reply>(
      [&](auto d) { client_->Run(q.StatsCommand(1), Deadline(), std::move(d)); });
  auto s = DueQueue::ParseStats(stats);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->due, 1);
  EXPECT_EQ(s->in_flight, 0);
  EXPECT_EQ(s->earliest, t0_ + absl::Minutes(30));
}

TEST_F(SchedulerTest, AJobWhoseWorkerDiedComesBackThenDies) {
  PartitionLeases leases(*client_, keys_, "w", absl::Seconds(10));
  DueQueue q(*client_, keys_, "rem", Options());  // 30 s in flight, 3 attempts
  const Lease lease = Take(leases, 0);
  Schedule(q, 0, "job", t0_);
  ASSERT_EQ(Claim(q, lease, t0_).jobs.size(), 1u);
  // Nobody acknowledges it (the worker was killed). Before the deadline it stays put ...
  EXPECT_EQ(Claim(q, lease, t0_ + absl::Seconds(29)).jobs.size(), 0u);
  // ... after it, the next claim takes it back and hands it out again.
  Claimed again = Claim(q, lease, t0_ + absl::Seconds(31));
  EXPECT_EQ(again.reaped, 1);
  ASSERT_EQ(again.jobs.size(), 1u);
  EXPECT_EQ(again.jobs[0].attempts, 1);
  Claimed third = Claim(q, lease, t0_ + absl::Seconds(62));
  ASSERT_EQ(third.jobs.size(), 1u);
  EXPECT_EQ(third.jobs[0].attempts, 2);
  Claimed last = Claim(q, lease, t0_ + absl::Seconds(93));
  EXPECT_EQ(last.jobs.size(), 0u);
  EXPECT_EQ(last.dead, 1);
  auto dead = Wait<std::vector<std::pair<std::string, std::string>>>(
      [&](auto d) { q.DeadLetters(0, Deadline(), std::move(d)); });
  ASSERT_TRUE(dead.ok());
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].first, "job");
  EXPECT_NE((*dead)[0].second.find("|3|in-flight deadline passed"), std::string::npos)
      << (*dead)[0].second;
}

TEST_F(SchedulerTest, RetryBacksOffDoublingThenDeadLettersWithTheReason) {
  PartitionLeases leases(*client_, keys_, "w", absl::Seconds(10));
  DueQueue q(*client_, keys_, "out", Options());  // backoff 1 s, 2 s; 3 attempts
  const Lease lease = Take(leases, 3);
  Schedule(q, 3, "send", t0_);
  absl::Time now = t0_;
  for (absl::Duration backoff : {absl::Seconds(1), absl::Seconds(2)}) {
    ASSERT_EQ(Claim(q, lease, now).jobs.size(), 1u);
    auto r = Wait<RetryResult>(
        [&](auto d) { q.Retry(lease, "send", now, "webhook 503", Deadline(), std::move(d)); });
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, RetryResult::kRetried);
    EXPECT_EQ(Claim(q, lease, now + backoff - absl::Milliseconds(1)).jobs.size(), 0u);
    now += backoff;
  }
  Claimed c = Claim(q, lease, now);
  ASSERT_EQ(c.jobs.size(), 1u);
  EXPECT_EQ(c.jobs[0].attempts, 2);
  auto r = Wait<RetryResult>(
      [&](auto d) { q.Retry(lease, "send", now, "webhook 503", Deadline(), std::move(d)); });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, RetryResult::kDead);
  EXPECT_NE(server_.Command("HGET " + keys_.Queue(3, "out").dead + " send").find("|3|webhook 503"),
            std::string::npos);
  EXPECT_EQ(Claim(q, lease, now + absl::Hours(1)).jobs.size(), 0u);
}

TEST_F(SchedulerTest, CancelFindsAJobDueOrInFlight) {
  PartitionLeases leases(*client_, keys_, "w", absl::Seconds(10));
  DueQueue q(*client_, keys_, "rem", Options());
  const Lease lease = Take(leases, 2);
  Schedule(q, 2, "waiting", t0_ + absl::Hours(1));
  Schedule(q, 2, "running", t0_);
  ASSERT_EQ(Claim(q, lease, t0_).jobs.size(), 1u);
  for (const char* id : {"waiting", "running"}) {
    auto c = Wait<bool>([&](auto d) { q.Cancel(2, id, Deadline(), std::move(d)); });
    ASSERT_TRUE(c.ok());
    EXPECT_TRUE(*c) << id;
  }
  auto again = Wait<bool>([&](auto d) { q.Cancel(2, "running", Deadline(), std::move(d)); });
  EXPECT_FALSE(*again);
  // The worker that had claimed "running" finds it gone: no retry brings it back.
  auto acked = Wait<bool>([&](auto d) { q.Ack(lease, "running", Deadline(), std::move(d)); });
  EXPECT_FALSE(*acked);
  auto retry = Wait<RetryResult>(
      [&](auto d) { q.Retry(lease, "running", t0_, "x", Deadline(), std::move(d)); });
  EXPECT_EQ(*retry, RetryResult::kGone);
  EXPECT_EQ(Claim(q, lease, t0_ + absl::Hours(2)).jobs.size(), 0u);
}

// Thousands of jobs in one partition: the queue grows into many small buckets that Redis keeps
// compact, shrinks back as jobs leave, and no job is lost or handed out twice on the way.
TEST_F(SchedulerTest, ThousandsOfJobsLiveInSmallCompactBuckets) {
  PartitionLeases leases(*client_, keys_, "w", absl::Seconds(10));
  DueQueue q(*client_, keys_, "rem", Options());
  const Lease lease = Take(leases, 2);
  const auto k = q.Keys(2);
  constexpr int kJobs = 3000;
  std::set<std::string> due_now, later;
  for (int i = 0; i < kJobs; ++i) {
    const std::string id = absl::StrCat("shop:order", i);
    // Due times interleave across buckets; every third job is due in an hour.
    const bool is_later = i % 3 == 0;
    Schedule(q, 2, id,
             is_later ? t0_ + absl::Hours(1) : t0_ - absl::Milliseconds((i * 7919) % 5000));
    (is_later ? later : due_now).insert(id);
  }
  auto stats = [&] {
    auto r = Wait<redis::Reply>(
        [&](auto d) { client_->Run(q.StatsCommand(2), Deadline(), std::move(d)); });
    auto s = DueQueue::ParseStats(r);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? *s : QueueStats{};
  };
  EXPECT_EQ(stats().due, kJobs);
  auto buckets = absl::StrSplit(server_.Flat("ZRANGE " + k.due + " 0 -1"), '\n');
  const std::vector<std::string> names(buckets.begin(), buckets.end());
  EXPECT_GE(names.size(), static_cast<size_t>(kJobs / 80));
  int held = 0;
  for (const std::string& b : names) {
    const std::string key = k.due + ":" + b;
    EXPECT_EQ(server_.Command("OBJECT ENCODING " + key), "listpack") << key;
    const int n = std::stoi(server_.Command("ZCARD " + key));
    EXPECT_LE(n, 128) << key;
    held += n;
  }
  EXPECT_EQ(held, kJobs);

  // Moving a queued job keeps one entry; cancelling finds it wherever its bucket went.
  for (int i = 1; i < 300; i += 3) {
    Schedule(q, 2, absl::StrCat("shop:order", i), t0_ - absl::Milliseconds(1));
  }
  EXPECT_EQ(stats().due, kJobs);
  for (int i = 2; i < kJobs; i += 3) {
    const std::string id = absl::StrCat("shop:order", i);
    auto c = Wait<bool>([&](auto d) { q.Cancel(2, id, Deadline(), std::move(d)); });
    ASSERT_TRUE(c.ok());
    EXPECT_TRUE(*c) << id;
    due_now.erase(id);
  }
  EXPECT_EQ(stats().due, kJobs - kJobs / 3);

  std::set<std::string> claimed;
  for (int round = 0; round < 100; ++round) {
    Claimed c = Claim(q, lease, t0_, 97);
    if (c.jobs.empty()) break;
    for (const Job& job : c.jobs) {
      EXPECT_LE(job.due, t0_) << job.id;
      EXPECT_TRUE(claimed.insert(job.id).second) << job.id << " claimed twice";
    }
  }
  EXPECT_EQ(claimed, due_now);
  EXPECT_EQ(stats().due, static_cast<int64_t>(later.size()));
  EXPECT_EQ(stats().earliest, t0_ + absl::Hours(1));

  for (const std::string& id : later) {
    auto c = Wait<bool>([&](auto d) { q.Cancel(2, id, Deadline(), std::move(d)); });
    ASSERT_TRUE(c.ok());
    EXPECT_TRUE(*c) << id;
  }
  EXPECT_EQ(stats().due, 0);
  EXPECT_EQ(server_.Command("EXISTS " + k.due), "0");
  EXPECT_EQ(server_.Flat("HMGET " + k.due + ":n L p n"), "0\n0\n0") << "merged back to one bucket";
}

// The worker runtime: every job handled once, by whichever instance holds its partition. A
// second instance gets its share of the partitions from the first; when one stops, the other
// takes its partitions over.
TEST_F(SchedulerTest, TwoInstancesShareTheWorkAndTakeOver) {
  ManualClock clock(t0_);
  SchedulerMetrics metrics(registry_, {"rem"});
  DueQueue q(*client_, keys_, "rem", Options());
  const SchedulerOptions o = FastRuntime();

  absl::Mutex mu;
  std::map<std::string, int> handled;
  std::map<std::string, std::string> by;
  auto handler_for = [&](std::string who) {
    return [&, who](const Lease&, const Job& job, absl::Time, JobDone done) {
      {
        absl::MutexLock lock(&mu);
        ++handled[job.id];
        by[job.id] = who;
      }
      done(JobResult::kAcknowledge);
    };
  };
  auto a = std::make_unique<Scheduler>(*client_, keys_, clock, metrics, o, "a");
  Scheduler b(*client_, keys_, clock, metrics, o, "b");
  a->AddQueue(q, handler_for("a"));
  b.AddQueue(q, handler_for("b"));
  a->Start();
  for (int i = 0; i < 200 && a->leases_held() < 4; ++i) absl::SleepFor(absl::Milliseconds(10));
  ASSERT_EQ(a->leases_held(), 4);
  b.Start();
  // a gives up b's share once it sees b; b takes it at its next renewal.
  for (int i = 0; i < 300 && (a->leases_held() != 2 || b.leases_held() != 2); ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_EQ(a->leases_held(), 2);
  ASSERT_EQ(b.leases_held(), 2);
  EXPECT_EQ(metrics.instances->Value(), 2);

  constexpr int kJobs = 200;
  for (int i = 0; i < kJobs; ++i) {
    Schedule(q, i % 4, "j" + std::to_string(i), t0_ + absl::Seconds(i < kJobs / 2 ? 10 : 20));
  }
  auto count = [&] {
    absl::MutexLock lock(&mu);
    return handled.size();
  };
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_EQ(count(), 0u) << "nothing is due yet";
  clock.Advance(absl::Seconds(10));
  for (int i = 0; i < 300 && count() < kJobs / 2; ++i) absl::SleepFor(absl::Milliseconds(10));
  EXPECT_EQ(count(), static_cast<size_t>(kJobs / 2));

  a->Stop();  // releases its partitions
  a.reset();
  for (int i = 0; i < 300 && b.leases_held() < 4; ++i) absl::SleepFor(absl::Milliseconds(10));
  ASSERT_EQ(b.leases_held(), 4);
  clock.Advance(absl::Seconds(10));
  for (int i = 0; i < 300 && count() < kJobs; ++i) absl::SleepFor(absl::Milliseconds(10));
  b.Stop();

  absl::MutexLock lock(&mu);
  ASSERT_EQ(handled.size(), static_cast<size_t>(kJobs));
  std::map<std::string, int> early_by;
  for (const auto& [id, n] : handled) {
    EXPECT_EQ(n, 1) << id;
    const int i = std::stoi(id.substr(1));
    if (i < kJobs / 2) {
      ++early_by[by[id]];
    } else {
      EXPECT_EQ(by[id], "b") << id << ": a had stopped";
    }
  }
  // The early jobs lie evenly over the 4 partitions; each instance worked 2 of them.
  EXPECT_EQ(early_by["a"], kJobs / 4) << "2 of 4 partitions, 25 early jobs in each";
  EXPECT_EQ(early_by["b"], kJobs / 4);
  EXPECT_EQ(metrics.queue("rem").done->Value(), kJobs);
  EXPECT_GE(metrics.queue("rem").lateness->Collect().histogram.sample_count, kJobs);
}

// A partition moves to the instance whose share it becomes only once the jobs out with its
// holder's handlers are answered: its next holder never starts with work still in flight.
TEST_F(SchedulerTest, APartitionMovesOnlyWhenItsJobsOutAreAnswered) {
  ManualClock clock(t0_);
  SchedulerMetrics metrics(registry_, {"rem"});
  DueQueue q(*client_, keys_, "rem", Options());
  const SchedulerOptions o = FastRuntime();
  absl::Mutex mu;
  std::vector<JobDone> out;  // a's handlers that have not answered yet
  std::map<std::string, std::string> by;
  Scheduler a(*client_, keys_, clock, metrics, o, "a");
  Scheduler b(*client_, keys_, clock, metrics, o, "b");
  a.AddQueue(q, [&](const Lease&, const Job& job, absl::Time, JobDone done) {
    absl::MutexLock lock(&mu);
    by[job.id] = "a";
    out.push_back(std::move(done));
  });
  b.AddQueue(q, [&](const Lease&, const Job& job, absl::Time, JobDone done) {
    absl::MutexLock lock(&mu);
    by[job.id] = "b";
    done(JobResult::kAcknowledge);
  });
  for (int p = 0; p < 4; ++p) Schedule(q, p, "j" + std::to_string(p), t0_);
  a.Start();
  auto handed = [&] {
    absl::MutexLock lock(&mu);
    return out.size();
  };
  for (int i = 0; i < 300 && handed() < 4; ++i) absl::SleepFor(absl::Milliseconds(10));
  ASSERT_EQ(handed(), 4u);
  b.Start();
  absl::SleepFor(absl::Milliseconds(500));  // five renewals
  EXPECT_EQ(a.leases_held(), 4) << "b's share still has a's jobs out";
  EXPECT_EQ(b.leases_held(), 0);
  {
    absl::MutexLock lock(&mu);
    for (auto& done : out) done(JobResult::kAcknowledge);
  }
  for (int i = 0; i < 300 && b.leases_held() < 2; ++i) absl::SleepFor(absl::Milliseconds(10));
  EXPECT_EQ(a.leases_held(), 2);
  EXPECT_EQ(b.leases_held(), 2);
  a.Stop();
  b.Stop();
  absl::MutexLock lock(&mu);
  EXPECT_EQ(by.size(), 4u);
  for (const auto& [id, who] : by) EXPECT_EQ(who, "a") << id << " was handed out once, to a";
  EXPECT_EQ(metrics.queue("rem").done->Value(), 4) << "every answer was acknowledged";
}

// However many jobs are due, no more than max_outstanding are out with handlers at once; the
// rest wait on their queue until handlers answer.
TEST_F(SchedulerTest, JobsOutWithHandlersStayWithinTheBound) {
  ManualClock clock(t0_);
  SchedulerMetrics metrics(registry_, {"rem"});
  DueQueue q(*client_, keys_, "rem", Options());
  SchedulerOptions o = FastRuntime();
  o.max_outstanding = 5;
  absl::Mutex mu;
  std::vector<JobDone> held;  // handlers that have not answered yet
  int handed = 0;
  Scheduler s(*client_, keys_, clock, metrics, o, "w");
  s.AddQueue(q, [&](const Lease&, const Job&, absl::Time, JobDone done) {
    absl::MutexLock lock(&mu);
    ++handed;
    held.push_back(std::move(done));
  });
  constexpr int kJobs = 40;
  for (int i = 0; i < kJobs; ++i) Schedule(q, i % 4, "j" + std::to_string(i), t0_);
  s.Start();
  auto count = [&] {
    absl::MutexLock lock(&mu);
    return handed;
  };
  for (int i = 0; i < 300 && count() < 5; ++i) absl::SleepFor(absl::Milliseconds(10));
  absl::SleepFor(absl::Milliseconds(200));  // many ticks: none may hand out more
  EXPECT_EQ(count(), 5);
  // Answer as they come: all forty get through, never more than five at once.
  for (int i = 0; i < 1000 && count() < kJobs; ++i) {
    std::vector<JobDone> now;
    {
      absl::MutexLock lock(&mu);
      EXPECT_LE(held.size(), 5u);
      now.swap(held);
    }
    for (auto& d : now) d(JobResult::kAcknowledge);
    absl::SleepFor(absl::Milliseconds(10));
  }
  {
    absl::MutexLock lock(&mu);
    for (auto& d : held) d(JobResult::kAcknowledge);
    held.clear();
  }
  s.Stop();
  EXPECT_EQ(count(), kJobs);
}

// Pre-sale work first: while reminders are due, sweeps claim only a trickle, and catch up after.
TEST_F(SchedulerTest, AfterSalesWorkGivesWayToPreSaleWork) {
  ManualClock clock(t0_);
  SchedulerMetrics metrics(registry_, {"rem", "shp"});
  DueQueue reminders(*client_, keys_, "rem", Options());
  DueQueue sweeps(*client_, keys_, "shp", Options());
  SchedulerOptions o = FastRuntime();
  o.claim_batch = 10;  // 4 partitions x 10: reminders take several ticks
  absl::Mutex mu;
  std::vector<std::string> order;  // queue of each job handed over, in turn
  auto handler = [&](const char* queue) {
    return [&, queue](const Lease&, const Job&, absl::Time, JobDone done) {
      {
        absl::MutexLock lock(&mu);
        order.push_back(queue);
      }
      done(JobResult::kAcknowledge);
    };
  };
  Scheduler s(*client_, keys_, clock, metrics, o, "w");
  s.AddQueue(reminders, handler("rem"));
  s.AddQueue(sweeps, handler("shp"), Priority::kAfterSales);
  constexpr int kJobs = 300;
  for (int i = 0; i < kJobs; ++i) {
    Schedule(sweeps, i % 4, "s" + std::to_string(i), t0_ - absl::Seconds(1));
    Schedule(reminders, i % 4, "r" + std::to_string(i), t0_);
  }
  s.Start();
  auto handed = [&] {
    absl::MutexLock lock(&mu);
    return order.size();
  };
  for (int i = 0; i < 500 && handed() < 2 * kJobs; ++i) absl::SleepFor(absl::Milliseconds(10));
  s.Stop();
  absl::MutexLock lock(&mu);
  ASSERT_EQ(order.size(), 2u * kJobs) << "everything is handled in the end";
  const auto last_reminder = std::find(order.rbegin(), order.rend(), "rem");
  const auto sweeps_before = std::count(last_reminder, order.rend(), "shp");
  // Unprioritised, both queues would claim 40 a tick and about 300 sweeps would go first.
  EXPECT_LT(sweeps_before, 100) << "sweeps handed before the last reminder";
  EXPECT_GT(metrics.queue("shp").yielded->Value(), 0);
  EXPECT_EQ(metrics.queue("rem").yielded->Value(), 0);
}

// Reminders that are due but all claimed in their tick are not behind: sweeps keep their pace.
TEST_F(SchedulerTest, DueRemindersThatKeepUpTakeNothingFromSweeps) {
  ManualClock clock(t0_);
  SchedulerMetrics metrics(registry_, {"rem", "shp"});
  DueQueue reminders(*client_, keys_, "rem", Options());
  DueQueue sweeps(*client_, keys_, "shp", Options());
  std::atomic<int> handed{0};
  auto handler = [&](const Lease&, const Job&, absl::Time, JobDone done) {
    ++handed;
    done(JobResult::kAcknowledge);
  };
  Scheduler s(*client_, keys_, clock, metrics, FastRuntime(), "w");
  s.AddQueue(reminders, handler);
  s.AddQueue(sweeps, handler, Priority::kAfterSales);
  for (int i = 0; i < 200; ++i) Schedule(sweeps, i % 4, "s" + std::to_string(i), t0_);
  for (int p = 0; p < 4; ++p) Schedule(reminders, p, "r" + std::to_string(p), t0_);
  s.Start();
  for (int i = 0; i < 500 && handed.load() < 204; ++i) absl::SleepFor(absl::Milliseconds(10));
  s.Stop();
  EXPECT_EQ(handed.load(), 204);
  EXPECT_EQ(metrics.queue("shp").yielded->Value(), 0)
      << "four due reminders, one claim each, held the sweeps back";
}

// With room for one partition a tick, the partitions take turns: none waits until another that
// always has work runs dry.
TEST_F(SchedulerTest, PartitionsTakeTurnsWhenATickHasRoomForFew) {
  ManualClock clock(t0_);
  SchedulerMetrics metrics(registry_, {"shp"});
  DueQueue sweeps(*client_, keys_, "shp", Options());
  SchedulerOptions o = FastRuntime();
  o.after_sales_per_tick = 1;  // one partition, one job a tick
  absl::Mutex mu;
  std::vector<int> partitions;  // of each job handed over, in turn
  Scheduler s(*client_, keys_, clock, metrics, o, "w");
  s.AddQueue(
      sweeps,
      [&](const Lease& lease, const Job&, absl::Time, JobDone done) {
        {
          absl::MutexLock lock(&mu);
          partitions.push_back(lease.partition);
        }
        done(JobResult::kAcknowledge);
      },
      Priority::kAfterSales);
  for (int i = 0; i < 120; ++i) Schedule(sweeps, i % 4, "s" + std::to_string(i), t0_);
  s.Start();
  auto handed = [&] {
    absl::MutexLock lock(&mu);
    return partitions.size();
  };
  for (int i = 0; i < 500 && handed() < 120; ++i) absl::SleepFor(absl::Milliseconds(10));
  s.Stop();
  absl::MutexLock lock(&mu);
  ASSERT_EQ(partitions.size(), 120u);
  // Each partition holds 30: taking turns, the first 12 come from all four (in a fixed order,
  // the first 30 would all come from one).
  std::set<int> first(partitions.begin(), partitions.begin() + 12);
  EXPECT_EQ(first.size(), 4u);
}

}  // namespace
}  // namespace orderwatch::scheduler
