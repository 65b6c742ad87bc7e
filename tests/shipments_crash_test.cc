// Shipment sweeps on real orderwatch-server processes, SIGKILLed twice while they move thousands
// of orders into their warning stage and send the notices, then restarted. Afterwards: every
// order at its stage once (the stage lists and summary count each order once, its remark has
// one warning line), and every notice delivered, repeats only under the same idempotency key.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "orderwatch/v1/order_events.grpc.pb.h"
#include "services/redis/keys.h"
#include "tests/support/redis_server.h"
#include "tests/support/server_process.h"
#include "tests/support/sink_count.h"

namespace orderwatch {
namespace {

using namespace std::chrono_literals;
using testing::RedisServer;
using testing::ServerProcess;

constexpr int kOrders = 3000;

std::unique_ptr<grpc::ClientContext> Context() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-orderwatch-shop", "shop1");
  ctx->AddMetadata("x-orderwatch-agent", "web");
  ctx->AddMetadata("x-orderwatch-role", "storefront");
  ctx->set_deadline(std::chrono::system_clock::now() + 10s);
  return ctx;
}

std::string Order(int i) { return absl::StrCat("s", i); }

// Paid 21 hours ago: with the default 24 h promise, in their warning stage from the first look.
void PayOrders(const ServerProcess& server) {
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  ASSERT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() + 15s));
  auto stub = v1::OrderEvents::NewStub(channel);
  const int64_t paid = absl::ToUnixMillis(absl::Now() - absl::Hours(21));
  for (int i = 0; i < kOrders;) {
    v1::RecordEventBatchRequest req;
    for (; i < kOrders && req.events_size() < 500; ++i) {
      auto* c = req.add_events();
      c->set_event_id("c");
      c->set_order_id(Order(i));
      c->set_event_unix_ms(paid);
      c->mutable_created()->set_amount_fen(20000);
      c->mutable_created()->set_buyer_id(absl::StrCat("b", i));
      auto* p = req.add_events();
      p->set_event_id("p");
      p->set_order_id(Order(i));
      p->set_event_unix_ms(paid);
      p->mutable_paid();
    }
    v1::RecordEventBatchResponse resp;
    auto s = stub->RecordBatch(Context().get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
}

int64_t Int(const std::string& s) {
  int64_t n = 0;
  return absl::SimpleAtoi(s, &n) ? n : -1;
}

TEST(ShipmentsCrashTest, SigkillDuringASweepCountsEachOrderOnceAndLosesNoNotice) {
  RedisServer redis;
  const std::vector<std::string> sinks = {testing::FreshSinkPath("sweep-crash-a"),
                                          testing::FreshSinkPath("sweep-crash-b"),
                                          testing::FreshSinkPath("sweep-crash-c")};
  auto args = [&](int i) {
    return std::vector<std::string>{"--reminder-sink=log:" + sinks[i], "--lease-seconds=3",
                                    "--job-in-flight-seconds=2"};
  };
  constexpr size_t kNotices = 2 * kOrders;  // the warehouse's and the buyer's, per order
  auto distinct = [&](size_t keys, absl::Duration limit) {
    return testing::AwaitSinkKeys(sinks, keys, limit).by_key.size();
  };
  size_t killed_at[2] = {0, 0};
  {
    ServerProcess a(ORDERWATCH_SERVER_BIN, redis, args(0));
    PayOrders(a);
    killed_at[0] = distinct(kNotices / 4, absl::Seconds(30));
    a.Kill();
  }
  {
    ServerProcess b(ORDERWATCH_SERVER_BIN, redis, args(1));
    killed_at[1] = distinct(killed_at[0] + 50, absl::Seconds(30));
    b.Kill();
  }
  ServerProcess c(ORDERWATCH_SERVER_BIN, redis, args(2));
  distinct(kNotices, absl::Seconds(60));
  absl::SleepFor(absl::Seconds(3));  // anything that would come twice arrives before counting
  const testing::SinkCount count = testing::CountSinks(sinks);
  const auto& keys = count.by_key;
  const size_t lines = count.lines;
  ASSERT_EQ(keys.size(), kNotices);
  for (int i = 0; i < kOrders; ++i) {
    EXPECT_EQ(keys.count(absl::StrCat("shop1:", Order(i), ":w1")), 1u) << Order(i);
    EXPECT_EQ(keys.count(absl::StrCat("shop1:", Order(i), ":b1")), 1u) << Order(i);
  }
  EXPECT_LT(killed_at[0], kNotices) << "killed before the work was done";
  EXPECT_LT(killed_at[1], kNotices);

  // Each order counted once at its stage, whatever ran twice.
  const int partitions = static_cast<int>(Int(redis.Command("HGET ow:meta partitions")));
  ASSERT_GT(partitions, 0);
  redis::KeyScheme scheme(partitions);
  int64_t listed = 0, counted = 0, at_risk = 0;
  for (int p = 0; p < partitions; ++p) {
    listed += Int(redis.Command("ZCARD " + scheme.ShipmentStages(p, "shop1", 1)));
    const std::string summary = scheme.ShipmentSummary(p, "shop1");
    counted += std::max<int64_t>(0, Int(redis.Command("HGET " + summary + " n:1")));
    at_risk += std::max<int64_t>(0, Int(redis.Command("HGET " + summary + " c:1")));
  }
  EXPECT_EQ(listed, kOrders);
  EXPECT_EQ(counted, kOrders);
  EXPECT_EQ(at_risk, int64_t{kOrders} * 1000);  // 5 % of ¥200
  for (int i = 0; i < kOrders; i += 97) {
    const std::string text = redis.Command("HGET " + scheme.Order("shop1", Order(i)) + " t");
    const std::vector<std::string> parts = absl::StrSplit(text, "发货预警");
    EXPECT_EQ(parts.size(), 2u) << Order(i) << ": " << text;
  }
  std::printf("SIGKILL x2 after %zu and %zu of %zu notices: %zu deliveries, %zu repeated under "
              "the same key\n",
              killed_at[0], killed_at[1], kNotices, lines, lines - keys.size());
}

}  // namespace
}  // namespace orderwatch
