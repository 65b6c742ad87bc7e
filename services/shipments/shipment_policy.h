// The rules of delayed-shipment sweeps that need neither Redis nor gRPC: a shop's shipment
// policy and its checks, an order's ship-by deadline, the compensation a late shipment costs, and
// which stage a watched order is at and when to look at it again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "orderwatch/v1/shipments.pb.h"
#include "services/reminders/reminder_template.h"

namespace orderwatch::shipments {

// Limits of a policy (the ranges documented in shipments.proto).
inline constexpr int kMaxPromiseHours = 720;
inline constexpr int kMaxCampaigns = 8;
inline constexpr int kMaxReviewHoldMinutes = 360;
inline constexpr int kMinWarningMinutes = 10;
inline constexpr int kMaxWarningMinutes = 2880;
inline constexpr int kMinEscalateMinutes = 10;
inline constexpr int kMaxEscalateMinutes = 10080;
inline constexpr int64_t kMaxCompensationFen = 100'000'000;  // ¥1 000 000
inline constexpr int kMaxOverdueShipDelayHours = 240;

// The policy of a shop that never set one.
v1::ShipmentPolicy DefaultShipmentPolicy();

// OK, or INVALID_ARGUMENT naming the first bad field prefixed with `path`
// (e.g. "policy.campaigns[1].promise_hours: ..."). `version` is output only and not checked.
absl::Status ValidateShipmentPolicy(const v1::ShipmentPolicy& p,
                                    std::string_view path = "policy.");

// When the buyer of an order at `stage` is told it will ship: by the deadline while it holds
// (warning), else the policy's delay after the deadline or now, whichever is later.
absl::Time ExpectedShip(v1::ShipmentStage stage, absl::Time deadline, const v1::ShipmentPolicy& p,
                        absl::Time now);

// Whether `t` falls inside one of the policy's campaign windows (peak: the peak notice).
bool InCampaign(absl::Time t, const v1::ShipmentPolicy& p);

// The buyer's delay notice: the policy's template (its peak one inside a campaign window), else
// the built-in one, rendered with `values` (ship_date: when the order is now expected to ship).
std::string DelayNoticeText(const v1::ShipmentPolicy& p, const reminders::TemplateValues& values,
                            absl::Time now);

// What a sweep knows of a watched (paid, unshipped, open) order. Times not known are
// absl::InfinitePast().
struct ShipmentFacts {
  absl::Time paid = absl::InfinitePast();
  absl::Time ship_by = absl::InfinitePast();   // the storefront's ship-by time
  absl::Time modified = absl::InfinitePast();  // the last change of the order
  bool urged = false;                          // the buyer urged shipment
  int64_t amount_fen = 0;
  v1::ShipmentStage stage = v1::SHIPMENT_STAGE_UNSPECIFIED;  // where the order is now
};

// The storefront's ship-by time, else the paid time plus the promise of the campaign window the
// payment fell in, else the shop's promise.
absl::Time ShipBy(const ShipmentFacts& o, const v1::ShipmentPolicy& p);

// Percent of the amount, within the policy's minimum and maximum.
int64_t Compensation(int64_t amount_fen, const v1::ShipmentPolicy& p);

// What a sweep does with an order now.
struct SweepStep {
  absl::Time deadline;
  // The stage the order enters now; UNSPECIFIED when it stays where it is.
  v1::ShipmentStage enter = v1::SHIPMENT_STAGE_UNSPECIFIED;
  // When to look at it again; nullopt when no stage is left.
  std::optional<absl::Time> next;
};

// Stages only move forward: warning from warning_before_minutes before the deadline (or at once
// when the buyer urged), overdue at it, escalated escalate_after_minutes after it. An order
// modified less than review_hold_minutes ago is held: nothing new until the hold ends.
SweepStep PlanSweep(const ShipmentFacts& o, const v1::ShipmentPolicy& p, absl::Time now);

// "warning", "overdue", "escalated" (in remarks, logs and Redis), "" for UNSPECIFIED.
std::string_view StageName(v1::ShipmentStage stage);

}  // namespace orderwatch::shipments
