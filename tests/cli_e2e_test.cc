// The agents' CLI against a real server and Redis, as a shell user runs it.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "absl/time/clock.h"
#include "tests/support/test_server.h"

namespace orderwatch {
namespace {

using testing::RedisServer;
using testing::TestServer;

struct CliRun {
  int exit_code;
  std::string out;  // stdout and stderr
};

class CliE2ETest : public testing::ServerSuite {
 protected:
  static CliRun Cli(const std::string& args, const std::string& role = "agent",
                    const std::string& addr = "") {
    const std::string cmd = "ORDERWATCH_SHOP=shopC ORDERWATCH_AGENT=alice ORDERWATCH_ROLE=" + role +
                            " ORDERWATCH_ADDR=" + (addr.empty() ? server_->address() : addr) +
                            " " ORDERWATCH_CLI_BIN " " + args + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof(buf), p)) > 0;) out.append(buf, n);
    const int status = pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
  }

  // Writes `json` to a file of this test and returns its path.
  static std::string PolicyFile(const std::string& name, const std::string& json) {
    const std::string path = ::testing::TempDir() + "/orderwatch_cli_e2e_" +
                             std::to_string(getpid()) + "_" + name + ".json";
    std::ofstream(path, std::ios::binary | std::ios::trunc) << json;
    return path;
  }
};

// A policy that lets a reminder go out whenever the test runs: a window starting and ending at
// the same minute is open at any hour. Automatic reminders are off so only the test's are sent.
constexpr char kAnyHourPolicy[] = R"({
  "enabled": false,
  "max_per_order": 3,
  "window_start": "00:00",
  "window_end": "00:00",
  "time_zone": "Asia/Shanghai",
  "outside_window": "OUTSIDE_WINDOW_DEFER",
  "max_defer_minutes": 720,
  "channel": "CHANNEL_IM",
  "sms_per_phone_per_day": 1
})";

TEST_F(CliE2ETest, HealthSaysServingOrExitsFive) {
  auto r = Cli("health");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, "SERVING\n");
  r = Cli("health --json");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"status\": \"SERVING\""), std::string::npos) << r.out;
  r = Cli("health --service no.such.Service");
  EXPECT_EQ(r.exit_code, 3) << r.out;  // NOT_FOUND
  // Nothing listens on port 1.
  r = Cli("health --timeout 1", "agent", "127.0.0.1:1");
  EXPECT_EQ(r.exit_code, 5) << r.out;
  EXPECT_NE(r.out.find("UNAVAILABLE"), std::string::npos) << r.out;
}

// token new needs no server; its line makes a token-mode server accept the token, whose holder
// then issues, lists and revokes tokens with the CLI.
TEST_F(CliE2ETest, TokensFromNewToIssueListRevoke) {
  auto r = Cli("token new ops root ops");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const size_t t = r.out.find("token: ") + 7;
  const std::string ops_token = r.out.substr(t, r.out.find('\n', t) - t);
  const size_t l = r.out.find("sha256:");
  ASSERT_NE(l, std::string::npos) << r.out;
  const std::string line = r.out.substr(l);
  EXPECT_EQ(line.find(ops_token), std::string::npos);  // the file line holds only the hash
  EXPECT_EQ(Cli("token new ops root boss").exit_code, 2);

  const std::string path = PolicyFile("tokens", line);
  auto config = TestServer::DevConfig();
  config.auth = "tokens";
  config.tokens_file = path;
  TestServer server(*redis_, config);
  const std::string as_ops = "--token " + ops_token + " ";

  r = Cli(as_ops + "token issue shopC amy agent --note 'night shift'", "agent", server.address());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const size_t a = r.out.find("token: ") + 7;
  const std::string amy = r.out.substr(a, r.out.find('\n', a) - a);
  const std::string id = r.out.substr(r.out.find("token ") + 6, 16);
  r = Cli("--token " + amy + " remark get K404", "agent", server.address());
  EXPECT_EQ(r.exit_code, 0) << r.out;  // amy is known (no remark: version 0)

  r = Cli(as_ops + "token list shopC", "agent", server.address());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find(id), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("night shift"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(amy), std::string::npos) << r.out;

  r = Cli(as_ops + "token revoke " + id, "agent", server.address());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = Cli("--token " + amy + " remark get K404", "agent", server.address());
  EXPECT_EQ(r.exit_code, 6) << r.out;  // UNAUTHENTICATED
  // A development-mode server uses no tokens, and says so.
  r = Cli("token list", "supervisor");
  EXPECT_EQ(r.exit_code, 4) << r.out;
  EXPECT_NE(r.out.find("--auth=dev"), std::string::npos) << r.out;
}

