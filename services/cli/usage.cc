#include "services/cli/usage.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "services/cli/text.h"

namespace orderwatch::cli {
namespace {

constexpr std::string_view kGlobalOptions[] = {"addr",
                                               "token",
                                               "shop",
                                               "agent",
                                               "role",
                                               "timeout",
                                               "json",
                                               "help",
                                               "tls-ca-file",
                                               "client-cert-file",
                                               "client-key-file",
                                               "tls"};
constexpr std::string_view kBooleanOptions[] = {"json",       "help",    "all",
                                                "flash-sale", "overdue", "tls"};

constexpr std::string_view kGlobalHelp = R"(Global options (before or after the command):
  --addr HOST:PORT   server address (env ORDERWATCH_ADDR; default 127.0.0.1:50051)
  --token TOKEN      send "authorization: Bearer TOKEN" (env ORDERWATCH_TOKEN)
  --shop ID          without a token, development identity sent as x-orderwatch-shop
                     (env ORDERWATCH_SHOP)
  --agent ID         ... as x-orderwatch-agent (env ORDERWATCH_AGENT)
  --role ROLE        ... as x-orderwatch-role (env ORDERWATCH_ROLE; default agent)
  --tls              connect with TLS, verifying the server against the system's CAs
                     (env ORDERWATCH_TLS=1); implied by the next two
  --tls-ca-file FILE ... against the CAs in this PEM file instead (env ORDERWATCH_TLS_CA_FILE)
  --client-cert-file FILE, --client-key-file FILE
                     PEM certificate and key to present to a server that asks for mutual TLS
                     (env ORDERWATCH_CLIENT_CERT_FILE, ORDERWATCH_CLIENT_KEY_FILE)
  --timeout SECONDS  deadline of each call (default 5; fractions allowed)
  --json             print the response message as JSON (proto field names, all fields)
  -h, --help         this help; also after any command, e.g. orderwatch remark set --help
  Options take their value as "--name VALUE" or "--name=VALUE"; "--" ends the options.
)";

constexpr std::string_view kValuesHelp = R"(Values:
  FLAG      none (grey), red, yellow, green, blue, purple; 灰 红 黄 绿 蓝 紫; or 0-5
            (orderwatch numbers flags as Taobao/JD do: 0 none, 1 red ... 5 purple)
  PLATFORM  taobao (also tmall, jd), pinduoduo (pdd), douyin, xiaohongshu (xhs)
  TIME      milliseconds since the Unix epoch, "now", "now+30m", "now-2h" or RFC 3339
            (2026-11-11T00:00:00+08:00)
)";

constexpr std::string_view kExitHelp = R"(Exit codes:
  0  success
  1  any other error (e.g. INVALID_ARGUMENT from the server, which names the field:
     "policy.after_order_minutes: must be 0 (off) or between 10 and 2880 minutes, not 5")
  2  usage error: unknown or missing option or argument
  3  NOT_FOUND
  4  conflict: ABORTED (stale --version: re-read with "remark get", retry with its version;
     stale --expected-version: re-read with "policy get") or FAILED_PRECONDITION (remind:
     the order is paid, closed or refunded, outside the sending window, or past the policy's caps)
  5  server unreachable: UNAVAILABLE or DEADLINE_EXCEEDED; health: NOT_SERVING
  6  UNAUTHENTICATED or PERMISSION_DENIED
  Errors are printed to stderr as "orderwatch: CODE: message".
)";

