// How the follow-up commands print their results (times in `tz`).
#pragma once

#include <string>

#include "absl/time/time.h"
#include "orderwatch/v1/followups.pb.h"

namespace orderwatch::cli {

// One follow-up, a line per fact.
std::string FormatFollowUp(const v1::FollowUp& f, absl::TimeZone tz);
// A page of follow-ups as a table.
std::string FormatFollowUps(const v1::ListFollowUpsResponse& response, absl::TimeZone tz);
// Open and overdue by kind.
std::string FormatFollowUpSummary(const v1::FollowUpSummary& summary);

}  // namespace orderwatch::cli