TEST_F(CliE2ETest, RecordSetAppendGetHistory) {
  auto r = Cli("event record K1 --type created --amount-fen 9900 --buyer b1 --items 'cup x1'",
               "storefront");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = Cli("event get K1 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("ORDER_STATE_PENDING_PAYMENT"), std::string::npos) << r.out;

  r = Cli("remark set K1 --version 0 --flag red --text '顺丰发货'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = Cli("remark append K1 --reason 已催付 --flag purple");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = Cli("remark get K1 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"version\": \"2\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("已催付 alice/"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FLAG_PURPLE"), std::string::npos) << r.out;

  r = Cli("remark get K1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("purple"), std::string::npos) << r.out;

  r = Cli("remark history K1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("顺丰发货"), std::string::npos) << r.out;
}

TEST_F(CliE2ETest, ErrorsHaveExitCodes) {
  auto r = Cli("remark set K2 --version 0 --flag orange");
  EXPECT_EQ(r.exit_code, 2) << r.out;  // usage: unknown flag colour
  ASSERT_EQ(Cli("remark set K2 --version 0 --flag red").exit_code, 0);
  r = Cli("remark set K2 --version 0 --flag green");
  EXPECT_EQ(r.exit_code, 4) << r.out;  // stale version
  EXPECT_NE(r.out.find("ABORTED"), std::string::npos) << r.out;
  r = Cli("remark get K2", "agent", "127.0.0.1:" + std::to_string(testing::FreePort()));
  EXPECT_EQ(r.exit_code, 5) << r.out;  // nothing listens there
  r = Cli("remark legend-set --flag red --meaning x");
  EXPECT_EQ(r.exit_code, 6) << r.out;  // agents may not change the legend
}

TEST_F(CliE2ETest, PolicyRemindListAndRefusals) {
  auto r =
      Cli("event record R1 --type created --amount-fen 12900 --buyer b9 --items 'coat x1' "
          "--auto-close now+2h",
          "storefront");
  ASSERT_EQ(r.exit_code, 0) << r.out;

  // Only supervisors and ops change the policy.
  const std::string any_hour = PolicyFile("any_hour", kAnyHourPolicy);
  r = Cli("policy set --file " + any_hour);
  EXPECT_EQ(r.exit_code, 6) << r.out;
  EXPECT_NE(r.out.find("PERMISSION_DENIED"), std::string::npos) << r.out;

  r = Cli("policy set --file " + any_hour, "supervisor");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\nwindow_end: 00:00 (same as window_start: any hour)\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\nversion: 1\n"), std::string::npos) << r.out;
  r = Cli("policy get");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("window_start: 00:00\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("enabled: false\n"), std::string::npos) << r.out;
  r = Cli("policy get --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"window_end\": \"00:00\""), std::string::npos) << r.out;

  // A stale --expected-version is a conflict with a hint to re-read.
  r = Cli("policy set --file " + any_hour + " --expected-version 0", "supervisor");
  EXPECT_EQ(r.exit_code, 4) << r.out;
  EXPECT_NE(r.out.find("ABORTED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("orderwatch policy get"), std::string::npos) << r.out;

  r = Cli("remind R1 --channel sms");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.rfind("reminder 1 of order R1: sent by sms (manual, alice) key shopC:R1:1\n", 0),
            0u)
      << r.out;
  EXPECT_NE(r.out.find("\ntext: "), std::string::npos) << r.out;

  // A retry with the same request id returns the first result instead of sending again.
  r = Cli("remind R1 --request-id r1-second --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"number\": 2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"kind\": \"REMINDER_KIND_MANUAL\""), std::string::npos) << r.out;
  r = Cli("remind R1 --request-id r1-second --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"number\": 2"), std::string::npos) << r.out;

  // The buyer's answer to the latest reminder, with a promise.
  r = Cli("answer R1 --reason price --note coupon --promised now+1h");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.rfind("reminder 2 of order R1: ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\nanswer: price (alice "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("; promised to pay "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("; coupon\n"), std::string::npos) << r.out;
  r = Cli("answer R1 --reason bargain");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("--reason"), std::string::npos) << r.out;
  r = Cli("answer R1 --reason other --reminder 9");
  EXPECT_EQ(r.exit_code, 3) << r.out;  // no such reminder

  r = Cli("reminders R1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const size_t second = r.out.find("\n2  manual  im       sent     alice  ");
  const size_t first = r.out.find("\n1  manual  sms      sent     alice  ");
  EXPECT_NE(second, std::string::npos) << r.out;
  EXPECT_NE(first, std::string::npos) << r.out;
  EXPECT_LT(second, first) << r.out;  // newest first
  EXPECT_EQ(r.out.find("\n3 "), std::string::npos) << r.out;
  // The shop's day: two manual reminders by alice, nothing eligible (automatic reminders are off).
  r = Cli("stats");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.rfind("payment reminders on 20", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\nmanual "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nagent alice: 2 sent\n"), std::string::npos) << r.out;
  r = Cli("stats --day 2026-02-30");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("--day"), std::string::npos) << r.out;

  r = Cli("reminders R1 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"idempotency_key\": \"shopC:R1:1\""), std::string::npos) << r.out;

  // Once the order is paid it is never reminded: a conflict, saying why.
  ASSERT_EQ(Cli("event record R1 --type paid", "storefront").exit_code, 0);
  r = Cli("remind R1");
  EXPECT_EQ(r.exit_code, 4) << r.out;
  EXPECT_NE(r.out.find("orderwatch: FAILED_PRECONDITION: order R1 is paid: nothing to remind"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("hint: nothing was sent."), std::string::npos) << r.out;

  r = Cli("remind NOSUCH");
  EXPECT_EQ(r.exit_code, 3) << r.out;  // no created event

  // The server checks the policy and names the bad field.
  std::string bad_json = kAnyHourPolicy;
  bad_json.replace(bad_json.find("\"max_per_order\""), 0, "\"after_order_minutes\": 5,\n  ");
  const std::string bad = PolicyFile("bad", bad_json);
  r = Cli("policy set --file " + bad, "supervisor");
  EXPECT_EQ(r.exit_code, 1) << r.out;  // INVALID_ARGUMENT
  EXPECT_NE(r.out.find("orderwatch: INVALID_ARGUMENT: policy.after_order_minutes: "),
            std::string::npos)
      << r.out;
  std::remove(any_hour.c_str());
  std::remove(bad.c_str());
}

