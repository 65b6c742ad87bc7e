#include "services/cli/args.h"

#include <algorithm>

#include "services/cli/text.h"
#include "services/cli/values.h"

namespace orderwatch::cli {
namespace {

struct RawOption {
  std::string name;
  std::string value;
};

// Splits the arguments into option words and other words. The first problem found is kept in
// *error; scanning goes on so that --help anywhere still wins.
void Scan(const std::vector<std::string>& args, std::vector<std::string>* words,
          std::vector<RawOption>* options, bool* help, std::string* error) {
  auto fail = [&](std::string message) {
    if (error->empty()) *error = std::move(message);
  };
  bool options_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_ended) {
      words->push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    if (arg == "-h") {
      *help = true;
      continue;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      words->push_back(arg);
      continue;
    }
    if (arg[1] != '-') {
      fail(Cat("unknown option ", arg));
      continue;
    }
    const size_t eq = arg.find('=');
    std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    if (!IsKnownOption(name)) {
      fail(Cat("unknown option --", name));
      continue;
    }
    if (name == "help") {
      *help = true;
      continue;
    }
    std::string value;
    if (OptionTakesValue(name)) {
      if (eq != std::string::npos) {
        value = arg.substr(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        fail(Cat("--", name, " needs a value"));
        continue;
      }
    } else if (eq != std::string::npos) {
      fail(Cat("--", name, " takes no value"));
      continue;
    }
    options->push_back({std::move(name), std::move(value)});
  }
}

std::optional<std::string> NonEmptyEnv(const EnvLookup& env, std::string_view name) {
  if (!env) return std::nullopt;
  std::optional<std::string> value = env(name);
  if (value.has_value() && value->empty()) return std::nullopt;
  return value;
}

// Fills the global options from the command line, then the environment. Returns an error message.
std::string ResolveGlobals(const std::vector<RawOption>& options, const EnvLookup& env,
                           GlobalOptions* global) {
  struct Text {
    std::string_view option;
    std::string_view env;
    std::string* target;
  };
  const Text texts[] = {
      {"addr", "ORDERWATCH_ADDR", &global->addr},
      {"token", "ORDERWATCH_TOKEN", &global->token},
      {"shop", "ORDERWATCH_SHOP", &global->shop},
      {"agent", "ORDERWATCH_AGENT", &global->agent},
      {"role", "ORDERWATCH_ROLE", &global->role},
      {"tls-ca-file", "ORDERWATCH_TLS_CA_FILE", &global->tls_ca_file},
      {"client-cert-file", "ORDERWATCH_CLIENT_CERT_FILE", &global->client_cert_file},
      {"client-key-file", "ORDERWATCH_CLIENT_KEY_FILE", &global->client_key_file}};
  if (std::optional<std::string> tls = NonEmptyEnv(env, "ORDERWATCH_TLS")) {
    if (*tls != "1" && *tls != "true" && *tls != "0" && *tls != "false") {
      return "ORDERWATCH_TLS must be 1, true, 0 or false";
    }
    global->tls = *tls == "1" || *tls == "true";
  }
  for (const Text& t : texts) {
    if (std::optional<std::string> value = NonEmptyEnv(env, t.env)) *t.target = *value;
  }
  for (const RawOption& o : options) {
    if (!IsGlobalOption(o.name)) continue;
    if (o.name == "json" || o.name == "tls") {
      (o.name == "json" ? global->json : global->tls) = true;
      continue;
    }
    if (o.name == "timeout") {
      absl::StatusOr<absl::Duration> timeout = ParseTimeout(o.value);
      if (!timeout.ok()) return std::string(timeout.status().message());
      global->timeout = *timeout;
      continue;
    }
    for (const Text& t : texts) {
      if (o.name == t.option) *t.target = o.value;
    }
  }
  if (global->addr.empty()) return "--addr must not be empty";
  if (global->client_cert_file.empty() != global->client_key_file.empty()) {
    return global->client_cert_file.empty() ? "--client-key-file needs --client-cert-file"
                                            : "--client-cert-file needs --client-key-file";
  }
  return "";
}

std::string CheckCommandOptions(const CommandSpec& command, const std::vector<RawOption>& options) {
  auto contains = [](const std::vector<std::string_view>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  std::vector<std::string_view> seen;
  for (const RawOption& o : options) {
    if (IsGlobalOption(o.name)) {
      if (o.name != "json" && o.name != "tls" && contains(seen, o.name))
        return Cat("--", o.name, " given twice");
      seen.push_back(o.name);
      continue;
    }
    if (!contains(command.options, o.name)) {
      return Cat(CommandName(command), " does not take --", o.name);
    }
    if (!contains(command.repeatable, o.name) && contains(seen, o.name)) {
      return Cat("--", o.name, " given twice");
    }
    seen.push_back(o.name);
  }
  return "";
}

ParseOutcome Usage(std::string topic, std::string error) {
  ParseOutcome out;
  out.kind = ParseOutcome::Kind::kUsageError;
  out.topic = std::move(topic);
  out.error = std::move(error);
  return out;
}

ParseOutcome Help(std::string topic) {
  ParseOutcome out;
  out.kind = ParseOutcome::Kind::kHelp;
  out.topic = std::move(topic);
  return out;
}

}  // namespace

bool Invocation::Has(std::string_view name) const { return Find(name) != nullptr; }

const std::string* Invocation::Find(std::string_view name) const {
  for (const auto& [option, value] : options) {
    if (option == name) return &value;
  }
  return nullptr;
}

std::string Invocation::Text(std::string_view name) const {
  const std::string* value = Find(name);
  return value != nullptr ? *value : std::string();
}

std::vector<std::string> Invocation::All(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [option, value] : options) {
    if (option == name) values.push_back(value);
  }
  return values;
}

ParseOutcome ParseCommandLine(const std::vector<std::string>& args, const EnvLookup& env) {
  std::vector<std::string> words;
  std::vector<RawOption> options;
  bool help = false;
  std::string error;
  Scan(args, &words, &options, &help, &error);

  if (!words.empty() && words[0] == "help") {
    help = true;
    words.erase(words.begin());
  }
  if (words.empty()) {
    if (help) return Help("");
    return Usage("", error);  // no command: usage, or the option error
  }
  const std::string& group = words[0];
  if (!IsGroup(group)) {
    if (help) return Help("");
    return Usage("", Cat("unknown command \"", group,
                         "\"; use remark, event, remind, answer, reminders, stats, policy, "
                         "delayed, shipping, followup or cashback"));
  }
  // A one-word command ("remind ORDER_ID") takes its arguments right after the word.
  const CommandSpec* command = FindCommand(group, "");
  size_t first_arg = 1;
  if (command == nullptr) {
    if (words.size() < 2) {
      if (help) return Help(group);
      return Usage(group, error);
    }
    command = FindCommand(group, words[1]);
    if (command == nullptr) {
      if (help) return Help(group);
      return Usage(group, Cat("unknown command \"", group, " ", words[1], "\""));
    }
    first_arg = 2;
  }
  std::string topic = CommandName(*command);
  if (help) return Help(topic);
  if (!error.empty()) return Usage(topic, error);
  if (error = CheckCommandOptions(*command, options); !error.empty()) return Usage(topic, error);

  ParseOutcome out;
  out.kind = ParseOutcome::Kind::kRun;
  out.topic = topic;
  Invocation& inv = out.invocation;
  inv.command = command;
  inv.args.assign(words.begin() + first_arg, words.end());
  const int count = static_cast<int>(inv.args.size());
  if (count < command->min_args) {
    // The synopsis names the arguments: "missing KIND", "missing ID", "missing ORDER_ID".
    const std::string_view synopsis = command->synopsis;
    return Usage(topic, Cat("missing ", synopsis.substr(0, synopsis.find(' '))));
  }
  if (command->max_args >= 0 && count > command->max_args) {
    return Usage(topic, Cat("unexpected argument \"", inv.args[command->max_args], "\""));
  }
  for (const std::string& arg : inv.args) {
    if (arg.empty()) return Usage(topic, "ORDER_ID must not be empty");
  }
  for (const RawOption& o : options) {
    if (!IsGlobalOption(o.name)) inv.options.emplace_back(o.name, o.value);
  }
  if (error = ResolveGlobals(options, env, &inv.global); !error.empty()) {
    return Usage(topic, error);
  }
  return out;
}

}  // namespace orderwatch::cli