std::vector<CommandSpec> BuildCommands() {
  std::vector<CommandSpec> c;
  c.push_back({"remark",
               "get",
               "ORDER_ID [ORDER_ID...] [--numbering PLATFORM]",
               "show the remark of one or more orders",
               R"(Shows flag, memo, version and who changed it last. Several ids are read in one
batch call (at most 500), results in the order given.
  --numbering PLATFORM  also show the flag in that platform's numbering
Example:
  orderwatch remark get 1001 1002 --numbering douyin
)",
               1,
               -1,
               {"numbering"},
               {}});
  c.push_back(
      {"remark",
       "set",
       "ORDER_ID --version N (--flag FLAG | --platform PLATFORM --platform-flag N) "
       "[--text TEXT] [--request-id ID]",
       "replace flag and memo, if the remark is still at version N",
       R"(Replaces flag and memo text whole. The change is made only if the remark is still at
--version (compare-and-set); otherwise it fails with ABORTED (exit 4): re-read it with
"orderwatch remark get ORDER_ID" and retry with the version shown.
  --version N           expected current version; 0 when the order has no remark yet (required)
  --flag FLAG           the new flag (required unless --platform-flag is given)
  --platform PLATFORM   with --platform-flag: give the flag in a platform's numbering
  --platform-flag N     the flag's number in that platform's numbering
  --text TEXT           the new memo, at most 1000 bytes (default: empty)
  --request-id ID       idempotency id; a retry with the same id returns the first result
                        (default: a random 16-hex-digit id)
Example:
  orderwatch remark set 1001 --version 3 --flag purple --text "已催付 alice/2026-11-11"
)",
       1,
       1,
       {"version", "flag", "text", "platform", "platform-flag", "request-id"},
       {}});
  c.push_back({"remark",
               "append",
               "ORDER_ID --reason TEXT [--flag FLAG] [--version N] "
               "[--request-id ID]",
               "append a line \"reason agent/date\" to the memo",
               R"(Appends a line to the memo; the server adds the agent and the date.
  --reason TEXT         the line's reason (required)
  --flag FLAG           also set the flag
  --platform PLATFORM   with --platform-flag: give the flag in a platform's numbering
  --platform-flag N     the flag's number in that platform's numbering
  --version N           fail with ABORTED unless the remark is at this version
  --request-id ID       idempotency id (default: a random 16-hex-digit id)
Example:
  orderwatch remark append 1001 --reason 已催付 --flag purple
)",
               1,
               1,
               {"reason", "flag", "platform", "platform-flag", "version", "request-id"},
               {}});
  c.push_back({"remark",
               "clear",
               "ORDER_ID [--version N] [--request-id ID]",
               "clear flag and memo",
               R"(Clears the flag and the memo; the history keeps what was there.
  --version N           fail with ABORTED unless the remark is at this version
  --request-id ID       idempotency id (default: a random 16-hex-digit id)
Example:
  orderwatch remark clear 1001 --version 4
)",
               1,
               1,
               {"version", "request-id"},
               {}});
  c.push_back({"remark",
               "history",
               "ORDER_ID [--page-size N] [--page-token T] [--all]",
               "every change of a remark, newest first",
               R"(One line per change: version, time, who, source, operation, flag before->after and
the memo after the change.
  --page-size N         changes per page (server default 20, at most 200)
  --page-token T        continue where the previous page ended
  --all                 follow the pages to the end
Example:
  orderwatch remark history 1001 --all
)",
               1,
               1,
               {"page-size", "page-token", "all"},
               {}});
  c.push_back({"remark",
               "list",
               "--flag FLAG [--page-size N] [--page-token T]",
               "the shop's orders carrying a flag, most recently changed first",
               R"(  --flag FLAG           the colour to list (required; not none)
  --page-size N         orders per page (server default 50, at most 500)
  --page-token T        continue where the previous page ended
Example:
  orderwatch remark list --flag red --page-size 100
)",
               0,
               0,
               {"flag", "page-size", "page-token"},
               {}});
  c.push_back({"remark",
               "counts",
               "",
               "how many of the shop's orders carry each flag",
               R"(Example:
  orderwatch remark counts
)",
               0,
               0,
               {},
               {}});
  c.push_back({"remark",
               "legend",
               "",
               "what each colour means in this shop",
               R"(Example:
  orderwatch remark legend
)",
               0,
               0,
               {},
               {}});
  c.push_back({"remark",
               "legend-set",
               "--flag FLAG --meaning TEXT [--flag FLAG --meaning TEXT...]",
               "change what colours mean in this shop",
               R"(Each --flag is paired with the --meaning that follows it. Colours given replace
their meaning; the others keep theirs.
  --flag FLAG           a colour (not none)
  --meaning TEXT        what it means
  --request-id ID       idempotency id (default: a random 16-hex-digit id)
Example:
  orderwatch remark legend-set --flag red --meaning 特殊处理 --flag green --meaning 可退款
)",
               0,
               0,
               {"flag", "meaning", "request-id"},
               {"flag", "meaning"}});
  c.push_back({"event",
               "record",
               "ORDER_ID --type TYPE [--event-id ID] [--at TIME] [...]",
               "report an order event (as a storefront would)",
               R"(Records one event; events are idempotent by --event-id. Prints the order after it.
  --type TYPE           created, paid, closed, shipped, refund-requested, refunded,
                        modified, urged (buyer urged shipment) or stock-out (opens a
                        stock-out follow-up) (required)
  --event-id ID         unique per order; repeat it to retry (default: a random id, printed)
  --at TIME             when it happened on the platform (default now)
For --type created:
  --amount-fen N        amount in minor units (fen)
  --currency CODE       ISO 4217 (default CNY)
  --buyer ID            buyer id
  --phone-hash H        salted hash of the buyer's phone (never the phone itself)
  --items TEXT          item summary, at most 256 bytes
  --created TIME        when the order was placed (default: --at)
  --auto-close TIME     when the platform closes it if still unpaid
  --ship-by TIME        promised ship-by time
  --flash-sale          a flash-sale order
For --type closed and refund-requested:  --reason TEXT
For --type shipped:   --carrier NAME  --tracking-no NO
For --type refunded:  --amount-fen N
For --type modified:  --what TEXT (e.g. address, items)
For --type stock-out: --items TEXT (what is out of stock)
Example:
  orderwatch event record 1001 --type created --amount-fen 19900 --buyer b-77 \
      --items "连衣裙 x1" --auto-close now+30m --ship-by now+48h --flash-sale
  orderwatch event record 1001 --type paid
)",
               1,
               1,
               {"type", "event-id", "at", "amount-fen", "currency", "buyer", "phone-hash", "items",
                "created", "auto-close", "ship-by", "flash-sale", "reason", "carrier",
                "tracking-no", "what"},
               {}});
  c.push_back({"event",
               "get",
               "ORDER_ID",
               "the order's state as orderwatch holds it",
               R"(Example:
  orderwatch event get 1001
)",
               1,
               1,
               {},
               {}});
  c.push_back({"remind",
               "",
               "ORDER_ID [--channel CHANNEL] [--override REASON] [--request-id ID]",
               "send a payment reminder (催付) for an unpaid order now",
               R"(Sends one reminder now and records it; the order's remark gets a line
"催付 CHANNEL by AGENT TIME". Agents and supervisors may remind. The shop's policy applies: only
inside its sending window, at most max_per_order reminders per order, not to orders it skips
(amount bounds, blacklist, skip flags or keywords, holdout), and never once the order is paid,
closed or refunded. Otherwise nothing is sent and the command fails with FAILED_PRECONDITION
(exit 4) saying why.
Prints "reminder N of order ORDER_ID: sent by CHANNEL (manual, AGENT) key KEY", where KEY is the
idempotency key the delivery carries, then when it was sent and the message text.
  --channel CHANNEL     im (千牛/旺旺 chat), sms or phone (a call task for an agent)
                        (default: the policy's channel)
  --override REASON     supervisors only: send even outside the window or when the policy would
                        skip the order; the reason is recorded (a paid order is never reminded)
  --request-id ID       idempotency id; a retry with the same id returns the first reminder
                        instead of sending another (default: a random 16-hex-digit id)
Example:
  orderwatch remind 1001 --channel sms
  orderwatch remind 1001 --override "买家来电要求" --role supervisor
)",
               1,
               1,
               {"channel", "override", "request-id"},
               {}});
  c.push_back({"answer",
               "",
               "ORDER_ID --reason REASON [--note TEXT] [--promised TIME] [--reminder N] "
               "[--request-id ID]",
               "record what the buyer answered to a reminder",
               R"(Records why a reminded buyer had not paid, and when they promised to pay. With
a promise, and remind_at_promised_time in the shop's policy, the buyer is reminded at that time
(inside the sending window, within max_per_order). Agents and supervisors may record answers.
Prints the reminder as "remind" does, with an "answer:" line.
  --reason REASON       forgot, price, shipping, product_question, payment_problem,
                        changed_mind, no_answer or other (required)
  --note TEXT           what the buyer said (at most 256 bytes)
  --promised TIME       when the buyer will pay: "now+2h", RFC 3339 or Unix ms; in the future,
                        within 30 days and before the order closes unpaid
  --reminder N          the reminder answered (default: the order's latest)
  --request-id ID       idempotency id; a retry with the same id returns the first result
                        (default: a random 16-hex-digit id)
Example:
  orderwatch answer 1001 --reason price --note "等优惠券" --promised now+3h
)",
               1,
               1,
               {"reason", "note", "promised", "reminder", "request-id"},
               {}});
  c.push_back({"delayed",
               "",
               "[--stage STAGE] [--page-size N] [--page-token T]",
               "paid orders at risk of shipping late, or late, earliest deadline first",
               R"(Paid orders that have not shipped, at their shipment stage: warning (the ship-by
deadline is near), overdue (past it) or escalated (overdue for long; the warehouse was told).
Each row: order, stage, ship-by deadline, when it entered the stage, the compensation shipping
late costs, and whether the buyer urged shipment.
  --stage STAGE         warning, overdue or escalated (default: all)
  --page-size N         orders per page (server default 50, at most 500)
  --page-token T        continue where the previous page ended
Example:
  orderwatch delayed --stage overdue
)",
               0,
               0,
               {"stage", "page-size", "page-token"},
               {}});
  c.push_back({"shipping",
               "",
               "",
               "how many of the shop's orders are at each shipment stage, and what it costs",
               R"(Orders and their late-shipment compensation per stage now, the compensation at
risk (orders at warning) and the compensation already incurred (every order that went overdue,
shipped late or not yet).
Example:
  orderwatch shipping
)",
               0,
               0,
               {},
               {}});
  c.push_back({"stats",
               "",
               "[--day YYYY-MM-DD]",
               "what payment reminders did for the shop on one day",
               R"(The day's figures in the shop's time zone: orders placed and paid the same day,
eligible orders, orders paid after a reminder (and how soon after it) with the amount
recovered, and the held-out orders (holdout_percent) paid without a reminder to compare with;
then per kind: eligible, sent by channel, held out, paid after and recovered; skipped reminders
by reason; agents' reminders. Each figure counts on the day it happened (a payment on the day
it was made).
  --day YYYY-MM-DD      the day (default: today in the shop's time zone)
Example:
  orderwatch stats --day 2026-11-11
)",
               0,
               0,
               {"day"},
               {}});
  c.push_back({"reminders",
               "",
               "ORDER_ID",
               "the payment reminders of an order, newest first",
               R"(One line per reminder: number, kind (after-order, pre-close, flash-sale,
promised-time or manual), channel, outcome (sent or skipped), the agent who sent it or "auto",
when it was sent or skipped, and the reason (why it was skipped, or a supervisor's override).
Example:
  orderwatch reminders 1001
)",
               1,
               1,
               {},
               {}});
  c.push_back({"policy",
               "get",
               "",
               "the shop's payment reminder policy",
               R"(One "name: value" line per field of the policy (ReminderPolicy in
proto/orderwatch/v1/reminders.proto). Version 0: the shop never set one, these are the defaults.
With --json the policy is printed as proto JSON, which "policy set --file" reads back.
Example:
  orderwatch policy get --json > policy.json
)",
               0,
               0,
               {},
               {}});
  c.push_back({"policy",
               "set",
               "--file FILE [--expected-version N]",
               "replace the shop's payment reminder policy",
               R"(Replaces the whole policy with the ReminderPolicy in FILE, written in proto JSON
(field names as "policy get --json" prints them; fields left out are 0, false or empty; enums
by name, e.g. "channel": "CHANNEL_SMS"). Supervisors and ops only. The file's "version" is
ignored: the server bumps it on every change. The server checks every field; a bad one fails
with INVALID_ARGUMENT (exit 1) naming it, e.g. "policy.after_order_minutes: must be 0 (off) or
between 10 and 2880 minutes, not 5". Prints the policy as stored.
  --file FILE           the policy as proto JSON; "-" reads it from stdin (required)
  --expected-version N  change it only if the policy is still at version N, as "policy get"
                        shows it (0 when the shop never set one); otherwise ABORTED (exit 4)
A window_start equal to window_end (e.g. both "00:00") means any hour.
Example:
  orderwatch policy set --file policy.json --expected-version 3 --role supervisor
)",
               0,
               0,
               {"file", "expected-version"},
               {}});
  c.push_back({"token",
               "new",
               "SHOP AGENT ROLE",
               "make a token and its token-file line, without a server (the first ops token)",
               R"(Prints a fresh token and the line for --tokens-file that names it only by its
SHA-256, so the file holds no secret. Hand the token to its principal; put the line in the file
of every server. Roles: storefront, agent, supervisor, ops.
Example:
  orderwatch token new ops root ops
)",
               3,
               3,
               {},
               {}});
  c.push_back({"token",
               "issue",
               "SHOP AGENT ROLE [--note TEXT]",
               "issue a token for a principal (ops: any; supervisors: their shop's agents)",
               R"(The server keeps only the token's SHA-256; the token is printed once, now. It
works on every instance within a second. Ops may issue any role for any shop; supervisors
agent and storefront tokens of their own shop.
  --note TEXT           what it is for, at most 200 bytes
Example:
  orderwatch --token "$OPS_TOKEN" token issue shop1 alice agent --note "night shift"
)",
               3,
               3,
               {"note"},
               {}});
  c.push_back({"token",
               "list",
               "[SHOP|*]",
               "the principals with a token, never the tokens",
               R"(Token id, shop, agent, role, when and by whom issued, note; those of the token
file too. Without SHOP: the caller's shop; ops may name any shop, or * for all.
Example:
  orderwatch --token "$OPS_TOKEN" token list shop1
)",
               0,
               1,
               {},
               {}});
  c.push_back({"token",
               "revoke",
               "ID",
               "revoke a token by its id; calls with it fail from then on",
               R"(Takes effect on every instance within a second. Tokens of the token file are
removed from the file instead.
Example:
  orderwatch --token "$OPS_TOKEN" token revoke 3f2a9c0d81b7e6a4
)",
               1,
               1,
               {},
               {}});
  c.push_back({"health",
               "",
               "[--service NAME]",
               "whether the server serves calls (grpc.health.v1), for probes and scripts",
               R"(Asks the server's grpc.health.v1 service. Prints SERVING and exits 0 while the
server takes calls; prints NOT_SERVING and exits 5 while it starts or drains after SIGTERM.
Needs no identity: probes (Docker HEALTHCHECK, systemd, cron) may run it as they are.
  --service NAME        one service, e.g. orderwatch.v1.Remarks (default: the whole server)
Example:
  orderwatch health --addr 127.0.0.1:50051 --timeout 1
)",
               0,
               0,
               {"service"},
               {}});
  AddFollowUpCommands(&c);
  return c;
}