// A paid order not shipped a day later shows as overdue, and in the summary.
TEST_F(CliE2ETest, DelayedOrdersAndTheShippingSummary) {
  ASSERT_EQ(Cli("event record L1 --type created --at now-25h --amount-fen 30000 --buyer b-9",
                "storefront")
                .exit_code,
            0);
  ASSERT_EQ(Cli("event record L1 --type paid --at now-25h", "storefront").exit_code, 0);
  CliRun r;
  for (int i = 0; i < 100; ++i) {  // the sweep looks at it within a second or two
    r = Cli("delayed");
    if (r.out.find("L1") != std::string::npos) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("ORDER"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("L1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("overdue"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("15.00 CNY"), std::string::npos) << r.out;  // 5 % of ¥300
  r = Cli("delayed --stage warning");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("no orders at risk or overdue"), std::string::npos) << r.out;
  r = Cli("shipping");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("overdue    1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("incurred: 15.00 CNY by 1 orders"), std::string::npos) << r.out;
  r = Cli("delayed --stage late");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("--stage: \"late\" is not warning, overdue or escalated"),
            std::string::npos)
      << r.out;
}

TEST_F(CliE2ETest, FollowUpsFromCreateToDoneAndCashbackOnce) {
  // A shop of its own: the other tests' orders open follow-ups of shopC (a payment promise).
  auto Cli = [](const std::string& args, const std::string& role = "agent") {
    return CliE2ETest::Cli(args + " --shop shopF", role);
  };
  auto r = Cli("followup create logistics M1 --note '包裹滞留杭州'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("logistics order M1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reply by:"), std::string::npos) << r.out;
  const std::string id = r.out.substr(0, r.out.find(' '));
  r = Cli("followup list --kind logistics");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find(id), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("包裹滞留杭州"), std::string::npos) << r.out;

  r = Cli("followup claim --minutes 10");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("claimed:   alice until"), std::string::npos) << r.out;
  r = Cli("followup note " + id + " --note '已联系快递'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("(replied "), std::string::npos) << r.out;
  r = Cli("followup done " + id + " --outcome resolved --note 已补发");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("completed: resolved by alice"), std::string::npos) << r.out;
  r = Cli("followup claim");
  EXPECT_NE(r.out.find("queue empty"), std::string::npos) << r.out;
  r = Cli("followup done " + id + " --outcome maybe");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  r = Cli("followup create custom");
  EXPECT_EQ(r.exit_code, 1) << r.out;  // INVALID_ARGUMENT from the server
  EXPECT_NE(r.out.find("deadline_unix_ms"), std::string::npos) << r.out;

  ASSERT_EQ(
      Cli("event record M2 --type created --amount-fen 9900 --buyer b2", "storefront").exit_code,
      0);
  ASSERT_EQ(Cli("event record M2 --type paid", "storefront").exit_code, 0);
  r = Cli("cashback M2 --amount-fen 500 --note 好评返现");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("cashback:  5.00 CNY"), std::string::npos) << r.out;
  r = Cli("cashback M2 --amount-fen 500");
  EXPECT_EQ(r.exit_code, 4) << r.out;
  EXPECT_NE(r.out.find("registered already by alice"), std::string::npos) << r.out;
  r = Cli("followup summary");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("cashback"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace orderwatch
