// A storefront's steady load on orderwatch-server processes, for fault tests: orders created
// (due for a payment reminder at once) and half of them paid, a remark line on each, and orders
// due for shipment warnings, in chunks every 250 ms for 15 s. A failed call is retried on the
// other server with the same event and request ids, as a storefront would. Afterwards an exact
// accounting (gtest expectations):
//   - no order event lost or applied twice (each order's state and its count of applied events);
//   - no remark line lost or written twice;
//   - every unpaid order reminded, under one idempotency key; no reminder committed after its
//     order's payment was accepted, and none delivered that was not committed;
//   - every shipment warning notice (warehouse and buyer) delivered, under one key each.
// Deliveries repeated under the same key (at-least-once hand-over to the channel) are counted.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "orderwatch/v1/reminders.pb.h"
#include "tests/support/server_process.h"
#include "tests/support/sink_count.h"

namespace orderwatch::testing {

// Two orderwatch-server slots on one Redis (or cluster); a killed slot's server is replaced by a
// new process (new ports, new sink).
class Fleet {
 public:
  // `redis_flag`: "--redis=host:port" or "--redis-cluster=<seeds>".
  explicit Fleet(std::string redis_flag);

  void Kill(int k);
  void Start(int k);
  // Slot attempt % 2's channel.
  std::shared_ptr<grpc::Channel> Channel(int attempt);
  std::vector<std::string> sinks();

 private:
  std::string redis_flag_;
  std::mutex mu_;
  std::unique_ptr<ServerProcess> servers_[2];
  std::shared_ptr<grpc::Channel> channels_[2];
  std::vector<std::string> sinks_;
};

struct StorefrontLoad {
  static constexpr int kOrders = 3000;     // r<i>: due for a reminder at once; the even ones paid
  static constexpr int kShipments = 1200;  // s<i>: paid 21 h ago, in their warning stage at once
  static constexpr int kChunks = 60;       // one every 250 ms

  std::atomic<int> retries{0};
  std::atomic<int> calls{0};
  std::mutex mu;
  std::map<int, int64_t> paid_accepted;  // even r<i> -> ms when its payment was answered OK
};

// The request that changes `current` to: any hour, one reminder 10 minutes after the order.
v1::SetReminderPolicyRequest AnyHourPolicy(v1::ReminderPolicy current);
// Sets that policy for the shop through the fleet.
void SetAnyHourPolicy(Fleet& fleet, StorefrontLoad& load);
// The load, on the calling thread; returns when it is all through (or a call gave up).
void RunStorefrontLoad(Fleet& fleet, StorefrontLoad& load);

struct Accounting {
  absl::Time everything_delivered = absl::InfiniteFuture();
  SinkCount sinks;
  int reminded_paid = 0;  // paid orders reminded before their payment
};
// Waits (at most 90 s) for every reminder and notice, then checks everything listed above.
Accounting ExpectEverythingOnce(Fleet& fleet, StorefrontLoad& load);

void SleepUntil(absl::Time t);

}  // namespace orderwatch::testing
