#include "services/redis/cluster_slots.h"

#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace orderwatch::redis {
namespace {

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

uint16_t Crc16(std::string_view data) {
  uint16_t crc = 0;
  for (unsigned char byte : data) {
    crc ^= static_cast<uint16_t>(byte) << 8;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

bool IsEval(std::string_view command) {
  auto upper = [](std::string_view s, std::string_view want) {
    if (s.size() != want.size()) return false;
    for (size_t i = 0; i < s.size(); ++i) {
      if ((s[i] & ~0x20) != want[i]) return false;
    }
    return true;
  };
  return upper(command, "EVALSHA") || upper(command, "EVAL");
}

}  // namespace

int KeySlot(std::string_view key) {
  const size_t open = key.find('{');
  if (open != std::string_view::npos) {
    const size_t close = key.find('}', open + 1);
    if (close != std::string_view::npos && close > open + 1) {
      key = key.substr(open + 1, close - open - 1);
    }
  }
  return Crc16(key) % kClusterSlots;
}

std::optional<std::string_view> RoutingKey(const std::vector<std::string>& argv) {
  if (argv.size() < 2) return std::nullopt;
  if (IsEval(argv[0])) {
    int numkeys = 0;
    if (argv.size() < 4 || !absl::SimpleAtoi(argv[2], &numkeys) || numkeys < 1) {
      return std::nullopt;
    }
    return argv[3];
  }
  return argv[1];
}

std::string NodeAddress::ToString() const { return absl::StrCat(host, ":", port); }

absl::StatusOr<NodeAddress> ParseNodeAddress(std::string_view host_port) {
  // "host:port", an IPv6 host in brackets or not ("::1:7000"): the port follows the last colon.
  const size_t colon = host_port.rfind(':');
  NodeAddress a;
  if (colon == std::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(Sv(host_port.substr(colon + 1)), &a.port) || a.port <= 0 ||
      a.port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("'", Sv(host_port), "' is not host:port"));
  }
  a.host = std::string(host_port.substr(0, colon));
  if (a.host.size() > 2 && a.host.front() == '[' && a.host.back() == ']') {
    a.host = a.host.substr(1, a.host.size() - 2);
  }
  return a;
}

absl::StatusOr<std::vector<SlotRange>> ParseClusterSlots(const Reply& reply,
                                                         const NodeAddress& answered_by) {
  if (reply.type != Reply::Type::kArray) {
    return absl::InternalError("CLUSTER SLOTS: not an array");
  }
  std::vector<SlotRange> ranges;
  for (const Reply& r : reply.elements) {
    if (r.type != Reply::Type::kArray || r.elements.size() < 3 ||
        r.elements[2].type != Reply::Type::kArray || r.elements[2].elements.size() < 2) {
      return absl::InternalError("CLUSTER SLOTS: unexpected entry");
    }
    SlotRange range;
    range.first = static_cast<int>(r.elements[0].integer);
    range.last = static_cast<int>(r.elements[1].integer);
    const Reply& master = r.elements[2];
    range.master.host = master.elements[0].str;
    range.master.port = static_cast<int>(master.elements[1].integer);
    if (range.master.host.empty() || range.master.host == "?") range.master.host = answered_by.host;
    if (range.first < 0 || range.last >= kClusterSlots || range.first > range.last ||
        range.master.port <= 0) {
      return absl::InternalError("CLUSTER SLOTS: a range out of bounds");
    }
    ranges.push_back(std::move(range));
  }
  return ranges;
}

std::optional<Redirect> ParseRedirect(std::string_view error) {
  Redirect r;
  if (error.starts_with("MOVED ")) {
    error.remove_prefix(6);
  } else if (error.starts_with("ASK ")) {
    r.ask = true;
    error.remove_prefix(4);
  } else {
    return std::nullopt;
  }
  const size_t space = error.find(' ');
  if (space == std::string_view::npos || !absl::SimpleAtoi(Sv(error.substr(0, space)), &r.slot) ||
      r.slot < 0 || r.slot >= kClusterSlots) {
    return std::nullopt;
  }
  auto to = ParseNodeAddress(error.substr(space + 1));
  if (!to.ok()) return std::nullopt;
  r.to = *std::move(to);
  return r;
}

}  // namespace orderwatch::redis
