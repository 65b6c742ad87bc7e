#include "services/cli/output.h"

#include <sstream>

#include "absl/time/civil_time.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/cli/exit_codes.h"
#include "services/cli/text.h"

namespace orderwatch::cli {
namespace {

const absl::TimeZone kCst = absl::FixedTimeZone(8 * 3600);

int64_t Ms(int y, int mo, int d, int h, int mi, int s) {
  return absl::ToUnixMillis(absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), kCst));
}

v1::Remark SampleRemark() {
  v1::Remark r;
  r.set_order_id("1001");
  r.set_flag(v1::FLAG_RED);
  r.set_text("已催付 alice/2026-11-11");
  r.set_version(3);
  r.set_updated_unix_ms(Ms(2026, 11, 11, 0, 1, 2));
  r.set_updated_by("alice");
  r.set_updated_source(v1::SOURCE_AGENT);
  return r;
}

TEST(FormatRemark, TwoLines) {
  EXPECT_EQ(FormatRemark(SampleRemark(), kCst),
            "order 1001  flag red  version 3  updated 2026-11-11 00:01:02 +08:00 by alice "
            "(agent)\n"
            "memo: 已催付 alice/2026-11-11\n");
}

TEST(FormatRemark, MultiLineMemoIsIndented) {
  v1::Remark r = SampleRemark();
  r.set_text("line one\nline two\n");
  r.set_updated_source(v1::SOURCE_REMINDER);
  const std::string out = FormatRemark(r, kCst);
  EXPECT_NE(out.find("by alice (reminder)\n"), std::string::npos) << out;
  EXPECT_NE(out.find("memo: line one\n      line two\n"), std::string::npos) << out;
  EXPECT_EQ(out.back(), '\n');
  EXPECT_EQ(out.find("\n\n"), std::string::npos) << out;
}

TEST(FormatRemark, NeverWrittenAndEmptyMemo) {
  v1::Remark r;
  r.set_order_id("42");
  EXPECT_EQ(FormatRemark(r, kCst), "order 42  flag none  version 0  (no remark yet)\n");
  v1::Remark cleared = SampleRemark();
  cleared.set_flag(v1::FLAG_NONE);
  cleared.clear_text();
  EXPECT_NE(FormatRemark(cleared, kCst).find("memo: (empty)\n"), std::string::npos);
}

TEST(FormatRemark, PlatformNumbering) {
  v1::Remark r = SampleRemark();
  r.mutable_platform_flag()->set_platform(v1::PLATFORM_DOUYIN);
  r.mutable_platform_flag()->set_value(5);
  EXPECT_NE(FormatRemark(r, kCst).find("flag red (douyin 5)  version 3"), std::string::npos);
}

TEST(FormatRemarks, BlankLineBetweenOrders) {
  v1::BatchGetRemarksResponse response;
  *response.add_remarks() = SampleRemark();
  response.add_remarks()->set_order_id("1002");
  const std::string out = FormatRemarks(response, kCst);
  EXPECT_NE(out.find("alice/2026-11-11\n\norder 1002  flag none"), std::string::npos) << out;
}

TEST(ToJson, ProtoFieldNamesAndDefaults) {
  v1::Remark r;
  r.set_order_id("42");
  const std::string json = ToJson(r);
  EXPECT_EQ(json.back(), '\n');
  EXPECT_NE(json.find("\"order_id\": \"42\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"flag\": \"FLAG_NONE\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"version\": \"0\""), std::string::npos) << json;  // int64 as string
  EXPECT_NE(json.find("\"updated_by\": \"\""), std::string::npos) << json;
  EXPECT_EQ(json.find("orderId"), std::string::npos) << json;
}

