#include "services/scheduler/members.h"

#include "services/redis/keys.h"

namespace orderwatch::scheduler {
namespace lua {
extern const std::string_view kMembersHeartbeat;
extern const std::string_view kMembersLeave;
}  // namespace lua

SchedulerMembers::SchedulerMembers(std::string id, absl::Duration ttl)
    : id_(std::move(id)),
      ttl_(ttl),
      heartbeat_("members_heartbeat", lua::kMembersHeartbeat),
      leave_("members_leave", lua::kMembersLeave) {}

redis::Command SchedulerMembers::HeartbeatCommand() const {
  return redis::Command::Eval(heartbeat_, {redis::KeyScheme::Schedulers()},
                              {id_, redis::MsArg(ttl_)});
}

absl::StatusOr<std::vector<std::string>> SchedulerMembers::ParseHeartbeat(
    const absl::StatusOr<redis::Reply>& r) {
  if (!r.ok()) return r.status();
  if (r->type != redis::Reply::Type::kArray) {
    return absl::InternalError("members_heartbeat: unexpected reply");
  }
  std::vector<std::string> ids;
  ids.reserve(r->elements.size());
  for (const auto& e : r->elements) ids.push_back(e.str);
  return ids;
}

redis::Command SchedulerMembers::LeaveCommand() const {
  return redis::Command::Eval(leave_, {redis::KeyScheme::Schedulers()}, {id_});
}

}  // namespace orderwatch::scheduler
