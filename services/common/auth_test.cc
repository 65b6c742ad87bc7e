#include "services/common/auth.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace orderwatch {
namespace {

TEST(AuthTest, ParsesTokenTable) {
  auto a = Authenticator::FromTokenTable(
      "# token shop agent role\n"
      "0123456789abcdef0123 shop1 alice agent\n"
      "\n"
      "fedcba9876543210fedc shop1 web storefront\n");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->token_count(), 2u);
  EXPECT_FALSE(a->development());
}

TokenEntry Stored(const std::string& token, const std::string& agent) {
  TokenEntry e;
  e.hash = TokenHash(token);
  e.principal = Principal{"shop1", agent, Role::kAgent};
  return e;
}

std::vector<std::string> Agents(const Authenticator& a) {
  std::vector<std::string> out;
  for (const auto& e : a.Entries()) out.push_back(e.principal.agent);
  std::sort(out.begin(), out.end());
  return out;
}

// A change made on this instance holds until a snapshot that has it arrives: a snapshot read
// before a revocation never brings the revoked token back, nor one read before an issue hides
// the new token; an older snapshot than the one applied is ignored.
TEST(AuthTest, LocalChangesOutliveOlderSnapshots) {
  auto a = Authenticator::FromTokenTable("0123456789abcdef0123 shop1 root ops\n");
  ASSERT_TRUE(a.ok());
  a->ApplyStored(5, {Stored("amy-token-0123456789", "amy"), Stored("bob-token-0123456789", "bob")});
  EXPECT_EQ(Agents(*a), (std::vector<std::string>{"amy", "bob", "root"}));
  a->RemoveStored(6, TokenHash("amy-token-0123456789").substr(0, 16));  // revoked here: v6
  a->PutStored(7, Stored("cat-token-0123456789", "cat"));               // issued here: v7
  // A reload that read v5 lands late: amy stays revoked, cat stays.
  a->ApplyStored(5, {Stored("amy-token-0123456789", "amy"), Stored("bob-token-0123456789", "bob")});
  EXPECT_EQ(Agents(*a), (std::vector<std::string>{"bob", "cat", "root"}));
  // v6 has the revocation but not cat.
  a->ApplyStored(6, {Stored("bob-token-0123456789", "bob")});
  EXPECT_EQ(Agents(*a), (std::vector<std::string>{"bob", "cat", "root"}));
  // v8: another instance revoked cat; this snapshot is the truth now.
  a->ApplyStored(8, {Stored("bob-token-0123456789", "bob")});
  EXPECT_EQ(Agents(*a), (std::vector<std::string>{"bob", "root"}));
  EXPECT_EQ(a->stored_version(), 8);
  // An issue whose answer comes after a snapshot that has seen it (and maybe its revocation
  // elsewhere) adds nothing.
  a->PutStored(8, Stored("dan-token-0123456789", "dan"));
  EXPECT_EQ(Agents(*a), (std::vector<std::string>{"bob", "root"}));
  // Redis went back (failover to a lagging replica): its snapshot is the truth.
  a->RemoveStored(9, TokenHash("bob-token-0123456789").substr(0, 16));
  a->ApplyStored(3, {Stored("eve-token-0123456789", "eve")});
  EXPECT_EQ(Agents(*a), (std::vector<std::string>{"eve", "root"}));
  EXPECT_EQ(a->stored_version(), 3);
}

TEST(AuthTest, RequireRole) {
  Principal p{"shop1", "alice", Role::kAgent};
  EXPECT_TRUE(RequireRole(p, {Role::kAgent, Role::kSupervisor}, "x").ok());
  auto denied = RequireRole(p, {Role::kSupervisor}, "change the legend");
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(), "role agent may not change the legend");
}

}  // namespace
}  // namespace orderwatch