template <typename Range>
bool Contains(const Range& range, std::string_view name) {
  return std::find(std::begin(range), std::end(range), name) != std::end(range);
}

std::string CommandLine(const CommandSpec& c) {
  std::string line = CommandName(c);
  if (!c.synopsis.empty()) Append(&line, " ", c.synopsis);
  return line;
}

std::string GroupHelp(std::string_view group) {
  std::string out =
      Cat("Usage: orderwatch ", group, " COMMAND [ARGS] [OPTIONS]\n\n", "Commands:\n");
  for (const auto& c : Commands()) {
    if (c.group != group) continue;
    Append(&out, "  ", CommandLine(c), "\n      ", c.summary, "\n");
  }
  Append(&out, "\nExamples:\n");
  for (const auto& c : Commands()) {
    if (c.group != group) continue;
    const size_t at = c.details.find("Example:\n");
    if (at == std::string_view::npos) continue;
    // The first example, with its continuation lines.
    std::string_view rest = c.details.substr(at + 9);
    while (!rest.empty()) {
      const std::string_view line = rest.substr(0, rest.find('\n') + 1);
      Append(&out, line);
      rest.remove_prefix(line.size());
      if (line.size() < 2 || line[line.size() - 2] != '\\') break;
    }
  }
  Append(&out, "\nRun \"orderwatch ", group,
         " COMMAND --help\" for a command's options and an example.\n\n", kGlobalHelp, "\n",
         kExitHelp);
  return out;
}

