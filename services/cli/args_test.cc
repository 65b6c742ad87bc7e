#include "services/cli/args.h"

#include <map>

#include "gtest/gtest.h"

namespace orderwatch::cli {
namespace {

using Kind = ParseOutcome::Kind;

EnvLookup Env(std::map<std::string, std::string> vars = {}) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

ParseOutcome Parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  return ParseCommandLine(args, Env(std::move(env)));
}

TEST(ParseCommandLine, NoArgumentsIsUsageWithoutMessage) {
  const ParseOutcome p = Parse({});
  EXPECT_EQ(p.kind, Kind::kUsageError);
  EXPECT_EQ(p.error, "");
  EXPECT_EQ(p.topic, "");
}

TEST(ParseCommandLine, GroupWithoutCommandIsUsageOfGroup) {
  const ParseOutcome p = Parse({"remark"});
  EXPECT_EQ(p.kind, Kind::kUsageError);
  EXPECT_EQ(p.error, "");
  EXPECT_EQ(p.topic, "remark");
}

TEST(ParseCommandLine, HelpAtEveryLevel) {
  EXPECT_EQ(Parse({"--help"}).kind, Kind::kHelp);
  EXPECT_EQ(Parse({"-h"}).topic, "");
  EXPECT_EQ(Parse({"remark", "--help"}).topic, "remark");
  EXPECT_EQ(Parse({"event", "-h"}).topic, "event");
  const ParseOutcome p = Parse({"remark", "set", "--help"});
  EXPECT_EQ(p.kind, Kind::kHelp);
  EXPECT_EQ(p.topic, "remark set");
  EXPECT_EQ(Parse({"help", "remark", "legend-set"}).topic, "remark legend-set");
  // --help wins over other mistakes on the same line.
  const ParseOutcome q = Parse({"remark", "set", "1", "--bogus", "--help"});
  EXPECT_EQ(q.kind, Kind::kHelp);
  EXPECT_EQ(q.topic, "remark set");
}

TEST(ParseCommandLine, GlobalOptionsBeforeAndAfterTheCommand) {
  const ParseOutcome p = Parse(
      {"--addr", "10.0.0.1:6000", "remark", "get", "1001", "--json", "--timeout=2.5", "1002"});
  ASSERT_EQ(p.kind, Kind::kRun) << p.error;
  const Invocation& inv = p.invocation;
  EXPECT_EQ(inv.command->group, "remark");
  EXPECT_EQ(inv.command->name, "get");
  EXPECT_EQ(inv.args, (std::vector<std::string>{"1001", "1002"}));
  EXPECT_EQ(inv.global.addr, "10.0.0.1:6000");
  EXPECT_TRUE(inv.global.json);
  EXPECT_EQ(inv.global.timeout, absl::Milliseconds(2500));
  EXPECT_TRUE(inv.options.empty());  // global options are not command options
}

TEST(ParseCommandLine, Defaults) {
  const ParseOutcome p = Parse({"remark", "counts"});
  ASSERT_EQ(p.kind, Kind::kRun) << p.error;
  EXPECT_EQ(p.invocation.global.addr, "127.0.0.1:50051");
  EXPECT_EQ(p.invocation.global.role, "agent");
  EXPECT_EQ(p.invocation.global.token, "");
  EXPECT_EQ(p.invocation.global.timeout, absl::Seconds(5));
  EXPECT_FALSE(p.invocation.global.json);
}

TEST(ParseCommandLine, EnvironmentFillsGlobalsAndFlagsOverrideIt) {
  const ParseOutcome p = Parse({"remark", "counts", "--addr", "flag:1", "--role", "lead"},
                               {{"ORDERWATCH_ADDR", "env:1"},
                                {"ORDERWATCH_TOKEN", "tok"},
                                {"ORDERWATCH_SHOP", "shop1"},
                                {"ORDERWATCH_AGENT", "alice"},
                                {"ORDERWATCH_ROLE", "supervisor"}});
  ASSERT_EQ(p.kind, Kind::kRun) << p.error;
  EXPECT_EQ(p.invocation.global.addr, "flag:1");
  EXPECT_EQ(p.invocation.global.token, "tok");
  EXPECT_EQ(p.invocation.global.shop, "shop1");
  EXPECT_EQ(p.invocation.global.agent, "alice");
  EXPECT_EQ(p.invocation.global.role, "lead");
}

TEST(ParseCommandLine, TlsOptions) {
  EXPECT_FALSE(Parse({"health"}).invocation.global.UsesTls());
  EXPECT_TRUE(Parse({"health", "--tls"}).invocation.global.UsesTls());
  EXPECT_TRUE(Parse({"health"}, {{"ORDERWATCH_TLS", "1"}}).invocation.global.UsesTls());
  const ParseOutcome p =
      Parse({"health", "--tls-ca-file", "ca.pem"},
            {{"ORDERWATCH_CLIENT_CERT_FILE", "me.pem"}, {"ORDERWATCH_CLIENT_KEY_FILE", "me.key"}});
  ASSERT_EQ(p.kind, Kind::kRun) << p.error;
  EXPECT_EQ(p.invocation.global.tls_ca_file, "ca.pem");
  EXPECT_EQ(p.invocation.global.client_key_file, "me.key");
  EXPECT_TRUE(p.invocation.global.UsesTls());
  EXPECT_EQ(Parse({"health", "--client-key-file=me.key"}).error,
            "--client-key-file needs --client-cert-file");
  EXPECT_EQ(Parse({"health"}, {{"ORDERWATCH_TLS", "yes"}}).kind, Kind::kUsageError);
}

TEST(ParseCommandLine, EmptyEnvironmentVariableIsUnset) {
  const ParseOutcome p = Parse({"remark", "counts"}, {{"ORDERWATCH_ROLE", ""}});
  ASSERT_EQ(p.kind, Kind::kRun) << p.error;
  EXPECT_EQ(p.invocation.global.role, "agent");
}

TEST(ParseCommandLine, CommandOptionsKeepTheirOrder) {
  const ParseOutcome p = Parse({"remark", "legend-set", "--flag", "red", "--meaning=特殊处理",
                                "--flag", "green", "--meaning", "可退款"});
  ASSERT_EQ(p.kind, Kind::kRun) << p.error;
  const Invocation& inv = p.invocation;
  ASSERT_EQ(inv.options.size(), 4u);
  EXPECT_EQ(inv.options[1], (std::pair<std::string, std::string>{"meaning", "特殊处理"}));
  EXPECT_EQ(inv.All("flag"), (std::vector<std::string>{"red", "green"}));
  EXPECT_TRUE(inv.Has("meaning"));
  EXPECT_EQ(inv.Find("request-id"), nullptr);
}

TEST(ParseCommandLine, OneWordCommandsTakeArgumentsRightAfter) {
  const ParseOutcome p = Parse({"remind", "A1", "--channel", "sms", "--json"});
  ASSERT_EQ(p.kind, Kind::kRun) << p.error;
  EXPECT_EQ(p.topic, "remind");
  EXPECT_EQ(p.invocation.command->group, "remind");
  EXPECT_EQ(p.invocation.command->name, "");
  EXPECT_EQ(p.invocation.args, (std::vector<std::string>{"A1"}));
  EXPECT_EQ(*p.invocation.Find("channel"), "sms");
  EXPECT_TRUE(p.invocation.global.json);

  const ParseOutcome list = Parse({"reminders", "A1"});
  ASSERT_EQ(list.kind, Kind::kRun) << list.error;
  EXPECT_EQ(list.invocation.args, (std::vector<std::string>{"A1"}));

  const ParseOutcome policy = Parse({"policy", "set", "--file=p.json", "--expected-version", "3"});
  ASSERT_EQ(policy.kind, Kind::kRun) << policy.error;
  EXPECT_EQ(policy.topic, "policy set");
  EXPECT_TRUE(policy.invocation.args.empty());
  EXPECT_EQ(*policy.invocation.Find("file"), "p.json");
  EXPECT_EQ(*policy.invocation.Find("expected-version"), "3");
}

TEST(ParseCommandLine, HelpOfOneWordCommands) {
  EXPECT_EQ(Parse({"remind", "--help"}).topic, "remind");
  EXPECT_EQ(Parse({"remind", "--help"}).kind, Kind::kHelp);
  EXPECT_EQ(Parse({"help", "reminders"}).topic, "reminders");
  EXPECT_EQ(Parse({"policy", "-h"}).topic, "policy");
  EXPECT_EQ(Parse({"policy", "set", "-h"}).topic, "policy set");
}

TEST(ParseCommandLine, DoubleDashEndsOptions) {
  const ParseOutcome p = Parse({"remark", "get", "--", "--odd-id"});
  ASSERT_EQ(p.kind, Kind::kRun) << p.error;
  EXPECT_EQ(p.invocation.args, (std::vector<std::string>{"--odd-id"}));
}

TEST(ParseCommandLine, ValueMayStartWithDash) {
  const ParseOutcome p = Parse(
      {"remark", "set", "1", "--version", "3", "--flag", "red", "--text", "-- not an option"});
  ASSERT_EQ(p.kind, Kind::kRun) << p.error;
  EXPECT_EQ(*p.invocation.Find("text"), "-- not an option");
}

struct BadLine {
  std::vector<std::string> args;
  std::string topic;
  std::string error_part;
};

class BadCommandLine : public testing::TestWithParam<BadLine> {};

TEST_P(BadCommandLine, IsUsageError) {
  const ParseOutcome p = Parse(GetParam().args);
  EXPECT_EQ(p.kind, Kind::kUsageError);
  EXPECT_EQ(p.topic, GetParam().topic);
  EXPECT_NE(p.error.find(GetParam().error_part), std::string::npos) << p.error;
}

INSTANTIATE_TEST_SUITE_P(
    Errors, BadCommandLine,
    testing::Values(
        BadLine{{"remark", "get", "1", "--bogus"}, "remark get", "unknown option --bogus"},
        BadLine{{"remark", "get", "1", "-x"}, "remark get", "unknown option -x"},
        BadLine{{"remark", "get", "1", "--version", "3"},
                "remark get",
                "remark get does not take --version"},
        BadLine{{"remark", "set", "1", "--version"}, "remark set", "--version needs a value"},
        BadLine{{"remark", "get"}, "remark get", "missing ORDER_ID"},
        BadLine{{"remark", "get", ""}, "remark get", "must not be empty"},
        BadLine{{"remark", "clear", "1", "2"}, "remark clear", "unexpected argument \"2\""},
        BadLine{{"remark", "counts", "extra"}, "remark counts", "unexpected argument"},
        BadLine{{"remark", "frob"}, "remark", "unknown command \"remark frob\""},
        BadLine{{"orders", "get"}, "", "unknown command \"orders\""},
        BadLine{{"remark", "counts", "--json=yes"}, "remark counts", "--json takes no value"},
        BadLine{{"remark", "counts", "--timeout", "0"}, "remark counts", "--timeout"},
        BadLine{{"remark", "counts", "--timeout", "soon"}, "remark counts", "--timeout"},
        BadLine{{"remark", "counts", "--addr", ""}, "remark counts", "--addr"},
        BadLine{{"remark", "counts", "--addr", "a", "--addr", "b"},
                "remark counts",
                "--addr given twice"},
        BadLine{{"remark", "set", "1", "--flag", "red", "--flag", "blue"},
                "remark set",
                "--flag given twice"},
        BadLine{{"remind"}, "remind", "missing ORDER_ID"},
        BadLine{{"remind", "A1", "A2"}, "remind", "unexpected argument \"A2\""},
        BadLine{{"remind", "A1", "--flag", "red"}, "remind", "remind does not take --flag"},
        BadLine{{"remind", "A1", "--channel"}, "remind", "--channel needs a value"},
        BadLine{{"remind", "A1", "--channel", "im", "--channel", "sms"},
                "remind",
                "--channel given twice"},
        BadLine{{"reminders"}, "reminders", "missing ORDER_ID"},
        BadLine{{"reminders", "A1", "--override", "x"},
                "reminders",
                "reminders does not take --override"},
        BadLine{{"policy"}, "policy", ""},
        BadLine{{"policy", "frob"}, "policy", "unknown command \"policy frob\""},
        BadLine{{"policy", "get", "extra"}, "policy get", "unexpected argument \"extra\""},
        BadLine{{"policy", "get", "--file", "p.json"},
                "policy get",
                "policy get does not take --file"}));

}  // namespace
}  // namespace orderwatch::cli
