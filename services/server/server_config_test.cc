#include "services/server/server_config.h"

#include <gtest/gtest.h>

namespace orderwatch::server {
namespace {

TEST(ServerConfigTest, DefaultsEnvThenFlags) {
  bool help = false;
  auto c = ParseServerConfig(
      {"ORDERWATCH_AUTH=dev", "ORDERWATCH_REDIS=10.0.0.5:7000", "ORDERWATCH_GRPC_ADDR=0.0.0.0:1"},
      {"--grpc-addr", "127.0.0.1:6000", "--partitions=64"}, &help);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(help);
  EXPECT_EQ(c->grpc_addr, "127.0.0.1:6000");
  EXPECT_EQ(c->metrics_addr, "127.0.0.1:9464");
  EXPECT_EQ(c->redis_host, "10.0.0.5");
  EXPECT_EQ(c->redis_port, 7000);
  EXPECT_EQ(c->partitions, 64);
  EXPECT_EQ(c->retention.history_entries, 200);
}

TEST(ServerConfigTest, BadValuesNameTheSetting) {
  bool help = false;
  auto c = ParseServerConfig({}, {"--auth=dev", "--partitions=0"}, &help);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("--partitions"), absl::string_view::npos);
  auto env = ParseServerConfig({"ORDERWATCH_REDIS=nohost"}, {"--auth=dev"}, &help);
  ASSERT_FALSE(env.ok());
  EXPECT_NE(env.status().message().find("ORDERWATCH_REDIS"), absl::string_view::npos);
  EXPECT_FALSE(ParseServerConfig({}, {"--auth=dev", "--bogus=1"}, &help).ok());
  EXPECT_FALSE(ParseServerConfig({}, {"--auth=dev", "--timezone=Mars/Base"}, &help).ok());
  // Token mode needs a token file.
  EXPECT_FALSE(ParseServerConfig({}, {}, &help).ok());
}

TEST(ServerConfigTest, HelpListsEverySetting) {
  bool help = false;
  ASSERT_TRUE(ParseServerConfig({}, {"--help"}, &help).ok());
  EXPECT_TRUE(help);
  const std::string usage = ServerUsage();
  for (const char* s : {"ORDERWATCH_GRPC_ADDR", "ORDERWATCH_METRICS_ADDR", "ORDERWATCH_REDIS",
                        "ORDERWATCH_AUTH", "ORDERWATCH_TOKENS_FILE", "ORDERWATCH_PARTITIONS"}) {
    EXPECT_NE(usage.find(s), std::string::npos) << s;
  }
}

}  // namespace
}  // namespace orderwatch::server
