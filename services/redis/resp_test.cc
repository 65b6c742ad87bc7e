#include "services/redis/resp.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <string>
#include <vector>

namespace orderwatch::redis {
namespace {

// What hiredis itself sends for `argv`.
std::string Hiredis(const std::vector<std::string>& argv) {
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  for (const auto& a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  char* cmd = nullptr;
  const long long n =
      redisFormatCommandArgv(&cmd, static_cast<int>(argv.size()), ptrs.data(), lens.data());
  std::string out(cmd, static_cast<size_t>(n));
  redisFreeCommand(cmd);
  return out;
}

TEST(RespTest, EncodesLikeHiredis) {
  const std::vector<std::vector<std::string>> cases = {
      {"PING"},
      {"HGETALL", "ow:{p17}:o:shop1:1001"},
      {"EVALSHA", std::string(40, 'a'), "2", "k1", "k2", "", "备注 指定顺丰"},
      {"SET", "k", std::string("bin\0ary\r\n", 9)},
      {"SET", "big", std::string(123456, 'x')},
  };
  for (const auto& argv : cases) EXPECT_EQ(EncodeCommand(argv), Hiredis(argv)) << argv[0];
}

TEST(RespTest, TheWireFormat) {
  EXPECT_EQ(EncodeCommand({"GET", "k"}), "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
  EXPECT_EQ(EncodeCommand({"SET", "k", ""}), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
}

}  // namespace
}  // namespace orderwatch::redis
