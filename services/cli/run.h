// The whole CLI as a function, so tests can run it without a process.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "services/cli/args.h"

namespace orderwatch::cli {

// Runs the command line `args` (without the program name); returns the exit code.
int Run(const std::vector<std::string>& args, const EnvLookup& env, std::ostream& out,
        std::ostream& err);

}  // namespace orderwatch::cli
