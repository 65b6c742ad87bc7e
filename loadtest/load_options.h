// orderwatch-load's command-line settings.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace orderwatch::load {

enum class Op { kSet, kBatchGet, kGet };

struct Options {
  std::string addr = "127.0.0.1:50051";
  Op op = Op::kSet;
  int batch = 50;          // orders per BatchGet
  int orders = 10000;      // distinct order ids
  int concurrency = 64;    // closed loop: calls in flight; open loop: cap on calls in flight
  double rate = 0;         // open loop calls/s; 0 = closed loop
  double duration_s = 10;  // measured time
  double warmup_s = 2;     // unmeasured time before it
  std::string shop = "loadshop";
  std::string agent = "loadagent";
  int channels = 2;
  int timeout_ms = 5000;  // per-call deadline
  bool json = false;
  std::string command_line;  // argv joined, shell-quoted where needed

  bool open_loop() const { return rate > 0; }
};

const char* OpName(Op op);

// The --help text.
std::string Usage();

// Parses argv. On failure returns nullopt and sets *error; --help sets *help.
std::optional<Options> ParseOptions(const std::vector<std::string>& argv, bool* help,
                                    std::string* error);

}  // namespace orderwatch::load