TEST(ToJson, RemarkWithValues) {
  const std::string json = ToJson(SampleRemark());
  EXPECT_NE(json.find("\"flag\": \"FLAG_RED\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"version\": \"3\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"updated_source\": \"SOURCE_AGENT\""), std::string::npos) << json;
  EXPECT_NE(json.find("已催付"), std::string::npos) << json;
  // Valid JSON that reads back into the same message.
  v1::Remark back;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &back).ok()) << json;
  EXPECT_EQ(back.SerializeAsString(), SampleRemark().SerializeAsString());
}

v1::RemarkChange SampleChange() {
  v1::RemarkChange c;
  c.set_version(4);
  c.set_at_unix_ms(Ms(2026, 11, 11, 9, 30, 0));
  c.set_by("bob");
  c.set_source(v1::SOURCE_AGENT);
  c.set_op("append");
  c.set_flag_before(v1::FLAG_RED);
  c.set_flag_after(v1::FLAG_PURPLE);
  c.set_text_after("已催付 alice/2026-11-11\n约定明天付 bob/2026-11-11");
  return c;
}

TEST(FormatChange, OneLine) {
  EXPECT_EQ(FormatChange(SampleChange(), kCst),
            "v4  2026-11-11 09:30:00 +08:00  bob (agent)  append  red→purple  "
            "已催付 alice/2026-11-11 | 约定明天付 bob/2026-11-11\n");
}

TEST(FormatHistory, PagesAndEmpty) {
  v1::RemarkHistoryResponse response;
  *response.add_changes() = SampleChange();
  v1::RemarkChange cleared = SampleChange();
  cleared.set_version(5);
  cleared.set_op("clear");
  cleared.clear_text_after();
  cleared.clear_by();
  cleared.set_source(v1::SOURCE_SWEEP);
  *response.add_changes() = cleared;
  response.set_next_page_token("abc");
  const std::string out = FormatHistory(response, kCst);
  EXPECT_NE(out.find("v5  2026-11-11 09:30:00 +08:00  (sweep)  clear  red→purple  (memo empty)\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\nmore: --page-token abc\n"), std::string::npos) << out;
  EXPECT_EQ(FormatHistory(v1::RemarkHistoryResponse(), kCst), "no changes\n");
}

TEST(FormatList, Table) {
  v1::ListByFlagResponse response;
  *response.add_remarks() = SampleRemark();
  v1::Remark other = SampleRemark();
  other.set_order_id("20261111000000123");
  other.set_updated_by("小王");
  other.set_text(std::string(100, 'x'));
  *response.add_remarks() = other;
  const std::string out = FormatList(response, v1::FLAG_RED, kCst);
  std::istringstream lines(out);
  std::string header, row1, row2;
  std::getline(lines, header);
  std::getline(lines, row1);
  std::getline(lines, row2);
  EXPECT_EQ(header.rfind("ORDER              FLAG  VERSION  UPDATED", 0), 0u) << out;
  EXPECT_EQ(row1.rfind("1001               red   3        2026-11-11 00:01:02 +08:00  alice", 0),
            0u)
      << out;
  // Columns line up even with wide characters, and long memos are cut.
  EXPECT_EQ(header.find("MEMO"), row1.find("已催付"));
  EXPECT_EQ(DisplayWidth(row2), DisplayWidth(header.substr(0, header.find("MEMO"))) + 40) << row2;
  EXPECT_NE(row2.find("…"), std::string::npos);
  EXPECT_EQ(FormatList(v1::ListByFlagResponse(), v1::FLAG_BLUE, kCst), "no orders flagged blue\n");
}

TEST(FormatCounts, OnePerLine) {
  v1::CountByFlagResponse response;
  auto* red = response.add_counts();
  red->set_flag(v1::FLAG_RED);
  red->set_count(12);
  auto* purple = response.add_counts();
  purple->set_flag(v1::FLAG_PURPLE);
  purple->set_count(0);
  EXPECT_EQ(FormatCounts(response), "red 12\npurple 0\n");
}

