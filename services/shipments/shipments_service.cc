#include "services/shipments/shipments_service.h"

#include <algorithm>
#include <tuple>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/validate.h"
#include "services/shipments/shipment_policy.h"

namespace orderwatch::shipments {
namespace lua {
extern const std::string_view kScorePage;
}  // namespace lua

namespace {

// A page token: "<deadline ms>:<order id>" of the last order of the previous page.
struct Cursor {
  int64_t deadline_ms = -1;
  std::string order_id;
};

absl::StatusOr<Cursor> ParseToken(const std::string& token) {
  Cursor c;
  if (token.empty()) return c;
  const size_t colon = token.find(':');
  if (colon == std::string::npos || colon + 1 == token.size() ||
      !absl::SimpleAtoi(absl::string_view(token).substr(0, colon), &c.deadline_ms) ||
      c.deadline_ms < 0 || !ValidateId("page_token", token.substr(colon + 1)).ok()) {
    return InvalidField("page_token", "is not a token from ListDelayed");
  }
  c.order_id = token.substr(colon + 1);
  return c;
}

int64_t Int(const redis::Reply& r) {
  if (r.type == redis::Reply::Type::kInteger) return r.integer;
  int64_t n = 0;
  (void)absl::SimpleAtoi(r.str, &n);
  return n;
}

}  // namespace

ShipmentsService::ShipmentsService(redis::Client& redis, const redis::KeyScheme& keys,
                                   ShipmentPolicyStore& policies)
    : redis_(redis), keys_(keys), policies_(policies), page_("score_page", lua::kScorePage) {}

void ShipmentsService::GetPolicy(const Principal& who, const v1::GetShipmentPolicyRequest&,
                                 absl::Time deadline, Done<v1::ShipmentPolicy> done) {
  policies_.Get(who.shop, deadline, std::move(done));
}

void ShipmentsService::SetPolicy(const Principal& who, const v1::SetShipmentPolicyRequest& request,
                                 absl::Time deadline, Done<v1::ShipmentPolicy> done) {
  if (auto s = RequireRole(who, {Role::kSupervisor, Role::kOps}, "change the shipment policy");
      !s.ok()) {
    return done(s);
  }
  if (!request.has_policy()) return done(InvalidField("policy", "is required"));
  if (auto s = ValidateShipmentPolicy(request.policy()); !s.ok()) return done(s);
  std::optional<int64_t> expected;
  if (request.has_expected_version()) expected = request.expected_version();
  if (expected && *expected < 0)
    return done(InvalidField("expected_version", "must not be negative"));
  policies_.Set(who.shop, request.policy(), expected, deadline, std::move(done));
}

void ShipmentsService::ListDelayed(const Principal& who, const v1::ListDelayedRequest& request,
                                   absl::Time deadline, Done<v1::ListDelayedResponse> done) {
  if (!v1::ShipmentStage_IsValid(request.stage())) {
    return done(InvalidField("stage", absl::StrCat("is ", request.stage(), "; must be 0-3")));
  }
  const int size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  if (size < 1 || size > kMaxPageSize) {
    return done(InvalidField(
        "page_size", absl::StrCat("is ", request.page_size(), "; must be 1-", kMaxPageSize)));
  }
  auto cursor = ParseToken(request.page_token());
  if (!cursor.ok()) return done(cursor.status());
  std::vector<int> stages;
  for (int s = 1; s <= 3; ++s) {
    if (request.stage() == v1::SHIPMENT_STAGE_UNSPECIFIED || request.stage() == s) {
      stages.push_back(s);
    }
  }
  // Each partition's next `size` over the stages asked for (one script reads them all), merged:
  // the page is the first `size` of all.
  std::vector<redis::Command> reads;
  for (int p = 0; p < keys_.partitions(); ++p) {
    std::vector<std::string> lists;
    for (int s : stages) lists.push_back(keys_.ShipmentStages(p, who.shop, s));
    reads.push_back(
        redis::Command::Eval(page_, std::move(lists),
                             {cursor->deadline_ms < 0 ? "" : absl::StrCat(cursor->deadline_ms),
                              cursor->order_id, absl::StrCat(size)}));
  }
  redis_.RunAll(
      std::move(reads), deadline,
      [this, shop = who.shop, size, stages, deadline,
       done = std::move(done)](std::vector<absl::StatusOr<redis::Reply>> replies) mutable {
        std::vector<std::tuple<int64_t, std::string, int>> found;
        for (const auto& reply : replies) {
          if (!reply.ok()) return done(reply.status());
          const auto& e = reply->elements;
          for (size_t j = 0; j + 2 < e.size(); j += 3) {
            const int64_t list = Int(e[j]);
            if (list < 1 || list > static_cast<int64_t>(stages.size())) {
              return done(absl::InternalError("score_page: bad reply"));
            }
            found.emplace_back(Int(e[j + 2]), e[j + 1].str, stages[list - 1]);
          }
        }
        std::sort(found.begin(), found.end());
        v1::ListDelayedResponse response;
        for (size_t i = 0; i < found.size() && static_cast<int>(i) < size; ++i) {
          auto* o = response.add_orders();
          o->set_deadline_unix_ms(std::get<0>(found[i]));
          o->set_order_id(std::get<1>(found[i]));
          o->set_stage(static_cast<v1::ShipmentStage>(std::get<2>(found[i])));
        }
        if (static_cast<int>(found.size()) > size) {
          const auto& last = response.orders(size - 1);
          response.set_next_page_token(absl::StrCat(last.deadline_unix_ms(), ":", last.order_id()));
        }
        Describe(shop, std::move(response), deadline, std::move(done));
      });
}

void ShipmentsService::Describe(const std::string& shop, v1::ListDelayedResponse response,
                                absl::Time deadline, Done<v1::ListDelayedResponse> done) {
  if (response.orders().empty()) return done(std::move(response));
  std::vector<redis::Command> reads;
  for (const auto& o : response.orders()) {
    reads.push_back(
        redis::Command::Of({"HMGET", keys_.Order(shop, o.order_id()), "ssa", "scf", "urg"}));
  }
  redis_.RunAll(std::move(reads), deadline,
                [response = std::move(response), done = std::move(done)](
                    std::vector<absl::StatusOr<redis::Reply>> replies) mutable {
                  for (size_t i = 0; i < replies.size(); ++i) {
                    if (!replies[i].ok()) return done(replies[i].status());
                    const auto& e = replies[i]->elements;
                    if (e.size() != 3) return done(absl::InternalError("HMGET: bad reply"));
                    auto* o = response.mutable_orders(static_cast<int>(i));
                    o->set_stage_since_unix_ms(Int(e[0]));
                    o->set_compensation_fen(Int(e[1]));
                    o->set_buyer_urged(e[2].type == redis::Reply::Type::kString);
                  }
                  done(std::move(response));
                });
}

void ShipmentsService::Summary(const Principal& who, const v1::ShipmentSummaryRequest&,
                               absl::Time deadline, Done<v1::ShipmentSummary> done) {
  std::vector<redis::Command> reads;
  for (int p = 0; p < keys_.partitions(); ++p) {
    reads.push_back(redis::Command::Of({"HGETALL", keys_.ShipmentSummary(p, who.shop)}));
  }
  redis_.RunAll(
      std::move(reads), deadline,
      [done = std::move(done)](std::vector<absl::StatusOr<redis::Reply>> replies) mutable {
        std::map<std::string, int64_t> sum;
        for (const auto& r : replies) {
          if (!r.ok()) return done(r.status());
          for (size_t i = 0; i + 1 < r->elements.size(); i += 2) {
            sum[r->elements[i].str] += Int(r->elements[i + 1]);
          }
        }
        v1::ShipmentSummary s;
        for (int stage = 1; stage <= 3; ++stage) {
          auto* st = s.add_stages();
          st->set_stage(static_cast<v1::ShipmentStage>(stage));
          st->set_orders(sum[absl::StrCat("n:", stage)]);
          st->set_compensation_fen(sum[absl::StrCat("c:", stage)]);
        }
        s.set_at_risk_fen(sum["c:1"]);
        s.set_incurred_fen(sum["incurred_fen"]);
        s.set_incurred_orders(sum["incurred_n"]);
        done(std::move(s));
      });
}

}  // namespace orderwatch::shipments
