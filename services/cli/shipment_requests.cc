// Requests of the shipment commands: delayed.
#include "services/cli/requests.h"
#include "services/cli/text.h"
#include "services/cli/values.h"

namespace orderwatch::cli {

absl::StatusOr<v1::ListDelayedRequest> BuildListDelayedRequest(const Invocation& inv) {
  v1::ListDelayedRequest request;
  if (const std::string* stage = inv.Find("stage")) {
    if (*stage == "warning") {
      request.set_stage(v1::SHIPMENT_STAGE_WARNING);
    } else if (*stage == "overdue") {
      request.set_stage(v1::SHIPMENT_STAGE_OVERDUE);
    } else if (*stage == "escalated") {
      request.set_stage(v1::SHIPMENT_STAGE_ESCALATED);
    } else {
      return absl::InvalidArgumentError(
          Cat("--stage: \"", *stage, "\" is not warning, overdue or escalated"));
    }
  }
  if (const std::string* size = inv.Find("page-size")) {
    absl::StatusOr<int32_t> n = ParsePositiveInt32("page-size", *size);
    if (!n.ok()) return n.status();
    request.set_page_size(*n);
  }
  if (const std::string* token = inv.Find("page-token")) request.set_page_token(*token);
  return request;
}

}  // namespace orderwatch::cli
