#include "services/reminders/reminder_stats.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/validate.h"
#include "services/reminders/reminder_records.h"

namespace orderwatch::reminders {
namespace {

int64_t Get(const std::map<std::string, int64_t>& c, const std::string& name) {
  auto it = c.find(name);
  return it == c.end() ? 0 : it->second;
}

}  // namespace

v1::ReminderStats StatsFromCounters(const std::string& day, const std::map<std::string, int64_t>& c,
                                    const Principal& reader) {
  const bool all_agents = reader.role == Role::kSupervisor || reader.role == Role::kOps;
  v1::ReminderStats s;
  s.set_day(day);
  s.set_orders_placed(Get(c, "placed"));
  s.set_orders_paid_same_day(Get(c, "paid_same_day"));
  if (s.orders_placed() > 0) {
    s.set_placed_to_paid_rate(static_cast<double>(s.orders_paid_same_day()) /
                              static_cast<double>(s.orders_placed()));
  }
  s.set_eligible_orders(Get(c, "eligible_orders"));
  for (v1::ReminderKind kind : kReminderKinds) {
    const std::string k = absl::StrCat(static_cast<int>(kind));
    v1::ReminderKindStats ks;
    ks.set_kind(kind);
    ks.set_eligible(Get(c, "eligible:" + k));
    ks.set_sent_im(Get(c, absl::StrCat("sent:", k, ":", static_cast<int>(v1::CHANNEL_IM))));
    ks.set_sent_sms(Get(c, absl::StrCat("sent:", k, ":", static_cast<int>(v1::CHANNEL_SMS))));
    ks.set_sent_phone(Get(c, absl::StrCat("sent:", k, ":", static_cast<int>(v1::CHANNEL_PHONE))));
    ks.set_sent(ks.sent_im() + ks.sent_sms() + ks.sent_phone());
    ks.set_held_out(Get(c, "held_out:" + k));
    ks.set_paid_after(Get(c, "paid_after:" + k));
    ks.set_recovered_fen(Get(c, "recovered_fen:" + k));
    s.set_held_out(s.held_out() + ks.held_out());
    s.set_paid_after_reminder(s.paid_after_reminder() + ks.paid_after());
    s.set_recovered_fen(s.recovered_fen() + ks.recovered_fen());
    *s.add_kinds() = std::move(ks);
  }
  s.set_paid_within_1h(Get(c, "paid_within:1h"));
  s.set_paid_within_6h(Get(c, "paid_within:6h"));
  s.set_paid_within_24h(Get(c, "paid_within:24h"));
  s.set_paid_later(Get(c, "paid_within:later"));
  s.set_held_out_paid(Get(c, "holdout_paid"));
  s.set_held_out_recovered_fen(Get(c, "holdout_recovered_fen"));
  std::vector<v1::AgentReminders> agents;
  for (const auto& [name, n] : c) {
    if (absl::StartsWith(name, "skipped:")) {
      (*s.mutable_skipped())[name.substr(8)] = n;
    } else if (absl::StartsWith(name, "agent:") &&
               (all_agents || (reader.role == Role::kAgent && name.substr(6) == reader.agent))) {
      v1::AgentReminders a;
      a.set_agent_id(name.substr(6));
      a.set_sent(n);
      agents.push_back(std::move(a));
    }
  }
  std::sort(agents.begin(), agents.end(), [](const auto& a, const auto& b) {
    return a.sent() != b.sent() ? a.sent() > b.sent() : a.agent_id() < b.agent_id();
  });
  for (auto& a : agents) *s.add_agents() = std::move(a);
  return s;
}

ReminderStatsReader::ReminderStatsReader(redis::Client& redis, const redis::KeyScheme& keys,
                                         const Clock& clock, ReminderSettingsStore& settings)
    : redis_(redis), keys_(keys), clock_(clock), settings_(settings) {}

void ReminderStatsReader::Read(const Principal& who, const v1::ReminderStatsRequest& request,
                               absl::Time deadline, Done<v1::ReminderStats> done) {
  if (!request.day().empty()) {
    auto day = ParseDay("day", request.day());
    if (!day.ok()) return done(day.status());
    return ReadDay(who, *day, deadline, std::move(done));
  }
  // Today in the shop's zone.
  settings_.Get(
      who.shop, deadline,
      [this, who, deadline, done = std::move(done)](absl::StatusOr<SharedSettings> s) mutable {
        if (!s.ok()) return done(s.status());
        ReadDay(who, absl::ToCivilDay(clock_.Now(), (*s)->Zone()), deadline, std::move(done));
      });
}

void ReminderStatsReader::ReadDay(const Principal& who, absl::CivilDay day, absl::Time deadline,
                                  Done<v1::ReminderStats> done) {
  const std::string& shop = who.shop;
  const std::string key_day = absl::StrFormat("%04d%02d%02d", day.year(), day.month(), day.day());
  std::vector<redis::Command> reads;
  for (int p = 0; p < keys_.partitions(); ++p) {
    reads.push_back(redis::Command::Of({"HGETALL", keys_.ReminderStats(p, shop, key_day)}));
  }
  redis_.RunAll(std::move(reads), deadline,
                [day = absl::FormatCivilTime(day), who, done = std::move(done)](
                    std::vector<absl::StatusOr<redis::Reply>> replies) mutable {
                  std::map<std::string, int64_t> counters;
                  for (const auto& r : replies) {
                    if (!r.ok()) return done(r.status());
                    for (size_t i = 0; i + 1 < r->elements.size(); i += 2) {
                      int64_t n = 0;
                      if (absl::SimpleAtoi(r->elements[i + 1].str, &n)) {
                        counters[r->elements[i].str] += n;
                      }
                    }
                  }
                  done(StatsFromCounters(day, counters, who));
                });
}

}  // namespace orderwatch::reminders
