#include "services/followups/followup_book.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/redis/keys.h"

namespace orderwatch::followups {
namespace lua {
extern const std::string_view kFollowupCreate;
extern const std::string_view kFollowupUpdate;
}  // namespace lua

namespace {

std::string Ms(absl::Time t) {
  return t == absl::InfinitePast() ? std::string() : absl::StrCat(absl::ToUnixMillis(t));
}

}  // namespace

std::string DeadlineListKey(const std::string& shop, v1::FollowUpKind kind) {
  std::string key = redis::KeyScheme::FollowUps(shop) + ":d";
  if (kind != v1::FOLLOW_UP_KIND_UNSPECIFIED) absl::StrAppend(&key, ":", static_cast<int>(kind));
  return key;
}

std::string RecordKey(const std::string& shop, const std::string& id) {
  return absl::StrCat(redis::KeyScheme::FollowUps(shop), ":u:", id);
}

std::string OrderOpenKey(const std::string& shop, const std::string& order) {
  return absl::StrCat(redis::KeyScheme::FollowUps(shop), ":o:", order);
}

std::vector<redis::Command> OpenAndOverdueCounts(const std::string& shop, absl::Time now) {
  const std::string before = absl::StrCat("(", absl::ToUnixMillis(now));
  std::vector<redis::Command> counts;
  for (auto kind : AllKinds()) {
    const std::string list = DeadlineListKey(shop, kind);
    counts.push_back(redis::Command::Of({"ZCARD", list}));
    counts.push_back(redis::Command::Of({"ZCOUNT", list, "-inf", before}));
  }
  return counts;
}

FollowUpBook::FollowUpBook(redis::Client& redis, const Clock& clock, FollowUpMetrics& metrics)
    : redis_(redis),
      clock_(clock),
      metrics_(metrics),
      create_("followup_create", lua::kFollowupCreate),
      update_("followup_update", lua::kFollowupUpdate) {}

void FollowUpBook::Create(const std::string& shop, const NewFollowUp& f, absl::Time deadline,
                          Done<v1::FollowUp> done) {
  const absl::Time now = clock_.Now();
  std::vector<redis::Command> commands;
  // The shop joins the gauges' list first: a follow-up is never left uncounted.
  commands.push_back(redis::Command::Of({"SADD", redis::KeyScheme::FollowUpShops(), shop}));
  commands.push_back(redis::Command::Eval(
      create_, {redis::KeyScheme::FollowUps(shop)},
      {absl::StrCat(absl::ToUnixMillis(now)), f.idempotency_key,
       absl::StrCat(absl::ToInt64Milliseconds(kIdempotencyWindow)),
       absl::StrCat(static_cast<int>(f.kind)), f.order_id, f.buyer_id, f.note,
       std::string(ShiftName(f.shift)), Ms(f.reply_deadline), Ms(f.solve_deadline), f.created_by,
       f.cashback_fen > 0 ? absl::StrCat(f.cashback_fen) : "", f.moves_open_deadline ? "1" : ""}));
  const bool by_order_event = f.created_by == "order-event" || f.created_by == "reminder-answer";
  redis_.RunAll(std::move(commands), deadline,
                [this, shop, kind = f.kind, by_order_event, deadline,
                 done = std::move(done)](std::vector<absl::StatusOr<redis::Reply>> r) mutable {
                  for (auto& reply : r) {
                    if (!reply.ok()) return done(reply.status());
                  }
                  const auto& e = r[1]->elements;
                  if (e.size() < 2) return done(absl::InternalError("followup_create: bad reply"));
                  if (e[0].str == "ok") metrics_.Created(kind, by_order_event);
                  Get(shop, e[1].str, deadline, std::move(done));
                });
}

void FollowUpBook::Update(const std::string& shop, const std::string& agent, bool supervisor,
                          const std::string& op, const std::string& id,
                          std::vector<std::string> args, absl::Time deadline,
                          Done<v1::FollowUp> done) {
  std::vector<std::string> argv = {op, id, absl::StrCat(absl::ToUnixMillis(clock_.Now())), agent,
                                   supervisor ? "1" : "0"};
  for (auto& a : args) argv.push_back(std::move(a));
  redis_.Run(redis::Command::Eval(update_, {redis::KeyScheme::FollowUps(shop)}, std::move(argv)),
             deadline,
             [this, shop, op, id, deadline,
              done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               const auto& e = r->elements;
               if (e.empty()) return done(absl::InternalError("followup_update: bad reply"));
               const std::string& what = e[0].str;
               if (what == "missing") {
                 return done(absl::NotFoundError(absl::StrCat("follow-up ", id, " not found")));
               }
               if (what == "done") {
                 return done(absl::FailedPreconditionError(
                     absl::StrCat("follow-up ", id, " is completed already")));
               }
               if (what == "claimed") {  // an agent may not act as another
                 return done(absl::PermissionDeniedError(absl::StrCat(
                     "follow-up ", id, " is claimed by ", e.size() > 1 ? e[1].str : "another agent",
                     "; only they or a supervisor may work it")));
               }
               if (op == "complete" && e.size() >= 4) {
                 int kind = 0;
                 (void)absl::SimpleAtoi(e[3].str, &kind);
                 if (v1::FollowUpKind_IsValid(kind)) {
                   metrics_.Completed(static_cast<v1::FollowUpKind>(kind), e[2].integer == 1);
                 }
               }
               Get(shop, id, deadline, std::move(done));
             });
}

void FollowUpBook::Get(const std::string& shop, const std::string& id, absl::Time deadline,
                       Done<v1::FollowUp> done) {
  GetAll(shop, {id}, deadline,
         [id, done = std::move(done)](absl::StatusOr<std::vector<v1::FollowUp>> all) mutable {
           if (!all.ok()) return done(all.status());
           if (all->empty())
             return done(absl::NotFoundError(absl::StrCat("follow-up ", id, " not found")));
           done(std::move(all->front()));
         });
}

void FollowUpBook::GetAll(const std::string& shop, const std::vector<std::string>& ids,
                          absl::Time deadline, Done<std::vector<v1::FollowUp>> done) {
  if (ids.empty()) return done(std::vector<v1::FollowUp>{});
  std::vector<redis::Command> reads;
  for (const auto& id : ids) reads.push_back(redis::Command::Of({"HGETALL", RecordKey(shop, id)}));
  redis_.RunAll(std::move(reads), deadline,
                [this, ids, done = std::move(done)](
                    std::vector<absl::StatusOr<redis::Reply>> replies) mutable {
                  const absl::Time now = clock_.Now();
                  std::vector<v1::FollowUp> out;
                  for (size_t i = 0; i < replies.size(); ++i) {
                    if (!replies[i].ok()) return done(replies[i].status());
                    if (replies[i]->elements.empty()) continue;
                    out.push_back(FollowUpFromHash(ids[i], *replies[i], now));
                  }
                  done(std::move(out));
                });
}

}  // namespace orderwatch::followups
