// orderwatch on a Redis ACL user restricted by the shipped deploy/redis/acl-rules: every
// connection authenticates, every kind of call works within the rules, and a wrong password
// stops the start with Redis' reason and without the password.
#include <gtest/gtest.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "orderwatch/v1/access.grpc.pb.h"
#include "tests/support/test_server.h"

namespace orderwatch {
namespace {

using testing::GrpcOk;
using testing::HttpGet;
using testing::MetricValue;
using testing::RedisServer;
using testing::TestServer;

constexpr char kPassword[] = "acl-password-0123456789";
constexpr char kAgent[] = "amy-token-0123456789abcdef";
constexpr char kBoss[] = "sue-token-0123456789abcdef";

std::string Rules() {
  std::ifstream in(ORDERWATCH_ACL_RULES);
  std::string rules;
  std::getline(in, rules);
  return rules;
}

class RedisAclE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string rules = Rules();
    ASSERT_NE(rules.find("~ow:*"), std::string::npos) << ORDERWATCH_ACL_RULES;
    ASSERT_EQ(redis_.Command(absl::StrCat("ACL SETUSER orderwatch on >", kPassword, " ", rules)),
              "OK");
  }

  server::ServerConfig Config(const std::string& password) const {
    const std::string path = ::testing::TempDir() + "/redis_password_" + std::to_string(getpid());
    std::ofstream(path) << password << "\n";
    const std::string tokens = ::testing::TempDir() + "/acl_tokens_" + std::to_string(getpid());
    std::ofstream(tokens) << kAgent << " shop1 amy agent\n" << kBoss << " shop1 sue supervisor\n";
    auto config = TestServer::DevConfig();
    config.auth = "tokens";  // the token store's scripts run too
    config.tokens_file = tokens;
    config.redis_user = "orderwatch";
    config.redis_password_file = path;
    config.redis_wait = absl::Seconds(2);
    return config;
  }

  RedisServer redis_;
};

TEST_F(RedisAclE2ETest, EveryKindOfCallWorksWithinTheShippedRules) {
  TestServer server(redis_, Config(kPassword));
  const std::string clients = redis_.Command("CLIENT LIST");
  size_t ours = 0;
  for (size_t at = clients.find("user=orderwatch"); at != std::string::npos;
       at = clients.find("user=orderwatch", at + 1)) {
    ++ours;
  }
  EXPECT_GE(ours, 2u) << clients;  // the pipelined connections (and the scheduler's)

  const int64_t now = absl::ToUnixMillis(absl::Now());
  v1::RecordEventRequest created;
  auto* e = created.mutable_event();
  e->set_event_id("c");
  e->set_order_id("A1");
  e->set_event_unix_ms(now);
  e->mutable_created()->set_amount_fen(990);
  e->mutable_created()->set_buyer_id("b1");
  e->mutable_created()->set_created_unix_ms(now);
  e->mutable_created()->set_ship_by_unix_ms(now + 3600000);
  v1::RecordEventResponse recorded;
  ASSERT_TRUE(GrpcOk(server.orders()->Record(TestServer::Bearer(kBoss).get(), created, &recorded)));

  v1::SetRemarkRequest set;
  set.set_request_id("r1");
  set.set_order_id("A1");
  set.set_flag(v1::FLAG_RED);
  set.set_text("call back");
  set.set_expected_version(0);
  v1::Remark remark;
  EXPECT_TRUE(GrpcOk(server.remarks()->Set(TestServer::Bearer(kAgent).get(), set, &remark)));

  v1::SetReminderPolicyRequest policy;
  ASSERT_TRUE(GrpcOk(
      server.reminders()->GetPolicy(TestServer::Bearer(kBoss).get(), {}, policy.mutable_policy())));
  policy.mutable_policy()->set_window_end(policy.policy().window_start());  // any hour
  v1::ReminderPolicy stored;
  EXPECT_TRUE(
      GrpcOk(server.reminders()->SetPolicy(TestServer::Bearer(kBoss).get(), policy, &stored)));
  v1::TriggerReminderRequest trigger;
  trigger.set_request_id("t1");
  trigger.set_order_id("A1");
  trigger.set_channel(v1::CHANNEL_IM);
  v1::Reminder reminder;
  EXPECT_TRUE(
      GrpcOk(server.reminders()->Trigger(TestServer::Bearer(kAgent).get(), trigger, &reminder)));

  v1::CreateFollowUpRequest create;
  create.set_kind(v1::FOLLOW_UP_KIND_COMPLAINT);
  create.set_order_id("A1");
  v1::FollowUp followup;
  EXPECT_TRUE(
      GrpcOk(server.followups()->Create(TestServer::Bearer(kAgent).get(), create, &followup)));
  v1::ClaimNextResponse claimed;
  EXPECT_TRUE(
      GrpcOk(server.followups()->ClaimNext(TestServer::Bearer(kAgent).get(), {}, &claimed)));
  EXPECT_EQ(claimed.follow_up().id(), followup.id());

  v1::ShipmentSummary summary;
  EXPECT_TRUE(GrpcOk(server.shipments()->Summary(TestServer::Bearer(kBoss).get(), {}, &summary)));
  v1::IssueTokenRequest issue;
  issue.set_agent_id("kim");
  issue.set_role(v1::PRINCIPAL_ROLE_AGENT);
  v1::IssuedToken token;
  EXPECT_TRUE(GrpcOk(v1::Access::NewStub(server.channel())
                         ->IssueToken(TestServer::Bearer(kBoss).get(), issue, &token)));

  absl::SleepFor(absl::Seconds(2));  // the scheduler's and the token store's rounds
  const std::string scrape = HttpGet(server.metrics_port(), "/metrics");
  EXPECT_EQ(MetricValue(scrape, "orderwatch_redis_errors_total{kind=\"reply\"}"), 0)
      << "a command outside the rules";
  EXPECT_EQ(redis_.Command("ACL LOG"), "0") << redis_.Flat("ACL LOG");
}

TEST_F(RedisAclE2ETest, AWrongPasswordStopsTheStartWithTheReason) {
  const std::string wrong = "not-the-password-42";
  ::testing::internal::CaptureStderr();
  auto config = Config(wrong);
  TestServer::UseRedis(redis_, config);
  auto app = server::ServerApp::Start(config);
  const std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_FALSE(app.ok());
  EXPECT_EQ(app.status().code(), absl::StatusCode::kUnauthenticated) << app.status();
  EXPECT_NE(app.status().message().find("WRONGPASS"), std::string::npos) << app.status();
  EXPECT_NE(log.find("AUTH refused"), std::string::npos) << log;
  for (const std::string& secret : {wrong, std::string(kPassword)}) {
    EXPECT_EQ(app.status().message().find(secret), std::string::npos);
    EXPECT_EQ(log.find(secret), std::string::npos) << log;
  }
}

}  // namespace
}  // namespace orderwatch
