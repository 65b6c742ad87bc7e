// clang-format off
// The key scheme. Every key of an order, and the due-queues of its partition, carry the hash tag
// {p<N>} with N = hash(shop, order) mod partitions, so a script over them is Redis Cluster safe.
// A shop's own settings carry the tag {s<shop>}.
//
//   ow:{p7}:o:<shop>:<order>          hash   order state, remark, and "e:<id>" per applied event
//   ow:{p7}:ob:<b>                    hash   unpaid orders waiting for their reminders, packed:
//                                            "<shop>:<order>" -> the order hash as MessagePack,
//                                            instead of their own keys (orders/lua/lib/order_place.lua)
//   ow:{p7}:h:<shop>:<order>          list   remark history, newest first, capped
//   ow:{p7}:r:<shop>:<order>:<req>    string first result of a mutating request (idempotency)
//   ow:{p7}:m:<shop>:<order>          hash   the order's reminders: number -> record
//   ow:{p7}:f:<shop>:<flag>           zset   the shop's orders in this partition carrying a flag,
//                                            scored by the time of the last change
//   ow:{p7}:j:<queue>                 zset   due-queue index: bucket number -> earliest due (ms)
//   ow:{p7}:j:<queue>:<bucket>        zset   due-queue bucket: job ids scored by due time (ms)
//   ow:{p7}:j:<queue>:n               hash   due-queue bucket count and jobs (see jobs.lua)
//   ow:{p7}:i:<queue>                 zset   claimed jobs scored by their in-flight deadline (ms)
//   ow:{p7}:a:<queue>                 hash   attempts of jobs that failed or came back
//   ow:{p7}:d:<queue>                 hash   dead letters: job id -> "time|attempts|reason"
//   ow:{p7}:st:<shop>:<yyyymmdd>      hash   the shop's reminder stats of a day (this partition's
//                                            share; the Stats call adds up the partitions)
//   ow:{p7}:sw:<shop>:<stage>         zset   the shop's orders at a shipment stage in this partition,
//                                            scored by ship-by deadline (ms)
//   ow:{p7}:ss:<shop>                 hash   per stage: orders n:<stage> and compensation c:<stage>;
//                                            incurred_n / incurred_fen (entered overdue, ever)
//   ow:{p7}:lease                     string the partition's lease: "<holder>|<token>", with a TTL
//   ow:{p7}:fence                     string the partition's last fencing token (never expires)
//   ow:{s<shop>}:legend               hash   the shop's flag legend
//   ow:{s<shop>}:policy               hash   the shop's reminder policy (v, p = protobuf) and templates
//   ow:{s<shop>}:shipping             hash   the shop's shipment policy: v = version, p = protobuf
//   ow:{s<shop>}:r:<req>              hash   first result of a shop-level request (idempotency)
//   ow:{u<shop>:<b>}:open             hash   unpaid orders of the shop's buyers in bucket b:
//                                            "<buyer>\x1f<order>" -> when noted (ms)
//   ow:{u<shop>:<b>}:d:<yyyymmdd>     hash   those buyers' day in the shop's time zone:
//                                            "<buyer>\x1f<fact>" (paid, messages per channel,
//                                            merged orders, reservations)
//   ow:{f<shop>}:f                    the shop's follow-ups; every key below shares this one's tag
//                                     and is named from it inside the scripts (followups.lua):
//   ow:{f<shop>}:f:n                  string last follow-up number (ids are "F<n>")
//   ow:{f<shop>}:f:u:<id>             hash   one follow-up
//   ow:{f<shop>}:f:q:<shift>          zset   open, unclaimed follow-ups of a shift (any, day,
//                                            night) scored by their current deadline (ms)
//   ow:{f<shop>}:f:c                  zset   claimed follow-ups scored by claim expiry (ms)
//   ow:{f<shop>}:f:d  / f:d:<kind>    zset   open follow-ups (of a kind) by current deadline
//   ow:{f<shop>}:f:o:<order>          hash   the order's open follow-ups: kind -> id
//   ow:{f<shop>}:f:k:<key>            string id created for an idempotency key (24 h)
//   ow:followup-shops                 set    shops that ever had a follow-up (for the gauges)
//   ow:{x:<channel>}:out              stream messages for external channel workers (stream sink)
//   ow:{g}:peak                       string peak mode for all shops (protobuf PeakMode)
//   ow:{g}:schedulers                 set    ids of the scheduler instances seen alive
//   ow:{g}:schedulers:<id>            string an instance's liveness, with a TTL (members.h)
//   ow:{auth}:tokens                  hash   issued tokens: id (16 hex) -> the principal, with the
//                                            token's SHA-256 (never the token; see token_store.h)
//   ow:{auth}:version                 string bumped by every issue and revocation
//   ow:{auth}:log                     stream who issued and revoked which token id, and when
//   ow:meta                           hash   deployment facts (partition count)
// clang-format on

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace orderwatch::redis {

class KeyScheme {
 public:
  explicit KeyScheme(int partitions) : partitions_(partitions) {}

  int partitions() const { return partitions_; }
  // Stable across processes and versions: FNV-1a of "shop\0order".
  int PartitionOf(std::string_view shop, std::string_view order) const;
  // "ow:{p7}:"
  std::string PartitionPrefix(int partition) const;

  std::string Order(std::string_view shop, std::string_view order) const;
  std::string History(std::string_view shop, std::string_view order) const;
  std::string Reminders(std::string_view shop, std::string_view order) const;
  // What an order's request id is remembered for: ids are the caller's, and a caller may use one
  // id for a remark and another for a reminder; each operation keeps its own.
  enum class RequestOf { kRemark, kReminder, kAnswer };
  std::string Request(std::string_view shop, std::string_view order, RequestOf what,
                      std::string_view request_id) const;
  std::string FlagIndex(int partition, std::string_view shop, int flag) const;
  std::string FlagIndexOf(std::string_view shop, std::string_view order, int flag) const;
  // The shop's flag index keys of one partition for flags 1-5, in flag order (as scripts take
  // them).
  std::vector<std::string> FlagIndexes(int partition, std::string_view shop) const;
  // The keys of one due-queue in one partition.
  struct QueueKeys {
    std::string due, in_flight, attempts, dead;
  };
  QueueKeys Queue(int partition, std::string_view queue) const;
  std::string ReminderStats(int partition, std::string_view shop, std::string_view day) const;
  std::string Lease(int partition) const;
  std::string Fence(int partition) const;
  std::string Legend(std::string_view shop) const;
  std::string ReminderPolicy(std::string_view shop) const;
  std::string ShipmentPolicy(std::string_view shop) const;
  std::string ShipmentStages(int partition, std::string_view shop, int stage) const;
  std::string ShipmentSummary(int partition, std::string_view shop) const;
  // The shipment summaries of all shops in one partition added up (the stage gauges).
  std::string ShipmentTotals(int partition) const;
  std::string ShopRequest(std::string_view shop, std::string_view request_id) const;
  // A buyer's keys carry the tag of the buyer's bucket in the shop (a buyer's orders spread over
  // all partitions). Buckets keep many buyers in one small hash, which Redis stores compactly;
  // kBuyerBuckets of them per shop keep a bucket small up to millions of buyers.
  static constexpr int kBuyerBuckets = 16384;
  static int BuyerBucket(std::string_view buyer);
  std::string BuyerOpenOrders(std::string_view shop, std::string_view buyer) const;
  std::string BuyerDay(std::string_view shop, std::string_view buyer, std::string_view day) const;
  // The base key of a shop's follow-ups (see above).
  static std::string FollowUps(std::string_view shop);
  static std::string FollowUpShops() { return "ow:followup-shops"; }
  static std::string DispatchStream(std::string_view channel);
  static std::string AllShopsPeak() { return "ow:{g}:peak"; }
  static std::string Schedulers() { return "ow:{g}:schedulers"; }
  static std::string Tokens() { return "ow:{auth}:tokens"; }
  static std::string TokenVersion() { return "ow:{auth}:version"; }
  static std::string TokenLog() { return "ow:{auth}:log"; }
  static std::string Meta() { return "ow:meta"; }

 private:
  std::string OrderKey(char kind, std::string_view shop, std::string_view order) const;
  int partitions_;
};

}  // namespace orderwatch::redis
