// A shop's reminder settings in Redis: its policy and its templates, in one hash
// (ow:{s<shop>}:policy: v = version, p = the policy's protobuf, t:<kind>:<channel>:<0|1> = a
// template), read together and cached: order ingestion asks for a shop's policy on every
// created order and must not wait for Redis, so it peeks at the cache (a missing or old entry
// starts a load); workers and the Reminders API read through it.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "orderwatch/v1/reminders.pb.h"
#include "services/common/async.h"
#include "services/redis/client.h"
#include "services/redis/keys.h"
#include "services/redis/policy_write.h"
#include "services/redis/reply.h"
#include "services/reminders/reminder_template.h"

namespace orderwatch::reminders {

struct ReminderSettings {
  // The shop's policy as planning uses it: with the all-shops peak window when the shop has no
  // peak window of its own.
  v1::ReminderPolicy policy;
  bool peak_from_all_shops = false;
  absl::flat_hash_map<std::string, std::string> templates;  // by TemplateField()

  // The policy as the shop set it (what GetPolicy shows and SetPolicy compares).
  v1::ReminderPolicy OwnPolicy() const;
  // The shop's template, or the built-in one.
  std::string TemplateFor(v1::ReminderKind kind, v1::Channel channel, bool peak) const;
  bool HasOwnTemplate(v1::ReminderKind kind, v1::Channel channel, bool peak) const;
  // {shop_name}: the policy's shop name, else the shop id.
  std::string ShopName(const std::string& shop) const;
  // The policy's time zone (UTC if it does not load, which validation prevents), loaded once
  // with the settings: every created order and reminder asks for it.
  absl::TimeZone Zone() const { return zone; }
  absl::TimeZone zone = absl::UTCTimeZone();
  // What a template is filled in with for an order (from its HGETALL).
  TemplateValues ValuesFor(const std::string& shop, const std::string& order_id,
                           const redis::Reply& order_hash) const;
};

// Shared read-only between the cache and its readers: reading settings never copies them.
using SharedSettings = std::shared_ptr<const ReminderSettings>;

// "t:<kind>:<channel>:<0|1>"
std::string TemplateField(v1::ReminderKind kind, v1::Channel channel, bool peak);

class ReminderSettingsStore {
 public:
  // Cached settings are used for up to `fresh` after they were read (so a change made through
  // another instance shows within that time).
  ReminderSettingsStore(redis::Client& redis, const redis::KeyScheme& keys, absl::Duration fresh);

  // The shop's settings (the defaults when it never set any), from the cache while fresh.
  void Get(const std::string& shop, absl::Time deadline, Done<SharedSettings> done);
  // The cached settings without waiting, even if old (`fresh` says whether they are), or null;
  // a missing or old entry starts a load.
  SharedSettings Peek(const std::string& shop, bool* fresh);
  // Validated by the caller. ABORTED with the current version when expected_version is stale.
  void SetPolicy(const std::string& shop, v1::ReminderPolicy policy,
                 std::optional<int64_t> expected_version, absl::Time deadline,
                 Done<v1::ReminderPolicy> done);
  // Peak mode for all shops: an empty PeakMode when none is set. Setting it (validated by the
  // caller; start and end 0 ends it) drops this instance's cache so it applies at once here.
  void GetAllShopsPeak(absl::Time deadline, Done<v1::PeakMode> done);
  void SetAllShopsPeak(const v1::PeakMode& peak, absl::Time deadline, Done<v1::PeakMode> done);
  // Validated by the caller; empty text removes the shop's own template.
  void SetTemplate(const std::string& shop, const v1::Template& t, absl::Time deadline,
                   Done<v1::Template> done);

 private:
  struct Entry {
    SharedSettings settings;
    absl::Time read = absl::InfinitePast();
    bool loading = false;
  };
  void Load(const std::string& shop, absl::Time deadline, Done<SharedSettings> done);
  void Forget(const std::string& shop);

  redis::Client& redis_;
  const redis::KeyScheme& keys_;
  absl::Duration fresh_;
  redis::PolicyWrite set_policy_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace orderwatch::reminders
