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
  EXPECT_EQ(c->max_connection_age, absl::ZeroDuration());
}

TEST(ServerConfigTest, MaxConnectionAge) {
  bool help = false;
  auto c = ParseServerConfig({"ORDERWATCH_MAX_CONNECTION_AGE_SECONDS=300"}, {"--auth=dev"}, &help);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->max_connection_age, absl::Seconds(300));
  c = ParseServerConfig({}, {"--auth=dev", "--max-connection-age-seconds=-1"}, &help);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("--max-connection-age-seconds"), std::string::npos);
}

TEST(ServerConfigTest, TlsFilesComeInPairs) {
  bool help = false;
  auto c = ParseServerConfig(
      {"ORDERWATCH_TLS_CERT_FILE=/etc/ow/tls.crt"},
      {"--auth=dev", "--tls-key-file=/etc/ow/tls.key", "--tls-client-ca-file=/etc/ow/clients.pem"},
      &help);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->tls.enabled());
  EXPECT_EQ(c->tls.key, "/etc/ow/tls.key");
  EXPECT_EQ(c->tls.client_ca, "/etc/ow/clients.pem");
  EXPECT_FALSE(ParseServerConfig({}, {"--auth=dev"}, &help)->tls.enabled());
  c = ParseServerConfig({}, {"--auth=dev", "--tls-cert-file=/etc/ow/tls.crt"}, &help);
  EXPECT_EQ(c.status().message(), "--tls-cert-file needs --tls-key-file");
  c = ParseServerConfig({}, {"--auth=dev", "--tls-client-ca-file=/etc/ow/clients.pem"}, &help);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("--tls-client-ca-file needs"), std::string::npos);
}

TEST(ServerConfigTest, RedisByUnixSocket) {
  bool help = false;
  auto c =
      ParseServerConfig({"ORDERWATCH_REDIS=unix:/run/redis/redis.sock"}, {"--auth=dev"}, &help);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->redis_unix, "/run/redis/redis.sock");
  // A flag naming host:port wins over the environment's socket.
  c = ParseServerConfig({"ORDERWATCH_REDIS=unix:/run/redis/redis.sock"},
                        {"--auth=dev", "--redis=10.0.0.5:7000"}, &help);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->redis_unix, "");
  EXPECT_EQ(c->redis_port, 7000);
  EXPECT_FALSE(ParseServerConfig({}, {"--auth=dev", "--redis=unix:"}, &help).ok());
}

TEST(ServerConfigTest, RedisClusterSeeds) {
  bool help = false;
  auto c = ParseServerConfig({"ORDERWATCH_REDIS_CLUSTER=10.0.0.1:7000,10.0.0.2:7001"},
                             {"--auth=dev"}, &help);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->redis_cluster.size(), 2u);
  EXPECT_EQ(c->redis_cluster[1].ToString(), "10.0.0.2:7001");
  for (const char* bad :
       {"--redis-cluster=", "--redis-cluster=10.0.0.1", "--redis-cluster=a:1,b"}) {
    auto refused = ParseServerConfig({}, {"--auth=dev", bad}, &help);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_NE(refused.status().message().find("redis-cluster"), std::string::npos);
  }
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
  auto pack = ParseServerConfig({}, {"--auth=dev", "--pack-unpaid-orders=yes"}, &help);
  ASSERT_FALSE(pack.ok());
  EXPECT_NE(pack.status().message().find("--pack-unpaid-orders"), absl::string_view::npos);
  auto unpacked = ParseServerConfig({"ORDERWATCH_PACK_UNPAID_ORDERS=off"}, {"--auth=dev"}, &help);
  ASSERT_TRUE(unpacked.ok()) << unpacked.status();
  EXPECT_FALSE(unpacked->pack_unpaid_orders);
  EXPECT_TRUE(ParseServerConfig({}, {"--auth=dev"}, &help)->pack_unpaid_orders);
  // Token mode needs a token file.
  EXPECT_FALSE(ParseServerConfig({}, {}, &help).ok());
  auto sink = ParseServerConfig({}, {"--auth=dev", "--reminder-sink=kafka://x"}, &help);
  ASSERT_FALSE(sink.ok());
  EXPECT_NE(sink.status().message().find("--reminder-sink"), absl::string_view::npos);
  EXPECT_FALSE(ParseServerConfig({}, {"--auth=dev", "--reminder-sink=stream:10"}, &help).ok());
  EXPECT_FALSE(ParseServerConfig({}, {"--auth=dev", "--reminder-sink=streams"}, &help).ok());
  EXPECT_FALSE(
      ParseServerConfig({}, {"--auth=dev", "--reminder-sink=webhook:https://x/y"}, &help).ok());
  EXPECT_FALSE(ParseServerConfig({}, {"--auth=dev", "--reminder-rate-limits=sms=0"}, &help).ok());
  EXPECT_FALSE(ParseServerConfig({}, {"--auth=dev", "--reminder-rate-limits=fax=1"}, &help).ok());
  auto hook = ParseServerConfig({},
                                {"--auth=dev", "--reminder-sink=webhook:http://10.0.0.7:8080/sms",
                                 "--reminder-rate-limits=sms=50,im=200"},
                                &help);
  ASSERT_TRUE(hook.ok()) << hook.status();
  EXPECT_EQ(hook->reminder_rate_limits, "sms=50,im=200");
  auto stream = ParseServerConfig({}, {"--auth=dev", "--reminder-sink=stream:5000"}, &help);
  ASSERT_TRUE(stream.ok()) << stream.status();
  EXPECT_EQ(stream->reminder_sink, "stream:5000");
  // A lease shorter than three renewals' worth could lapse between them.
  EXPECT_FALSE(ParseServerConfig({}, {"--auth=dev", "--lease-seconds=2"}, &help).ok());
  EXPECT_FALSE(ParseServerConfig({}, {"--auth=dev", "--job-in-flight-seconds=0"}, &help).ok());
}

