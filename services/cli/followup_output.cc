#include "services/cli/followup_output.h"

#include <vector>

#include "services/cli/followup_requests.h"
#include "services/cli/output.h"
#include "services/cli/text.h"

namespace orderwatch::cli {
namespace {

std::string ShiftLabel(v1::FollowUpShift shift) {
  return ShortEnumName(v1::FollowUpShift_Name(shift), "FOLLOW_UP_SHIFT_", shift);
}

std::string Deadline(const v1::FollowUp& f, absl::TimeZone tz) {
  return Cat(FormatTime(f.deadline_unix_ms(), tz), f.overdue() ? " overdue" : "");
}

}  // namespace

std::string FormatFollowUp(const v1::FollowUp& f, absl::TimeZone tz) {
  std::string out = Cat(f.id(), " ", FollowUpKindName(f.kind()));
  if (!f.order_id().empty()) Append(&out, " order ", f.order_id());
  if (!f.buyer_id().empty()) Append(&out, " buyer ", f.buyer_id());
  Append(&out, "\n");
  if (!f.note().empty()) Append(&out, "note:      ", OneLine(f.note()), "\n");
  Append(&out, "deadline:  ", Deadline(f, tz), "\n");
  if (f.reply_deadline_unix_ms() != 0) {
    Append(
        &out, "reply by:  ", FormatTime(f.reply_deadline_unix_ms(), tz),
        f.replied_unix_ms() != 0 ? Cat(" (replied ", FormatTime(f.replied_unix_ms(), tz), ")") : "",
        "\nsolve by:  ", FormatTime(f.solve_deadline_unix_ms(), tz), "\n");
  }
  if (f.shift() != v1::FOLLOW_UP_SHIFT_ANY)
    Append(&out, "shift:     ", ShiftLabel(f.shift()), "\n");
  if (f.cashback_fen() > 0) Append(&out, "cashback:  ", Amount(f.cashback_fen(), "CNY"), "\n");
  Append(&out, "created:   ", FormatTime(f.created_unix_ms(), tz), " by ", f.created_by(), "\n");
  if (f.notes() > 0) {
    Append(&out, "notes:     ", f.notes(), ", last: ", OneLine(f.last_note()), "\n");
  }
  if (f.outcome() != v1::FOLLOW_UP_OUTCOME_UNSPECIFIED) {
    Append(&out, "completed: ",
           ShortEnumName(v1::FollowUpOutcome_Name(f.outcome()), "FOLLOW_UP_OUTCOME_", f.outcome()),
           " by ", f.completed_by(), " ", FormatTime(f.completed_unix_ms(), tz),
           f.completed_late() ? " (late)" : "", "\n");
    if (!f.outcome_note().empty()) Append(&out, "           ", OneLine(f.outcome_note()), "\n");
  } else if (!f.claimed_by().empty()) {
    Append(&out, "claimed:   ", f.claimed_by(), " until ", FormatTime(f.claim_until_unix_ms(), tz),
           "\n");
  } else {
    Append(&out, "claimed:   nobody (in the queue)\n");
  }
  return out;
}

std::string FormatFollowUps(const v1::ListFollowUpsResponse& response, absl::TimeZone tz) {
  if (response.follow_ups().empty()) {
    return Cat("no open follow-ups\n", MorePages(response.next_page_token()));
  }
  std::vector<Row> rows = {{"ID", "KIND", "ORDER", "DEADLINE", "CLAIMED BY", "NOTE"}};
  for (const v1::FollowUp& f : response.follow_ups()) {
    rows.push_back({f.id(), FollowUpKindName(f.kind()),
                    f.order_id().empty() ? f.buyer_id() : f.order_id(), Deadline(f, tz),
                    f.claimed_by(), TruncateToWidth(OneLine(f.note()), 40)});
  }
  std::string out = Table(rows);
  Append(&out, MorePages(response.next_page_token()));
  return out;
}

std::string FormatFollowUpSummary(const v1::FollowUpSummary& s) {
  std::vector<Row> rows = {{"KIND", "OPEN", "OVERDUE"}};
  for (const auto& k : s.kinds()) {
    if (k.open() == 0) continue;
    rows.push_back({FollowUpKindName(k.kind()), Cat(k.open()), Cat(k.overdue())});
  }
  rows.push_back({"all", Cat(s.open()), Cat(s.overdue())});
  return Table(rows);
}

}  // namespace orderwatch::cli