TEST(FormatLegend, AlignedAndDefaultNoted) {
  v1::Legend legend;
  auto* e = legend.add_entries();
  e->set_flag(v1::FLAG_RED);
  e->set_meaning("特殊处理");
  auto* p = legend.add_entries();
  p->set_flag(v1::FLAG_PURPLE);
  p->set_meaning("未发货备注");
  EXPECT_EQ(FormatLegend(legend), "red     特殊处理\npurple  未发货备注\n");
  legend.set_is_default(true);
  EXPECT_NE(FormatLegend(legend).find("default legend"), std::string::npos);
}

TEST(FormatOrder, Summary) {
  v1::Order o;
  o.set_order_id("1001");
  o.set_state(v1::ORDER_STATE_PENDING_PAYMENT);
  o.set_amount_fen(19905);
  o.set_currency("CNY");
  o.set_buyer_id("b-77");
  o.set_has_buyer_phone(true);
  o.set_item_summary("连衣裙 x1");
  o.set_created_unix_ms(Ms(2026, 11, 11, 0, 0, 1));
  o.set_modified_unix_ms(Ms(2026, 11, 11, 0, 5, 0));
  o.set_modified_count(2);
  o.set_flash_sale(true);
  o.set_events_applied(3);
  EXPECT_EQ(FormatOrder(o, kCst),
            "order 1001  state pending-payment  amount 199.05 CNY  flash sale\n"
            "buyer b-77 (phone on file)\n"
            "items: 连衣裙 x1\n"
            "  created          2026-11-11 00:00:01 +08:00\n"
            "  modified         2026-11-11 00:05:00 +08:00 (2 times)\n"
            "events applied: 3\n");
}

TEST(FormatRecorded, SaysWhetherDuplicate) {
  v1::RecordEventRequest request;
  request.mutable_event()->set_event_id("ev-9");
  v1::RecordEventResponse response;
  response.mutable_order()->set_order_id("1");
  EXPECT_EQ(FormatRecorded(request, response, kCst).rfind("event ev-9 recorded\norder 1", 0), 0u);
  response.set_duplicate(true);
  EXPECT_NE(FormatRecorded(request, response, kCst).find("already recorded"), std::string::npos);
}

v1::Reminder SampleReminder() {
  v1::Reminder r;
  r.set_order_id("A1");
  r.set_number(1);
  r.set_kind(v1::REMINDER_KIND_MANUAL);
  r.set_channel(v1::CHANNEL_SMS);
  r.set_outcome(v1::REMINDER_OUTCOME_SENT);
  r.set_agent_id("alice");
  r.set_due_unix_ms(Ms(2026, 11, 11, 10, 0, 0));
  r.set_sent_unix_ms(Ms(2026, 11, 11, 10, 0, 0));
  r.set_idempotency_key("shop1:A1:1");
  r.set_text("亲，您的订单A1还未付款\n点击付款");
  return r;
}

TEST(FormatReminder, SentManually) {
  EXPECT_EQ(FormatReminder(SampleReminder(), kCst),
            "reminder 1 of order A1: sent by sms (manual, alice) key shop1:A1:1\n"
            "time: 2026-11-11 10:00:00 +08:00\n"
            "text: 亲，您的订单A1还未付款 | 点击付款\n");
}

TEST(FormatReminder, OverrideReasonAndAutomaticSkip) {
  v1::Reminder r = SampleReminder();
  r.set_reason("override: 买家来电要求");
  EXPECT_NE(FormatReminder(r, kCst).find("\nreason: override: 买家来电要求\n"), std::string::npos);

  v1::Reminder skipped;
  skipped.set_order_id("A2");
  skipped.set_number(2);
  skipped.set_kind(v1::REMINDER_KIND_PRE_CLOSE);
  skipped.set_channel(v1::CHANNEL_IM);
  skipped.set_outcome(v1::REMINDER_OUTCOME_SKIPPED);
  skipped.set_reason("holdout");
  skipped.set_sent_unix_ms(Ms(2026, 11, 11, 23, 0, 0));
  EXPECT_EQ(FormatReminder(skipped, kCst),
            "reminder 2 of order A2: skipped, im (pre-close, auto)\n"
            "time: 2026-11-11 23:00:00 +08:00\n"
            "reason: holdout\n");
}