TEST(ServerConfigTest, SchedulingSettings) {
  bool help = false;
  auto c =
      ParseServerConfig({"ORDERWATCH_REMINDER_SINK=log:/tmp/r.jsonl"},
                        {"--auth=dev", "--lease-seconds=7", "--job-in-flight-seconds=12"}, &help);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->reminder_sink, "log:/tmp/r.jsonl");
  EXPECT_EQ(c->scheduler.lease_ttl, absl::Seconds(7));
  EXPECT_EQ(c->job_in_flight, absl::Seconds(12));
  auto d = ParseServerConfig({}, {"--auth=dev"}, &help);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->reminder_sink, "log:-");
  EXPECT_EQ(d->scheduler.lease_ttl, absl::Seconds(5));
  EXPECT_EQ(d->job_in_flight, absl::Seconds(30));
}

TEST(ServerConfigTest, MaxInFlight) {
  bool help = false;
  auto d = ParseServerConfig({}, {"--auth=dev"}, &help);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->max_in_flight, 256);
  auto env = ParseServerConfig({"ORDERWATCH_MAX_IN_FLIGHT=1000"}, {"--auth=dev"}, &help);
  ASSERT_TRUE(env.ok()) << env.status();
  EXPECT_EQ(env->max_in_flight, 1000);
  auto flag = ParseServerConfig({"ORDERWATCH_MAX_IN_FLIGHT=1000"},
                                {"--auth=dev", "--max-in-flight=8"}, &help);
  ASSERT_TRUE(flag.ok()) << flag.status();
  EXPECT_EQ(flag->max_in_flight, 8);
  EXPECT_TRUE(ParseServerConfig({}, {"--auth=dev", "--max-in-flight=100000"}, &help).ok());
  auto low = ParseServerConfig({}, {"--auth=dev", "--max-in-flight=7"}, &help);
  ASSERT_FALSE(low.ok());
  EXPECT_NE(low.status().message().find("--max-in-flight"), absl::string_view::npos);
  EXPECT_FALSE(ParseServerConfig({}, {"--auth=dev", "--max-in-flight=100001"}, &help).ok());
  auto bad_env = ParseServerConfig({"ORDERWATCH_MAX_IN_FLIGHT=lots"}, {"--auth=dev"}, &help);
  ASSERT_FALSE(bad_env.ok());
  EXPECT_NE(bad_env.status().message().find("ORDERWATCH_MAX_IN_FLIGHT"), absl::string_view::npos);
}

TEST(ServerConfigTest, HelpListsEverySetting) {
  bool help = false;
  ASSERT_TRUE(ParseServerConfig({}, {"--help"}, &help).ok());
  EXPECT_TRUE(help);
  const std::string usage = ServerUsage();
  for (const char* s :
       {"ORDERWATCH_GRPC_ADDR", "ORDERWATCH_METRICS_ADDR", "ORDERWATCH_REDIS", "ORDERWATCH_AUTH",
        "ORDERWATCH_TOKENS_FILE", "ORDERWATCH_PARTITIONS", "ORDERWATCH_MAX_IN_FLIGHT"}) {
    EXPECT_NE(usage.find(s), std::string::npos) << s;
  }
}

}  // namespace
}  // namespace orderwatch::server
