// Command-line parsing for the orderwatch CLI: global options, the command words and the
// command's own options, in any order.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "services/cli/usage.h"

namespace orderwatch::cli {

// Options that apply to every command; resolved from flags, then the environment, then defaults.
struct GlobalOptions {
  std::string addr = "127.0.0.1:50051";
  std::string token;
  std::string shop;
  std::string agent;
  std::string role = "agent";
  absl::Duration timeout = absl::Seconds(5);
  bool json = false;
  // TLS to the server: on with --tls, or when a CA or a client certificate is given.
  bool tls = false;
  std::string tls_ca_file;       // PEM roots to verify the server; default: the system's
  std::string client_cert_file;  // PEM certificate for a server asking for mutual TLS
  std::string client_key_file;
  bool UsesTls() const { return tls || !tls_ca_file.empty() || !client_cert_file.empty(); }
};

// A parsed command line for one command.
struct Invocation {
  GlobalOptions global;
  const CommandSpec* command = nullptr;
  std::vector<std::string> args;                             // positional arguments
  std::vector<std::pair<std::string, std::string>> options;  // command options, in given order

  bool Has(std::string_view name) const;
  // The value of a non-repeatable option, or nullptr when absent.
  const std::string* Find(std::string_view name) const;
  // The same as text: "" when absent.
  std::string Text(std::string_view name) const;
  // Every value of a repeatable option, in order.
  std::vector<std::string> All(std::string_view name) const;
};

struct ParseOutcome {
  enum class Kind {
    kRun,         // run `invocation`
    kHelp,        // print the help of `topic` to stdout, exit 0
    kUsageError,  // print `error` (or, when empty, the usage of `topic`) to stderr, exit 2
  };
  Kind kind = Kind::kUsageError;
  std::string topic;  // "", "remark", "event", "remark set", "remind", ...
  std::string error;
  Invocation invocation;
};

// Reads an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;

// Parses the arguments after the program name.
ParseOutcome ParseCommandLine(const std::vector<std::string>& args, const EnvLookup& env);

}  // namespace orderwatch::cli
