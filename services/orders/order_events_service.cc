#include "services/orders/order_events_service.h"

#include "absl/strings/str_cat.h"
#include "services/common/validate.h"
#include "services/orders/order_event_rules.h"
#include "services/orders/order_fields.h"
#include "services/orders/order_read.h"
#include "services/scheduler/order_job.h"
#include "services/scheduler/queues.h"

namespace orderwatch::orders {
namespace lua {
extern const std::string_view kOrderApplyEvent;
}

namespace {

absl::Status MayRecordEvents(const Principal& who) {
  return RequireRole(who, {Role::kStorefront, Role::kSupervisor, Role::kOps},
                     "record order events");
}

// The script returns {duplicate, HGETALL}.
absl::StatusOr<std::pair<bool, v1::Order>> ParseApplied(const std::string& order_id,
                                                        const absl::StatusOr<redis::Reply>& r) {
  if (!r.ok()) return r.status();
  if (r->type != redis::Reply::Type::kArray || r->elements.size() != 3) {
    return absl::InternalError("order_apply_event: unexpected reply");
  }
  auto order = OrderFromHash(order_id, r->elements[1]);
  if (!order.ok()) return order.status();
  return std::make_pair(r->elements[0].integer == 1, *std::move(order));
}

}  // namespace

OrderEventsService::OrderEventsService(redis::Client& redis, const redis::KeyScheme& keys,
                                       Retention retention, ReminderSchedule* reminders,
                                       bool pack_unpaid)
    : redis_(redis),
      keys_(keys),
      retention_(retention),
      reminders_(reminders),
      pack_unpaid_(pack_unpaid),
      apply_event_("order_apply_event", lua::kOrderApplyEvent) {}

redis::Command OrderEventsService::ApplyCommand(const std::string& shop,
                                                const v1::OrderEvent& event) const {
  EventWrite w = WriteFor(event);
  std::string first_due;
  if (reminders_ != nullptr && event.has_created()) {
    if (auto due = reminders_->FirstDue(shop, event)) {
      first_due = redis::MsArg(*due);
    }
  }
  // The stats of the event's day in the shop's zone.
  absl::TimeZone zone = absl::UTCTimeZone();
  if (reminders_ != nullptr) zone = reminders_->ShopZone(shop);
  const absl::Time at = absl::FromUnixMillis(w.time);
  const absl::CivilDay day = absl::ToCivilDay(at, zone);
  const int partition = keys_.PartitionOf(shop, event.order_id());
  std::vector<std::string> args = {event.event_id(),
                                   w.mode,
                                   absl::StrCat(w.time),
                                   redis::MsArg(retention_.order),
                                   w.time_field,
                                   w.count_field,
                                   redis::MsArg(absl::Now()),
                                   event.order_id(),
                                   scheduler::OrderJobId(shop, event.order_id()),
                                   first_due,
                                   redis::MsArg(absl::FromCivil(day, zone)),
                                   redis::MsArg(retention_.order),
                                   pack_unpaid_ ? "1" : "0"};
  for (auto& [f, v] : w.fields) {
    args.push_back(std::move(f));
    args.push_back(std::move(v));
  }
  std::vector<std::string> keys = {keys_.Order(shop, event.order_id()),
                                   keys_.History(shop, event.order_id())};
  for (auto& k : keys_.FlagIndexes(partition, shop)) keys.push_back(std::move(k));
  for (const char* queue : {scheduler::kReminderQueue, scheduler::kDeliveryQueue}) {
    auto q = keys_.Queue(partition, queue);
    keys.push_back(std::move(q.due));
    keys.push_back(std::move(q.in_flight));
    keys.push_back(std::move(q.attempts));
  }
  keys.push_back(keys_.ReminderStats(partition, shop, absl::FormatTime("%Y%m%d", at, zone)));
  auto sweep = keys_.Queue(partition, scheduler::kSweepQueue);
  keys.push_back(std::move(sweep.due));
  keys.push_back(std::move(sweep.in_flight));
  keys.push_back(std::move(sweep.attempts));
  for (int stage = 1; stage <= 3; ++stage) {
    keys.push_back(keys_.ShipmentStages(partition, shop, stage));
  }
  keys.push_back(keys_.ShipmentSummary(partition, shop));
  keys.push_back(keys_.Queue(partition, scheduler::kNoticeQueue).due);
  keys.push_back(keys_.Queue(partition, scheduler::kFollowUpQueue).due);
  keys.push_back(keys_.ShipmentTotals(partition));
  return redis::Command::Eval(apply_event_, std::move(keys), std::move(args));
}

void OrderEventsService::NoteScheduled(const std::string& shop, const std::string& order_id,
                                       const absl::StatusOr<redis::Reply>& r) const {
  if (reminders_ == nullptr || !r.ok() || r->elements.size() != 3) return;
  const int64_t due = r->elements[2].integer;
  if (due >= 0) reminders_->Scheduled(keys_.PartitionOf(shop, order_id), absl::FromUnixMillis(due));
}

std::optional<redis::Command> OrderEventsService::BuyerNote(
    const std::string& shop, const v1::OrderEvent& event,
    const absl::StatusOr<redis::Reply>& applied) const {
  if (reminders_ == nullptr || !applied.ok() || applied->elements.size() != 3) return std::nullopt;
  // Only these events change whether the buyer has the order unpaid, or paid today.
  if (!event.has_created() && !event.has_paid() && !event.has_closed() && !event.has_shipped() &&
      !event.has_refunded()) {
    return std::nullopt;
  }
  return reminders_->BuyerNote(shop, event.order_id(), applied->elements[1]);
}

void OrderEventsService::Record(const Principal& who, const v1::RecordEventRequest& request,
                                absl::Time deadline, Done<v1::RecordEventResponse> done) {
  if (auto s = MayRecordEvents(who); !s.ok()) return done(s);
  if (!request.has_event()) return done(InvalidField("event", "is required"));
  if (auto s = ValidateEvent(request.event(), "event."); !s.ok()) return done(s);
  redis_.Run(ApplyCommand(who.shop, request.event()), deadline,
             [this, shop = who.shop, event = request.event(), deadline,
              done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               NoteScheduled(shop, event.order_id(), r);
               auto applied = ParseApplied(event.order_id(), r);
               if (!applied.ok()) return done(applied.status());
               v1::RecordEventResponse response;
               response.set_duplicate(applied->first);
               *response.mutable_order() = std::move(applied->second);
               auto note = BuyerNote(shop, event, r);
               if (!note) return done(std::move(response));
               // A failed note fails the call: the storefront's retry is a duplicate, which notes
               // again.
               redis_.Run(*std::move(note), deadline,
                          [response = std::move(response),
                           done = std::move(done)](absl::StatusOr<redis::Reply> n) mutable {
                            if (!n.ok()) return done(n.status());
                            done(std::move(response));
                          });
             });
}

void OrderEventsService::RecordBatch(const Principal& who,
                                     const v1::RecordEventBatchRequest& request,
                                     absl::Time deadline, Done<v1::RecordEventBatchResponse> done) {
  if (auto s = MayRecordEvents(who); !s.ok()) return done(s);
  if (request.events_size() == 0) return done(InvalidField("events", "is empty"));
  if (request.events_size() > kMaxBatchEvents) {
    return done(InvalidField("events", absl::StrCat("holds ", request.events_size(),
                                                    " events; at most ", kMaxBatchEvents)));
  }
  std::vector<redis::Command> commands;
  commands.reserve(request.events_size());
  for (int i = 0; i < request.events_size(); ++i) {
    const auto& e = request.events(i);
    if (auto s = ValidateEvent(e, absl::StrCat("events[", i, "].")); !s.ok()) return done(s);
    commands.push_back(ApplyCommand(who.shop, e));
  }
  redis_.RunAll(
      std::move(commands), deadline,
      [this, shop = who.shop, events = request.events(), deadline,
       done = std::move(done)](std::vector<absl::StatusOr<redis::Reply>> replies) mutable {
        v1::RecordEventBatchResponse response;
        std::vector<redis::Command> notes;
        std::vector<int> noted;  // the result each note belongs to
        for (size_t i = 0; i < replies.size(); ++i) {
          const v1::OrderEvent& event = events[static_cast<int>(i)];
          NoteScheduled(shop, event.order_id(), replies[i]);
          auto* result = response.add_results();
          auto applied = ParseApplied(event.order_id(), replies[i]);
          if (!applied.ok()) {
            result->set_code(static_cast<int>(applied.status().code()));
            result->set_message(std::string(applied.status().message()));
            continue;
          }
          result->set_duplicate(applied->first);
          result->set_state(applied->second.state());
          if (auto note = BuyerNote(shop, event, replies[i])) {
            notes.push_back(*std::move(note));
            noted.push_back(static_cast<int>(i));
          }
        }
        if (notes.empty()) return done(std::move(response));
        redis_.RunAll(
            std::move(notes), deadline,
            [response = std::move(response), noted = std::move(noted),
             done = std::move(done)](std::vector<absl::StatusOr<redis::Reply>> replies) mutable {
              // A failed note fails its event: a retry is a duplicate and notes again.
              for (size_t j = 0; j < replies.size(); ++j) {
                if (replies[j].ok()) continue;
                auto* result = response.mutable_results(noted[j]);
                result->set_code(static_cast<int>(replies[j].status().code()));
                result->set_message(std::string(replies[j].status().message()));
              }
              done(std::move(response));
            });
      });
}

void OrderEventsService::GetOrder(const Principal& who, const v1::GetOrderRequest& request,
                                  absl::Time deadline, Done<v1::Order> done) {
  if (auto s = ValidateId("order_id", request.order_id()); !s.ok()) return done(s);
  redis_.Run(orders::ReadOrder(keys_, who.shop, request.order_id()), deadline,
             [order_id = request.order_id(),
              done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               auto order = OrderFromHash(order_id, *r);
               if (order.ok() && order->events_applied() == 0) {
                 return done(
                     absl::NotFoundError(absl::StrCat("order ", order_id, ": no events recorded")));
               }
               done(std::move(order));
             });
}

}  // namespace orderwatch::orders
