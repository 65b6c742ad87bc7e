// Reminders.Stats: what payment reminders did for a shop on one day. The counters are written by
// the scripts that make the facts (reminder_commit.lua: sent, skipped, held out, eligible, per
// agent; order_apply_event.lua: placed, paid the same day, paid after a reminder or a holdout)
// into one hash per partition and day (redis::KeyScheme::ReminderStats); a Stats call adds up the
// partitions. Per-shop figures live here, never in metric labels.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/time/time.h"
#include "orderwatch/v1/reminders.pb.h"
#include "services/common/async.h"
#include "services/common/auth.h"
#include "services/common/clock.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/reminders/reminder_settings.h"

namespace orderwatch::reminders {

// The response from a day's counters, summed over the partitions, as `reader` may see it: the
// per-agent lines are for supervisors and ops; an agent sees only its own, a storefront none.
v1::ReminderStats StatsFromCounters(const std::string& day,
                                    const std::map<std::string, int64_t>& counters,
                                    const Principal& reader);

class ReminderStatsReader {
 public:
  ReminderStatsReader(redis::Client& redis, const redis::KeyScheme& keys, const Clock& clock,
                      ReminderSettingsStore& settings);

  void Read(const Principal& who, const v1::ReminderStatsRequest& request, absl::Time deadline,
            Done<v1::ReminderStats> done);

 private:
  void ReadDay(const Principal& who, absl::CivilDay day, absl::Time deadline,
               Done<v1::ReminderStats> done);

  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  const Clock& clock_;
  ReminderSettingsStore& settings_;
};

}  // namespace orderwatch::reminders
