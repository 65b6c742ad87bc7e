// The follow-up commands (跟进) and cashback (返现): their options and help.
#include "services/cli/usage.h"

namespace orderwatch::cli {

void AddFollowUpCommands(std::vector<CommandSpec>* c) {
  c->push_back({"followup",
                "create",
                "KIND [ORDER_ID] [--buyer ID] [--note TEXT] [--shift SHIFT] [--deadline TIME] "
                "[--request-id ID]",
                "open a follow-up with a deadline in the shop's queue",
                R"(KIND and its default deadline:
  stock-out 24 h, refund 24 h, exchange-reship 24 h, complaint 24 h,
  logistics (reply within 5 min, solve within 48 h), inquiry 24 h,
  promised-payment and custom (give --deadline).
ORDER_ID is required except for inquiry (then --buyer), complaint and custom. An order has one
open follow-up of a kind: creating it again prints the open one. Cashback is registered with
"orderwatch cashback", once per order.
  --buyer ID            the buyer (an inquiry without an order)
  --note TEXT           what it is about (at most 512 bytes)
  --shift SHIFT         day or night: only that shift's agents (and unshifted claims) take it
  --deadline TIME       instead of the kind's default: "now+2h", RFC 3339 or Unix ms
  --request-id ID       a retry with the same id prints the same follow-up
Example:
  orderwatch followup create logistics 1001 --note "包裹滞留杭州"
)",
                1,
                2,
                {"buyer", "note", "shift", "deadline", "request-id"},
                {}});
  c->push_back({"followup",
                "list",
                "[--kind KIND] [--overdue] [--page-size N] [--page-token T]",
                "open follow-ups, earliest deadline first",
                R"(Each row: id, kind, order, deadline (with "overdue" when past it), who holds the
claim, the note.
  --kind KIND           one kind only (see "followup create --help")
  --overdue             only those past their deadline (the SLA list)
  --page-size N         per page (server default 50, at most 500)
  --page-token T        continue where the previous page ended
Example:
  orderwatch followup list --overdue
)",
                0,
                0,
                {"kind", "overdue", "page-size", "page-token"},
                {}});
  c->push_back({"followup",
                "claim",
                "[--shift SHIFT] [--minutes N]",
                "claim the next follow-up: the earliest deadline nobody holds",
                R"(The follow-up is yours until the claim expires; each note renews it for 30
minutes. An expired claim puts the follow-up back in the queue for the next agent. Prints
"queue empty" when there is nothing to claim.
  --shift SHIFT         day or night: take that shift's follow-ups and unshifted ones
                        (default: all)
  --minutes N           how long the claim holds unworked (default 30, at most 1440)
Example:
  orderwatch followup claim --shift night
)",
                0,
                0,
                {"shift", "minutes"},
                {}});
  c->push_back({"followup",
                "get",
                "ID",
                "one follow-up, open or completed",
                R"(Example:
  orderwatch followup get F12
)",
                1,
                1,
                {},
                {}});
  c->push_back({"followup",
                "note",
                "ID --note TEXT",
                "record work on a follow-up (the first note is the reply)",
                R"(Renews your claim. A logistics follow-up's deadline moves from the 5-minute
reply to the 48-hour solve deadline with its first note.
  --note TEXT           what was done or said (required, at most 512 bytes)
Example:
  orderwatch followup note F12 --note "已联系快递，明天派送"
)",
                1,
                1,
                {"note"},
                {}});
  c->push_back({"followup",
                "done",
                "ID --outcome OUTCOME [--note TEXT]",
                "complete a follow-up you hold (supervisors: any)",
                R"(  --outcome OUTCOME     resolved, unreachable, declined or cancelled (required)
  --note TEXT           how it ended
Example:
  orderwatch followup done F12 --outcome resolved --note "已补发"
)",
                1,
                1,
                {"outcome", "note"},
                {}});
  c->push_back({"followup",
                "reassign",
                "ID (--to AGENT | --shift SHIFT) [--minutes N]",
                "hand a follow-up you hold to another agent, or back to a shift's queue",
                R"(  --to AGENT            claimed for AGENT (for --minutes, default 30)
  --shift SHIFT         day, night or any: back in that queue, unclaimed
Supervisors may reassign any follow-up.
Example:
  orderwatch followup reassign F12 --shift night
)",
                1,
                1,
                {"to", "shift", "minutes"},
                {}});
  c->push_back({"followup",
                "summary",
                "",
                "open and overdue follow-ups of the shop by kind",
                R"(Example:
  orderwatch followup summary
)",
                0,
                0,
                {},
                {}});
  c->push_back({"cashback",
                "",
                "ORDER_ID --amount-fen N [--note TEXT] [--deadline TIME]",
                "register the cashback (返现) promised on an order, once, and open its follow-up",
                R"(Refused (FAILED_PRECONDITION, exit 4) when the order's cashback is registered
already, or the order is refunded, has a refund requested, or is not paid.
  --amount-fen N        the cashback in fen (required)
  --note TEXT           e.g. the reason ("好评返现")
  --deadline TIME       when it must be paid (default: 48 h from now)
Example:
  orderwatch cashback 1001 --amount-fen 500 --note "好评返现"
)",
                1,
                1,
                {"amount-fen", "note", "deadline"},
                {}});
}

}  // namespace orderwatch::cli
