#include "services/scheduler/due_queue.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace orderwatch::scheduler {
namespace lua {
extern const std::string_view kJobClaim;
extern const std::string_view kJobAck;
extern const std::string_view kJobRetry;
extern const std::string_view kJobCancel;
extern const std::string_view kJobSchedule;
extern const std::string_view kQueueStats;
}  // namespace lua

namespace {

// Marks a LeaseLost() status, whatever its message says or whoever passes it on.
constexpr absl::string_view kLeaseLostPayload = "type.orderwatch/scheduler.LeaseLost";

bool IsFenced(const redis::Reply& r) {
  return r.type == redis::Reply::Type::kArray && !r.elements.empty() &&
         r.elements[0].str == "fenced";
}

absl::Status Unexpected(const std::string& script) {
  return absl::InternalError(absl::StrCat(script, ": unexpected reply"));
}

}  // namespace

absl::Status LeaseLost(const Lease& lease) {
  absl::Status s = absl::FailedPreconditionError(
      absl::StrCat("partition ", lease.partition, ": lease lost (token ", lease.token, ")"));
  s.SetPayload(kLeaseLostPayload, absl::Cord(absl::StrCat(lease.token)));
  return s;
}

bool IsLeaseLost(const absl::Status& status) {
  return status.GetPayload(kLeaseLostPayload).has_value();
}

DueQueue::DueQueue(redis::Client& redis, const redis::KeyScheme& keys, std::string name,
                   QueueOptions options)
    : redis_(redis),
      keys_(keys),
      name_(std::move(name)),
      options_(options),
      claim_("job_claim", lua::kJobClaim),
      ack_("job_ack", lua::kJobAck),
      retry_("job_retry", lua::kJobRetry),
      cancel_("job_cancel", lua::kJobCancel),
      schedule_("job_schedule", lua::kJobSchedule),
      stats_("queue_stats", lua::kQueueStats) {}

void DueQueue::Schedule(int partition, const std::string& id, absl::Time due, absl::Time deadline,
                        Done<bool> done) {
  redis_.Run(redis::Command::Eval(schedule_, {Keys(partition).due}, {id, redis::MsArg(due)}),
             deadline,
             [done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               done(r->integer == 1);
             });
}

void DueQueue::Cancel(int partition, const std::string& id, absl::Time deadline, Done<bool> done) {
  auto k = Keys(partition);
  redis_.Run(redis::Command::Eval(cancel_, {k.due, k.in_flight, k.attempts}, {id}), deadline,
             [done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               done(r->integer == 1);
             });
}

redis::Command DueQueue::ClaimCommand(const Lease& lease, absl::Time now, int limit) const {
  auto k = Keys(lease.partition);
  return redis::Command::Eval(
      claim_, {keys_.Lease(lease.partition), k.due, k.in_flight, k.attempts, k.dead},
      {lease.value(), redis::MsArg(now), absl::StrCat(limit), redis::MsArg(options_.in_flight),
       absl::StrCat(options_.max_attempts)});
}

absl::StatusOr<Claimed> DueQueue::ParseClaim(const Lease& lease,
                                             const absl::StatusOr<redis::Reply>& r) const {
  if (!r.ok()) return r.status();
  if (IsFenced(*r)) return LeaseLost(lease);
  const auto& e = r->elements;
  if (r->type != redis::Reply::Type::kArray || e.size() < 4 || (e.size() - 4) % 3 != 0) {
    return Unexpected("job_claim");
  }
  Claimed c;
  if (e[1].integer >= 0) c.next = absl::FromUnixMillis(e[1].integer);
  c.reaped = static_cast<int>(e[2].integer);
  c.dead = static_cast<int>(e[3].integer);
  for (size_t i = 4; i < e.size(); i += 3) {
    c.jobs.push_back(
        Job{e[i].str, absl::FromUnixMillis(e[i + 1].integer), static_cast<int>(e[i + 2].integer)});
  }
  return c;
}

void DueQueue::Claim(const Lease& lease, absl::Time now, int limit, absl::Time deadline,
                     Done<Claimed> done) {
  redis_.Run(ClaimCommand(lease, now, limit), deadline,
             [this, lease, done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               done(ParseClaim(lease, r));
             });
}

void DueQueue::Ack(const Lease& lease, const std::string& id, absl::Time deadline,
                   Done<bool> done) {
  auto k = Keys(lease.partition);
  redis_.Run(redis::Command::Eval(ack_, {keys_.Lease(lease.partition), k.in_flight, k.attempts},
                                  {lease.value(), id}),
             deadline, [lease, done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               if (IsFenced(*r)) return done(LeaseLost(lease));
               if (r->elements.size() != 2) return done(Unexpected("job_ack"));
               done(r->elements[1].integer == 1);
             });
}

void DueQueue::Retry(const Lease& lease, const std::string& id, absl::Time now,
                     const std::string& reason, absl::Time deadline, Done<RetryResult> done) {
  auto k = Keys(lease.partition);
  redis_.Run(
      redis::Command::Eval(
          retry_, {keys_.Lease(lease.partition), k.due, k.in_flight, k.attempts, k.dead},
          {lease.value(), id, redis::MsArg(now), redis::MsArg(options_.first_backoff),
           redis::MsArg(options_.longest_backoff), absl::StrCat(options_.max_attempts), reason}),
      deadline, [lease, done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
        if (!r.ok()) return done(r.status());
        if (IsFenced(*r)) return done(LeaseLost(lease));
        if (r->type != redis::Reply::Type::kArray || r->elements.empty()) {
          return done(Unexpected("job_retry"));
        }
        const std::string& what = r->elements[0].str;
        if (what == "retry") return done(RetryResult::kRetried);
        if (what == "dead") return done(RetryResult::kDead);
        if (what == "gone") return done(RetryResult::kGone);
        done(Unexpected("job_retry"));
      });
}

redis::Command DueQueue::StatsCommand(int partition) const {
  auto k = Keys(partition);
  return redis::Command::Eval(stats_, {k.due, k.in_flight, k.dead}, {});
}

absl::StatusOr<QueueStats> DueQueue::ParseStats(const absl::StatusOr<redis::Reply>& r) {
  if (!r.ok()) return r.status();
  if (r->type != redis::Reply::Type::kArray || r->elements.size() != 4) {
    return Unexpected("queue_stats");
  }
  QueueStats s;
  s.due = r->elements[0].integer;
  s.in_flight = r->elements[1].integer;
  s.dead = r->elements[2].integer;
  if (r->elements[3].integer >= 0) s.earliest = absl::FromUnixMillis(r->elements[3].integer);
  return s;
}

void DueQueue::DeadLetters(int partition, absl::Time deadline,
                           Done<std::vector<std::pair<std::string, std::string>>> done) {
  redis_.Run(redis::Command::Of({"HGETALL", Keys(partition).dead}), deadline,
             [done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               std::vector<std::pair<std::string, std::string>> out;
               for (size_t i = 0; i + 1 < r->elements.size(); i += 2) {
                 out.emplace_back(r->elements[i].str, r->elements[i + 1].str);
               }
               done(std::move(out));
             });
}

}  // namespace orderwatch::scheduler
