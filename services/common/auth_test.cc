#include "services/common/auth.h"

#include <gtest/gtest.h>

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

TEST(AuthTest, TokenTableErrorsNameTheLine) {
  auto short_token = Authenticator::FromTokenTable("short shop1 alice agent\n");
  ASSERT_FALSE(short_token.ok());
  EXPECT_NE(short_token.status().message().find("line 1"), absl::string_view::npos);
  auto bad_role = Authenticator::FromTokenTable("\n0123456789abcdef0123 shop1 alice boss\n");
  ASSERT_FALSE(bad_role.ok());
  EXPECT_NE(bad_role.status().message().find("line 2"), absl::string_view::npos);
  EXPECT_FALSE(Authenticator::FromTokenTable("0123456789abcdef0123 shop1 alice agent\n"
                                             "0123456789abcdef0123 shop2 bob agent\n")
                   .ok());
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
