// The CLI's commands, the options each accepts, and their help texts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace orderwatch::cli {

struct CommandSpec {
  std::string_view group;                    // "remark", "event", "policy", "remind", ...
  std::string_view name;                     // "get", "set", ...; "" for a one-word command
                                             // ("remind", "reminders")
  std::string_view synopsis;                 // arguments and options after "orderwatch GROUP NAME"
  std::string_view summary;                  // one line
  std::string_view details;                  // options explained, with an example
  int min_args = 0;                          // positional arguments
  int max_args = 0;                          // -1: no limit
  std::vector<std::string_view> options;     // command options accepted, without "--"
  std::vector<std::string_view> repeatable;  // those that may be given more than once
};

const std::vector<CommandSpec>& Commands();
// Appends the follow-up and cashback commands (followup_usage.cc).
void AddFollowUpCommands(std::vector<CommandSpec>* commands);
const CommandSpec* FindCommand(std::string_view group, std::string_view name);
bool IsGroup(std::string_view group);
// How the command is typed: "remark set", "remind".
std::string CommandName(const CommandSpec& command);

// Global options, accepted anywhere on the command line.
bool IsGlobalOption(std::string_view name);
// Options known to any command or globally; whether one takes a value.
bool IsKnownOption(std::string_view name);
bool OptionTakesValue(std::string_view name);

// Help for "" (everything), a group ("remark") or a command ("remark set", "remind").
std::string HelpText(std::string_view topic);

}  // namespace orderwatch::cli
