// Event ingestion (OrderEvents.RecordBatch): any bytes read as a batch request. Every event is
// either refused with INVALID_ARGUMENT naming its field ("events[i]. ...") or, once valid, turns
// into a write whose mode and time field are set and whose values are valid UTF-8 text without
// control characters (they reach remarks, templates and JSON sinks).
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "orderwatch/v1/order_events.pb.h"
#include "services/common/validate.h"
#include "services/orders/order_event_rules.h"
#include "tests/fuzz/check.h"

using namespace orderwatch;  // NOLINT: a fuzz target's one function

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v1::RecordEventBatchRequest batch;
  if (!batch.ParseFromArray(data, static_cast<int>(size))) return 0;
  for (int i = 0; i < batch.events_size(); ++i) {
    const v1::OrderEvent& event = batch.events(i);
    const std::string path = absl::StrCat("events[", i, "].");
    const absl::Status s = orders::ValidateEvent(event, path);
    if (!s.ok()) {
      FUZZ_CHECK(s.code() == absl::StatusCode::kInvalidArgument, s.ToString());
      FUZZ_CHECK(absl::StartsWith(s.message(), path), s.ToString());
      continue;
    }
    const orders::EventWrite w = orders::WriteFor(event);
    FUZZ_CHECK(w.mode == "first" || w.mode == "last", w.mode);
    FUZZ_CHECK(!w.time_field.empty(), event.ShortDebugString());
    for (const auto& [name, value] : w.fields) {
      FUZZ_CHECK(!name.empty(), event.ShortDebugString());
      FUZZ_CHECK(ValidateText(name, value, 1 << 20).ok(), absl::StrCat(name, "=", value));
    }
  }
  return 0;
}
