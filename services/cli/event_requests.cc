// Request building for "event record".
#include <algorithm>
#include <vector>

#include "services/cli/requests.h"
#include "services/cli/text.h"
#include "services/cli/values.h"

namespace orderwatch::cli {
namespace {

struct EventType {
  std::string_view name;
  std::vector<std::string_view> options;  // options beyond --type, --event-id and --at
};

const std::vector<EventType>& EventTypes() {
  static const std::vector<EventType>* const types = new std::vector<EventType>{
      {"created",
       {"amount-fen", "currency", "buyer", "phone-hash", "items", "created", "auto-close",
        "ship-by", "flash-sale"}},
      {"paid", {}},
      {"closed", {"reason"}},
      {"shipped", {"carrier", "tracking-no"}},
      {"refund-requested", {"reason"}},
      {"refunded", {"amount-fen"}},
      {"modified", {"what"}},
      {"urged", {}},
      {"stock-out", {"items"}},
  };
  return *types;
}

absl::Status AmountOption(const Invocation& inv, int64_t* out) {
  const std::string* value = inv.Find("amount-fen");
  if (value == nullptr) return absl::OkStatus();
  absl::StatusOr<int64_t> n = ParseNonNegativeInt64("amount-fen", *value);
  if (!n.ok()) return n.status();
  *out = *n;
  return absl::OkStatus();
}

absl::Status FillCreated(const Invocation& inv, absl::Time now, int64_t event_ms,
                         v1::OrderCreated* created) {
  int64_t amount = 0;
  if (absl::Status s = AmountOption(inv, &amount); !s.ok()) return s;
  created->set_amount_fen(amount);
  const std::string* currency = inv.Find("currency");
  created->set_currency(currency != nullptr ? *currency : "CNY");
  created->set_buyer_id(inv.Text("buyer"));
  created->set_buyer_phone_hash(inv.Text("phone-hash"));
  created->set_item_summary(inv.Text("items"));
  int64_t created_ms = event_ms;
  int64_t auto_close_ms = 0;
  int64_t ship_by_ms = 0;
  if (absl::Status s = TimeOption(inv, "created", now, &created_ms); !s.ok()) return s;
  if (absl::Status s = TimeOption(inv, "auto-close", now, &auto_close_ms); !s.ok()) return s;
  if (absl::Status s = TimeOption(inv, "ship-by", now, &ship_by_ms); !s.ok()) return s;
  created->set_created_unix_ms(created_ms);
  created->set_auto_close_unix_ms(auto_close_ms);
  created->set_ship_by_unix_ms(ship_by_ms);
  created->set_flash_sale(inv.Has("flash-sale"));
  return absl::OkStatus();
}

std::string TypeNames() {
  std::string names;
  for (const EventType& t : EventTypes()) Append(&names, names.empty() ? "" : ", ", t.name);
  return names;
}

}  // namespace

absl::StatusOr<v1::RecordEventRequest> BuildRecordRequest(const Invocation& inv, absl::Time now) {
  const std::string* type_name = inv.Find("type");
  if (type_name == nullptr)
    return absl::InvalidArgumentError(Cat("missing --type (", TypeNames(), ")"));
  const auto& types = EventTypes();
  const auto type = std::find_if(types.begin(), types.end(),
                                 [&](const EventType& t) { return t.name == *type_name; });
  if (type == types.end()) {
    return absl::InvalidArgumentError(
        Cat("--type: \"", *type_name, "\" is not one of ", TypeNames()));
  }
  for (const auto& [option, value] : inv.options) {
    if (option == "type" || option == "event-id" || option == "at") continue;
    if (std::find(type->options.begin(), type->options.end(), option) == type->options.end()) {
      return absl::InvalidArgumentError(Cat("--", option, " is not for --type ", type->name));
    }
  }

  v1::RecordEventRequest request;
  v1::OrderEvent* event = request.mutable_event();
  event->set_order_id(inv.args.at(0));
  if (const std::string* id = inv.Find("event-id")) {
    if (id->empty()) return absl::InvalidArgumentError("--event-id must not be empty");
    event->set_event_id(*id);
  } else {
    event->set_event_id(RandomHexId());
  }
  int64_t event_ms = absl::ToUnixMillis(now);
  if (absl::Status s = TimeOption(inv, "at", now, &event_ms); !s.ok()) return s;
  event->set_event_unix_ms(event_ms);

  const std::string_view name = type->name;
  if (name == "created") {
    if (absl::Status s = FillCreated(inv, now, event_ms, event->mutable_created()); !s.ok()) {
      return s;
    }
  } else if (name == "paid") {
    event->mutable_paid();
  } else if (name == "closed") {
    event->mutable_closed()->set_reason(inv.Text("reason"));
  } else if (name == "shipped") {
    event->mutable_shipped()->set_carrier(inv.Text("carrier"));
    event->mutable_shipped()->set_tracking_no(inv.Text("tracking-no"));
  } else if (name == "refund-requested") {
    event->mutable_refund_requested()->set_reason(inv.Text("reason"));
  } else if (name == "refunded") {
    int64_t amount = 0;
    if (absl::Status s = AmountOption(inv, &amount); !s.ok()) return s;
    event->mutable_refunded()->set_amount_fen(amount);
  } else if (name == "modified") {
    event->mutable_modified()->set_what(inv.Text("what"));
  } else if (name == "stock-out") {
    event->mutable_stock_out()->set_items(inv.Text("items"));
  } else {  // urged
    event->mutable_shipment_urged();
  }
  return request;
}

}  // namespace orderwatch::cli
