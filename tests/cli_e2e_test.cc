// The agents' CLI against a real server and Redis, as a shell user runs it.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>

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
};

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

}  // namespace
}  // namespace orderwatch
