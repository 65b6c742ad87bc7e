// Builds the gRPC request messages from a parsed command line. Errors are usage errors
// (INVALID_ARGUMENT naming the option).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "orderwatch/v1/order_events.pb.h"
#include "orderwatch/v1/remarks.pb.h"
#include "services/cli/args.h"

namespace orderwatch::cli {

// --request-id, or a random 16-hex-digit id.
absl::StatusOr<std::string> RequestIdFor(const Invocation& inv);

// remark get with one ORDER_ID, and with several.
absl::StatusOr<v1::GetRemarkRequest> BuildGetRequest(const Invocation& inv);
absl::StatusOr<v1::BatchGetRemarksRequest> BuildBatchGetRequest(const Invocation& inv);
absl::StatusOr<v1::SetRemarkRequest> BuildSetRequest(const Invocation& inv);
absl::StatusOr<v1::AppendRemarkRequest> BuildAppendRequest(const Invocation& inv);
absl::StatusOr<v1::ClearRemarkRequest> BuildClearRequest(const Invocation& inv);
absl::StatusOr<v1::RemarkHistoryRequest> BuildHistoryRequest(const Invocation& inv);
absl::StatusOr<v1::ListByFlagRequest> BuildListRequest(const Invocation& inv);
absl::StatusOr<v1::SetLegendRequest> BuildSetLegendRequest(const Invocation& inv);

// event record; `now` is what --at now (the default) means.
absl::StatusOr<v1::RecordEventRequest> BuildRecordRequest(const Invocation& inv, absl::Time now);

}  // namespace orderwatch::cli
