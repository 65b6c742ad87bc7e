#include "services/reminders/reminder_settings.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/orders/order_fields.h"
#include "services/reminders/reminder_policy.h"
#include "services/reminders/reminder_records.h"
#include "services/reminders/reminder_template.h"

namespace orderwatch::reminders {

std::string TemplateField(v1::ReminderKind kind, v1::Channel channel, bool peak) {
  return absl::StrCat("t:", static_cast<int>(kind), ":", static_cast<int>(channel), ":",
                      peak ? 1 : 0);
}

std::string ReminderSettings::TemplateFor(v1::ReminderKind kind, v1::Channel channel,
                                          bool peak) const {
  auto it = templates.find(TemplateField(kind, channel, peak));
  return it != templates.end() ? it->second : DefaultTemplate(kind, channel, peak);
}

bool ReminderSettings::HasOwnTemplate(v1::ReminderKind kind, v1::Channel channel, bool peak) const {
  return templates.contains(TemplateField(kind, channel, peak));
}

v1::ReminderPolicy ReminderSettings::OwnPolicy() const {
  v1::ReminderPolicy own = policy;
  if (peak_from_all_shops) own.clear_peak();
  return own;
}

std::string ReminderSettings::ShopName(const std::string& shop) const {
  return policy.shop_name().empty() ? shop : policy.shop_name();
}

TemplateValues ReminderSettings::ValuesFor(const std::string& shop, const std::string& order_id,
                                           const redis::Reply& order_hash) const {
  const OrderFacts facts = FactsFromHash(order_hash);
  TemplateValues v;
  v.shop_name = ShopName(shop);
  v.buyer_nick = facts.buyer_id;
  v.order_id = order_id;
  v.amount_fen = facts.amount_fen;
  for (size_t i = 0; i + 1 < order_hash.elements.size(); i += 2) {
    if (order_hash.elements[i].str == orders::field::kItems)
      v.items = order_hash.elements[i + 1].str;
  }
  v.pay_deadline = facts.auto_close;
  v.zone = Zone();
  return v;
}

ReminderSettingsStore::ReminderSettingsStore(redis::Client& redis, const redis::KeyScheme& keys,
                                             absl::Duration fresh)
    : redis_(redis), keys_(keys), fresh_(fresh) {}

void ReminderSettingsStore::GetAllShopsPeak(absl::Time deadline, Done<v1::PeakMode> done) {
  redis_.Run(redis::Command::Of({"GET", redis::KeyScheme::AllShopsPeak()}), deadline,
             [done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               v1::PeakMode peak;
               if (!r->is_nil() && !peak.ParseFromString(r->str)) {
                 return done(absl::DataLossError("all-shops peak: stored bytes do not parse"));
               }
               done(std::move(peak));
             });
}

void ReminderSettingsStore::SetAllShopsPeak(const v1::PeakMode& peak, absl::Time deadline,
                                            Done<v1::PeakMode> done) {
  const bool ends = peak.start_unix_ms() == 0;
  v1::PeakMode known = peak;
  known.DiscardUnknownFields();
  redis::Command command = ends ? redis::Command::Of({"DEL", redis::KeyScheme::AllShopsPeak()})
                                : redis::Command::Of({"SET", redis::KeyScheme::AllShopsPeak(),
                                                      known.SerializeAsString()});
  redis_.Run(std::move(command), deadline,
             [this, peak, ends, done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               {
                 absl::MutexLock lock(&mu_);
                 for (auto it = cache_.begin(); it != cache_.end();) {
                   if (it->second.loading) {
                     ++it;
                   } else {
                     cache_.erase(it++);
                   }
                 }
               }
               done(ends ? v1::PeakMode() : peak);
             });
}

void ReminderSettingsStore::Forget(const std::string& shop) {
  absl::MutexLock lock(&mu_);
  auto it = cache_.find(shop);
  if (it != cache_.end() && !it->second.loading) cache_.erase(it);
}

void ReminderSettingsStore::Load(const std::string& shop, absl::Time deadline,
                                 Done<SharedSettings> done) {
  std::vector<redis::Command> reads;
  reads.push_back(redis::Command::Of({"HGETALL", keys_.ReminderPolicy(shop)}));
  reads.push_back(redis::Command::Of({"GET", redis::KeyScheme::AllShopsPeak()}));
  redis_.RunAll(
      std::move(reads), deadline,
      [this, shop,
       done = std::move(done)](std::vector<absl::StatusOr<redis::Reply>> replies) mutable {
        const absl::StatusOr<redis::Reply>& r = replies[0];
        v1::PeakMode all_shops;
        absl::Status failed = !r.ok() ? r.status() : replies[1].status();
        if (failed.ok() && !replies[1]->is_nil() && !all_shops.ParseFromString(replies[1]->str)) {
          failed = absl::DataLossError("all-shops peak: stored bytes do not parse");
        }
        if (!failed.ok()) {
          absl::MutexLock lock(&mu_);
          cache_[shop].loading = false;
          return done(failed);
        }
        ReminderSettings s;
        s.policy = DefaultPolicy();
        int64_t version = 0;
        for (size_t i = 0; i + 1 < r->elements.size(); i += 2) {
          const std::string& k = r->elements[i].str;
          const std::string& v = r->elements[i + 1].str;
          if (k == "v") {
            absl::SimpleAtoi(v, &version);
          } else if (k == "p") {
            if (!s.policy.ParseFromString(v)) {
              absl::MutexLock lock(&mu_);
              cache_[shop].loading = false;
              return done(absl::DataLossError(
                  absl::StrCat("reminder policy of shop ", shop, ": stored bytes do not parse")));
            }
          } else if (absl::StartsWith(k, "t:")) {
            s.templates[k] = v;
          }
        }
        s.policy.set_version(version);
        if (!absl::LoadTimeZone(s.policy.time_zone(), &s.zone)) s.zone = absl::UTCTimeZone();
        if (s.policy.peak().start_unix_ms() == 0 && all_shops.start_unix_ms() != 0) {
          *s.policy.mutable_peak() = all_shops;
          s.peak_from_all_shops = true;
        }
        auto shared = std::make_shared<const ReminderSettings>(std::move(s));
        {
          absl::MutexLock lock(&mu_);
          Entry& e = cache_[shop];
          e.settings = shared;
          e.read = absl::Now();
          e.loading = false;
        }
        done(std::move(shared));
      });
}

void ReminderSettingsStore::Get(const std::string& shop, absl::Time deadline,
                                Done<SharedSettings> done) {
  SharedSettings cached;
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(shop);
    if (it != cache_.end() && absl::Now() - it->second.read < fresh_) cached = it->second.settings;
  }
  if (cached != nullptr) return done(std::move(cached));
  Load(shop, deadline, std::move(done));
}

