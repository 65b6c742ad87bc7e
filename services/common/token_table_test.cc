#include "services/common/token_table.h"

#include <gtest/gtest.h>

namespace orderwatch {
namespace {

TEST(TokenTableTest, HashIsSha256Hex) {
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  EXPECT_EQ(TokenHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TokenTableTest, NewTokensAreLongAndDistinct) {
  const std::string a = NewToken(), b = NewToken();
  EXPECT_EQ(a.substr(0, 4), "owt_");
  EXPECT_EQ(a.size(), 4u + 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(
      a.find_first_not_of("owt_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"),
      std::string::npos);
}

TEST(TokenTableTest, PlainAndHashedLinesFindTheSamePrincipals) {
  const std::string hashed = TokenHash("supervisor-token-0123");
  auto t = TokenTable::Parse(
      "# token shop agent role\n"
      "agent-token-0123456789 shop1 alice agent\n"
      "sha256:" +
      hashed + " shop1 sue supervisor\n");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->size(), 2u);
  const TokenEntry* alice = t->Find("agent-token-0123456789");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->principal.agent, "alice");
  EXPECT_EQ(alice->issued_by, "file");
  const TokenEntry* sue = t->Find("supervisor-token-0123");
  ASSERT_NE(sue, nullptr);
  EXPECT_EQ(sue->principal.role, Role::kSupervisor);
  EXPECT_EQ(sue->id(), hashed.substr(0, 16));
  EXPECT_EQ(t->Find("supervisor-token-0124"), nullptr);
  // Only hashes are kept.
  for (const auto& e : t->Entries()) EXPECT_EQ(e.hash.find("token"), std::string::npos);
}

TEST(TokenTableTest, AnEntryIsFoundOnlyByItsWholeHash) {
  TokenTable t;
  TokenEntry e;
  e.hash = TokenHash("the-real-token-0123");
  t.Put(e);
  // Another hash sharing the 16-digit id must not match.
  std::string forged = e.hash;
  forged.back() = forged.back() == '0' ? '1' : '0';
  EXPECT_EQ(t.FindHash(forged), nullptr);
  EXPECT_NE(t.FindHash(e.hash), nullptr);
  EXPECT_TRUE(t.Remove(e.id()));
  EXPECT_EQ(t.FindHash(e.hash), nullptr);
}

TEST(TokenTableTest, ErrorsNameTheLine) {
  auto short_token = TokenTable::Parse("short shop1 alice agent\n");
  ASSERT_FALSE(short_token.ok());
  EXPECT_NE(short_token.status().message().find("line 1"), absl::string_view::npos);
  auto bad_hash = TokenTable::Parse("\nsha256:abc shop1 alice agent\n");
  ASSERT_FALSE(bad_hash.ok());
  EXPECT_NE(bad_hash.status().message().find("line 2: sha256:"), absl::string_view::npos);
  EXPECT_FALSE(TokenTable::Parse("0123456789abcdef0123 shop1 alice agent\n"
                                 "sha256:" +
                                 TokenHash("0123456789abcdef0123") + " shop2 bob agent\n")
                   .ok());
  // A misordered line names the field, never the value (it may be the token).
  auto misordered =
      TokenTable::Parse("shop-with-a-long-name alice agent owt_secret-token-0123456789\n");
  ASSERT_FALSE(misordered.ok());
  EXPECT_EQ(misordered.status().message().find("owt_"), absl::string_view::npos)
      << misordered.status();
  EXPECT_TRUE(IsTokenId("0123456789abcdef"));
  EXPECT_FALSE(IsTokenId("0123456789ABCDEF"));
  EXPECT_FALSE(IsTokenId("0123456789abcde"));
}

}  // namespace
}  // namespace orderwatch
