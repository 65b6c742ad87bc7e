// Human-readable and JSON renderings of responses. Every function returns whole lines, each
// ending in '\n'.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "orderwatch/v1/order_events.pb.h"
#include "orderwatch/v1/remarks.pb.h"
#include "orderwatch/v1/reminders.pb.h"
#include "orderwatch/v1/shipments.pb.h"

namespace orderwatch::cli {

// Asia/Shanghai, or UTC when the time zone database lacks it.
absl::TimeZone DisplayTimeZone();

// "2026-11-11 00:01:02 +08:00"; "-" for 0.
std::string FormatTime(int64_t unix_ms, absl::TimeZone tz);

// The message as indented JSON with proto field names and every field, defaults included.
std::string ToJson(const google::protobuf::Message& message);

// order 1001  flag red  version 3  updated 2026-11-11 00:01:02 +08:00 by alice (agent)
// memo: 已催付 alice/2026-11-11
std::string FormatRemark(const v1::Remark& remark, absl::TimeZone tz);
std::string FormatRemarks(const v1::BatchGetRemarksResponse& response, absl::TimeZone tz);

// One line per change: version, time, who (source), op, flag before->after, memo after.
std::string FormatChange(const v1::RemarkChange& change, absl::TimeZone tz);
std::string FormatHistory(const v1::RemarkHistoryResponse& response, absl::TimeZone tz);

// A table: ORDER FLAG VERSION UPDATED BY MEMO.
std::string FormatList(const v1::ListByFlagResponse& response, v1::Flag flag, absl::TimeZone tz);

// "red 12" per line.
std::string FormatCounts(const v1::CountByFlagResponse& response);
std::string FormatLegend(const v1::Legend& legend);

std::string FormatOrder(const v1::Order& order, absl::TimeZone tz);
std::string FormatRecorded(const v1::RecordEventRequest& request,
                           const v1::RecordEventResponse& response, absl::TimeZone tz);

// reminder 1 of order A1: sent by sms (manual, alice) key shop1:A1:1
// then "time: ", "reason: " (when there is one) and "text: " (when there is one) lines.
std::string FormatReminder(const v1::Reminder& reminder, absl::TimeZone tz);

// A table in the order given (the server's: newest first): # KIND CHANNEL OUTCOME BY TIME REASON,
// BY being the agent or "auto".
std::string FormatReminders(const v1::ListRemindersResponse& response, std::string_view order_id,
                            absl::TimeZone tz);

// One "name: value" line per field, named as in reminders.proto ("peak.start_unix_ms").
// Reminders.Stats: the day's totals, then a table by kind, skipped reasons and agents.
std::string FormatReminderStats(const v1::ReminderStats& stats);
// One row per order: stage, deadline, since, compensation, urged; then how to get more.
std::string FormatDelayed(const v1::ListDelayedResponse& response, absl::TimeZone tz);
std::string FormatShipmentSummary(const v1::ShipmentSummary& summary);
std::string FormatPolicy(const v1::ReminderPolicy& policy, absl::TimeZone tz);

}  // namespace orderwatch::cli