TEST(FormatReminders, TableNewestFirstAsGiven) {
  v1::ListRemindersResponse response;
  v1::Reminder second = SampleReminder();
  second.set_number(2);
  second.set_reason("override: 买家来电要求");
  *response.add_reminders() = second;
  v1::Reminder first = SampleReminder();
  first.set_kind(v1::REMINDER_KIND_AFTER_ORDER);
  first.set_channel(v1::CHANNEL_IM);
  first.clear_agent_id();
  first.set_sent_unix_ms(Ms(2026, 11, 11, 9, 30, 0));
  *response.add_reminders() = first;
  EXPECT_EQ(FormatReminders(response, "A1", kCst),
            "#  KIND         CHANNEL  OUTCOME  BY     TIME                        REASON\n"
            "2  manual       sms      sent     alice  2026-11-11 10:00:00 +08:00  override: "
            "买家来电要求\n"
            "1  after-order  im       sent     auto   2026-11-11 09:30:00 +08:00\n");
  EXPECT_EQ(FormatReminders(v1::ListRemindersResponse(), "A9", kCst),
            "no reminders for order A9\n");
}

v1::ReminderPolicy SamplePolicy() {
  v1::ReminderPolicy p;
  p.set_enabled(true);
  p.set_after_order_minutes(30);
  p.set_pre_close_minutes(0);
  p.set_flash_sale_minutes(15);
  p.set_remind_at_promised_time(true);
  p.set_max_per_order(2);
  p.set_window_start("09:00");
  p.set_window_end("22:00");
  p.set_time_zone("Asia/Shanghai");
  p.set_outside_window(v1::OUTSIDE_WINDOW_DEFER);
  p.set_max_defer_minutes(720);
  p.set_min_amount_fen(1000);
  p.add_blacklist_buyer_ids("b1");
  p.add_blacklist_buyer_ids("b2");
  p.add_skip_flags(v1::FLAG_RED);
  p.add_skip_flags(v1::FLAG_PURPLE);
  p.add_skip_keywords("不要催");
  p.set_channel(v1::CHANNEL_IM);
  p.set_sms_per_phone_per_day(1);
  p.set_phone_per_buyer_per_day(3);
  p.mutable_peak()->set_start_unix_ms(Ms(2026, 11, 11, 0, 0, 0));
  p.mutable_peak()->set_end_unix_ms(Ms(2026, 11, 11, 2, 0, 0));
  p.mutable_peak()->set_after_order_minutes(10);
  p.set_version(4);
  return p;
}

TEST(FormatPolicy, OneLinePerField) {
  EXPECT_EQ(FormatPolicy(SamplePolicy(), kCst),
            "enabled: true\n"
            "after_order_minutes: 30\n"
            "pre_close_minutes: 0 (off)\n"
            "flash_sale_minutes: 15\n"
            "remind_at_promised_time: true\n"
            "max_per_order: 2\n"
            "window_start: 09:00\n"
            "window_end: 22:00\n"
            "time_zone: Asia/Shanghai\n"
            "outside_window: defer\n"
            "max_defer_minutes: 720\n"
            "min_amount_fen: 1000 (10.00)\n"
            "max_amount_fen: 0 (no bound)\n"
            "blacklist_buyer_ids: b1, b2\n"
            "skip_flags: red, purple\n"
            "skip_keywords: \"不要催\"\n"
            "skip_buyers_paid_today: false\n"
            "channel: im\n"
            "sms_per_phone_per_day: 1\n"
            "im_per_buyer_per_day: 0 (no daily cap)\n"
            "phone_per_buyer_per_day: 3\n"
            "holdout_percent: 0\n"
            "shop_name: (the shop id)\n"
            "peak.start_unix_ms: 1794326400000 (2026-11-11 00:00:00 +08:00)\n"
            "peak.end_unix_ms: 1794333600000 (2026-11-11 02:00:00 +08:00)\n"
            "peak.after_order_minutes: 10\n"
            "peak.pre_close_minutes: 0 (normal value)\n"
            "version: 4\n");
}