std::string CommandHelp(const CommandSpec& c) {
  return Cat("Usage: orderwatch ", CommandLine(c), "\n\n", c.summary, ".\n\n", c.details, "\n",
             kValuesHelp, "\n", kGlobalHelp, "\n", kExitHelp);
}

std::string TopHelp() {
  std::string out =
      "orderwatch - the agents' client for orderwatch: order remarks (备注), flags (旗帜), "
      "order events, payment reminders (催付), shipment sweeps (发货) and follow-ups (跟进)\n\n"
      "Usage: orderwatch [GLOBAL OPTIONS] COMMAND [ARGS] [OPTIONS]\n\n"
      "Commands:\n";
  for (const auto& c : Commands()) {
    Append(&out, absl::StrFormat("  %-20s %s\n", CommandName(c), Absl(c.summary)));
  }
  Append(&out,
         "\nRun \"orderwatch COMMAND --help\" for a command's options and an "
         "example,\ne.g. orderwatch remark set --help or orderwatch remind --help.\n\n",
         kGlobalHelp, "\n", kValuesHelp, "\n", kExitHelp,
         "\nExample:\n  ORDERWATCH_SHOP=shop1 ORDERWATCH_AGENT=alice orderwatch remark get "
         "1001\n");
  return out;
}

}  // namespace