SharedSettings ReminderSettingsStore::Peek(const std::string& shop, bool* fresh) {
  SharedSettings cached;
  *fresh = false;
  {
    absl::MutexLock lock(&mu_);
    Entry& e = cache_[shop];
    if (e.read != absl::InfinitePast()) {
      cached = e.settings;
      *fresh = absl::Now() - e.read < fresh_;
    }
    if (*fresh || e.loading) return cached;
    e.loading = true;
  }
  Load(shop, absl::Now() + absl::Seconds(5), [](absl::StatusOr<SharedSettings>) {});
  return cached;
}

void ReminderSettingsStore::SetPolicy(const std::string& shop, v1::ReminderPolicy policy,
                                      std::optional<int64_t> expected_version, absl::Time deadline,
                                      Done<v1::ReminderPolicy> done) {
  policy.clear_version();
  policy.DiscardUnknownFields();  // what a newer client sent is not kept for it
  std::string bytes;
  policy.SerializeToString(&bytes);
  set_policy_.Run(redis_, keys_.ReminderPolicy(shop), std::move(bytes), expected_version, deadline,
                  [this, shop, policy = std::move(policy),
                   done = std::move(done)](absl::StatusOr<int64_t> version) mutable {
                    if (!version.ok()) return done(version.status());
                    policy.set_version(*version);
                    Forget(shop);  // the next read loads what was written
                    done(std::move(policy));
                  });
}

void ReminderSettingsStore::SetTemplate(const std::string& shop, const v1::Template& t,
                                        absl::Time deadline, Done<v1::Template> done) {
  const std::string field = TemplateField(t.kind(), t.channel(), t.peak());
  redis::Command command =
      t.text().empty() ? redis::Command::Of({"HDEL", keys_.ReminderPolicy(shop), field})
                       : redis::Command::Of({"HSET", keys_.ReminderPolicy(shop), field, t.text()});
  redis_.Run(std::move(command), deadline,
             [this, shop, t, done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               Forget(shop);
               v1::Template out = t;
               if (out.text().empty()) {
                 out.set_text(DefaultTemplate(t.kind(), t.channel(), t.peak()));
                 out.set_built_in(true);
               } else {
                 out.set_built_in(false);
               }
               done(std::move(out));
             });
}

}  // namespace orderwatch::reminders
