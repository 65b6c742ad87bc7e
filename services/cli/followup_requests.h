// Builds the follow-up and cashback requests from a parsed command line. Errors are usage errors
// (INVALID_ARGUMENT naming the option); the server checks the rest.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "orderwatch/v1/followups.pb.h"
#include "services/cli/args.h"

namespace orderwatch::cli {

// "stock-out", "refund", "exchange-reship", ... and back.
std::string FollowUpKindName(v1::FollowUpKind kind);
absl::StatusOr<v1::FollowUpKind> ParseFollowUpKind(std::string_view option, std::string_view value);
absl::StatusOr<v1::FollowUpShift> ParseShift(std::string_view option, std::string_view value);

// followup create KIND [ORDER_ID] ...; `now` resolves "now+2h".
absl::StatusOr<v1::CreateFollowUpRequest> BuildCreateFollowUpRequest(const Invocation& inv,
                                                                     absl::Time now);
absl::StatusOr<v1::ListFollowUpsRequest> BuildListFollowUpsRequest(const Invocation& inv);
absl::StatusOr<v1::ClaimNextRequest> BuildClaimNextRequest(const Invocation& inv);
absl::StatusOr<v1::NoteFollowUpRequest> BuildNoteFollowUpRequest(const Invocation& inv);
absl::StatusOr<v1::CompleteFollowUpRequest> BuildCompleteFollowUpRequest(const Invocation& inv);
absl::StatusOr<v1::ReassignFollowUpRequest> BuildReassignFollowUpRequest(const Invocation& inv);
// cashback ORDER_ID --amount-fen N ...
absl::StatusOr<v1::RegisterCashbackRequest> BuildCashbackRequest(const Invocation& inv,
                                                                 absl::Time now);

}  // namespace orderwatch::cli
