// Bearer tokens issued, listed and revoked at run time, through real servers on a real Redis:
// who may manage which tokens, revocation on every instance, and no token kept or shown again.
#include <gtest/gtest.h>

#include <fstream>

#include "absl/time/clock.h"
#include "orderwatch/v1/access.grpc.pb.h"
#include "services/common/token_table.h"
#include "tests/support/test_server.h"

namespace orderwatch {
namespace {

using testing::HttpGet;
using testing::RedisServer;
using testing::TestServer;

constexpr char kOpsToken[] = "ops-token-0123456789abcdef";
constexpr char kSueToken[] = "sue-token-0123456789abcdef";  // supervisor of shop1
constexpr char kBobToken[] = "bob-token-0123456789abcdef";  // supervisor of shop2
constexpr char kAlfToken[] = "alf-token-0123456789abcdef";  // agent of shop1

server::ServerConfig TokenConfig() {
  // The ops token in clear, the supervisors' hashed, as `orderwatch token new` prints them.
  const std::string path = ::testing::TempDir() + "/access_tokens_" + std::to_string(getpid());
  std::ofstream(path) << kOpsToken << " ops root ops\n"
                      << "sha256:" << TokenHash(kSueToken) << " shop1 sue supervisor\n"
                      << "sha256:" << TokenHash(kBobToken) << " shop2 bob supervisor\n"
                      << kAlfToken << " shop1 alf agent\n";
  auto config = TestServer::DevConfig();
  config.auth = "tokens";
  config.tokens_file = path;
  return config;
}

v1::IssueTokenRequest IssueFor(const std::string& shop, const std::string& agent,
                               v1::PrincipalRole role) {
  v1::IssueTokenRequest r;
  r.set_shop_id(shop);
  r.set_agent_id(agent);
  r.set_role(role);
  r.set_note("e2e");
  return r;
}

// A call any principal may make: OK when the token is known (an order without a remark reads
// as version 0), UNAUTHENTICATED when not.
grpc::StatusCode Probe(const TestServer& server, const std::string& token) {
  v1::GetRemarkRequest get;
  get.set_order_id("P1");
  v1::Remark r;
  return server.remarks()->Get(TestServer::Bearer(token).get(), get, &r).error_code();
}

class AccessE2ETest : public ::testing::Test {
 protected:
  AccessE2ETest()
      : server_(redis_, TokenConfig()), access_(v1::Access::NewStub(server_.channel())) {}

  v1::IssuedToken Issue(const std::string& as, const v1::IssueTokenRequest& request,
                        grpc::StatusCode want = grpc::StatusCode::OK) {
    v1::IssuedToken out;
    const grpc::Status s = access_->IssueToken(TestServer::Bearer(as).get(), request, &out);
    EXPECT_EQ(s.error_code(), want) << s.error_message();
    return out;
  }

