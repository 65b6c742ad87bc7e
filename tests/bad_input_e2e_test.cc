// Bad input over the whole API, through a real server on a real Redis: every RPC that takes
// input has rows below, each a request with one bad field. Each must get INVALID_ARGUMENT whose
// message starts with the field's name, and leave every key in Redis as it was. The RPCs come
// from the descriptors of every proto file, so an RPC added without a row fails the suite.
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "services/common/token_table.h"
#include "tests/support/generic_call.h"
#include "tests/support/test_server.h"

namespace orderwatch {
namespace {

namespace pb = google::protobuf;
using testing::AllRpcs;
using testing::CallRpc;
using testing::GrpcOk;
using testing::RedisServer;
using testing::RequestBytes;
using testing::TestServer;

// Written where a string goes, replaced in the wire bytes by as many bytes of invalid UTF-8:
// protobuf refuses those before any handler runs.
constexpr char kBadUtf8[] = "@@BAD@@";
constexpr char kBadUtf8Bytes[] = "@@\xff\xfe\xfd@@";

struct Row {
  std::string method;   // "Service/Method" in orderwatch.v1
  std::string request;  // text format; $REMINDER_POLICY, $SHIPMENT_POLICY, $FOLLOW_UP filled in
  std::string field;    // the error message starts with "<field>:"
};

std::string Many(int n, const std::string& one) {
  std::string out;
  for (int i = 0; i < n; ++i)
    absl::StrAppend(&out, absl::StrReplaceAll(one, {{"$I", absl::StrCat(i)}}), " ");
  return out;
}

const std::vector<Row>& Rows() {
  static const auto* rows = new std::vector<Row>{
      {"Remarks/Get", "order_id: 'bad id'", "order_id"},
      {"Remarks/Get", "order_id: 'M1' numbering: 99", "numbering"},
      {"Remarks/BatchGet", "", "order_ids"},
      {"Remarks/BatchGet", Many(501, "order_ids: 'o$I'"), "order_ids"},
      {"Remarks/Set",
       absl::StrCat("request_id: 'w1' order_id: 'M1' flag: FLAG_RED expected_version: 1 text: '",
                    kBadUtf8, "'"),
       "text"},
      {"Remarks/Set",
       "request_id: 'w1' order_id: 'M1' flag: FLAG_RED expected_version: 1 text: 'a\\302\\205b'",
       "text"},
      {"Remarks/Set", "request_id: 'w1' order_id: 'M1' flag: 9 expected_version: 1", "flag"},
      {"Remarks/Set", "request_id: 'w1' order_id: 'M1' flag: FLAG_RED expected_version: -1",
       "expected_version"},
      {"Remarks/Append", "request_id: 'w2' order_id: 'M1' reason: 'two\\nlines'", "reason"},
      {"Remarks/Clear", "request_id: 'w3' order_id: ''", "order_id"},
      {"Remarks/History", "order_id: 'M1' page_size: 201", "page_size"},
      {"Remarks/ListByFlag", "flag: FLAG_NONE", "flag"},
      {"Remarks/ListByFlag", "flag: FLAG_RED page_token: 'x'", "page_token"},
      {"Remarks/SetLegend",
       absl::StrCat("request_id: 'w4' ", Many(6, "entries { flag: FLAG_RED meaning: 'm$I' }")),
       "entries"},
      {"Remarks/SetLegend",
       "request_id: 'w4' entries { flag: FLAG_RED meaning: 'a' } entries { flag: FLAG_RED "
       "meaning: 'b' }",
       "entries[1].flag"},
      {"OrderEvents/Record", "event { event_id: 'p1' order_id: 'M1' event_unix_ms: -5 paid {} }",
       "event.event_unix_ms"},
      {"OrderEvents/RecordBatch",
       Many(501, "events { event_id: 'p$I' order_id: 'M1' event_unix_ms: 1790000000000 paid {} }"),
       "events"},
      {"OrderEvents/GetOrder", "order_id: ''", "order_id"},
      {"Reminders/SetPolicy", "policy { $REMINDER_POLICY } expected_version: -1",
       "expected_version"},
      {"Reminders/SetPolicy", "policy { $REMINDER_POLICY shop_name: 'two\\nlines' }",
       "policy.shop_name"},
      {"Reminders/SetPolicy",
       absl::StrCat("policy { $REMINDER_POLICY shop_name: '", kBadUtf8, "' }"),
       "ReminderPolicy.shop_name"},
      {"Reminders/Trigger",
       absl::StrCat("request_id: 't1' order_id: 'M1' override_reason: '", std::string(300, 'r'),
                    "'"),
       "override_reason"},
      {"Reminders/Trigger", "request_id: 't1' order_id: 'M1' channel: 42", "channel"},
      {"Reminders/ListForOrder", "order_id: ''", "order_id"},
      {"Reminders/RecordAnswer", "request_id: 'a1' order_id: 'M1' reminder_number: 1 reason: 77",
       "reason"},
      {"Reminders/Stats", "day: '+2026-11-11'", "day"},
      {"Reminders/Stats", "day: '1999-12-31'", "day"},
      {"Reminders/SetAllShopsPeak", "peak { start_unix_ms: 1790000000000 end_unix_ms: 1 }",
       "peak.end_unix_ms"},
      {"Reminders/SetTemplate", "template { channel: CHANNEL_IM text: 'x' }", "template.kind"},
      {"Reminders/PreviewTemplate", "order_id: 'M1' kind: 99 channel: CHANNEL_IM", "kind"},
      {"Shipments/SetPolicy", "policy { $SHIPMENT_POLICY } expected_version: -1",
       "expected_version"},
      {"Shipments/SetPolicy",
       absl::StrCat("policy { $SHIPMENT_POLICY ",
                    Many(9,
                         "campaigns { start_unix_ms: 179000$I000000 end_unix_ms: 179000$I100000 "
                         "promise_hours: 48 }"),
                    "}"),
       "policy.campaigns"},
      {"Shipments/ListDelayed", "stage: 99", "stage"},
      {"Shipments/ListDelayed", "page_token: '5:bad id'", "page_token"},
      {"FollowUps/Create", "order_id: 'M1' shift: FOLLOW_UP_SHIFT_DAY", "kind"},
      {"FollowUps/Create",
       "kind: FOLLOW_UP_KIND_COMPLAINT order_id: 'M1' deadline_unix_ms: 32503680000000",
       "deadline_unix_ms"},
      {"FollowUps/Get", "id: ''", "id"},
      {"FollowUps/List", "page_token: '1:a b'", "page_token"},
      {"FollowUps/ClaimNext", "claim_minutes: 5000", "claim_minutes"},
      {"FollowUps/Note", "id: '$FOLLOW_UP' note: ''", "note"},
      {"FollowUps/Complete", "id: '$FOLLOW_UP' outcome: 99", "outcome"},
      {"FollowUps/Reassign", "id: '$FOLLOW_UP' to_agent: 'a b'", "to_agent"},
      {"FollowUps/RegisterCashback", "order_id: 'M1' amount_fen: 0", "amount_fen"},
      {"Access/IssueToken", "agent_id: 'newcomer' role: 99", "role"},
      {"Access/ListTokens", "shop_id: 'a b'", "shop_id"},
      {"Access/RevokeToken", "token_id: 'xyz'", "token_id"},
  };
  return *rows;
}

// Bearer tokens: the Access service works with issued tokens only.
constexpr char kSupervisorToken[] = "sue1-token-0123456789abcdef";
constexpr char kOpsToken[] = "ops0-token-0123456789abcdef";

server::ServerConfig TokenConfig() {
  const std::string path = ::testing::TempDir() + "/bad_input_tokens_" + std::to_string(getpid());
  std::ofstream file(path);
  file << "sha256:" << TokenHash(kSupervisorToken) << " shop1 sue supervisor\n"
       << "sha256:" << TokenHash(kOpsToken) << " root ops ops\n";
  auto config = TestServer::DevConfig();
  config.auth = "tokens";
  config.tokens_file = path;
  return config;
}

class BadInputTest : public ::testing::Test {
 protected:
  BadInputTest() : server_(redis_, TokenConfig()), stub_(server_.channel()) {
    rpcs_ = AllRpcs(ORDERWATCH_PROTO_DIR);
    Seed();
  }

