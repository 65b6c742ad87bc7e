#include "services/followups/followups_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/validate.h"
#include "services/followups/order_followups.h"
#include "services/scheduler/order_job.h"
#include "services/scheduler/queues.h"

namespace orderwatch::followups {
namespace lua {
extern const std::string_view kFollowupClaim;
extern const std::string_view kScorePage;
extern const std::string_view kCashbackRegister;
}  // namespace lua

namespace {

std::string Ms(absl::Time t) { return absl::StrCat(absl::ToUnixMillis(t)); }

bool Supervises(const Principal& who) {
  return who.role == Role::kSupervisor || who.role == Role::kOps;
}

// A page token: "<deadline ms>:<id>" of the last follow-up of the previous page.
absl::Status ParseToken(const std::string& token, std::string* ms, std::string* id) {
  if (token.empty()) return absl::OkStatus();
  const size_t colon = token.find(':');
  int64_t n = 0;
  if (colon == std::string::npos || colon + 1 == token.size() ||
      !absl::SimpleAtoi(absl::string_view(token).substr(0, colon), &n) || n < 0 ||
      !ValidateId("page_token", token.substr(colon + 1)).ok()) {
    return InvalidField("page_token", "is not a token from List");
  }
  *ms = token.substr(0, colon);
  *id = token.substr(colon + 1);
  return absl::OkStatus();
}

}  // namespace

FollowUpsService::FollowUpsService(redis::Client& redis, const redis::KeyScheme& keys,
                                   Retention retention, FollowUpBook& book, FollowUpWorker& worker,
                                   FollowUpMetrics& metrics)
    : redis_(redis),
      keys_(keys),
      retention_(retention),
      book_(book),
      worker_(worker),
      metrics_(metrics),
      claim_("followup_claim", lua::kFollowupClaim),
      page_("score_page", lua::kScorePage),
      cashback_("cashback_register", lua::kCashbackRegister) {}

void FollowUpsService::Create(const Principal& who, const v1::CreateFollowUpRequest& request,
                              absl::Time deadline, Done<v1::FollowUp> done) {
  auto f = FromCreateRequest(request, who.agent, book_.clock().Now());
  if (!f.ok()) return done(f.status());
  book_.Create(who.shop, *f, deadline, std::move(done));
}

void FollowUpsService::Get(const Principal& who, const v1::GetFollowUpRequest& request,
                           absl::Time deadline, Done<v1::FollowUp> done) {
  if (auto s = ValidateId("id", request.id()); !s.ok()) return done(s);
  book_.Get(who.shop, request.id(), deadline, std::move(done));
}

void FollowUpsService::List(const Principal& who, const v1::ListFollowUpsRequest& request,
                            absl::Time deadline, Done<v1::ListFollowUpsResponse> done) {
  if (!v1::FollowUpKind_IsValid(request.kind())) {
    return done(InvalidField(
        "kind", absl::StrCat("is ", request.kind(), "; must be 0-", v1::FollowUpKind_MAX)));
  }
  const int size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  if (size < 1 || size > kMaxPageSize) {
    return done(InvalidField(
        "page_size", absl::StrCat("is ", request.page_size(), "; must be 1-", kMaxPageSize)));
  }
  std::string after_ms, after_id;
  if (auto s = ParseToken(request.page_token(), &after_ms, &after_id); !s.ok()) return done(s);
  const std::string list = DeadlineListKey(who.shop, request.kind());
  // Overdue: a deadline before now (score_page's bound is inclusive).
  const std::string most =
      request.overdue_only() ? Ms(book_.clock().Now() - absl::Milliseconds(1)) : "";
  redis_.Run(
      redis::Command::Eval(page_, {list}, {after_ms, after_id, absl::StrCat(size + 1), most}),
      deadline,
      [this, shop = who.shop, size, deadline,
       done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
        if (!r.ok()) return done(r.status());
        std::vector<std::string> ids;
        std::string next;
        const auto& e = r->elements;
        // {set, member, score} triples of the one list.
        for (size_t i = 0; i + 2 < e.size(); i += 3) {
          if (static_cast<int>(ids.size()) == size) {
            // There is more: the token names the page's last follow-up.
            next = absl::StrCat(e[i - 1].integer, ":", ids.back());
            break;
          }
          ids.push_back(e[i + 1].str);
        }
        book_.GetAll(
            shop, ids, deadline,
            [next, done = std::move(done)](absl::StatusOr<std::vector<v1::FollowUp>> all) mutable {
              if (!all.ok()) return done(all.status());
              v1::ListFollowUpsResponse response;
              for (auto& f : *all) *response.add_follow_ups() = std::move(f);
              response.set_next_page_token(next);
              done(std::move(response));
            });
      });
}

void FollowUpsService::ClaimNext(const Principal& who, const v1::ClaimNextRequest& request,
                                 absl::Time deadline, Done<v1::ClaimNextResponse> done) {
  if (!v1::FollowUpShift_IsValid(request.shift())) {
    return done(InvalidField("shift", absl::StrCat("is ", request.shift(), "; must be 0-2")));
  }
  auto claim = ClaimFor("claim_minutes", request.claim_minutes());
  if (!claim.ok()) return done(claim.status());
  const absl::Time now = book_.clock().Now();
  std::vector<std::string> args = {Ms(now), who.agent, Ms(now + *claim),
                                   std::string(ShiftName(v1::FOLLOW_UP_SHIFT_ANY))};
  for (auto shift : {v1::FOLLOW_UP_SHIFT_DAY, v1::FOLLOW_UP_SHIFT_NIGHT}) {
    if (request.shift() == v1::FOLLOW_UP_SHIFT_ANY || request.shift() == shift) {
      args.emplace_back(ShiftName(shift));
    }
  }
  redis_.Run(redis::Command::Eval(claim_, {redis::KeyScheme::FollowUps(who.shop)}, std::move(args)),
             deadline,
             [this, shop = who.shop, deadline,
              done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               const auto& e = r->elements;
               if (e.size() < 2) return done(absl::InternalError("followup_claim: bad reply"));
               metrics_.ClaimsExpired(e.back().integer);
               if (e[0].str != "ok") return done(v1::ClaimNextResponse{});
               book_.Get(shop, e[1].str, deadline,
                         [done = std::move(done)](absl::StatusOr<v1::FollowUp> f) mutable {
                           if (!f.ok()) return done(f.status());
                           v1::ClaimNextResponse response;
                           *response.mutable_follow_up() = *std::move(f);
                           done(std::move(response));
                         });
             });
}

void FollowUpsService::Update(const Principal& who, const std::string& op, const std::string& id,
                              std::vector<std::string> args, absl::Time deadline,
                              Done<v1::FollowUp> done) {
  if (auto s = ValidateId("id", id); !s.ok()) return done(s);
  book_.Update(who.shop, who.agent, Supervises(who), op, id, std::move(args), deadline,
               std::move(done));
}

void FollowUpsService::Note(const Principal& who, const v1::NoteFollowUpRequest& request,
                            absl::Time deadline, Done<v1::FollowUp> done) {
  if (request.note().empty()) return done(InvalidField("note", "is required"));
  if (auto s = ValidateText("note", request.note(), kMostNoteBytes); !s.ok()) return done(s);
  Update(who, "note", request.id(),
         {request.note(), Ms(book_.clock().Now() + absl::Minutes(kDefaultClaimMinutes))}, deadline,
         std::move(done));
}

void FollowUpsService::Complete(const Principal& who, const v1::CompleteFollowUpRequest& request,
                                absl::Time deadline, Done<v1::FollowUp> done) {
  if (!v1::FollowUpOutcome_IsValid(request.outcome()) ||
      request.outcome() == v1::FOLLOW_UP_OUTCOME_UNSPECIFIED) {
    return done(InvalidField("outcome", absl::StrCat("is ", request.outcome(), "; must be 1-",
                                                     v1::FollowUpOutcome_MAX)));
  }
  if (auto s = ValidateText("note", request.note(), kMostNoteBytes); !s.ok()) return done(s);
  Update(who, "complete", request.id(),
         {absl::StrCat(static_cast<int>(request.outcome())), request.note(),
          absl::StrCat(absl::ToInt64Milliseconds(retention_.order))},
         deadline, std::move(done));
}

void FollowUpsService::Reassign(const Principal& who, const v1::ReassignFollowUpRequest& request,
                                absl::Time deadline, Done<v1::FollowUp> done) {
  if (auto s = ValidateOptionalId("to_agent", request.to_agent()); !s.ok()) return done(s);
  if (!v1::FollowUpShift_IsValid(request.to_shift())) {
    return done(InvalidField("to_shift", absl::StrCat("is ", request.to_shift(), "; must be 0-2")));
  }
  if (!request.to_agent().empty() && request.to_shift() != v1::FOLLOW_UP_SHIFT_ANY) {
    return done(InvalidField("to_shift", "must be unset when to_agent is given"));
  }
  auto claim = ClaimFor("claim_minutes", request.claim_minutes());
  if (!claim.ok()) return done(claim.status());
  Update(who, "reassign", request.id(),
         {request.to_agent(), Ms(book_.clock().Now() + *claim),
          std::string(ShiftName(request.to_shift()))},
         deadline, std::move(done));
}

void FollowUpsService::RegisterCashback(const Principal& who,
                                        const v1::RegisterCashbackRequest& request,
                                        absl::Time deadline, Done<v1::FollowUp> done) {
  if (auto s = ValidateId("order_id", request.order_id()); !s.ok()) return done(s);
  if (request.amount_fen() <= 0 || request.amount_fen() > kMostCashbackFen) {
    return done(InvalidField(
        "amount_fen", absl::StrCat("is ", request.amount_fen(), "; must be 1-", kMostCashbackFen)));
  }
  if (auto s = ValidateText("note", request.note(), kMostNoteBytes); !s.ok()) return done(s);
  if (auto s = ValidateOptionalId("request_id", request.request_id()); !s.ok()) return done(s);
  const absl::Time now = book_.clock().Now();
  absl::Time due = now + kCashbackDeadline;
  if (request.deadline_unix_ms() != 0) {
    if (auto s = ValidateDeadline("deadline_unix_ms", request.deadline_unix_ms(), now); !s.ok()) {
      return done(s);
    }
    due = absl::FromUnixMillis(request.deadline_unix_ms());
  }
  const std::string& order = request.order_id();
  const int partition = keys_.PartitionOf(who.shop, order);
  redis_.Run(
      redis::Command::Eval(
          cashback_,
          {keys_.Order(who.shop, order), keys_.Queue(partition, scheduler::kFollowUpQueue).due},
          {CashbackRegistration(
               {now, who.agent, request.amount_fen(), due, request.request_id(), request.note()}),
           absl::StrCat(scheduler::OrderJobId(who.shop, order), ":cb"), Ms(now)}),
      deadline,
      [this, shop = who.shop, order, request_id = request.request_id(), deadline,
       done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
        if (!r.ok()) return done(r.status());
        const auto& e = r->elements;
        const std::string what = e.empty() ? "" : e[0].str;
        if (what == "unknown") {
          return done(absl::NotFoundError(
              absl::StrCat("order ", order, " is not known; report its events first")));
        }
        if (what == "registered") {
          const auto first = ParseCashbackRegistration(e.size() > 1 ? e[1].str : "");
          if (first && !request_id.empty() && first->request_id == request_id) {
            return worker_.Open(shop, order, "cb", deadline, std::move(done));  // a retry
          }
          return done(absl::FailedPreconditionError(
              absl::StrCat("the cashback of order ", order, " is registered already",
                           first ? absl::StrCat(" by ", first->agent) : "",
                           "; a cashback is registered once per order")));
        }
        if (what == "refunded" || what == "refund_requested" || what == "unpaid") {
          return done(absl::FailedPreconditionError(
              absl::StrCat("order ", order,
                           what == "refunded"           ? " is refunded"
                           : what == "refund_requested" ? " has a refund requested"
                                                        : " is not paid",
                           "; no cashback is registered on it")));
        }
        if (what != "ok") return done(absl::InternalError("cashback_register: bad reply"));
        worker_.Open(shop, order, "cb", deadline, std::move(done));
      });
}

void FollowUpsService::Summary(const Principal& who, const v1::FollowUpSummaryRequest&,
                               absl::Time deadline, Done<v1::FollowUpSummary> done) {
  redis_.RunAll(OpenAndOverdueCounts(who.shop, book_.clock().Now()), deadline,
                [done = std::move(done)](std::vector<absl::StatusOr<redis::Reply>> r) mutable {
                  v1::FollowUpSummary s;
                  for (size_t i = 0; i < AllKinds().size(); ++i) {
                    if (!r[2 * i].ok()) return done(r[2 * i].status());
                    if (!r[2 * i + 1].ok()) return done(r[2 * i + 1].status());
                    auto* k = s.add_kinds();
                    k->set_kind(AllKinds()[i]);
                    k->set_open(r[2 * i]->integer);
                    k->set_overdue(r[2 * i + 1]->integer);
                    s.set_open(s.open() + k->open());
                    s.set_overdue(s.overdue() + k->overdue());
                  }
                  done(std::move(s));
                });
}

}  // namespace orderwatch::followups
