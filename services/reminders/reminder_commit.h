// Commits one reminder (sent or skipped) of an order with reminder_commit.lua: the record, the
// counters, the delivery job, the system remark and the next automatic reminder in one step.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "orderwatch/v1/reminders.pb.h"
#include "services/common/async.h"
#include "services/common/retention.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/redis/script.h"
#include "services/scheduler/lease.h"

namespace orderwatch::reminders {

struct Commit {
  std::string shop, order_id;
  std::optional<scheduler::Lease> lease;  // the claimed job's lease; none for an agent's Trigger
  int recorded = 0;                       // records seen when deciding (compare-and-set)
  absl::Time now;
  absl::TimeZone zone;  // the shop's: which day's stats count the reminder
  bool sent = true;     // false: recorded as skipped with `reason`
  v1::ReminderKind kind = v1::REMINDER_KIND_UNSPECIFIED;
  v1::Channel channel = v1::CHANNEL_IM;
  std::string agent;  // empty for automatic reminders
  absl::Time due;
  std::string reason;
  std::string text;
  std::optional<absl::Time> next_due;  // the order's next automatic reminder (queued jobs only)
  std::string remark_line;             // empty: the remark is left alone
  std::string request_id;              // empty: not an idempotent request
  std::vector<std::string> merged_order_ids;  // the buyer's other orders the message covers
};

struct Committed {
  enum class What { kOk, kReplay, kGone, kUnknownOrder, kSettled, kStale };
  What what = What::kOk;
  int number = 0;       // kOk, kReplay: the record's number
  int64_t version = 0;  // kOk: the remark's new version (0: unchanged)
  std::string settled;  // kSettled: the order field that settled it (paid, cls, rfd, shp)
  redis::Reply record;  // kOk, kReplay: the record and its answer (ReminderFromRecord reads it)
};

class ReminderCommitter {
 public:
  ReminderCommitter(redis::Client& redis, const redis::KeyScheme& keys, Retention retention);

  // FAILED_PRECONDITION (scheduler::LeaseLost) when the lease was lost.
  void Run(const Commit& commit, absl::Time deadline, Done<Committed> done);

 private:
  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  Retention retention_;
  redis::Script script_;
};

}  // namespace orderwatch::reminders
