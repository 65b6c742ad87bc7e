#include "services/shipments/shipment_policy.h"

#include <gtest/gtest.h>

namespace orderwatch::shipments {
namespace {

const absl::Time kPaid = absl::FromUnixSeconds(1762790400);  // 2025-11-11 00:00 +08:00

ShipmentFacts Paid() {
  ShipmentFacts o;
  o.paid = kPaid;
  o.amount_fen = 12900;
  return o;
}

TEST(ShipmentPolicyTest, DefaultsAreValidAndBadFieldsAreNamed) {
  EXPECT_TRUE(ValidateShipmentPolicy(DefaultShipmentPolicy()).ok());
  auto p = DefaultShipmentPolicy();
  p.set_promise_hours(0);
  EXPECT_EQ(ValidateShipmentPolicy(p).message(), "policy.promise_hours: is 0; must be 1-720");
  p = DefaultShipmentPolicy();
  p.set_warning_before_minutes(5);
  EXPECT_EQ(ValidateShipmentPolicy(p).message().substr(0, 30), "policy.warning_before_minutes:");
  p = DefaultShipmentPolicy();
  p.set_flag(v1::FLAG_NONE);
  EXPECT_EQ(ValidateShipmentPolicy(p).message().substr(0, 12), "policy.flag:");
  p = DefaultShipmentPolicy();
  p.set_compensation_max_fen(100);  // below the minimum of 500
  EXPECT_EQ(ValidateShipmentPolicy(p).message().substr(0, 28), "policy.compensation_max_fen:");
  p = DefaultShipmentPolicy();
  auto* c = p.add_campaigns();
  c->set_start_unix_ms(absl::ToUnixMillis(kPaid));
  c->set_end_unix_ms(absl::ToUnixMillis(kPaid + absl::Hours(24)));
  c->set_promise_hours(72);
  EXPECT_TRUE(ValidateShipmentPolicy(p).ok());
  *p.add_campaigns() = *c;
  EXPECT_EQ(ValidateShipmentPolicy(p).message(),
            "policy.campaigns[1].start_unix_ms: overlaps campaigns[0]");
  p.mutable_campaigns(1)->set_end_unix_ms(c->start_unix_ms());
  EXPECT_EQ(ValidateShipmentPolicy(p).message(),
            "policy.campaigns[1].end_unix_ms: must be after start_unix_ms");
}

TEST(ShipmentPolicyTest, ShipByIsTheStorefrontsElseThePromiseOfTheCampaignOrShop) {
  auto p = DefaultShipmentPolicy();
  EXPECT_EQ(ShipBy(Paid(), p), kPaid + absl::Hours(24));
  auto* c = p.add_campaigns();
  c->set_start_unix_ms(absl::ToUnixMillis(kPaid - absl::Hours(4)));
  c->set_end_unix_ms(absl::ToUnixMillis(kPaid + absl::Hours(24)));
  c->set_promise_hours(72);
  EXPECT_EQ(ShipBy(Paid(), p), kPaid + absl::Hours(72));
  auto later = Paid();
  later.paid = kPaid + absl::Hours(24);  // the window's end is exclusive
  EXPECT_EQ(ShipBy(later, p), later.paid + absl::Hours(24));
  auto given = Paid();
  given.ship_by = kPaid + absl::Hours(5);
  EXPECT_EQ(ShipBy(given, p), kPaid + absl::Hours(5));
}

TEST(ShipmentPolicyTest, CompensationIsAPercentWithinTheBounds) {
  auto p = DefaultShipmentPolicy();  // 5 %, ¥5-¥30
  EXPECT_EQ(Compensation(12900, p), 645);
  EXPECT_EQ(Compensation(1000, p), 500);
  EXPECT_EQ(Compensation(1'000'000, p), 3000);
  p.set_compensation_percent(0);
  p.set_compensation_min_fen(0);
  EXPECT_EQ(Compensation(1'000'000, p), 0);
}

TEST(ShipmentPolicyTest, StagesComeInTurnAndOnlyForward) {
  const auto p = DefaultShipmentPolicy();  // 24 h; warning 4 h before; escalated 12 h after
  const absl::Time deadline = kPaid + absl::Hours(24);
  auto o = Paid();
  SweepStep s = PlanSweep(o, p, kPaid);
  EXPECT_EQ(s.deadline, deadline);
  EXPECT_EQ(s.enter, v1::SHIPMENT_STAGE_UNSPECIFIED);
  EXPECT_EQ(s.next, deadline - absl::Hours(4));

  s = PlanSweep(o, p, deadline - absl::Hours(4));
  EXPECT_EQ(s.enter, v1::SHIPMENT_STAGE_WARNING);
  EXPECT_EQ(s.next, deadline);
  o.stage = v1::SHIPMENT_STAGE_WARNING;
  s = PlanSweep(o, p, deadline);
  EXPECT_EQ(s.enter, v1::SHIPMENT_STAGE_OVERDUE);
  EXPECT_EQ(s.next, deadline + absl::Hours(12));
  o.stage = v1::SHIPMENT_STAGE_OVERDUE;
  s = PlanSweep(o, p, deadline + absl::Hours(12));
  EXPECT_EQ(s.enter, v1::SHIPMENT_STAGE_ESCALATED);
  EXPECT_FALSE(s.next.has_value());
  o.stage = v1::SHIPMENT_STAGE_ESCALATED;
  EXPECT_EQ(PlanSweep(o, p, deadline + absl::Hours(20)).enter, v1::SHIPMENT_STAGE_UNSPECIFIED);

  // Looked at late (a backlog at peak), an order goes straight to the stage it is at.
  auto late = Paid();
  s = PlanSweep(late, p, deadline + absl::Minutes(1));
  EXPECT_EQ(s.enter, v1::SHIPMENT_STAGE_OVERDUE);
  EXPECT_EQ(s.next, deadline + absl::Hours(12));
}

TEST(ShipmentPolicyTest, AnUrgedOrderIsAtRiskAtOnce) {
  auto o = Paid();
  o.urged = true;
  SweepStep s = PlanSweep(o, DefaultShipmentPolicy(), kPaid + absl::Hours(1));
  EXPECT_EQ(s.enter, v1::SHIPMENT_STAGE_WARNING);
  EXPECT_EQ(s.next, kPaid + absl::Hours(24));
}

TEST(ShipmentPolicyTest, AModifiedOrderIsHeldForReview) {
  auto p = DefaultShipmentPolicy();
  p.set_review_hold_minutes(120);
  auto o = Paid();
  o.ship_by = kPaid + absl::Hours(3);  // warning due at once
  o.modified = kPaid + absl::Minutes(30);
  SweepStep s = PlanSweep(o, p, kPaid + absl::Hours(1));
  EXPECT_EQ(s.enter, v1::SHIPMENT_STAGE_UNSPECIFIED) << "held until 02:30";
  EXPECT_EQ(s.next, kPaid + absl::Minutes(150));
  s = PlanSweep(o, p, kPaid + absl::Minutes(150));
  EXPECT_EQ(s.enter, v1::SHIPMENT_STAGE_WARNING);
  EXPECT_EQ(s.next, kPaid + absl::Hours(3));
}

TEST(ShipmentPolicyTest, AnOverdueOrderIsExpectedTheDelayAfterItsDeadlineOrNow) {
  auto p = DefaultShipmentPolicy();
  const absl::Time deadline = kPaid + absl::Hours(24);
  EXPECT_EQ(ExpectedShip(v1::SHIPMENT_STAGE_WARNING, deadline, p, kPaid), deadline);
  EXPECT_EQ(ExpectedShip(v1::SHIPMENT_STAGE_OVERDUE, deadline, p, deadline),
            deadline + absl::Hours(24));
  p.set_overdue_ship_delay_hours(6);
  EXPECT_EQ(ExpectedShip(v1::SHIPMENT_STAGE_ESCALATED, deadline, p, deadline + absl::Hours(12)),
            deadline + absl::Hours(18));
  p.set_overdue_ship_delay_hours(0);  // a policy saved before the field: the default
  EXPECT_EQ(ExpectedShip(v1::SHIPMENT_STAGE_OVERDUE, deadline, p, deadline),
            deadline + absl::Hours(24));
  p.set_overdue_ship_delay_hours(241);
  EXPECT_EQ(ValidateShipmentPolicy(p).message().rfind("policy.overdue_ship_delay_hours:", 0), 0u);
}

TEST(ShipmentPolicyTest, TheDelayNoticeIsTheShopsTemplatePeakInsideACampaign) {
  auto p = DefaultShipmentPolicy();
  reminders::TemplateValues v;
  v.shop_name = "小店";
  v.order_id = "o1";
  v.ship_date = kPaid + absl::Hours(24);
  v.zone = absl::FixedTimeZone(8 * 3600);
  EXPECT_NE(DelayNoticeText(p, v, kPaid)
                .find("【小店】的订单o1因发货高峰稍有延迟，预计11-12 00:00前发出"),
            std::string::npos)
      << DelayNoticeText(p, v, kPaid);
  p.set_notice_template("{order_id} normal {ship_date}");
  p.set_peak_notice_template("{order_id} peak");
  EXPECT_TRUE(ValidateShipmentPolicy(p).ok());
  EXPECT_EQ(DelayNoticeText(p, v, kPaid), "o1 normal 11-12 00:00");
  auto* c = p.add_campaigns();
  c->set_start_unix_ms(absl::ToUnixMillis(kPaid));
  c->set_end_unix_ms(absl::ToUnixMillis(kPaid + absl::Hours(72)));
  c->set_promise_hours(72);
  EXPECT_EQ(DelayNoticeText(p, v, kPaid + absl::Hours(1)), "o1 peak");
  EXPECT_EQ(DelayNoticeText(p, v, kPaid + absl::Hours(72)), "o1 normal 11-12 00:00");
  p.set_notice_template(std::string(600, 'x'));
  EXPECT_EQ(ValidateShipmentPolicy(p).message().rfind("policy.notice_template:", 0), 0u)
      << ValidateShipmentPolicy(p);
}

}  // namespace
}  // namespace orderwatch::shipments
