// Formatting one command for the wire: hiredis's redisFormatSdsCommandArgv (what the client
// used) against EncodeCommand (what it uses), on the argv of an order event's apply script.
// Run: build/loadtest/micro/orderwatch-resp-bench
#include <benchmark/benchmark.h>
#include <hiredis/hiredis.h>

#include <string>
#include <vector>

#include "services/redis/resp.h"

namespace {

std::vector<std::string> ApplyEventArgv() {
  std::vector<std::string> argv = {"EVALSHA", std::string(40, 'a'), "23"};
  for (int k = 0; k < 23; ++k)
    argv.push_back("ow:{p117}:o:loadshop:pk18f3a2b-" + std::to_string(k));
  for (const char* a : {"created", "c", "1763942400000", "12900", "CNY", "pb1001", "3f2a9c41d0e8",
                        "羽绒服 x1", "1763942400000", "1764028800000", "1764115200000", "0"}) {
    argv.push_back(a);
  }
  return argv;
}

void BM_HiredisFormat(benchmark::State& state) {
  const auto argv = ApplyEventArgv();
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  for (const auto& a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  for (auto _ : state) {
    sds cmd = nullptr;
    benchmark::DoNotOptimize(
        redisFormatSdsCommandArgv(&cmd, static_cast<int>(ptrs.size()), ptrs.data(), lens.data()));
    redisFreeSdsCommand(cmd);
  }
}
BENCHMARK(BM_HiredisFormat);

void BM_EncodeCommand(benchmark::State& state) {
  const auto argv = ApplyEventArgv();
  for (auto _ : state) benchmark::DoNotOptimize(orderwatch::redis::EncodeCommand(argv));
}
BENCHMARK(BM_EncodeCommand);

}  // namespace

BENCHMARK_MAIN();