TEST(FormatPolicy, WindowsDefaultsAndLongLists) {
  v1::ReminderPolicy any_hour = SamplePolicy();
  any_hour.set_window_start("00:00");
  any_hour.set_window_end("00:00");
  EXPECT_NE(
      FormatPolicy(any_hour, kCst).find("\nwindow_end: 00:00 (same as window_start: any hour)\n"),
      std::string::npos);
  v1::ReminderPolicy night = SamplePolicy();
  night.set_window_start("20:00");
  night.set_window_end("02:00");
  EXPECT_NE(FormatPolicy(night, kCst).find("\nwindow_end: 02:00 (over midnight)\n"),
            std::string::npos);

  v1::ReminderPolicy never_set = SamplePolicy();
  never_set.clear_version();
  never_set.clear_blacklist_buyer_ids();
  never_set.clear_peak();
  const std::string out = FormatPolicy(never_set, kCst);
  EXPECT_NE(out.find("\nblacklist_buyer_ids: (none)\n"), std::string::npos) << out;
  EXPECT_NE(out.find("\npeak.start_unix_ms: 0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("\nversion: 0 (never set: the defaults)\n"), std::string::npos) << out;

  v1::ReminderPolicy many = SamplePolicy();
  many.clear_blacklist_buyer_ids();
  for (int i = 0; i < 1000; ++i) many.add_blacklist_buyer_ids("b" + std::to_string(i));
  const std::string long_out = FormatPolicy(many, kCst);
  EXPECT_NE(long_out.find("\nblacklist_buyer_ids: b0, b1, "), std::string::npos) << long_out;
  EXPECT_NE(long_out.find(", b19, … (1000 in all; --json shows every one)\n"), std::string::npos)
      << long_out;
  EXPECT_EQ(long_out.find("b20"), std::string::npos) << long_out;
}

TEST(ToJson, PolicyReadsBackAsPolicySetTakesIt) {
  const std::string json = ToJson(SamplePolicy());
  EXPECT_NE(json.find("\"window_start\": \"09:00\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"channel\": \"CHANNEL_IM\""), std::string::npos) << json;
  v1::ReminderPolicy back;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &back).ok()) << json;
  EXPECT_EQ(back.SerializeAsString(), SamplePolicy().SerializeAsString());
}

TEST(FormatTime, ZeroIsDash) {
  EXPECT_EQ(FormatTime(0, kCst), "-");
  EXPECT_EQ(FormatTime(Ms(2026, 1, 2, 3, 4, 5), absl::UTCTimeZone()), "2026-01-01 19:04:05 +00:00");
}

TEST(DisplayTimeZone, IsShanghaiWhenAvailable) {
  // Asia/Shanghai is UTC+8 without daylight saving since 1991.
  const absl::Time t = absl::FromUnixSeconds(1'794'326'400);
  absl::TimeZone tz = DisplayTimeZone();
  if (tz.name() == "UTC") GTEST_SKIP() << "no Asia/Shanghai in the time zone database";
  EXPECT_EQ(absl::FormatTime("%Ez", t, tz), "+08:00");
}

TEST(Text, WidthTruncateOneLine) {
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("已催付"), 6);
  EXPECT_EQ(TruncateToWidth("abcdef", 4), "abc…");
  EXPECT_EQ(TruncateToWidth("已催付款", 5), "已催…");
  EXPECT_EQ(TruncateToWidth("short", 10), "short");
  EXPECT_EQ(PadToWidth("红", 4), "红  ");
  EXPECT_EQ(OneLine("a\nb\r\nc\n"), "a | b | c");
  EXPECT_EQ(DisplayWidth("\xe5\xb7"), 2);  // a cut sequence counts per byte, never crashes
}

