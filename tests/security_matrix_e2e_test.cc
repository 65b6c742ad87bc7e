// Every RPC of the API against every kind of caller, through a real server with bearer tokens on
// a real Redis. The RPCs come from the descriptors of every proto file in proto/orderwatch/v1, so
// an RPC added without a row in the matrix below fails the suite.
//   - no token, an unknown one, a revoked one, another scheme: UNAUTHENTICATED, nothing written;
//   - a role the RPC is not for: PERMISSION_DENIED; a role it is for: never that;
//   - a principal of another shop: nothing of the first shop in any answer, nothing of the first
//     shop changed (requests name no shop: another shop's principal works in its own shop);
//   - no token in the log or the metrics.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/text_format.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "orderwatch/v1/access.grpc.pb.h"
#include "services/common/principal.h"
#include "services/common/token_table.h"
#include "tests/support/generic_call.h"
#include "tests/support/test_server.h"

namespace orderwatch {
namespace {

namespace pb = google::protobuf;
using testing::AllRpcs;
using testing::Answer;
using testing::CallRpc;
using testing::GrpcOk;
using testing::RedisServer;
using testing::RequestBytes;
using testing::TestServer;

// Everything of shop 1 carries this mark: no answer to another shop may hold it.
constexpr char kMark[] = "S1X";

struct Token {
  const char* secret;
  const char* shop;
  const char* agent;
  Role role;
};
const Token kStorefront1{"web1-token-0123456789abcdef", "shop1", "webS1X", Role::kStorefront};
const Token kAgent1{"amy1-token-0123456789abcdef", "shop1", "amyS1X", Role::kAgent};
const Token kSupervisor1{"sue1-token-0123456789abcdef", "shop1", "sueS1X", Role::kSupervisor};
const Token kSupervisor2{"bob2-token-0123456789abcdef", "shop2", "bob", Role::kSupervisor};
const Token kOps{"ops0-token-0123456789abcdef", "root", "ops", Role::kOps};
const Token* const kTokens[] = {&kStorefront1, &kAgent1, &kSupervisor1, &kSupervisor2, &kOps};

using Roles = std::set<Role>;
const Roles kAnyone{Role::kStorefront, Role::kAgent, Role::kSupervisor, Role::kOps};
const Roles kManagers{Role::kSupervisor, Role::kOps};
const Roles kAgents{Role::kAgent, Role::kSupervisor};
const Roles kRemarkWriters{Role::kStorefront, Role::kAgent, Role::kSupervisor};
const Roles kEventWriters{Role::kStorefront, Role::kSupervisor, Role::kOps};

// One RPC: a valid request (text format; $FOLLOW_UP, $REMINDER_POLICY and $SHIPMENT_POLICY are
// filled in from shop 1's data) and the roles it is for.
struct Rpc {
  std::string request;
  Roles allowed;
};

const std::map<std::string, Rpc>& Matrix() {
  static const auto* m = new std::map<std::string, Rpc>{
      {"/orderwatch.v1.Remarks/Get", {"order_id: 'M1'", kAnyone}},
      {"/orderwatch.v1.Remarks/BatchGet", {"order_ids: 'M1' order_ids: 'M2'", kAnyone}},
      {"/orderwatch.v1.Remarks/Set",
       {"request_id: 'w1' order_id: 'M1' flag: FLAG_BLUE text: 'overwrite' expected_version: 1",
        kRemarkWriters}},
      {"/orderwatch.v1.Remarks/Append",
       {"request_id: 'w2' order_id: 'M1' reason: 'again'", kRemarkWriters}},
      {"/orderwatch.v1.Remarks/Clear", {"request_id: 'w3' order_id: 'M2'", kRemarkWriters}},
      {"/orderwatch.v1.Remarks/History", {"order_id: 'M1'", kAnyone}},
      {"/orderwatch.v1.Remarks/ListByFlag", {"flag: FLAG_RED", kAnyone}},
      {"/orderwatch.v1.Remarks/CountByFlag", {"", kAnyone}},
      {"/orderwatch.v1.Remarks/GetLegend", {"", kAnyone}},
      {"/orderwatch.v1.Remarks/SetLegend",
       {"request_id: 'w4' entries { flag: FLAG_RED meaning: 'changed' }", kManagers}},
      {"/orderwatch.v1.OrderEvents/Record",
       {"event { event_id: 'p1' order_id: 'M1' event_unix_ms: 1790000000000 paid {} }",
        kEventWriters}},
      {"/orderwatch.v1.OrderEvents/RecordBatch",
       {"events { event_id: 'c1' order_id: 'M2' event_unix_ms: 1790000000000 closed { reason: 'x' "
        "} }",
        kEventWriters}},
      {"/orderwatch.v1.OrderEvents/GetOrder", {"order_id: 'M1'", kAnyone}},
      {"/orderwatch.v1.Reminders/GetPolicy", {"", kAnyone}},
      {"/orderwatch.v1.Reminders/SetPolicy", {"policy { $REMINDER_POLICY }", kManagers}},
      {"/orderwatch.v1.Reminders/Trigger",
       {"order_id: 'M1' channel: CHANNEL_IM request_id: 'again'", kAgents}},
      {"/orderwatch.v1.Reminders/ListForOrder", {"order_id: 'M1'", kAnyone}},
      {"/orderwatch.v1.Reminders/RecordAnswer",
       {"request_id: 'w5' order_id: 'M1' reminder_number: 1 reason: UNPAID_REASON_PRICE", kAgents}},
      {"/orderwatch.v1.Reminders/Stats", {"", kAnyone}},
      {"/orderwatch.v1.Reminders/GetAllShopsPeak", {"", kAnyone}},
      {"/orderwatch.v1.Reminders/SetAllShopsPeak", {"peak {}", {Role::kOps}}},
      {"/orderwatch.v1.Reminders/ListTemplates", {"", kAnyone}},
      {"/orderwatch.v1.Reminders/SetTemplate",
       {"template { kind: REMINDER_KIND_MANUAL channel: CHANNEL_IM text: 'changed' }", kManagers}},
      {"/orderwatch.v1.Reminders/PreviewTemplate",
       {"order_id: 'M1' kind: REMINDER_KIND_MANUAL channel: CHANNEL_IM", kAnyone}},
      {"/orderwatch.v1.Shipments/GetPolicy", {"", kAnyone}},
      {"/orderwatch.v1.Shipments/SetPolicy", {"policy { $SHIPMENT_POLICY }", kManagers}},
      {"/orderwatch.v1.Shipments/ListDelayed", {"", kAnyone}},
      {"/orderwatch.v1.Shipments/Summary", {"", kAnyone}},
      {"/orderwatch.v1.FollowUps/Create",
       {"kind: FOLLOW_UP_KIND_COMPLAINT order_id: 'M1' shift: FOLLOW_UP_SHIFT_DAY", kAnyone}},
      {"/orderwatch.v1.FollowUps/Get", {"id: '$FOLLOW_UP'", kAnyone}},
      {"/orderwatch.v1.FollowUps/List", {"", kAnyone}},
      // The night shift's queue: shop 1's follow-up is the day shift's, so nobody claims it here.
      {"/orderwatch.v1.FollowUps/ClaimNext", {"shift: FOLLOW_UP_SHIFT_NIGHT", kAnyone}},
      {"/orderwatch.v1.FollowUps/Note", {"id: '$FOLLOW_UP' note: 'mine now'", kAnyone}},
      {"/orderwatch.v1.FollowUps/Complete",
       {"id: '$FOLLOW_UP' outcome: FOLLOW_UP_OUTCOME_RESOLVED", kAnyone}},
      {"/orderwatch.v1.FollowUps/Reassign",
       {"id: '$FOLLOW_UP' to_shift: FOLLOW_UP_SHIFT_DAY", kAnyone}},
      {"/orderwatch.v1.FollowUps/RegisterCashback", {"order_id: 'M2' amount_fen: 500", kAnyone}},
      {"/orderwatch.v1.FollowUps/Summary", {"", kAnyone}},
      {"/orderwatch.v1.Access/IssueToken",
       {"agent_id: 'newcomer' role: PRINCIPAL_ROLE_AGENT", kManagers}},
      {"/orderwatch.v1.Access/ListTokens", {"", kManagers}},
      {"/orderwatch.v1.Access/RevokeToken", {"token_id: '$AGENT_TOKEN_ID'", kManagers}},
  };
  return *m;
}

server::ServerConfig TokenConfig() {
  const std::string path = ::testing::TempDir() + "/matrix_tokens_" + std::to_string(getpid());
  std::ofstream file(path);
  for (const Token* t : kTokens) {
    file << "sha256:" << TokenHash(t->secret) << " " << t->shop << " " << t->agent << " "
         << RoleName(t->role) << "\n";
  }
  auto config = TestServer::DevConfig();
  config.auth = "tokens";
  config.tokens_file = path;
  return config;
}

class SecurityMatrixTest : public ::testing::Test {
 protected:
  SecurityMatrixTest() : server_(redis_, TokenConfig()), stub_(server_.channel()) {
    rpcs_ = AllRpcs(ORDERWATCH_PROTO_DIR);
    Seed();
  }

