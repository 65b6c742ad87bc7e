#include "services/shipments/notice_worker.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/json_text.h"
#include "services/scheduler/order_job.h"
#include "services/scheduler/queues.h"
#include "services/shipments/shipment_policy.h"

namespace orderwatch::shipments {
namespace {

absl::Time Deadline() { return absl::Now() + absl::Seconds(5); }

}  // namespace

std::optional<dispatch::Delivery> NoticeFor(const std::string& shop, const std::string& order,
                                            const std::string& what, const redis::Reply& hash,
                                            const ShopFacts& facts,
                                            const v1::ShipmentPolicy& policy, absl::Time now) {
  const redis::HashFields o(hash);
  dispatch::Delivery d;
  d.idempotency_key = absl::StrCat(scheduler::OrderJobId(shop, order), ":", what);
  const std::string head =
      absl::StrCat("{\"idempotency_key\":", JsonQuote(d.idempotency_key),
                   ",\"shop\":", JsonQuote(shop), ",\"order_id\":", JsonQuote(order));
  if (what == "stop") {
    d.channel = "warehouse";
    d.json = absl::StrCat(head,
                          ",\"type\":\"stop_shipment\",\"refund_requested_unix_ms\":", o.num("rrq"),
                          ",\"items\":", JsonQuote(o.str("itm")), "}");
    return d;
  }
  const bool watched = o.has("paid") && !o.has("shp") && !o.has("cls") && !o.has("rfd");
  int stage = 0;
  if (what.size() != 2 || !absl::SimpleAtoi(what.substr(1), &stage) ||
      !v1::ShipmentStage_IsValid(stage) || stage == 0 || !watched) {
    return std::nullopt;
  }
  const auto s = static_cast<v1::ShipmentStage>(stage);
  const int64_t deadline = o.num("dl");
  if (what[0] == 'w') {
    d.channel = "warehouse";
    d.json = absl::StrCat(
        head, ",\"type\":\"shipment_stage\",\"stage\":", JsonQuote(StageName(s)),
        ",\"deadline_unix_ms\":", deadline, ",\"buyer_urged\":", o.has("urg") ? "true" : "false",
        ",\"compensation_fen\":", o.num("scf"), ",\"items\":", JsonQuote(o.str("itm")), "}");
    return d;
  }
  if (what[0] != 'b') return std::nullopt;
  // Before the deadline the promise still holds; past it, the buyer is given a new date.
  const absl::Time expected = ExpectedShip(s, absl::FromUnixMillis(deadline), policy, now);
  reminders::TemplateValues values;
  values.shop_name = facts.name.empty() ? shop : facts.name;
  values.buyer_nick = o.str("buy");
  values.order_id = order;
  values.amount_fen = o.num("amt");
  values.items = o.str("itm");
  values.ship_date = expected;
  values.zone = facts.zone;
  const std::string text = DelayNoticeText(policy, values, now);
  d.channel = "im";
  d.json = absl::StrCat(head, ",\"type\":\"shipment_delay\",\"stage\":", JsonQuote(StageName(s)),
                        ",\"buyer_id\":", JsonQuote(o.str("buy")),
                        ",\"buyer_phone_hash\":", JsonQuote(o.str("ph")),
                        ",\"expected_ship_unix_ms\":", absl::ToUnixMillis(expected),
                        ",\"text\":", JsonQuote(text), "}");
  return d;
}

NoticeWorker::NoticeWorker(redis::Client& redis, const redis::KeyScheme& keys,
                           dispatch::DeliverySink& sink, ShopFactsOf shop_facts,
                           ShipmentPolicyStore& policies, prometheus::Registry& registry,
                           scheduler::QueueOptions queue)
    : redis_(redis),
      keys_(keys),
      sink_(sink),
      shop_facts_(std::move(shop_facts)),
      policies_(policies),
      notices_(prometheus::BuildCounter()
                   .Name("orderwatch_shipment_notices_total")
                   .Help("Shipment notices by sink, channel (im: the buyer's delay notice; "
                         "warehouse: stage and stop-shipment events) and result")
                   .Register(registry)),
      queue_(redis, keys, scheduler::kNoticeQueue, queue) {
  for (const char* channel : {"im", "warehouse"}) {
    for (const char* result : {"delivered", "failed", "dropped"}) {
      notices_.Add({{"sink", sink_.name()}, {"channel", channel}, {"result", result}});
    }
  }
}

void NoticeWorker::Attach(scheduler::Scheduler& scheduler) {
  scheduler.AddQueue(queue_, [this](const scheduler::Lease& lease, const scheduler::Job& job,
                                    absl::Time now, scheduler::JobDone done) {
    Run(lease, job, now, std::move(done));
  }, scheduler::Priority::kAfterSales);
}

void NoticeWorker::Run(const scheduler::Lease&, const scheduler::Job& job, absl::Time now,
                       scheduler::JobDone done) {
  const size_t last = job.id.rfind(':');
  if (last == std::string::npos) return done(absl::InternalError("bad notice job id: " + job.id));
  auto ids = scheduler::ParseOrderJobId(std::string_view(job.id).substr(0, last));
  if (!ids.ok()) return done(ids.status());
  auto [shop, order] = *std::move(ids);
  const std::string what = job.id.substr(last + 1);
  redis_.Run(redis::Command::Of({"HGETALL", keys_.Order(shop, order)}), Deadline(),
             [this, shop = shop, order = order, what, now,
              done = std::move(done)](absl::StatusOr<redis::Reply> hash) mutable {
               if (!hash.ok()) return done(hash.status());
               policies_.Get(
                   shop, Deadline(),
                   [this, shop, order, what, now, hash = *std::move(hash),
                    done = std::move(done)](absl::StatusOr<v1::ShipmentPolicy> policy) mutable {
                     if (!policy.ok()) return done(policy.status());
                     Send(shop, order, what, hash, *policy, now, std::move(done));
                   });
             });
}

void NoticeWorker::Send(const std::string& shop, const std::string& order, const std::string& what,
                        const redis::Reply& hash, const v1::ShipmentPolicy& policy, absl::Time now,
                        scheduler::JobDone done) {
  auto d = NoticeFor(shop, order, what, hash, shop_facts_(shop), policy, now);
  if (!d) {
    notices_
        .Add({{"sink", sink_.name()},
              {"channel", what[0] == 'b' ? "im" : "warehouse"},
              {"result", "dropped"}})
        .Increment();
    return done(scheduler::JobResult::kAcknowledge);
  }
  const std::string channel = d->channel;
  sink_.Deliver(*d, [this, channel, done = std::move(done)](absl::Status s) mutable {
    notices_
        .Add({{"sink", sink_.name()},
              {"channel", channel},
              {"result", s.ok() ? "delivered" : "failed"}})
        .Increment();
    if (!s.ok()) return done(std::move(s));
    done(scheduler::JobResult::kAcknowledge);
  });
}

}  // namespace orderwatch::shipments