TEST(ExitCodeFor, Mapping) {
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::OK), 0);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::NOT_FOUND), 3);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::ABORTED), 4);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::FAILED_PRECONDITION), 4);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::UNAVAILABLE), 5);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::DEADLINE_EXCEEDED), 5);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::UNAUTHENTICATED), 6);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::PERMISSION_DENIED), 6);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::INVALID_ARGUMENT), 1);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::INTERNAL), 1);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::RESOURCE_EXHAUSTED), 1);
}

TEST(ReportRpcError, MessagesAndHints) {
  std::ostringstream err;
  EXPECT_EQ(
      ReportRpcError(grpc::Status(grpc::StatusCode::ABORTED, "version is 5"), "h:1", "1001", err),
      4);
  EXPECT_EQ(err.str().rfind("orderwatch: ABORTED: version is 5\n", 0), 0u) << err.str();
  EXPECT_NE(err.str().find("orderwatch remark get 1001"), std::string::npos) << err.str();

  std::ostringstream down;
  EXPECT_EQ(ReportRpcError(grpc::Status(grpc::StatusCode::UNAVAILABLE, "refused"), "h:1", "", down),
            5);
  EXPECT_EQ(down.str(), "orderwatch: UNAVAILABLE: refused\nis orderwatch-server running at h:1?\n");
  std::ostringstream tls;
  ReportRpcError(grpc::Status(grpc::StatusCode::UNAVAILABLE, "Ssl handshake failed: ..."), "h:1",
                 "", tls);
  EXPECT_NE(tls.str().find("hint: the TLS handshake with h:1 failed"), std::string::npos)
      << tls.str();

  std::ostringstream bad;
  EXPECT_EQ(ReportRpcError(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "text: too long"),
                           "h:1", "", bad),
            1);
  EXPECT_EQ(bad.str(), "orderwatch: INVALID_ARGUMENT: text: too long\n");
}

TEST(ReportRpcErrorWithHints, HintsAfterConflictsOnly) {
  ConflictHints hints;
  hints.aborted = "hint: aborted\n";
  hints.failed_precondition = "hint: precondition\n";
  std::ostringstream paid;
  EXPECT_EQ(ReportRpcErrorWithHints(
                grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "order A1 is paid"), "h:1",
                hints, paid),
            4);
  EXPECT_EQ(paid.str(), "orderwatch: FAILED_PRECONDITION: order A1 is paid\nhint: precondition\n");
  std::ostringstream stale;
  EXPECT_EQ(ReportRpcErrorWithHints(grpc::Status(grpc::StatusCode::ABORTED, "policy: changed"),
                                    "h:1", hints, stale),
            4);
  EXPECT_EQ(stale.str(), "orderwatch: ABORTED: policy: changed\nhint: aborted\n");
  std::ostringstream bad;
  EXPECT_EQ(ReportRpcErrorWithHints(
                grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "policy.max_per_order: bad"),
                "h:1", hints, bad),
            1);
  EXPECT_EQ(bad.str(), "orderwatch: INVALID_ARGUMENT: policy.max_per_order: bad\n");
  std::ostringstream none;
  EXPECT_EQ(ReportRpcErrorWithHints(grpc::Status(grpc::StatusCode::ABORTED, "x"), "h:1",
                                    ConflictHints(), none),
            4);
  EXPECT_EQ(none.str(), "orderwatch: ABORTED: x\n");
}

TEST(ReportUsageError, PointsToHelp) {
  std::ostringstream err;
  EXPECT_EQ(ReportUsageError("missing --version", "remark set", err), 2);
  EXPECT_EQ(err.str(),
            "orderwatch: missing --version\nRun \"orderwatch remark set --help\" for usage.\n");
}

TEST(StatusCodeName, Names) {
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::FAILED_PRECONDITION), "FAILED_PRECONDITION");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::UNAUTHENTICATED), "UNAUTHENTICATED");
}

}  // namespace
}  // namespace orderwatch::cli
