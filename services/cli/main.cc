// orderwatch: the agents' command-line client. See `orderwatch --help`.
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/cli/run.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto env = [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  const int code = orderwatch::cli::Run(args, env, std::cout, std::cerr);
  std::cout.flush();
  return code;
}
