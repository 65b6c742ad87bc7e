#include "services/cli/requests.h"

#include <cstdio>
#include <fstream>
#include <map>

#include "gtest/gtest.h"
#include "services/cli/values.h"

namespace orderwatch::cli {
namespace {

Invocation Inv(std::vector<std::string> args) {
  ParseOutcome p = ParseCommandLine(args, nullptr);
  EXPECT_EQ(p.kind, ParseOutcome::Kind::kRun) << p.error;
  return p.invocation;
}

template <typename T>
std::string ErrorOf(const absl::StatusOr<T>& result) {
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(result.status().message());
}

bool IsHexId(const std::string& id) {
  return id.size() == 16 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(BuildGetRequest, OneOrderWithNumbering) {
  auto r = BuildGetRequest(Inv({"remark", "get", "1001", "--numbering", "pdd"}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->order_id(), "1001");
  ASSERT_TRUE(r->has_numbering());
  EXPECT_EQ(r->numbering(), v1::PLATFORM_PINDUODUO);
}

TEST(BuildGetRequest, NoNumberingLeavesItUnset) {
  auto r = BuildGetRequest(Inv({"remark", "get", "1001"}));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_numbering());
}

TEST(BuildBatchGetRequest, KeepsOrder) {
  auto r = BuildBatchGetRequest(Inv({"remark", "get", "3", "1", "2", "--numbering", "xhs"}));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->order_ids_size(), 3);
  EXPECT_EQ(r->order_ids(0), "3");
  EXPECT_EQ(r->order_ids(2), "2");
  EXPECT_EQ(r->numbering(), v1::PLATFORM_XIAOHONGSHU);
}

TEST(BuildGetRequest, BadPlatform) {
  EXPECT_NE(ErrorOf(BuildGetRequest(Inv({"remark", "get", "1", "--numbering", "ebay"})))
                .find("--numbering"),
            std::string::npos);
}

TEST(BuildSetRequest, FlagTextVersionRequestId) {
  auto r = BuildSetRequest(Inv({"remark", "set", "1001", "--version", "3", "--flag", "红", "--text",
                                "已催付", "--request-id", "r-1"}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->order_id(), "1001");
  ASSERT_TRUE(r->has_expected_version());
  EXPECT_EQ(r->expected_version(), 3);
  EXPECT_EQ(r->flag_value_case(), v1::SetRemarkRequest::kFlag);
  EXPECT_EQ(r->flag(), v1::FLAG_RED);
  EXPECT_EQ(r->text(), "已催付");
  EXPECT_EQ(r->request_id(), "r-1");
}

TEST(BuildSetRequest, VersionZeroIsSentAndTextDefaultsEmpty) {
  auto r = BuildSetRequest(Inv({"remark", "set", "1", "--version", "0", "--flag", "0"}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->has_expected_version());
  EXPECT_EQ(r->expected_version(), 0);
  EXPECT_EQ(r->flag_value_case(), v1::SetRemarkRequest::kFlag);
  EXPECT_EQ(r->flag(), v1::FLAG_NONE);
  EXPECT_EQ(r->text(), "");
  EXPECT_TRUE(IsHexId(r->request_id())) << r->request_id();
}

TEST(BuildSetRequest, RandomRequestIdsDiffer) {
  const Invocation inv = Inv({"remark", "set", "1", "--version", "0", "--flag", "red"});
  EXPECT_NE(BuildSetRequest(inv)->request_id(), BuildSetRequest(inv)->request_id());
}

TEST(BuildSetRequest, PlatformFlag) {
  auto r = BuildSetRequest(Inv(
      {"remark", "set", "1", "--version", "2", "--platform", "douyin", "--platform-flag", "5"}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->flag_value_case(), v1::SetRemarkRequest::kPlatformFlag);
  EXPECT_EQ(r->platform_flag().platform(), v1::PLATFORM_DOUYIN);
  EXPECT_EQ(r->platform_flag().value(), 5);
}

TEST(BuildSetRequest, Errors) {
  EXPECT_NE(ErrorOf(BuildSetRequest(Inv({"remark", "set", "1", "--flag", "red"})))
                .find("missing --version"),
            std::string::npos);
  EXPECT_NE(ErrorOf(BuildSetRequest(Inv({"remark", "set", "1", "--version", "1"})))
                .find("missing --flag"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(BuildSetRequest(Inv({"remark", "set", "1", "--version", "-1", "--flag", "red"})))
          .find("--version"),
      std::string::npos);
  EXPECT_NE(ErrorOf(BuildSetRequest(Inv({"remark", "set", "1", "--version", "x", "--flag", "red"})))
                .find("--version"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(BuildSetRequest(Inv({"remark", "set", "1", "--version", "1", "--flag", "pink"})))
          .find("--flag: \"pink\""),
      std::string::npos);
  EXPECT_NE(ErrorOf(BuildSetRequest(Inv({"remark", "set", "1", "--version", "1", "--flag", "red",
                                         "--platform", "pdd", "--platform-flag", "1"})))
                .find("not both"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(BuildSetRequest(Inv({"remark", "set", "1", "--version", "1", "--platform", "pdd"})))
          .find("go together"),
      std::string::npos);
  // Xiaohongshu numbers its flags 1-6: 0 is not one of them.
  EXPECT_NE(ErrorOf(BuildSetRequest(Inv({"remark", "set", "1", "--version", "1", "--platform",
                                         "xhs", "--platform-flag", "0"})))
                .find("--platform-flag"),
            std::string::npos);
  EXPECT_NE(ErrorOf(BuildSetRequest(Inv({"remark", "set", "1", "--version", "1", "--flag", "red",
                                         "--request-id="})))
                .find("--request-id"),
            std::string::npos);
}

TEST(BuildAppendRequest, ReasonRequiredFlagAndVersionOptional) {
  auto plain = BuildAppendRequest(Inv({"remark", "append", "7", "--reason", "已催付"}));
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->reason(), "已催付");
  EXPECT_FALSE(plain->has_expected_version());
  EXPECT_EQ(plain->flag_value_case(), v1::AppendRemarkRequest::FLAG_VALUE_NOT_SET);
  EXPECT_TRUE(IsHexId(plain->request_id()));

  auto flagged = BuildAppendRequest(
      Inv({"remark", "append", "7", "--reason", "x", "--flag", "purple", "--version", "4"}));
  ASSERT_TRUE(flagged.ok()) << flagged.status();
  EXPECT_EQ(flagged->flag(), v1::FLAG_PURPLE);
  EXPECT_EQ(flagged->expected_version(), 4);

  ErrorOf(BuildAppendRequest(Inv({"remark", "append", "7"})));
  ErrorOf(BuildAppendRequest(Inv({"remark", "append", "7", "--reason", ""})));
}

TEST(BuildClearRequest, OptionalVersion) {
  auto r = BuildClearRequest(Inv({"remark", "clear", "7", "--request-id", "abc"}));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_expected_version());
  EXPECT_EQ(r->request_id(), "abc");
  auto v = BuildClearRequest(Inv({"remark", "clear", "7", "--version", "9"}));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->expected_version(), 9);
}

TEST(BuildHistoryRequest, Paging) {
  auto r = BuildHistoryRequest(
      Inv({"remark", "history", "7", "--page-size", "50", "--page-token", "tok"}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->page_size(), 50);
  EXPECT_EQ(r->page_token(), "tok");
  ErrorOf(BuildHistoryRequest(Inv({"remark", "history", "7", "--page-size", "0"})));
  ErrorOf(BuildHistoryRequest(Inv({"remark", "history", "7", "--page-size", "99999999999"})));
}

TEST(BuildListRequest, NeedsAColour) {
  auto r = BuildListRequest(Inv({"remark", "list", "--flag", "Blue"}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->flag(), v1::FLAG_BLUE);
  EXPECT_EQ(r->page_size(), 0);
  ErrorOf(BuildListRequest(Inv({"remark", "list"})));
  EXPECT_NE(ErrorOf(BuildListRequest(Inv({"remark", "list", "--flag", "none"}))).find("colour"),
            std::string::npos);
}

TEST(BuildSetLegendRequest, PairsFlagsWithMeanings) {
  auto r = BuildSetLegendRequest(Inv({"remark", "legend-set", "--flag", "red", "--meaning",
                                      "特殊处理", "--flag", "3", "--meaning", "可退款"}));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->entries_size(), 2);
  EXPECT_EQ(r->entries(0).flag(), v1::FLAG_RED);
  EXPECT_EQ(r->entries(0).meaning(), "特殊处理");
  EXPECT_EQ(r->entries(1).flag(), v1::FLAG_GREEN);
  EXPECT_EQ(r->entries(1).meaning(), "可退款");
  EXPECT_TRUE(IsHexId(r->request_id()));
}

TEST(BuildSetLegendRequest, Errors) {
  ErrorOf(BuildSetLegendRequest(Inv({"remark", "legend-set"})));
  ErrorOf(BuildSetLegendRequest(Inv({"remark", "legend-set", "--flag", "red"})));
  ErrorOf(BuildSetLegendRequest(Inv({"remark", "legend-set", "--meaning", "x", "--flag", "red"})));
  ErrorOf(BuildSetLegendRequest(
      Inv({"remark", "legend-set", "--flag", "red", "--flag", "blue", "--meaning", "x"})));
  ErrorOf(BuildSetLegendRequest(Inv({"remark", "legend-set", "--flag", "none", "--meaning", "x"})));
  EXPECT_NE(ErrorOf(BuildSetLegendRequest(Inv({"remark", "legend-set", "--flag", "red", "--meaning",
                                               "a", "--flag", "1", "--meaning", "b"})))
                .find("given twice"),
            std::string::npos);
}

const absl::Time kNow = absl::FromUnixMillis(1'794'326'400'000);  // 2026-11-11 00:00 +08:00

TEST(BuildRecordRequest, CreatedWithDefaults) {
  auto r = BuildRecordRequest(
      Inv({"event", "record", "1001", "--type", "created", "--amount-fen", "19900", "--buyer",
           "b-77", "--items", "连衣裙 x1", "--auto-close", "now+30m", "--flash-sale"}),
      kNow);
  ASSERT_TRUE(r.ok()) << r.status();
  const v1::OrderEvent& e = r->event();
  EXPECT_EQ(e.order_id(), "1001");
  EXPECT_TRUE(IsHexId(e.event_id()));
  EXPECT_EQ(e.event_unix_ms(), absl::ToUnixMillis(kNow));
  ASSERT_EQ(e.kind_case(), v1::OrderEvent::kCreated);
  EXPECT_EQ(e.created().amount_fen(), 19900);
  EXPECT_EQ(e.created().currency(), "CNY");
  EXPECT_EQ(e.created().buyer_id(), "b-77");
  EXPECT_EQ(e.created().item_summary(), "连衣裙 x1");
  EXPECT_EQ(e.created().created_unix_ms(), absl::ToUnixMillis(kNow));  // defaults to --at
  EXPECT_EQ(e.created().auto_close_unix_ms(), absl::ToUnixMillis(kNow + absl::Minutes(30)));
  EXPECT_EQ(e.created().ship_by_unix_ms(), 0);
  EXPECT_TRUE(e.created().flash_sale());
}

TEST(BuildRecordRequest, ExplicitIdAndTime) {
  auto r = BuildRecordRequest(
      Inv({"event", "record", "9", "--type", "shipped", "--event-id", "ev-1", "--at",
           "2026-11-11T08:00:00+08:00", "--carrier", "SF", "--tracking-no", "SF123"}),
      kNow);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->event().event_id(), "ev-1");
  EXPECT_EQ(r->event().event_unix_ms(), absl::ToUnixMillis(kNow + absl::Hours(8)));
  ASSERT_EQ(r->event().kind_case(), v1::OrderEvent::kShipped);
  EXPECT_EQ(r->event().shipped().carrier(), "SF");
  EXPECT_EQ(r->event().shipped().tracking_no(), "SF123");
}

TEST(BuildRecordRequest, EveryType) {
  const std::pair<std::string, v1::OrderEvent::KindCase> types[] = {
      {"created", v1::OrderEvent::kCreated},
      {"paid", v1::OrderEvent::kPaid},
      {"closed", v1::OrderEvent::kClosed},
      {"shipped", v1::OrderEvent::kShipped},
      {"refund-requested", v1::OrderEvent::kRefundRequested},
      {"refunded", v1::OrderEvent::kRefunded},
      {"modified", v1::OrderEvent::kModified},
      {"urged", v1::OrderEvent::kShipmentUrged}};
  for (const auto& [name, kind] : types) {
    auto r =
        BuildRecordRequest(Inv({"event", "record", "1", "--type", name, "--at", "1000"}), kNow);
    ASSERT_TRUE(r.ok()) << name << ": " << r.status();
    EXPECT_EQ(r->event().kind_case(), kind) << name;
    EXPECT_EQ(r->event().event_unix_ms(), 1000) << name;
  }
}

TEST(BuildRecordRequest, TypeSpecificFields) {
  auto refunded = BuildRecordRequest(
      Inv({"event", "record", "1", "--type", "refunded", "--amount-fen", "500"}), kNow);
  ASSERT_TRUE(refunded.ok());
  EXPECT_EQ(refunded->event().refunded().amount_fen(), 500);
  auto closed = BuildRecordRequest(
      Inv({"event", "record", "1", "--type", "closed", "--reason", "超时"}), kNow);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->event().closed().reason(), "超时");
  auto modified = BuildRecordRequest(
      Inv({"event", "record", "1", "--type", "modified", "--what", "address"}), kNow);
  ASSERT_TRUE(modified.ok());
  EXPECT_EQ(modified->event().modified().what(), "address");
}

TEST(BuildRecordRequest, Errors) {
  ErrorOf(BuildRecordRequest(Inv({"event", "record", "1"}), kNow));
  EXPECT_NE(ErrorOf(BuildRecordRequest(Inv({"event", "record", "1", "--type", "lost"}), kNow))
                .find("--type"),
            std::string::npos);
  EXPECT_NE(ErrorOf(BuildRecordRequest(
                        Inv({"event", "record", "1", "--type", "paid", "--carrier", "SF"}), kNow))
                .find("--carrier is not for --type paid"),
            std::string::npos);
  ErrorOf(BuildRecordRequest(Inv({"event", "record", "1", "--type", "paid", "--at", "yesterday"}),
                             kNow));
  ErrorOf(BuildRecordRequest(
      Inv({"event", "record", "1", "--type", "created", "--amount-fen", "-5"}), kNow));
}

TEST(ParseTimeMs, Forms) {
  EXPECT_EQ(*ParseTimeMs("at", "now", kNow), absl::ToUnixMillis(kNow));
  EXPECT_EQ(*ParseTimeMs("at", "now-2h", kNow), absl::ToUnixMillis(kNow - absl::Hours(2)));
  EXPECT_EQ(*ParseTimeMs("at", "1700000000123", kNow), 1700000000123);
  EXPECT_EQ(*ParseTimeMs("at", "2026-11-10T16:00:00Z", kNow), absl::ToUnixMillis(kNow));
  EXPECT_FALSE(ParseTimeMs("at", "now+", kNow).ok());
  EXPECT_FALSE(ParseTimeMs("at", "now+-5m", kNow).ok());
  EXPECT_FALSE(ParseTimeMs("at", "-1", kNow).ok());
  EXPECT_FALSE(ParseTimeMs("at", "tomorrow", kNow).ok());
}

TEST(BuildTriggerRequest, Defaults) {
  auto r = BuildTriggerRequest(Inv({"remind", "A1"}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->order_id(), "A1");
  EXPECT_EQ(r->channel(), v1::CHANNEL_UNSPECIFIED);  // the policy's channel
  EXPECT_EQ(r->override_reason(), "");
  EXPECT_TRUE(IsHexId(r->request_id())) << r->request_id();
}

TEST(BuildTriggerRequest, ChannelOverrideRequestId) {
  auto r = BuildTriggerRequest(Inv(
      {"remind", "A1", "--channel=sms", "--override", "买家来电要求", "--request-id", "req-7"}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->channel(), v1::CHANNEL_SMS);
  EXPECT_EQ(r->override_reason(), "买家来电要求");
  EXPECT_EQ(r->request_id(), "req-7");
  EXPECT_EQ(BuildTriggerRequest(Inv({"remind", "A1", "--channel", "IM"}))->channel(),
            v1::CHANNEL_IM);
  EXPECT_EQ(BuildTriggerRequest(Inv({"remind", "A1", "--channel", "phone"}))->channel(),
            v1::CHANNEL_PHONE);
}

TEST(BuildTriggerRequest, RandomRequestIdsDiffer) {
  const Invocation inv = Inv({"remind", "A1"});
  EXPECT_NE(BuildTriggerRequest(inv)->request_id(), BuildTriggerRequest(inv)->request_id());
}

TEST(BuildAnswerRequest, ReasonNotePromiseAndErrors) {
  auto r = BuildAnswerRequest(Inv({"answer", "A1", "--reason", "Price", "--note", "等优惠券",
                                   "--promised", "now+2h", "--reminder", "2"}),
                              kNow);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->order_id(), "A1");
  EXPECT_EQ(r->reason(), v1::UNPAID_REASON_PRICE);
  EXPECT_EQ(r->note(), "等优惠券");
  EXPECT_EQ(r->promised_pay_unix_ms(), absl::ToUnixMillis(kNow + absl::Hours(2)));
  EXPECT_EQ(r->reminder_number(), 2);
  EXPECT_TRUE(IsHexId(r->request_id())) << r->request_id();
  auto plain = BuildAnswerRequest(Inv({"answer", "A1", "--reason", "no_answer"}), kNow);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->reason(), v1::UNPAID_REASON_NO_ANSWER);
  EXPECT_EQ(plain->promised_pay_unix_ms(), 0);
  EXPECT_EQ(plain->reminder_number(), 0);  // the latest

  EXPECT_NE(ErrorOf(BuildAnswerRequest(Inv({"answer", "A1"}), kNow)).find("--reason"),
            std::string::npos);
  EXPECT_NE(ErrorOf(BuildAnswerRequest(Inv({"answer", "A1", "--reason", "unspecified"}), kNow))
                .find("--reason"),
            std::string::npos);
  EXPECT_NE(ErrorOf(BuildAnswerRequest(
                        Inv({"answer", "A1", "--reason", "price", "--promised", "soon"}), kNow))
                .find("--promised"),
            std::string::npos);
  EXPECT_NE(ErrorOf(BuildAnswerRequest(
                        Inv({"answer", "A1", "--reason", "price", "--reminder", "0"}), kNow))
                .find("--reminder"),
            std::string::npos);
}

TEST(BuildTriggerRequest, Errors) {
  EXPECT_EQ(ErrorOf(BuildTriggerRequest(Inv({"remind", "A1", "--channel", "fax"}))),
            "--channel: \"fax\" is not a channel: im, sms or phone");
  EXPECT_NE(ErrorOf(BuildTriggerRequest(Inv({"remind", "A1", "--channel", ""}))).find("--channel"),
            std::string::npos);
  EXPECT_NE(ErrorOf(BuildTriggerRequest(Inv({"remind", "A1", "--override="}))).find("--override"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(BuildTriggerRequest(Inv({"remind", "A1", "--request-id="}))).find("--request-id"),
      std::string::npos);
}

TEST(BuildListRemindersRequest, OrderId) {
  auto r = BuildListRemindersRequest(Inv({"reminders", "A1"}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->order_id(), "A1");
}

// A FileReader over a map of path -> contents.
FileReader Files(std::map<std::string, std::string> files) {
  return [files](const std::string& path) -> absl::StatusOr<std::string> {
    auto it = files.find(path);
    if (it == files.end()) {
      return absl::NotFoundError("cannot read " + path + ": No such file or directory");
    }
    return it->second;
  };
}

constexpr char kPolicyJson[] = R"({
  "enabled": false,
  "after_order_minutes": 0,
  "max_per_order": 3,
  "window_start": "00:00",
  "window_end": "00:00",
  "time_zone": "Asia/Shanghai",
  "outside_window": "OUTSIDE_WINDOW_DROP",
  "max_defer_minutes": 60,
  "skip_flags": ["FLAG_RED", 5],
  "skip_keywords": ["不要催"],
  "channel": "CHANNEL_SMS",
  "sms_per_phone_per_day": 1,
  "peak": {"start_unix_ms": "1794326400000", "end_unix_ms": 1794348000000},
  "version": "7"
})";

TEST(BuildSetPolicyRequest, ReadsProtoJson) {
  auto r = BuildSetPolicyRequest(Inv({"policy", "set", "--file", "p.json"}),
                                 Files({{"p.json", kPolicyJson}}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->has_expected_version());
  const v1::ReminderPolicy& p = r->policy();
  EXPECT_FALSE(p.enabled());
  EXPECT_EQ(p.max_per_order(), 3);
  EXPECT_EQ(p.window_start(), "00:00");
  EXPECT_EQ(p.window_end(), "00:00");
  EXPECT_EQ(p.time_zone(), "Asia/Shanghai");
  EXPECT_EQ(p.outside_window(), v1::OUTSIDE_WINDOW_DROP);
  ASSERT_EQ(p.skip_flags_size(), 2);
  EXPECT_EQ(p.skip_flags(0), v1::FLAG_RED);
  EXPECT_EQ(p.skip_flags(1), v1::FLAG_PURPLE);
  EXPECT_EQ(p.skip_keywords(0), "不要催");
  EXPECT_EQ(p.channel(), v1::CHANNEL_SMS);
  EXPECT_EQ(p.peak().start_unix_ms(), 1794326400000);
  EXPECT_EQ(p.peak().end_unix_ms(), 1794348000000);
  EXPECT_EQ(p.version(), 7);  // sent as read; the server ignores it
}

TEST(BuildSetPolicyRequest, ExpectedVersionZeroIsSent) {
  auto r = BuildSetPolicyRequest(Inv({"policy", "set", "--file=p.json", "--expected-version=0"}),
                                 Files({{"p.json", "{}"}}));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->has_expected_version());
  EXPECT_EQ(r->expected_version(), 0);
  auto v =
      BuildSetPolicyRequest(Inv({"policy", "set", "--file", "p.json", "--expected-version", "12"}),
                            Files({{"p.json", "{}"}}));
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->expected_version(), 12);
}

TEST(BuildSetPolicyRequest, Errors) {
  const FileReader files = Files({{"p.json", kPolicyJson},
                                  {"typo.json", R"({"after_order_minuts": 30})"},
                                  {"enum.json", R"({"channel": "CHANNEL_FAX"})"},
                                  {"broken.json", R"({"max_per_order": )"}});
  EXPECT_NE(ErrorOf(BuildSetPolicyRequest(Inv({"policy", "set"}), files)).find("missing --file"),
            std::string::npos);
  EXPECT_NE(ErrorOf(BuildSetPolicyRequest(Inv({"policy", "set", "--file="}), files)).find("--file"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(BuildSetPolicyRequest(Inv({"policy", "set", "--file", "nope.json"}), files)),
            "--file: cannot read nope.json: No such file or directory");
  // A misspelt field must not silently leave the real one at its default.
  const std::string typo =
      ErrorOf(BuildSetPolicyRequest(Inv({"policy", "set", "--file", "typo.json"}), files));
  EXPECT_NE(typo.find("--file: typo.json is not a ReminderPolicy in proto JSON"), std::string::npos)
      << typo;
  EXPECT_NE(typo.find("after_order_minuts"), std::string::npos) << typo;
  EXPECT_NE(ErrorOf(BuildSetPolicyRequest(Inv({"policy", "set", "--file", "enum.json"}), files))
                .find("CHANNEL_FAX"),
            std::string::npos);
  ErrorOf(BuildSetPolicyRequest(Inv({"policy", "set", "--file", "broken.json"}), files));
  EXPECT_NE(
      ErrorOf(BuildSetPolicyRequest(
                  Inv({"policy", "set", "--file", "p.json", "--expected-version", "-1"}), files))
          .find("--expected-version"),
      std::string::npos);
}

TEST(ReadWholeFile, ReadsAndNamesTheFileOnError) {
  const std::string path = ::testing::TempDir() + "/orderwatch_cli_policy_test.json";
  {
    std::ofstream out(path, std::ios::binary);
    out << kPolicyJson;
  }
  absl::StatusOr<std::string> contents = ReadWholeFile(path);
  ASSERT_TRUE(contents.ok()) << contents.status();
  EXPECT_EQ(*contents, kPolicyJson);
  std::remove(path.c_str());
  absl::StatusOr<std::string> missing = ReadWholeFile(path);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "cannot read " + path + ": No such file or directory");
}

TEST(RandomHexId, Shape) {
  EXPECT_TRUE(IsHexId(RandomHexId()));
  EXPECT_NE(RandomHexId(), RandomHexId());
}

TEST(BuildListDelayedRequest, StagePageSizeAndToken) {
  auto r = BuildListDelayedRequest(Inv({"delayed"}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->stage(), v1::SHIPMENT_STAGE_UNSPECIFIED);
  r = BuildListDelayedRequest(
      Inv({"delayed", "--stage", "escalated", "--page-size", "20", "--page-token", "9:x"}));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->stage(), v1::SHIPMENT_STAGE_ESCALATED);
  EXPECT_EQ(r->page_size(), 20);
  EXPECT_EQ(r->page_token(), "9:x");
  EXPECT_EQ(ErrorOf(BuildListDelayedRequest(Inv({"delayed", "--stage", "late"}))),
            "--stage: \"late\" is not warning, overdue or escalated");
  EXPECT_EQ(ErrorOf(BuildListDelayedRequest(Inv({"delayed", "--page-size", "0"}))).substr(0, 12),
            "--page-size:");
}

}  // namespace
}  // namespace orderwatch::cli