  // Calls `method` with `authorization` (none when empty).
  Answer Call(const std::string& authorization, const std::string& method) {
    std::string text = Matrix().at(method).request;
    for (const auto& [name, value] : fill_) absl::StrReplaceAll({{name, value}}, &text);
    const pb::MethodDescriptor& rpc = *rpcs_.at(method);
    std::vector<std::pair<std::string, std::string>> metadata;
    if (!authorization.empty()) metadata.emplace_back("authorization", authorization);
    return CallRpc(stub_, rpc, RequestBytes(rpc, text), metadata);
  }
  Answer Call(const Token& who, const std::string& method) {
    return Call(absl::StrCat("Bearer ", who.secret), method);
  }

  // What shop 1's supervisor reads through every reading RPC.
  std::map<std::string, std::string> Shop1Reads() {
    std::map<std::string, std::string> reads;
    for (const auto& [method, rpc] : Matrix()) {
      const std::string name = method.substr(method.rfind('/') + 1);
      for (const char* read : {"Get", "History", "List", "Count", "Stats", "Summary", "Preview"}) {
        if (name.rfind(read, 0) == 0) {
          const Answer a = Call(kSupervisor1, method);
          reads[method] = absl::StrCat(a.status.error_code(), " ", a.response);
        }
      }
    }
    return reads;
  }

