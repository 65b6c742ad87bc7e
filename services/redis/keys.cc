#include "services/redis/keys.h"

#include "absl/strings/str_cat.h"
#include "services/common/fnv.h"

namespace orderwatch::redis {
namespace {
absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }
}  // namespace

int KeyScheme::PartitionOf(std::string_view shop, std::string_view order) const {
  return static_cast<int>(Fnv1a(shop, order) % static_cast<uint64_t>(partitions_));
}

std::string KeyScheme::PartitionPrefix(int partition) const {
  return absl::StrCat("ow:{p", partition, "}:");
}

std::string KeyScheme::OrderKey(char kind, std::string_view shop, std::string_view order) const {
  return absl::StrCat(PartitionPrefix(PartitionOf(shop, order)), std::string(1, kind), ":",
                      Sv(shop), ":", Sv(order));
}

std::string KeyScheme::Order(std::string_view shop, std::string_view order) const {
  return OrderKey('o', shop, order);
}
std::string KeyScheme::History(std::string_view shop, std::string_view order) const {
  return OrderKey('h', shop, order);
}
std::string KeyScheme::Reminders(std::string_view shop, std::string_view order) const {
  return OrderKey('m', shop, order);
}
std::string KeyScheme::Request(std::string_view shop, std::string_view order, RequestOf what,
                               std::string_view request_id) const {
  const char* of = what == RequestOf::kRemark ? "w" : what == RequestOf::kReminder ? "m" : "a";
  return absl::StrCat(OrderKey('r', shop, order), ":", of, ":", Sv(request_id));
}
std::string KeyScheme::FlagIndex(int partition, std::string_view shop, int flag) const {
  return absl::StrCat(PartitionPrefix(partition), "f:", Sv(shop), ":", flag);
}
std::string KeyScheme::FlagIndexOf(std::string_view shop, std::string_view order, int flag) const {
  return FlagIndex(PartitionOf(shop, order), shop, flag);
}
std::vector<std::string> KeyScheme::FlagIndexes(int partition, std::string_view shop) const {
  std::vector<std::string> keys;
  keys.reserve(5);
  for (int flag = 1; flag <= 5; ++flag) keys.push_back(FlagIndex(partition, shop, flag));
  return keys;
}

KeyScheme::QueueKeys KeyScheme::Queue(int partition, std::string_view queue) const {
  const std::string prefix = PartitionPrefix(partition);
  return {absl::StrCat(prefix, "j:", Sv(queue)), absl::StrCat(prefix, "i:", Sv(queue)),
          absl::StrCat(prefix, "a:", Sv(queue)), absl::StrCat(prefix, "d:", Sv(queue))};
}
std::string KeyScheme::Lease(int partition) const {
  return absl::StrCat(PartitionPrefix(partition), "lease");
}
std::string KeyScheme::Fence(int partition) const {
  return absl::StrCat(PartitionPrefix(partition), "fence");
}

std::string KeyScheme::Legend(std::string_view shop) const {
  return absl::StrCat("ow:{s", Sv(shop), "}:legend");
}

std::string KeyScheme::ReminderPolicy(std::string_view shop) const {
  return absl::StrCat("ow:{s", Sv(shop), "}:policy");
}
std::string KeyScheme::ShipmentPolicy(std::string_view shop) const {
  return absl::StrCat("ow:{s", Sv(shop), "}:shipping");
}
std::string KeyScheme::ShipmentStages(int partition, std::string_view shop, int stage) const {
  return absl::StrCat(PartitionPrefix(partition), "sw:", Sv(shop), ":", stage);
}
std::string KeyScheme::ShipmentSummary(int partition, std::string_view shop) const {
  return absl::StrCat(PartitionPrefix(partition), "ss:", Sv(shop));
}
std::string KeyScheme::ShipmentTotals(int partition) const {
  return absl::StrCat(PartitionPrefix(partition), "sst");
}

int KeyScheme::BuyerBucket(std::string_view buyer) {
  uint64_t h = 14695981039346656037ull;  // FNV-1a
  for (unsigned char c : buyer) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return static_cast<int>(h % kBuyerBuckets);
}

std::string KeyScheme::BuyerOpenOrders(std::string_view shop, std::string_view buyer) const {
  return absl::StrCat("ow:{u", Sv(shop), ":", BuyerBucket(buyer), "}:open");
}

std::string KeyScheme::BuyerDay(std::string_view shop, std::string_view buyer,
                                std::string_view day) const {
  return absl::StrCat("ow:{u", Sv(shop), ":", BuyerBucket(buyer), "}:d:", Sv(day));
}

std::string KeyScheme::ReminderStats(int partition, std::string_view shop,
                                     std::string_view day) const {
  return absl::StrCat(PartitionPrefix(partition), "st:", Sv(shop), ":", Sv(day));
}

std::string KeyScheme::FollowUps(std::string_view shop) {
  return absl::StrCat("ow:{f", Sv(shop), "}:f");
}

std::string KeyScheme::DispatchStream(std::string_view channel) {
  return absl::StrCat("ow:{x:", Sv(channel), "}:out");
}

std::string KeyScheme::ShopRequest(std::string_view shop, std::string_view request_id) const {
  return absl::StrCat("ow:{s", Sv(shop), "}:r:", Sv(request_id));
}

}  // namespace orderwatch::redis
