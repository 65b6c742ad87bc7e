// Redis Cluster's routing rules, as pure functions: which of the 16384 slots a key hashes to
// (CRC16 of its hash tag, if it has one), which argument of a command is its key, the slot map
// CLUSTER SLOTS reports, and the MOVED and ASK redirections a node answers with.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/redis/reply.h"

namespace orderwatch::redis {

inline constexpr int kClusterSlots = 16384;

// CRC16 (XMODEM) of the key's hash tag, the part between the first '{' and the next '}' when
// that part is not empty, else of the whole key; mod 16384.
int KeySlot(std::string_view key);

// The key a command routes by: for EVAL/EVALSHA the first key (none when numkeys is 0), for
// any other command its first argument; none for a command without arguments.
std::optional<std::string_view> RoutingKey(const std::vector<std::string>& argv);

struct NodeAddress {
  std::string host;
  int port = 0;
  std::string ToString() const;  // "host:port"
  friend bool operator==(const NodeAddress&, const NodeAddress&) = default;
};
absl::StatusOr<NodeAddress> ParseNodeAddress(std::string_view host_port);

struct SlotRange {
  int first = 0, last = 0;  // inclusive
  NodeAddress master;
};
// CLUSTER SLOTS: [[first, last, [host, port, id, ...], replicas...], ...]. A master reported
// with an empty host is the node that answered (`answered_by`).
absl::StatusOr<std::vector<SlotRange>> ParseClusterSlots(const Reply& reply,
                                                         const NodeAddress& answered_by);

// "MOVED 3999 127.0.0.1:6381" (the slot lives there now) or "ASK 3999 127.0.0.1:6381" (being
// migrated: ask there once, after ASKING). nullopt for any other error.
struct Redirect {
  bool ask = false;
  int slot = 0;
  NodeAddress to;
};
std::optional<Redirect> ParseRedirect(std::string_view error);

}  // namespace orderwatch::redis
