// Builds the gRPC request messages from a parsed command line. Errors are usage errors
// (INVALID_ARGUMENT naming the option).
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "orderwatch/v1/order_events.pb.h"
#include "orderwatch/v1/remarks.pb.h"
#include "orderwatch/v1/reminders.pb.h"
#include "orderwatch/v1/shipments.pb.h"
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

// remind ORDER_ID [--channel CHANNEL] [--override REASON] [--request-id ID].
absl::StatusOr<v1::TriggerReminderRequest> BuildTriggerRequest(const Invocation& inv);
// reminders ORDER_ID.
absl::StatusOr<v1::ListRemindersRequest> BuildListRemindersRequest(const Invocation& inv);
// stats [--day YYYY-MM-DD]
absl::StatusOr<v1::ReminderStatsRequest> BuildStatsRequest(const Invocation& inv);
// delayed [--stage warning|overdue|escalated] [--page-size N] [--page-token T]
absl::StatusOr<v1::ListDelayedRequest> BuildListDelayedRequest(const Invocation& inv);
// answer ORDER_ID --reason R [--note T] [--promised TIME] [--reminder N] [--request-id ID];
// `now` resolves "now+2h".
absl::StatusOr<v1::RecordAnswerRequest> BuildAnswerRequest(const Invocation& inv, absl::Time now);

// The contents of a file; "-" is stdin. The error says which file and why.
using FileReader = std::function<absl::StatusOr<std::string>(const std::string& path)>;
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// policy set: the ReminderPolicy in proto JSON from the file named by --file (read with `read`),
// and --expected-version. The policy's fields are checked by the server, not here.
absl::StatusOr<v1::SetReminderPolicyRequest> BuildSetPolicyRequest(const Invocation& inv,
                                                                   const FileReader& read);

}  // namespace orderwatch::cli
