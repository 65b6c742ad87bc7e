// Where a shop's follow-ups are written and read (all under the shop's own hash tag, see
// services/redis/keys.h): creating one (idempotently) and reading them back as of the clock.
// Shared by the FollowUps API and the worker that opens follow-ups for order events.
#pragma once

#include <string>
#include <vector>

#include "orderwatch/v1/followups.pb.h"
#include "services/common/async.h"
#include "services/common/clock.h"
#include "services/followups/followup_metrics.h"
#include "services/followups/followup_rules.h"
#include "services/redis/client.h"
#include "services/redis/script.h"

namespace orderwatch::followups {

// The C++ side's names of a shop's follow-up keys (the scripts name the same from the base key,
// see lua/lib/followups.lua): the open follow-ups by deadline, of a kind or (UNSPECIFIED) all;
// one follow-up's record; an order's open follow-ups by kind.
std::string DeadlineListKey(const std::string& shop, v1::FollowUpKind kind);
std::string RecordKey(const std::string& shop, const std::string& id);
std::string OrderOpenKey(const std::string& shop, const std::string& order);

// ZCARD and ZCOUNT (deadline before `now`) of the shop's open follow-ups of each kind, in
// AllKinds() order: the replies come in pairs, open then overdue.
std::vector<redis::Command> OpenAndOverdueCounts(const std::string& shop, absl::Time now);

class FollowUpBook {
 public:
  FollowUpBook(redis::Client& redis, const Clock& clock, FollowUpMetrics& metrics);

  // Opens the follow-up, or finds the one its idempotency key made, or the order's open one of
  // the same kind; answers with it as stored.
  void Create(const std::string& shop, const NewFollowUp& f, absl::Time deadline,
              Done<v1::FollowUp> done);
  // Works an open follow-up (followup_update.lua: op "note", "complete" or "reassign" with that
  // op's arguments) as `agent` (`supervisor`: whoever holds the claim) and answers with it after.
  // NOT_FOUND, or FAILED_PRECONDITION when it is completed or another agent holds its claim.
  void Update(const std::string& shop, const std::string& agent, bool supervisor,
              const std::string& op, const std::string& id, std::vector<std::string> args,
              absl::Time deadline, Done<v1::FollowUp> done);
  // NOT_FOUND when there is no such follow-up (or it was completed long enough ago to expire).
  void Get(const std::string& shop, const std::string& id, absl::Time deadline,
           Done<v1::FollowUp> done);
  // The follow-ups that still exist, in the order asked.
  void GetAll(const std::string& shop, const std::vector<std::string>& ids, absl::Time deadline,
              Done<std::vector<v1::FollowUp>> done);

  const Clock& clock() const { return clock_; }

 private:
  redis::Client& redis_;
  const Clock& clock_;
  FollowUpMetrics& metrics_;
  redis::Script create_;
  redis::Script update_;
};

}  // namespace orderwatch::followups