  RedisServer redis_;
  TestServer server_;
  std::unique_ptr<v1::Access::Stub> access_;
};

TEST_F(AccessE2ETest, IssuedTokenWorksAtOnceAndRevokedTokenNoMore) {
  const v1::IssuedToken t = Issue(kSueToken, IssueFor("", "amy", v1::PRINCIPAL_ROLE_AGENT));
  EXPECT_EQ(t.token().substr(0, 4), "owt_");
  EXPECT_EQ(t.info().shop_id(), "shop1");  // "" = the supervisor's own shop
  EXPECT_EQ(t.info().issued_by(), "shop1/sue");
  EXPECT_EQ(t.info().token_id(), TokenHash(t.token()).substr(0, 16));
  EXPECT_EQ(Probe(server_, t.token()), grpc::StatusCode::OK);  // known

  // Redis holds the hash, never the token.
  const std::string stored = redis_.Flat("HGETALL ow:{auth}:tokens");
  EXPECT_NE(stored.find(TokenHash(t.token())), std::string::npos) << stored;
  EXPECT_EQ(stored.find(t.token()), std::string::npos);

  v1::RevokeTokenRequest revoke;
  revoke.set_token_id(t.info().token_id());
  v1::TokenInfo info;
  // Another shop's supervisor cannot see it: the same answer as for no token at all.
  EXPECT_EQ(access_->RevokeToken(TestServer::Bearer(kBobToken).get(), revoke, &info).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Probe(server_, t.token()), grpc::StatusCode::OK);
  ASSERT_TRUE(access_->RevokeToken(TestServer::Bearer(kSueToken).get(), revoke, &info).ok());
  EXPECT_EQ(info.agent_id(), "amy");
  EXPECT_EQ(Probe(server_, t.token()), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(access_->RevokeToken(TestServer::Bearer(kSueToken).get(), revoke, &info).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // The audit log has both, by whom.
  const std::string log = redis_.Flat("XRANGE ow:{auth}:log - +");
  EXPECT_NE(log.find("issue"), std::string::npos) << log;
  EXPECT_NE(log.find("revoke"), std::string::npos) << log;
  EXPECT_NE(log.find("shop1/sue"), std::string::npos) << log;
}

TEST_F(AccessE2ETest, OnlyOpsAndSupervisorsManageTokensWithinTheirReach) {
  // Agents and storefronts manage none.
  Issue(kAlfToken, IssueFor("shop1", "x", v1::PRINCIPAL_ROLE_AGENT),
        grpc::StatusCode::PERMISSION_DENIED);
  v1::ListTokensResponse list;
  EXPECT_EQ(access_->ListTokens(TestServer::Bearer(kAlfToken).get(), {}, &list).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Supervisors: their own shop's agents and storefronts only.
  Issue(kSueToken, IssueFor("shop2", "x", v1::PRINCIPAL_ROLE_AGENT),
        grpc::StatusCode::PERMISSION_DENIED);
  Issue(kSueToken, IssueFor("shop1", "x", v1::PRINCIPAL_ROLE_SUPERVISOR),
        grpc::StatusCode::PERMISSION_DENIED);
  Issue(kSueToken, IssueFor("shop1", "web", v1::PRINCIPAL_ROLE_STOREFRONT));
  v1::ListTokensRequest other;
  other.set_shop_id("shop2");
  EXPECT_EQ(access_->ListTokens(TestServer::Bearer(kSueToken).get(), other, &list).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A supervisor cannot revoke another supervisor, even of the same shop.
  const v1::IssuedToken sup =
      Issue(kOpsToken, IssueFor("shop1", "sam", v1::PRINCIPAL_ROLE_SUPERVISOR));
  v1::RevokeTokenRequest revoke;
  revoke.set_token_id(sup.info().token_id());
  v1::TokenInfo info;
  EXPECT_EQ(access_->RevokeToken(TestServer::Bearer(kSueToken).get(), revoke, &info).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Probe(server_, sup.token()), grpc::StatusCode::OK);  // known

  // The list shows principals and ids, file ones too, and never a token.
  ASSERT_TRUE(access_->ListTokens(TestServer::Bearer(kSueToken).get(), {}, &list).ok());
  std::vector<std::string> agents;
  for (const auto& t : list.tokens()) {
    EXPECT_EQ(t.shop_id(), "shop1");
    agents.push_back(t.agent_id());
  }
  EXPECT_EQ(agents, (std::vector<std::string>{"alf", "sam", "sue", "web"}));
  EXPECT_EQ(list.DebugString().find(sup.token()), std::string::npos);
  v1::ListTokensRequest all;
  all.set_shop_id("*");
  ASSERT_TRUE(access_->ListTokens(TestServer::Bearer(kOpsToken).get(), all, &list).ok());
  EXPECT_EQ(list.tokens_size(), 6);
  // Tokens of the file are changed in the file.
  revoke.set_token_id(TokenHash(kAlfToken).substr(0, 16));
  EXPECT_EQ(access_->RevokeToken(TestServer::Bearer(kSueToken).get(), revoke, &info).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(AccessE2ETest, BadInputNamesTheField) {
  auto message = [&](const v1::IssueTokenRequest& r) {
    v1::IssuedToken out;
    const grpc::Status s = access_->IssueToken(TestServer::Bearer(kOpsToken).get(), r, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    return s.error_message();
  };
  EXPECT_EQ(message(IssueFor("shop1", "amy", v1::PRINCIPAL_ROLE_UNSPECIFIED)).substr(0, 5),
            "role:");
  EXPECT_EQ(message(IssueFor("shop1", "", v1::PRINCIPAL_ROLE_AGENT)).substr(0, 9), "agent_id:");
  EXPECT_EQ(message(IssueFor("shop 1", "amy", v1::PRINCIPAL_ROLE_AGENT)).substr(0, 8), "shop_id:");
  auto long_note = IssueFor("shop1", "amy", v1::PRINCIPAL_ROLE_AGENT);
  long_note.set_note(std::string(201, 'n'));
  EXPECT_EQ(message(long_note).substr(0, 5), "note:");
  for (const char* forged : {"night\nabc shop2 root ops", "tab\there", "c1 \xc2\x9b[31m"}) {
    auto note = IssueFor("shop1", "amy", v1::PRINCIPAL_ROLE_AGENT);
    note.set_note(forged);
    EXPECT_EQ(message(note).substr(0, 5), "note:") << forged;
  }
  v1::RevokeTokenRequest revoke;
  revoke.set_token_id("not-an-id");
  v1::TokenInfo info;
  const grpc::Status s = access_->RevokeToken(TestServer::Bearer(kOpsToken).get(), revoke, &info);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().substr(0, 9), "token_id:");
  EXPECT_EQ(redis_.Command("HLEN ow:{auth}:tokens"), "0");  // nothing written
}

TEST_F(AccessE2ETest, AnotherInstanceFollowsWithinASecondOrTwo) {
  TestServer second(redis_, TokenConfig());
  const v1::IssuedToken t = Issue(kOpsToken, IssueFor("shop1", "amy", v1::PRINCIPAL_ROLE_AGENT));
  auto eventually = [&](grpc::StatusCode want) {
    const absl::Time until = absl::Now() + absl::Seconds(3);
    while (Probe(second, t.token()) != want && absl::Now() < until) {
      absl::SleepFor(absl::Milliseconds(50));
    }
    return Probe(second, t.token());
  };
  EXPECT_EQ(eventually(grpc::StatusCode::OK), grpc::StatusCode::OK);
  v1::RevokeTokenRequest revoke;
  revoke.set_token_id(t.info().token_id());
  v1::TokenInfo info;
  ASSERT_TRUE(access_->RevokeToken(TestServer::Bearer(kOpsToken).get(), revoke, &info).ok());
  EXPECT_EQ(eventually(grpc::StatusCode::UNAUTHENTICATED), grpc::StatusCode::UNAUTHENTICATED);
  // A restarted instance loads the store: the revoked token stays revoked, others work.
  const v1::IssuedToken kept = Issue(kOpsToken, IssueFor("shop1", "kim", v1::PRINCIPAL_ROLE_AGENT));
  TestServer third(redis_, TokenConfig());
  EXPECT_EQ(Probe(third, t.token()), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Probe(third, kept.token()), grpc::StatusCode::OK);
}

TEST_F(AccessE2ETest, TokensNeverReachTheMetrics) {
  const v1::IssuedToken t = Issue(kOpsToken, IssueFor("shop1", "amy", v1::PRINCIPAL_ROLE_AGENT));
  Probe(server_, t.token());
  Probe(server_, "owt_an-unknown-token-0123456789");
  const std::string scrape = HttpGet(server_.metrics_port(), "/metrics");
  ASSERT_FALSE(scrape.empty());
  for (const std::string& secret : {std::string(kOpsToken), t.token(), TokenHash(t.token())}) {
    EXPECT_EQ(scrape.find(secret), std::string::npos) << secret;
  }
  EXPECT_EQ(scrape.find("owt_"), std::string::npos);
  EXPECT_GT(
      testing::MetricValue(scrape,
                           "grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"IssueToken\","
                           "grpc_service=\"orderwatch.v1.Access\",grpc_type=\"unary\"}"),
      0);
}

}  // namespace
}  // namespace orderwatch