  // Shop 1's data, every piece of it marked: an order with a remark, a reminder, an answer, a
  // follow-up (the day shift's), a cashback, a legend, a template; and an agent token issued.
  void Seed() {
    auto events = v1::OrderEvents::NewStub(server_.channel());
    auto remarks = v1::Remarks::NewStub(server_.channel());
    auto reminders = v1::Reminders::NewStub(server_.channel());
    auto followups = v1::FollowUps::NewStub(server_.channel());
    auto shipments = v1::Shipments::NewStub(server_.channel());
    auto access = v1::Access::NewStub(server_.channel());
    const int64_t now = absl::ToUnixMillis(absl::Now());
    for (const char* order : {"M1", "M2"}) {
      v1::RecordEventRequest e;
      auto* event = e.mutable_event();
      event->set_event_id("created");
      event->set_order_id(order);
      event->set_event_unix_ms(now);
      auto* c = event->mutable_created();
      c->set_amount_fen(9900);
      c->set_buyer_id(absl::StrCat("buyer", kMark));
      c->set_item_summary(absl::StrCat("item ", kMark));
      c->set_created_unix_ms(now);
      c->set_auto_close_unix_ms(now + 86400000);
      c->set_ship_by_unix_ms(now + 2 * 86400000);
      v1::RecordEventResponse r;
      ASSERT_TRUE(GrpcOk(events->Record(As(kStorefront1).get(), e, &r)));

      v1::SetRemarkRequest set;
      set.set_request_id("seed");
      set.set_order_id(order);
      set.set_flag(v1::FLAG_RED);
      set.set_text(absl::StrCat("memo ", kMark));
      set.set_expected_version(0);
      v1::Remark remark;
      ASSERT_TRUE(GrpcOk(remarks->Set(As(kAgent1).get(), set, &remark)));
    }
    v1::SetReminderPolicyRequest any_hour;  // the agent's reminder goes out whatever the hour
    ASSERT_TRUE(
        GrpcOk(reminders->GetPolicy(As(kSupervisor1).get(), {}, any_hour.mutable_policy())));
    any_hour.mutable_policy()->set_window_end(any_hour.policy().window_start());
    v1::ReminderPolicy policy;
    ASSERT_TRUE(GrpcOk(reminders->SetPolicy(As(kSupervisor1).get(), any_hour, &policy)));
    v1::TriggerReminderRequest trigger;
    trigger.set_request_id("seed");
    trigger.set_order_id("M1");
    trigger.set_channel(v1::CHANNEL_IM);
    v1::Reminder reminder;
    const grpc::Status sent = reminders->Trigger(As(kAgent1).get(), trigger, &reminder);
    ASSERT_TRUE(sent.ok()) << sent.error_message();
    v1::RecordAnswerRequest answer;
    answer.set_request_id("seed");
    answer.set_order_id("M1");
    answer.set_reminder_number(reminder.number());
    answer.set_reason(v1::UNPAID_REASON_SHIPPING);
    answer.set_note(absl::StrCat("answer ", kMark));
    v1::Reminder answered;
    ASSERT_TRUE(GrpcOk(reminders->RecordAnswer(As(kAgent1).get(), answer, &answered)));

    v1::CreateFollowUpRequest create;
    create.set_kind(v1::FOLLOW_UP_KIND_STOCK_OUT);
    create.set_order_id("M1");
    create.set_buyer_id(absl::StrCat("buyer", kMark));
    create.set_note(absl::StrCat("note ", kMark));
    create.set_shift(v1::FOLLOW_UP_SHIFT_DAY);
    v1::FollowUp followup;
    ASSERT_TRUE(GrpcOk(followups->Create(As(kAgent1).get(), create, &followup)));
    fill_["$FOLLOW_UP"] = followup.id();
    v1::RecordEventRequest paid;  // a cashback is registered on a paid order
    paid.mutable_event()->set_event_id("paid");
    paid.mutable_event()->set_order_id("M2");
    paid.mutable_event()->set_event_unix_ms(now);
    paid.mutable_event()->mutable_paid();
    v1::RecordEventResponse recorded;
    ASSERT_TRUE(GrpcOk(events->Record(As(kStorefront1).get(), paid, &recorded)));
    v1::RegisterCashbackRequest cashback;
    cashback.set_order_id("M2");
    cashback.set_amount_fen(300);
    cashback.set_note(absl::StrCat("cashback ", kMark));
    ASSERT_TRUE(GrpcOk(followups->RegisterCashback(As(kAgent1).get(), cashback, &followup)));

    v1::SetLegendRequest legend;
    legend.set_request_id("seed");
    auto* entry = legend.add_entries();
    entry->set_flag(v1::FLAG_PURPLE);
    entry->set_meaning(absl::StrCat("legend ", kMark));
    v1::Legend legend_out;
    ASSERT_TRUE(GrpcOk(remarks->SetLegend(As(kSupervisor1).get(), legend, &legend_out)));
    v1::SetTemplateRequest tpl;
    tpl.mutable_template_()->set_kind(v1::REMINDER_KIND_AFTER_ORDER);
    tpl.mutable_template_()->set_channel(v1::CHANNEL_SMS);
    tpl.mutable_template_()->set_text(absl::StrCat("template ", kMark, " {order_id}"));
    v1::Template tpl_out;
    const grpc::Status set_template = reminders->SetTemplate(As(kSupervisor1).get(), tpl, &tpl_out);
    ASSERT_TRUE(set_template.ok()) << set_template.error_message();

    std::string text;
    pb::TextFormat::PrintToString(policy, &text);
    fill_["$REMINDER_POLICY"] = text;
    v1::ShipmentPolicy shipping;
    ASSERT_TRUE(GrpcOk(shipments->GetPolicy(As(kSupervisor1).get(), {}, &shipping)));
    pb::TextFormat::PrintToString(shipping, &text);
    fill_["$SHIPMENT_POLICY"] = text;

    v1::IssueTokenRequest issue;
    issue.set_agent_id(absl::StrCat("kim", kMark));
    issue.set_role(v1::PRINCIPAL_ROLE_AGENT);
    ASSERT_TRUE(GrpcOk(access->IssueToken(As(kSupervisor1).get(), issue, &issued_)));
    fill_["$AGENT_TOKEN_ID"] = issued_.info().token_id();
  }

