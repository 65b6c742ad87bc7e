#include "services/reminders/reminder_worker.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/orders/order_fields.h"
#include "services/orders/order_read.h"
#include "services/reminders/reminder_policy.h"
#include "services/reminders/reminder_records.h"
#include "services/reminders/reminder_template.h"
#include "services/scheduler/order_job.h"
#include "services/scheduler/queues.h"

namespace orderwatch::reminders {
namespace lua {
extern const std::string_view kReminderReschedule;
extern const std::string_view kDeliveryBegin;
}  // namespace lua

namespace {

absl::Time Deadline() { return absl::Now() + absl::Seconds(5); }

// When the shop's settings are not cached yet, the job comes up this soon after creation (or
// now, for an order reported late) and is then moved to its time: no order waits for a cache.
constexpr absl::Duration kFirstLook = absl::Minutes(1);

std::optional<absl::Time> DueAfter(const v1::ReminderPolicy& policy, OrderFacts facts,
                                   absl::Time now) {
  ++facts.reminders_sent;
  auto next = NextReminder(policy, facts, now);
  if (!next) return std::nullopt;
  return next->due;
}

}  // namespace

ReminderWorker::ReminderWorker(redis::Client& redis, const redis::KeyScheme& keys,
                               const Clock& clock, ReminderSettingsStore& settings,
                               ReminderCommitter& committer, BuyerBook& book, dispatch::DeliverySink& sink,
                               ReminderMetrics& metrics, scheduler::QueueOptions reminder_queue,
                               scheduler::QueueOptions delivery_queue)
    : redis_(redis),
      keys_(keys),
      clock_(clock),
      settings_(settings),
      committer_(committer),
      book_(book),
      sink_(sink),
      metrics_(metrics),
      reminders_(redis, keys, scheduler::kReminderQueue, reminder_queue),
      deliveries_(redis, keys, scheduler::kDeliveryQueue, delivery_queue),
      reschedule_("reminder_reschedule", lua::kReminderReschedule),
      delivery_begin_("delivery_begin", lua::kDeliveryBegin) {}

void ReminderWorker::Attach(scheduler::Scheduler& scheduler) {
  scheduler_ = &scheduler;
  scheduler.AddQueue(
      reminders_, [this](const scheduler::Lease& lease, const scheduler::Job& job, absl::Time now,
                         JobDone done) { RunReminder(lease, job, now, std::move(done)); });
  scheduler.AddQueue(deliveries_,
                     [this](const scheduler::Lease& lease, const scheduler::Job& job, absl::Time,
                            JobDone done) { RunDelivery(lease, job, std::move(done)); });
}

std::optional<absl::Time> ReminderWorker::FirstDue(const std::string& shop,
                                                   const v1::OrderEvent& event) {
  const auto& c = event.created();
  OrderFacts facts;
  facts.created =
      TimeFromUnixMs(c.created_unix_ms() != 0 ? c.created_unix_ms() : event.event_unix_ms());
  facts.auto_close = TimeFromUnixMs(c.auto_close_unix_ms());
  facts.amount_fen = c.amount_fen();
  facts.flash_sale = c.flash_sale();
  facts.buyer_id = c.buyer_id();
  // Without fresh settings, the job comes up soon and is moved to its time then: an old cache
  // may not say that the shop turned reminders on.
  const absl::Time first_look = std::max(facts.created + kFirstLook, clock_.Now());
  bool fresh = false;
  auto settings = settings_.Peek(shop, &fresh);
  if (!settings) return first_look;
  auto plans = settings->policy.enabled() ? PlanReminders(settings->policy, facts)
                                          : std::vector<PlannedReminder>{};
  if (plans.empty()) return fresh ? std::nullopt : std::optional<absl::Time>(first_look);
  return plans.front().due;
}

void ReminderWorker::Scheduled(int partition, absl::Time due) {
  if (scheduler_ != nullptr) scheduler_->Wake(reminders_, partition, due);
}

absl::TimeZone ReminderWorker::ShopZone(const std::string& shop) {
  bool fresh = false;
  if (auto settings = settings_.Peek(shop, &fresh)) return settings->Zone();
  static const absl::TimeZone kDefaultZone = [] {
    absl::TimeZone zone;
    if (!absl::LoadTimeZone(DefaultPolicy().time_zone(), &zone)) zone = absl::UTCTimeZone();
    return zone;
  }();
  return kDefaultZone;
}

std::optional<redis::Command> ReminderWorker::BuyerNote(const std::string& shop,
                                                        const std::string& order_id,
                                                        const redis::Reply& order_hash) {
  return book_.NoteCommand(shop, order_id, order_hash, ShopZone(shop));
}

void ReminderWorker::DeliveryQueued(int partition, absl::Time due) {
  if (scheduler_ != nullptr) scheduler_->Wake(deliveries_, partition, due);
}

void ReminderWorker::RunReminder(const scheduler::Lease& lease, const scheduler::Job& job,
                                 absl::Time now, JobDone done) {
  auto ids = scheduler::ParseOrderJobId(job.id);
  if (!ids.ok()) return done(ids.status());
  auto [shop, order] = *std::move(ids);
  redis_.Run(orders::ReadOrder(keys_, shop, order), Deadline(),
             [this, lease, shop = shop, order = order, now,
              done = std::move(done)](absl::StatusOr<redis::Reply> hash) mutable {
               if (!hash.ok()) return done(hash.status());
               settings_.Get(
                   shop, Deadline(),
                   [this, lease, shop, order, now, hash = *std::move(hash),
                    done = std::move(done)](absl::StatusOr<SharedSettings> settings) mutable {
                     if (!settings.ok()) return done(settings.status());
                     Decide(lease, shop, order, hash, **settings, now, std::move(done));
                   });
             });
}

void ReminderWorker::Decide(const scheduler::Lease& lease, const std::string& shop,
                            const std::string& order, const redis::Reply& hash,
                            const ReminderSettings& settings, absl::Time now, JobDone done) {
  const v1::ReminderPolicy& policy = settings.policy;
  const OrderFacts facts = FactsFromHash(hash);
  if (facts.created == absl::InfinitePast() || !policy.enabled()) {
    return Reschedule(lease, shop, order, std::nullopt, std::move(done));
  }
  auto plan = NextReminder(policy, facts, now);
  if (!plan) return Reschedule(lease, shop, order, std::nullopt, std::move(done));
  if (plan->due > now) return Reschedule(lease, shop, order, plan->due, std::move(done));

  Commit c;
  c.shop = shop;
  c.order_id = order;
  c.lease = lease;
  c.recorded = facts.reminders_sent;
  c.now = now;
  c.kind = plan->kind;
  c.channel = policy.channel() == v1::CHANNEL_UNSPECIFIED ? v1::CHANNEL_IM : policy.channel();
  c.due = plan->due;
  c.zone = settings.Zone();
  const std::string skip = SkipReason(policy, facts, shop, order);
  if (skip == "paid" || skip == "closed" || skip == "refunded") {
    return Reschedule(lease, shop, order, std::nullopt, std::move(done));
  }
  if (!skip.empty()) {
    c.sent = false;
    c.reason = skip;
    // A flag or a remark keyword may change: the next slot looks again. The other reasons
    // (holdout, blacklist, amount, cap) hold for good and end the reminders.
    if (absl::StartsWith(skip, "flag:") || skip == "keyword") {
      c.next_due = DueAfter(policy, facts, now);
    }
  } else {
    const WindowDecision window = ApplyWindow(policy, plan->due, now);
    if (window.action == WindowDecision::Action::kDefer) {
      return Reschedule(lease, shop, order, window.at, std::move(done));
    }
    c.next_due = DueAfter(policy, facts, now);
    if (window.action == WindowDecision::Action::kDrop) {
      c.sent = false;
      c.reason = window.reason;
    } else {
      c.text = RenderTemplate(settings.TemplateFor(plan->kind, c.channel, plan->peak),
                              settings.ValuesFor(shop, order, hash));
      c.remark_line = RemarkLine(c.channel, "", now, settings.Zone());
    }
  }
  if (!c.sent || facts.buyer_id.empty()) return CommitReminder(std::move(c), std::move(done));
  // The buyer's other orders may have had their message today, or the buyer may have paid one.
  const Reservation r = ReservationFor(c, facts, absl::StrCat(order, ":", c.recorded + 1), policy);
  book_.Reserve(
      r, Deadline(),
      [this, c = std::move(c), done = std::move(done)](absl::StatusOr<BuyerVerdict> v) mutable {
        if (!v.ok()) return done(v.status());
        if (v->ok()) {
          c.merged_order_ids = std::move(v->merged_order_ids);
        } else {
          c.sent = false;
          c.reason = v->verdict;
          c.text.clear();
          c.remark_line.clear();
        }
        CommitReminder(std::move(c), std::move(done));
      });
}

void ReminderWorker::CommitReminder(Commit c, JobDone done) {
  const int partition = c.lease->partition;
  const absl::Time now = c.now;
  committer_.Run(c, Deadline(),
                 [this, partition, kind = c.kind, channel = c.channel, sent = c.sent, now,
                  done = std::move(done)](absl::StatusOr<Committed> r) mutable {
                   if (!r.ok()) return done(r.status());
                   if (r->what == Committed::What::kStale) {
                     return done(absl::AbortedError("reminder: the order changed meanwhile"));
                   }
                   if (r->what == Committed::What::kOk) {
                     metrics_.Committed(kind, channel, sent);
                     if (sent) DeliveryQueued(partition, now);
                   }
                   // The commit script took the job off its queue, except for an order that
                   // expired meanwhile.
                   done(r->what == Committed::What::kUnknownOrder
                            ? scheduler::JobResult::kAcknowledge
                            : scheduler::JobResult::kFinished);
                 });
}

void ReminderWorker::Reschedule(const scheduler::Lease& lease, const std::string& shop,
                                const std::string& order, std::optional<absl::Time> due,
                                JobDone done) {
  auto k = reminders_.Keys(lease.partition);
  redis_.Run(
      redis::Command::Eval(
          reschedule_,
          {keys_.Lease(lease.partition), k.due, k.in_flight, k.attempts, keys_.Order(shop, order)},
          {lease.value(), scheduler::OrderJobId(shop, order), due ? redis::MsArg(*due) : ""}),
      Deadline(), [lease, done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
        if (!r.ok()) return done(r.status());
        if (!r->elements.empty() && r->elements[0].str == "fenced") {
          return done(scheduler::LeaseLost(lease));
        }
        done(scheduler::JobResult::kFinished);  // the script took it off
      });
}

void ReminderWorker::RunDelivery(const scheduler::Lease& lease, const scheduler::Job& job,
                                 JobDone done) {
  auto d = ParseDeliveryJobId(job.id);
  if (!d.ok()) return done(d.status());
  const int partition = lease.partition;
  // Built before the callback takes `d` over.
  redis::Command begin =
      redis::Command::Eval(delivery_begin_,
                           {keys_.Lease(partition), deliveries_.Keys(partition).in_flight,
                            keys_.Reminders(d->shop, d->order), keys_.Order(d->shop, d->order)},
                           {lease.value(), job.id, absl::StrCat(d->number)});
  redis_.Run(std::move(begin), Deadline(),
             [this, lease, d = *std::move(d),
              done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               const auto& e = r->elements;
               if (e.empty()) return done(absl::InternalError("delivery_begin: unexpected reply"));
               if (e[0].str == "fenced") return done(scheduler::LeaseLost(lease));
               if (e[0].str == "gone")
                 return done(scheduler::JobResult::kAcknowledge);  // cancelled or taken back
               if (e.size() != 5)
                 return done(absl::InternalError("delivery_begin: unexpected reply"));
               if (e[1].str.empty())
                 return done(scheduler::JobResult::kAcknowledge);  // the order expired
               auto reminder = ParseRecord(d.shop, d.order, d.number, e[1].str);
               if (!reminder.ok()) return done(reminder.status());
               if (e[2].integer == 1) {
                 // Settled since the reminder was committed: it does not go out.
                 metrics_.Delivered(reminder->channel(), "dropped");
                 return done(scheduler::JobResult::kAcknowledge);
               }
               const v1::Channel channel = reminder->channel();
               sink_.Deliver(ReminderDelivery(d.shop, e[3].str, e[4].str, *reminder),
                             [this, channel, done = std::move(done)](absl::Status s) mutable {
                               metrics_.Delivered(channel, s.ok() ? "delivered" : "failed");
                               if (!s.ok()) return done(std::move(s));
                               done(scheduler::JobResult::kAcknowledge);
                             });
             });
}

}  // namespace orderwatch::reminders