  // An order with a remark, a follow-up, and the shop's current policies to write text from.
  void Seed() {
    const int64_t now = absl::ToUnixMillis(absl::Now());
    v1::RecordEventRequest e;
    auto* event = e.mutable_event();
    event->set_event_id("created");
    event->set_order_id("M1");
    event->set_event_unix_ms(now);
    auto* c = event->mutable_created();
    c->set_amount_fen(9900);
    c->set_buyer_id("b1");
    c->set_created_unix_ms(now);
    c->set_auto_close_unix_ms(now + 86400000);
    c->set_ship_by_unix_ms(now + 2 * 86400000);
    v1::RecordEventResponse recorded;
    ASSERT_TRUE(
        GrpcOk(server_.orders()->Record(TestServer::Bearer(kSupervisorToken).get(), e, &recorded)));
    v1::SetRemarkRequest set;
    set.set_request_id("seed");
    set.set_order_id("M1");
    set.set_flag(v1::FLAG_RED);
    set.set_text("memo");
    set.set_expected_version(0);
    v1::Remark remark;
    ASSERT_TRUE(
        GrpcOk(server_.remarks()->Set(TestServer::Bearer(kSupervisorToken).get(), set, &remark)));
    v1::CreateFollowUpRequest create;
    create.set_kind(v1::FOLLOW_UP_KIND_COMPLAINT);
    create.set_order_id("M1");
    v1::FollowUp followup;
    ASSERT_TRUE(GrpcOk(server_.followups()->Create(TestServer::Bearer(kSupervisorToken).get(),
                                                   create, &followup)));
    fill_["$FOLLOW_UP"] = followup.id();
    v1::ReminderPolicy policy;
    ASSERT_TRUE(GrpcOk(
        server_.reminders()->GetPolicy(TestServer::Bearer(kSupervisorToken).get(), {}, &policy)));
    policy.clear_version();
    std::string text;
    pb::TextFormat::PrintToString(policy, &text);
    fill_["$REMINDER_POLICY"] = text;
    v1::ShipmentPolicy shipping;
    ASSERT_TRUE(GrpcOk(
        server_.shipments()->GetPolicy(TestServer::Bearer(kSupervisorToken).get(), {}, &shipping)));
    shipping.clear_version();
    pb::TextFormat::PrintToString(shipping, &text);
    fill_["$SHIPMENT_POLICY"] = text;
  }