  std::set<std::string> Keys() const {
    return absl::StrSplit(redis_.Flat("KEYS *"), '\n', absl::SkipEmpty());
  }

  static std::unique_ptr<grpc::ClientContext> As(const Token& who) {
    return TestServer::Bearer(who.secret);
  }

  RedisServer redis_;
  TestServer server_;
  grpc::GenericStub stub_;
  std::map<std::string, const pb::MethodDescriptor*> rpcs_;
  std::map<std::string, std::string> fill_;
  v1::IssuedToken issued_;
};

TEST_F(SecurityMatrixTest, TheMatrixHasEveryRpcAndNoOther) {
  EXPECT_GE(rpcs_.size(), 40u);
  for (const auto& [method, rpc] : rpcs_) {
    EXPECT_TRUE(Matrix().count(method)) << method << " has no row in the matrix";
  }
  for (const auto& [method, row] : Matrix()) {
    EXPECT_TRUE(rpcs_.count(method)) << method << " is no RPC";
  }
}

TEST_F(SecurityMatrixTest, EveryRpcRefusesCallersWithoutAValidToken) {
  // A token revoked a moment ago.
  auto access = v1::Access::NewStub(server_.channel());
  v1::RevokeTokenRequest revoke;
  revoke.set_token_id(issued_.info().token_id());
  v1::TokenInfo info;
  ASSERT_TRUE(GrpcOk(access->RevokeToken(As(kSupervisor1).get(), revoke, &info)));

  const auto before = Shop1Reads();
  const std::set<std::string> keys = Keys();
  const std::string bearer = absl::StrCat("Bearer ", kSupervisor1.secret);
  for (const auto& [method, rpc] : Matrix()) {
    for (const std::string& authorization :
         {std::string(), absl::StrCat("Bearer ", issued_.token()),
          std::string("Bearer owt_no-such-token-0123456789abcdefghijklmnopq"),
          absl::StrCat("Basic ", kSupervisor1.secret), absl::StrCat(bearer, "x"),
          bearer.substr(0, bearer.size() - 1), std::string("Bearer ")}) {
      const Answer a = Call(authorization, method);
      EXPECT_EQ(a.status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << method << " with \"" << authorization << "\": " << a.status.error_message();
    }
  }
  // Background work (the scheduler's) may remove keys meanwhile; a refused call adds none.
  for (const std::string& key : Keys()) EXPECT_TRUE(keys.count(key)) << key << " appeared";
  EXPECT_EQ(Shop1Reads(), before) << "a refused call changed shop 1";
}

TEST_F(SecurityMatrixTest, EachRoleMakesTheCallsItIsForAndNoOther) {
  const Token* callers[] = {&kStorefront1, &kAgent1, &kSupervisor1, &kOps};
  for (const auto& [method, rpc] : Matrix()) {
    for (const Token* who : callers) {
      const Answer a = Call(*who, method);
      const std::string what = absl::StrCat(method, " as ", std::string(RoleName(who->role)), ": ",
                                            a.status.error_message());
      if (rpc.allowed.count(who->role)) {
        EXPECT_NE(a.status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << what;
        EXPECT_NE(a.status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << what;
        EXPECT_NE(a.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << what;
      } else {
        EXPECT_EQ(a.status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << what;
      }
    }
  }
}

TEST_F(SecurityMatrixTest, AnotherShopSeesAndChangesNothingOfTheFirst) {
  const auto before = Shop1Reads();
  // Shop 1 reads back its own marks: the search below can find them.
  EXPECT_NE(before.at("/orderwatch.v1.Remarks/Get").find(kMark), std::string::npos);
  EXPECT_NE(before.at("/orderwatch.v1.FollowUps/Get").find(kMark), std::string::npos);
  EXPECT_NE(before.at("/orderwatch.v1.Reminders/Stats").find(kMark), std::string::npos);
  EXPECT_NE(before.at("/orderwatch.v1.Access/ListTokens").find(kMark), std::string::npos);

  int answered = 0;
  for (const auto& [method, rpc] : Matrix()) {
    if (!rpc.allowed.count(Role::kSupervisor)) continue;  // platform-wide: ops only
    const Answer a = Call(kSupervisor2, method);
    const std::string what = absl::StrCat(method, ": ", a.status.error_message());
    for (auto refused : {grpc::StatusCode::UNAUTHENTICATED, grpc::StatusCode::PERMISSION_DENIED,
                         grpc::StatusCode::INVALID_ARGUMENT, grpc::StatusCode::INTERNAL,
                         grpc::StatusCode::UNKNOWN}) {
      EXPECT_NE(a.status.error_code(), refused) << what;
    }
    EXPECT_EQ(a.response.find(kMark), std::string::npos) << method << ":\n" << a.response;
    EXPECT_EQ(a.status.error_message().find(kMark), std::string::npos) << what;
    answered += a.status.ok();
  }
  EXPECT_GT(answered, 25);  // most calls worked, in shop 2's own namespace
  EXPECT_EQ(Shop1Reads(), before);
}

TEST_F(SecurityMatrixTest, AgentsReadOnlyTheirOwnReminderFigures) {
  auto reminders = v1::Reminders::NewStub(server_.channel());
  v1::ReminderStats stats;
  ASSERT_TRUE(GrpcOk(reminders->Stats(As(kSupervisor1).get(), {}, &stats)));
  ASSERT_EQ(stats.agents_size(), 1);
  EXPECT_EQ(stats.agents(0).agent_id(), kAgent1.agent);
  ASSERT_TRUE(GrpcOk(reminders->Stats(As(kAgent1).get(), {}, &stats)));
  EXPECT_EQ(stats.agents_size(), 1);
  ASSERT_TRUE(GrpcOk(reminders->Stats(As(kStorefront1).get(), {}, &stats)));
  EXPECT_EQ(stats.agents_size(), 0);
  EXPECT_EQ(stats.kinds(4).sent(), 1) << "the shop's own figures stay";
}

TEST_F(SecurityMatrixTest, NoTokenReachesTheLogOrTheMetrics) {
  ::testing::internal::CaptureStderr();
  for (const auto& [method, rpc] : Matrix()) {
    Call(kSupervisor1, method);
    Call(absl::StrCat("Bearer ", kAgent1.secret, "-wrong"), method);
  }
  // A token issued and revoked while the log is watched.
  auto access = v1::Access::NewStub(server_.channel());
  v1::IssueTokenRequest issue;
  issue.set_agent_id("lee");
  issue.set_role(v1::PRINCIPAL_ROLE_AGENT);
  v1::IssuedToken lee;
  ASSERT_TRUE(GrpcOk(access->IssueToken(As(kSupervisor1).get(), issue, &lee)));
  v1::RevokeTokenRequest revoke;
  revoke.set_token_id(lee.info().token_id());
  v1::TokenInfo info;
  ASSERT_TRUE(GrpcOk(access->RevokeToken(As(kSupervisor1).get(), revoke, &info)));
  absl::SleepFor(absl::Milliseconds(1500));  // a token-store sync after it
  const std::string log = ::testing::internal::GetCapturedStderr();
  const std::string scrape = testing::HttpGet(server_.metrics_port(), "/metrics");
  ASSERT_FALSE(scrape.empty());
  for (const std::string& secret : {std::string(kSupervisor1.secret), std::string(kAgent1.secret),
                                    issued_.token(), lee.token(), TokenHash(lee.token())}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " in the log:\n" << log;
    EXPECT_EQ(scrape.find(secret), std::string::npos) << secret << " in the metrics";
  }
  EXPECT_EQ(log.find("memo S1X"), std::string::npos) << "a memo in the log";
}

}  // namespace
}  // namespace orderwatch