const std::vector<CommandSpec>& Commands() {
  static const std::vector<CommandSpec>* const commands =
      new std::vector<CommandSpec>(BuildCommands());
  return *commands;
}

const CommandSpec* FindCommand(std::string_view group, std::string_view name) {
  for (const auto& c : Commands()) {
    if (c.group == group && c.name == name) return &c;
  }
  return nullptr;
}

bool IsGroup(std::string_view group) {
  for (const auto& c : Commands()) {
    if (c.group == group) return true;
  }
  return false;
}

std::string CommandName(const CommandSpec& command) {
  if (command.name.empty()) return std::string(command.group);
  return Cat(command.group, " ", command.name);
}

bool IsGlobalOption(std::string_view name) { return Contains(kGlobalOptions, name); }

bool IsKnownOption(std::string_view name) {
  if (IsGlobalOption(name)) return true;
  for (const auto& c : Commands()) {
    if (Contains(c.options, name)) return true;
  }
  return false;
}

bool OptionTakesValue(std::string_view name) { return !Contains(kBooleanOptions, name); }

std::string HelpText(std::string_view topic) {
  if (topic.empty()) return TopHelp();
  const size_t space = topic.find(' ');
  if (space == std::string_view::npos) {
    if (const CommandSpec* c = FindCommand(topic, ""); c != nullptr) return CommandHelp(*c);
    return GroupHelp(topic);
  }
  const CommandSpec* c = FindCommand(topic.substr(0, space), topic.substr(space + 1));
  return c != nullptr ? CommandHelp(*c) : TopHelp();
}

}  // namespace orderwatch::cli
