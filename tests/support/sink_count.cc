#include "tests/support/sink_count.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "absl/time/clock.h"

namespace orderwatch::testing {

SinkCount CountSinks(const std::vector<std::string>& paths) {
  SinkCount c;
  for (const auto& path : paths) {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
      const std::string tag = "\"idempotency_key\":\"";
      const size_t at = line.find(tag);
      if (at == std::string::npos) continue;
      const size_t from = at + tag.size();
      ++c.lines;
      ++c.by_key[line.substr(from, line.find('"', from) - from)];
    }
  }
  return c;
}

SinkCount AwaitSinkKeys(const std::vector<std::string>& paths, size_t keys, absl::Duration limit) {
  const absl::Time until = absl::Now() + limit;
  SinkCount c = CountSinks(paths);
  while (c.by_key.size() < keys && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(5));
    c = CountSinks(paths);
  }
  return c;
}

std::string FreshSinkPath(const std::string& name) {
  const std::string path = ::testing::TempDir() + name + ".jsonl";
  std::remove(path.c_str());
  return path;
}

}  // namespace orderwatch::testing
