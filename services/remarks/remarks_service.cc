#include "services/remarks/remarks_service.h"

#include <algorithm>
#include <memory>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/flags.h"
#include "services/common/validate.h"
#include "services/remarks/remark_rules.h"

namespace orderwatch::remarks {
namespace lua {
extern const std::string_view kRemarkWrite;
extern const std::string_view kRemarkHistory;
extern const std::string_view kFlagPage;
extern const std::string_view kFlagCounts;
extern const std::string_view kLegendSet;
}  // namespace lua

namespace {

absl::Status MayWrite(const Principal& who) {
  return RequireRole(who, {Role::kAgent, Role::kSupervisor, Role::kStorefront}, "change remarks");
}

v1::Source SourceOf(const Principal& who) {
  return who.role == Role::kStorefront ? v1::SOURCE_STOREFRONT : v1::SOURCE_AGENT;
}

// Also reports the flag in a platform's numbering.
void SetPlatformFlag(v1::Platform numbering, v1::Remark& remark) {
  auto* pf = remark.mutable_platform_flag();
  pf->set_platform(numbering);
  pf->set_value(FlagToPlatform(numbering, remark.flag()));
}

template <typename Request>
absl::Status ValidateNumbering(const Request& request) {
  if (request.has_numbering() && !v1::Platform_IsValid(request.numbering())) {
    return InvalidField("numbering", "is not a platform");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Legend> LegendFromHash(const absl::StatusOr<redis::Reply>& r) {
  if (!r.ok()) return r.status();
  v1::Legend legend;
  std::array<std::string, 6> meanings;
  for (int f = 1; f <= 5; ++f) meanings[f] = std::string(DefaultLegend()[f]);
  bool is_default = true;
  for (size_t i = 0; i + 1 < r->elements.size(); i += 2) {
    int f = 0;
    if (absl::SimpleAtoi(r->elements[i].str, &f) && f >= 1 && f <= 5) {
      meanings[f] = r->elements[i + 1].str;
      is_default = false;
    }
  }
  for (int f = 1; f <= 5; ++f) {
    auto* e = legend.add_entries();
    e->set_flag(static_cast<v1::Flag>(f));
    e->set_meaning(meanings[f]);
  }
  legend.set_is_default(is_default);
  return legend;
}

}  // namespace

RemarksService::RemarksService(redis::Client& redis, const redis::KeyScheme& keys,
                               Retention retention, absl::TimeZone zone)
    : redis_(redis),
      keys_(keys),
      retention_(retention),
      zone_(zone),
      write_("remark_write", lua::kRemarkWrite),
      history_("remark_history", lua::kRemarkHistory),
      flag_page_("flag_page", lua::kFlagPage),
      flag_counts_("flag_counts", lua::kFlagCounts),
      legend_set_("legend_set", lua::kLegendSet) {}

int64_t RemarksService::OldestLiveScore() const {
  return absl::ToUnixMillis(absl::Now() - retention_.order);
}

void RemarksService::ReadRemarks(const std::string& shop, std::vector<std::string> order_ids,
                                 absl::Time deadline, Done<std::vector<v1::Remark>> done) {
  std::vector<redis::Command> commands;
  commands.reserve(order_ids.size());
  for (const auto& id : order_ids) {
    std::vector<std::string> argv = {"HMGET", keys_.Order(shop, id)};
    for (const char* f : kRemarkFields) argv.emplace_back(f);
    commands.push_back(redis::Command::Of(std::move(argv)));
  }
  redis_.RunAll(std::move(commands), deadline,
                [order_ids = std::move(order_ids), done = std::move(done)](
                    std::vector<absl::StatusOr<redis::Reply>> replies) mutable {
                  std::vector<v1::Remark> out;
                  out.reserve(replies.size());
                  for (size_t i = 0; i < replies.size(); ++i) {
                    if (!replies[i].ok()) return done(replies[i].status());
                    const auto& e = replies[i]->elements;
                    out.push_back(RemarkFromValues(order_ids[i], e.data(), e.size()));
                  }
                  done(std::move(out));
                });
}

void RemarksService::Get(const Principal& who, const v1::GetRemarkRequest& request,
                         absl::Time deadline, Done<v1::Remark> done) {
  if (auto s = ValidateId("order_id", request.order_id()); !s.ok()) return done(s);
  if (auto s = ValidateNumbering(request); !s.ok()) return done(s);
  const bool has_numbering = request.has_numbering();
  const v1::Platform numbering = request.numbering();
  ReadRemarks(who.shop, {request.order_id()}, deadline,
              [has_numbering, numbering,
               done = std::move(done)](absl::StatusOr<std::vector<v1::Remark>> r) mutable {
                if (!r.ok()) return done(r.status());
                v1::Remark remark = std::move(r->front());
                if (has_numbering) SetPlatformFlag(numbering, remark);
                done(std::move(remark));
              });
}

void RemarksService::BatchGet(const Principal& who, const v1::BatchGetRemarksRequest& request,
                              absl::Time deadline, Done<v1::BatchGetRemarksResponse> done) {
  if (request.order_ids_size() == 0) return done(InvalidField("order_ids", "is empty"));
  if (request.order_ids_size() > kMaxBatchGet) {
    return done(InvalidField("order_ids", absl::StrCat("holds ", request.order_ids_size(),
                                                       " ids; at most ", kMaxBatchGet)));
  }
  if (auto s = ValidateNumbering(request); !s.ok()) return done(s);
  std::vector<std::string> ids;
  ids.reserve(request.order_ids_size());
  for (int i = 0; i < request.order_ids_size(); ++i) {
    if (auto s = ValidateId(absl::StrCat("order_ids[", i, "]"), request.order_ids(i)); !s.ok()) {
      return done(s);
    }
    ids.push_back(request.order_ids(i));
  }
  const bool has_numbering = request.has_numbering();
  const v1::Platform numbering = request.numbering();
  ReadRemarks(who.shop, std::move(ids), deadline,
              [has_numbering, numbering,
               done = std::move(done)](absl::StatusOr<std::vector<v1::Remark>> r) mutable {
                if (!r.ok()) return done(r.status());
                v1::BatchGetRemarksResponse response;
                for (auto& remark : *r) {
                  if (has_numbering) SetPlatformFlag(numbering, remark);
                  *response.add_remarks() = std::move(remark);
                }
                done(std::move(response));
              });
}

template <typename Request>
absl::StatusOr<RemarksService::Write> RemarksService::StartWrite(const Request& request,
                                                                 const char* op) {
  if (auto s = ValidateId("request_id", request.request_id()); !s.ok()) return s;
  if (auto s = ValidateId("order_id", request.order_id()); !s.ok()) return s;
  if (request.has_expected_version() && request.expected_version() < 0) {
    return InvalidField("expected_version", "must not be negative");
  }
  Write w;
  w.op = op;
  w.request_id = request.request_id();
  w.order_id = request.order_id();
  w.has_expected_version = request.has_expected_version();
  w.expected_version = request.expected_version();
  return w;
}

void RemarksService::Set(const Principal& who, const v1::SetRemarkRequest& request,
                         absl::Time deadline, Done<v1::Remark> done) {
  auto w = StartWrite(request, "set");
  if (!w.ok()) return done(w.status());
  if (!w->has_expected_version) {
    return done(InvalidField("expected_version",
                             "is required (0 when the order has no remark yet); read the remark "
                             "first so that no one else's change is overwritten"));
  }
  auto flag = FlagOf(request);
  if (!flag.ok()) return done(flag.status());
  if (auto s = ValidateText("text", request.text(), kMaxTextBytes); !s.ok()) return done(s);
  w->has_flag = true;
  w->flag = flag->flag;  // FLAG_NONE when neither flag nor platform_flag is given
  w->text = request.text();
  RunWrite(who, *std::move(w), deadline, std::move(done));
}

void RemarksService::Append(const Principal& who, const v1::AppendRemarkRequest& request,
                            absl::Time deadline, Done<v1::Remark> done) {
  auto w = StartWrite(request, "append");
  if (!w.ok()) return done(w.status());
  if (request.reason().empty()) return done(InvalidField("reason", "is required"));
  if (auto s = ValidateLine("reason", request.reason(), kMaxReasonBytes); !s.ok()) return done(s);
  auto flag = FlagOf(request);
  if (!flag.ok()) return done(flag.status());
  w->has_flag = flag->present;
  w->flag = flag->flag;
  w->text = AppendedLine(request.reason(), who.agent, absl::Now(), zone_);
  RunWrite(who, *std::move(w), deadline, std::move(done));
}

void RemarksService::Clear(const Principal& who, const v1::ClearRemarkRequest& request,
                           absl::Time deadline, Done<v1::Remark> done) {
  auto w = StartWrite(request, "clear");
  if (!w.ok()) return done(w.status());
  RunWrite(who, *std::move(w), deadline, std::move(done));
}

void RemarksService::RunWrite(const Principal& who, Write w, absl::Time deadline,
                              Done<v1::Remark> done) {
  if (auto s = MayWrite(who); !s.ok()) return done(s);
  const std::string& shop = who.shop;
  std::vector<std::string> keys = {
      keys_.Order(shop, w.order_id), keys_.History(shop, w.order_id),
      keys_.Request(shop, w.order_id, redis::KeyScheme::RequestOf::kRemark, w.request_id)};
  for (auto& k : keys_.FlagIndexes(keys_.PartitionOf(shop, w.order_id), shop)) {
    keys.push_back(std::move(k));
  }
  std::vector<std::string> args = {w.op,
                                   w.has_expected_version ? absl::StrCat(w.expected_version) : "",
                                   w.has_flag ? absl::StrCat(static_cast<int>(w.flag)) : "",
                                   w.text,
                                   who.agent,
                                   absl::StrCat(static_cast<int>(SourceOf(who))),
                                   absl::StrCat(absl::ToUnixMillis(absl::Now())),
                                   absl::StrCat(retention_.history_entries),
                                   absl::StrCat(absl::ToInt64Milliseconds(retention_.order)),
                                   absl::StrCat(absl::ToInt64Milliseconds(retention_.request)),
                                   absl::StrCat(kMaxTextBytes),
                                   w.order_id};
  redis_.Run(
      redis::Command::Eval(write_, std::move(keys), std::move(args)), deadline,
      [order_id = w.order_id, done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
        if (!r.ok()) return done(r.status());
        const auto& e = r->elements;
        if (r->type != redis::Reply::Type::kArray || e.empty()) {
          return done(absl::InternalError("remark_write: unexpected reply"));
        }
        if (e[0].str == "aborted") {
          return done(absl::AbortedError(
              absl::StrCat("expected_version: the remark of order ", order_id, " is at version ",
                           e.size() > 1 ? e[1].integer : -1, "; read it again and retry")));
        }
        if (e[0].str == "too_long") {
          return done(absl::FailedPreconditionError(absl::StrCat(
              "reason: appending would make the memo ", e.size() > 1 ? e[1].integer : 0,
              " bytes; at most ", kMaxTextBytes, " are allowed")));
        }
        done(RemarkFromValues(order_id, e.data() + 1, e.size() - 1));
      });
}

void RemarksService::History(const Principal& who, const v1::RemarkHistoryRequest& request,
                             absl::Time deadline, Done<v1::RemarkHistoryResponse> done) {
  if (auto s = ValidateId("order_id", request.order_id()); !s.ok()) return done(s);
  if (request.page_size() < 0 || request.page_size() > kMaxHistoryPage) {
    return done(InvalidField("page_size", absl::StrCat("must be 0-", kMaxHistoryPage)));
  }
  const int limit = request.page_size() == 0 ? kDefaultHistoryPage : request.page_size();
  int64_t before = 0;
  if (!request.page_token().empty() &&
      (!absl::SimpleAtoi(request.page_token(), &before) || before < 1)) {
    return done(InvalidField("page_token", "is not a token this call returned"));
  }
  redis_.Run(redis::Command::Eval(history_,
                                  {keys_.Order(who.shop, request.order_id()),
                                   keys_.History(who.shop, request.order_id())},
                                  {request.page_token(), absl::StrCat(limit)}),
             deadline, [limit, done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               if (!r.ok()) return done(r.status());
               v1::RemarkHistoryResponse response;
               for (size_t i = 1; i < r->elements.size(); ++i) {
                 auto change = ParseChange(r->elements[i].str);
                 if (!change.ok()) return done(change.status());
                 *response.add_changes() = *std::move(change);
               }
               const int n = response.changes_size();
               if (n == limit && response.changes(n - 1).version() > 1) {
                 response.set_next_page_token(absl::StrCat(response.changes(n - 1).version()));
               }
               done(std::move(response));
             });
}

void RemarksService::ListByFlag(const Principal& who, const v1::ListByFlagRequest& request,
                                absl::Time deadline, Done<v1::ListByFlagResponse> done) {
  if (!v1::Flag_IsValid(request.flag()) || request.flag() == v1::FLAG_NONE) {
    return done(InvalidField("flag", "must be a colour: 1-5 (red, yellow, green, blue, purple)"));
  }
  if (request.page_size() < 0 || request.page_size() > kMaxFlagPage) {
    return done(InvalidField("page_size", absl::StrCat("must be 0-", kMaxFlagPage)));
  }
  const int limit = request.page_size() == 0 ? kDefaultFlagPage : request.page_size();
  FlagCursor cursor;
  bool has_cursor = false;
  if (!request.page_token().empty()) {
    auto c = DecodeFlagCursor(request.page_token());
    if (!c.ok()) return done(c.status());
    cursor = *std::move(c);
    has_cursor = true;
  }
  // Every partition holds a slice of the shop's index: read the next page of each, merge.
  std::vector<redis::Command> commands;
  commands.reserve(keys_.partitions());
  for (int p = 0; p < keys_.partitions(); ++p) {
    // One more than a page from each, so that a partition holding all that is left still
    // shows there is more.
    commands.push_back(
        redis::Command::Eval(flag_page_, {keys_.FlagIndex(p, who.shop, request.flag())},
                             {has_cursor ? absl::StrCat(cursor.score) : "", cursor.order_id,
                              absl::StrCat(limit + 1), absl::StrCat(OldestLiveScore())}));
  }
  const std::string shop = who.shop;
  redis_.RunAll(
      std::move(commands), deadline,
      [this, shop, limit, deadline,
       done = std::move(done)](std::vector<absl::StatusOr<redis::Reply>> replies) mutable {
        std::vector<FlagCursor> entries;
        for (const auto& r : replies) {
          if (!r.ok()) return done(r.status());
          for (size_t i = 0; i + 1 < r->elements.size(); i += 2) {
            FlagCursor e;
            e.order_id = r->elements[i].str;
            double score = 0;
            (void)absl::SimpleAtod(r->elements[i + 1].str, &score);
            e.score = static_cast<int64_t>(score);
            entries.push_back(std::move(e));
          }
        }
        std::sort(entries.begin(), entries.end(), [](const FlagCursor& a, const FlagCursor& b) {
          return a.score != b.score ? a.score > b.score : a.order_id > b.order_id;
        });
        const bool more = entries.size() > static_cast<size_t>(limit);
        if (more) entries.resize(limit);
        std::string next = more ? EncodeFlagCursor(entries.back()) : "";
        std::vector<std::string> ids;
        ids.reserve(entries.size());
        for (const auto& e : entries) ids.push_back(e.order_id);
        ReadRemarks(shop, std::move(ids), deadline,
                    [next = std::move(next),
                     done = std::move(done)](absl::StatusOr<std::vector<v1::Remark>> r) mutable {
                      if (!r.ok()) return done(r.status());
                      v1::ListByFlagResponse response;
                      for (auto& remark : *r) *response.add_remarks() = std::move(remark);
                      response.set_next_page_token(std::move(next));
                      done(std::move(response));
                    });
      });
}

void RemarksService::CountByFlag(const Principal& who, const v1::CountByFlagRequest&,
                                 absl::Time deadline, Done<v1::CountByFlagResponse> done) {
  std::vector<redis::Command> commands;
  commands.reserve(keys_.partitions());
  for (int p = 0; p < keys_.partitions(); ++p) {
    commands.push_back(redis::Command::Eval(flag_counts_, keys_.FlagIndexes(p, who.shop),
                                            {absl::StrCat(OldestLiveScore())}));
  }
  redis_.RunAll(
      std::move(commands), deadline,
      [done = std::move(done)](std::vector<absl::StatusOr<redis::Reply>> replies) mutable {
        std::array<int64_t, 6> counts{};
        for (const auto& r : replies) {
          if (!r.ok()) return done(r.status());
          for (size_t i = 0; i < r->elements.size() && i < 5; ++i) {
            counts[i + 1] += r->elements[i].integer;
          }
        }
        v1::CountByFlagResponse response;
        for (int f = 1; f <= 5; ++f) {
          auto* c = response.add_counts();
          c->set_flag(static_cast<v1::Flag>(f));
          c->set_count(counts[f]);
        }
        done(std::move(response));
      });
}

void RemarksService::GetLegend(const Principal& who, const v1::GetLegendRequest&,
                               absl::Time deadline, Done<v1::Legend> done) {
  redis_.Run(redis::Command::Of({"HGETALL", keys_.Legend(who.shop)}), deadline,
             [done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
               done(LegendFromHash(r));
             });
}

void RemarksService::SetLegend(const Principal& who, const v1::SetLegendRequest& request,
                               absl::Time deadline, Done<v1::Legend> done) {
  if (auto s = RequireRole(who, {Role::kSupervisor, Role::kOps}, "change the flag legend");
      !s.ok()) {
    return done(s);
  }
  if (auto s = ValidateId("request_id", request.request_id()); !s.ok()) return done(s);
  if (request.entries_size() == 0) return done(InvalidField("entries", "is empty"));
  if (request.entries_size() > 5) {
    return done(InvalidField("entries", "has more than the 5 colours"));
  }
  std::set<int> flags;
  std::vector<std::string> args = {absl::StrCat(absl::ToInt64Milliseconds(retention_.request))};
  for (int i = 0; i < request.entries_size(); ++i) {
    const auto& e = request.entries(i);
    const std::string path = absl::StrCat("entries[", i, "].");
    if (!v1::Flag_IsValid(e.flag()) || e.flag() == v1::FLAG_NONE) {
      return done(InvalidField(path + "flag", "must be a colour: 1-5"));
    }
    if (!flags.insert(e.flag()).second) {
      return done(InvalidField(path + "flag", "names a colour an earlier entry names"));
    }
    if (e.meaning().empty()) return done(InvalidField(path + "meaning", "is required"));
    if (auto s = ValidateText(path + "meaning", e.meaning(), kMaxMeaningBytes); !s.ok()) {
      return done(s);
    }
    args.push_back(absl::StrCat(static_cast<int>(e.flag())));
    args.push_back(e.meaning());
  }
  redis_.Run(
      redis::Command::Eval(
          legend_set_, {keys_.Legend(who.shop), keys_.ShopRequest(who.shop, request.request_id())},
          std::move(args)),
      deadline, [done = std::move(done)](absl::StatusOr<redis::Reply> r) mutable {
        done(LegendFromHash(r));
      });
}

}  // namespace orderwatch::remarks