  testing::Answer Call(const Row& row) {
    const std::string method = "/orderwatch.v1." + row.method;
    std::string text = row.request;
    for (const auto& [name, value] : fill_) absl::StrReplaceAll({{name, value}}, &text);
    const pb::MethodDescriptor& rpc = *rpcs_.at(method);
    std::string bytes = RequestBytes(rpc, text);
    absl::StrReplaceAll({{kBadUtf8, kBadUtf8Bytes}}, &bytes);
    const char* token = row.method == "Reminders/SetAllShopsPeak" ? kOpsToken : kSupervisorToken;
    return CallRpc(stub_, rpc, bytes, {{"authorization", absl::StrCat("Bearer ", token)}});
  }

  RedisServer redis_;
  TestServer server_;
  grpc::GenericStub stub_;
  std::map<std::string, const pb::MethodDescriptor*> rpcs_;
  std::map<std::string, std::string> fill_;
};

TEST_F(BadInputTest, EveryRpcThatTakesInputHasRows) {
  std::set<std::string> covered;
  for (const Row& row : Rows()) {
    EXPECT_TRUE(rpcs_.count("/orderwatch.v1." + row.method)) << row.method << " is no RPC";
    covered.insert("/orderwatch.v1." + row.method);
  }
  for (const auto& [method, rpc] : rpcs_) {
    if (rpc->input_type()->field_count() == 0) continue;
    EXPECT_TRUE(covered.count(method)) << method << " takes input but has no bad-input row";
  }
}

TEST_F(BadInputTest, EachBadFieldIsNamedAndNothingIsWritten) {
  for (const Row& row : Rows()) {
    const std::string before = redis_.DatasetDigest();
    const testing::Answer a = Call(row);
    EXPECT_EQ(a.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << row.method << " " << row.field << ": " << a.status.error_message();
    EXPECT_EQ(a.status.error_message().substr(0, row.field.size() + 1), row.field + ":")
        << row.method << ": " << a.status.error_message();
    EXPECT_EQ(redis_.DatasetDigest(), before) << row.method << " " << row.field << " wrote";
  }
}

// A policy from a newer client may carry fields this server does not know: they are not kept
// (nor handed back), as a policy is stored whole.
TEST_F(BadInputTest, UnknownFieldsOfAPolicyAreNotKept) {
  const Row get{"Reminders/GetPolicy", "", ""};
  const pb::MethodDescriptor& set = *rpcs_.at("/orderwatch.v1.Reminders/SetPolicy");
  v1::ReminderPolicy policy;
  ASSERT_TRUE(pb::TextFormat::ParseFromString(fill_["$REMINDER_POLICY"], &policy));
  // Field 999 of the policy, a varint 7: tag (999 << 3 | 0) = 7992, as a varint B8 3E.
  const std::string policy_bytes = policy.SerializeAsString() + "\xb8\x3e\x07";
  std::string request = "\x0a";  // field 1 (policy), length-delimited
  request += static_cast<char>(policy_bytes.size());
  ASSERT_LT(policy_bytes.size(), 128u);
  request += policy_bytes;
  const auto a =
      CallRpc(stub_, set, request, {{"authorization", absl::StrCat("Bearer ", kSupervisorToken)}});
  ASSERT_TRUE(GrpcOk(a.status));
  EXPECT_EQ(a.response.find("999"), std::string::npos) << a.response;
  const auto read = Call(get);
  ASSERT_TRUE(GrpcOk(read.status));
  EXPECT_NE(read.response.find("version: 1"), std::string::npos) << read.response;
  EXPECT_EQ(read.response.find("999"), std::string::npos) << read.response;
}

}  // namespace
}  // namespace orderwatch
