// orderwatch on a real Redis Cluster: three masters with a replica each on loopback
// (redis_cluster.h), real orderwatch-server processes started with --redis-cluster.
//   - the API's families work, and their keys spread over all three masters;
//   - the client follows a slot migrating between masters (ASK, then MOVED);
//   - a master that stops answering (SIGSTOP) is found failed over to its replica;
//   - a storefront's load (storefront_load.h) gets through while the servers are SIGKILLed and
//     restarted and one master is SIGKILLed and its replica takes over, and the exact accounting
//     comes out as on one Redis.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "orderwatch/v1/followups.grpc.pb.h"
#include "orderwatch/v1/order_events.grpc.pb.h"
#include "orderwatch/v1/remarks.grpc.pb.h"
#include "services/redis/client.h"
#include "services/redis/cluster_slots.h"
#include "services/redis/keys.h"
#include "tests/support/redis_cluster.h"
#include "tests/support/scrape.h"
#include "tests/support/server_process.h"
#include "tests/support/storefront_load.h"

namespace orderwatch {
namespace {

using namespace std::chrono_literals;
using testing::Fleet;
using testing::RedisCluster;
using testing::ServerProcess;
using testing::StorefrontLoad;

std::unique_ptr<grpc::ClientContext> Context(const std::string& role) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-orderwatch-shop", "shop1");
  ctx->AddMetadata("x-orderwatch-agent", "amy");
  ctx->AddMetadata("x-orderwatch-role", role);
  ctx->set_deadline(std::chrono::system_clock::now() + 5s);
  return ctx;
}

int64_t Keys(const RedisCluster& cluster, int port) {
  int64_t n = -1;
  return absl::SimpleAtoi(cluster.CommandOn(port, "DBSIZE"), &n) ? n : -1;
}

TEST(RedisClusterE2ETest, TheApiWorksAndItsKeysSpreadOverEveryMaster) {
  RedisCluster cluster;
  ServerProcess server(ORDERWATCH_SERVER_BIN, "--redis-cluster=" + cluster.seeds(), {});
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  ASSERT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() + 15s));
  auto orders = v1::OrderEvents::NewStub(channel);
  auto remarks = v1::Remarks::NewStub(channel);
  auto followups = v1::FollowUps::NewStub(channel);

  constexpr int kOrders = 300;
  const int64_t now = absl::ToUnixMillis(absl::Now());
  v1::RecordEventBatchRequest batch;
  for (int i = 0; i < kOrders; ++i) {
    auto* e = batch.add_events();
    e->set_event_id("c");
    e->set_order_id(absl::StrCat("o", i));
    e->set_event_unix_ms(now);
    e->mutable_created()->set_amount_fen(1000);
    e->mutable_created()->set_buyer_id(absl::StrCat("b", i));
    e->mutable_created()->set_created_unix_ms(now);
    e->mutable_created()->set_auto_close_unix_ms(now + 86400000);
  }
  v1::RecordEventBatchResponse recorded;
  grpc::Status s = orders->RecordBatch(Context("storefront").get(), batch, &recorded);
  ASSERT_TRUE(s.ok()) << s.error_message();
  for (const auto& r : recorded.results()) ASSERT_EQ(r.code(), 0) << r.message();

  for (int i = 0; i < kOrders; i += 3) {
    v1::SetRemarkRequest set;
    set.set_request_id(absl::StrCat("w", i));
    set.set_order_id(absl::StrCat("o", i));
    set.set_flag(v1::FLAG_YELLOW);
    set.set_text("check the address");
    set.set_expected_version(0);
    v1::Remark remark;
    s = remarks->Set(Context("agent").get(), set, &remark);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  // Reads over every partition, so over every master.
  v1::CountByFlagResponse counts;
  ASSERT_TRUE(remarks->CountByFlag(Context("agent").get(), {}, &counts).ok());
  int64_t yellow = 0;
  for (const auto& c : counts.counts()) yellow += c.flag() == v1::FLAG_YELLOW ? c.count() : 0;
  EXPECT_EQ(yellow, kOrders / 3);
  v1::ListByFlagRequest list;
  list.set_flag(v1::FLAG_YELLOW);
  list.set_page_size(500);
  v1::ListByFlagResponse listed;
  ASSERT_TRUE(remarks->ListByFlag(Context("agent").get(), list, &listed).ok());
  EXPECT_EQ(listed.remarks_size(), kOrders / 3);

  v1::CreateFollowUpRequest create;
  create.set_kind(v1::FOLLOW_UP_KIND_COMPLAINT);
  create.set_order_id("o1");
  v1::FollowUp created;
  ASSERT_TRUE(followups->Create(Context("agent").get(), create, &created).ok());
  v1::ClaimNextRequest claim;
  v1::ClaimNextResponse claimed;
  ASSERT_TRUE(followups->ClaimNext(Context("agent").get(), claim, &claimed).ok());
  EXPECT_EQ(claimed.follow_up().id(), created.id());

  // Every master holds some of it; every server connection is up, on all three.
  int masters = 0;
  for (int port : cluster.MasterPorts()) {
    ++masters;
    EXPECT_GT(Keys(cluster, port), 0) << "master " << port << " holds nothing";
  }
  EXPECT_EQ(masters, 3);
  const std::string scrape = testing::HttpGet(server.metrics_port(), "/metrics");
  EXPECT_GE(testing::MetricValue(scrape, "orderwatch_redis_connections_up"), 6);
}

// A slot moving between masters while the client works: a key already migrated is answered
// with ASK (followed once, after ASKING), and once the slot has moved, with MOVED (followed, and
// the slot map read again).
TEST(RedisClusterE2ETest, TheClientFollowsASlotBeingMigrated) {
  RedisCluster cluster;
  prometheus::Registry registry;
  redis::ClientMetrics metrics(registry);
  redis::ClientOptions options;
  options.cluster = {
      *redis::ParseNodeAddress(cluster.seeds().substr(0, cluster.seeds().find(',')))};
  redis::Client client(options, &metrics);
  client.Start();
  ASSERT_TRUE(client.WaitConnected(absl::Seconds(10)));
  auto run = [&](std::vector<std::string> argv) {
    std::promise<absl::StatusOr<redis::Reply>> p;
    client.Run(redis::Command::Of(std::move(argv)), absl::Now() + absl::Seconds(5),
               [&p](absl::StatusOr<redis::Reply> r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  };
  ASSERT_TRUE(run({"SET", "{moving}a", "1"}).ok());
  ASSERT_TRUE(run({"SET", "{moving}b", "2"}).ok());
  const int slot = redis::KeySlot("{moving}");
  const int source = cluster.MasterOf(slot);
  int target = 0;
  for (int port : cluster.MasterPorts()) target = port != source ? port : target;
  ASSERT_NE(target, 0);
  const std::string source_id = cluster.CommandOn(source, "CLUSTER MYID");
  const std::string target_id = cluster.CommandOn(target, "CLUSTER MYID");
  const std::string s = std::to_string(slot);
  ASSERT_EQ(cluster.CommandOn(target, "CLUSTER SETSLOT " + s + " IMPORTING " + source_id), "OK");
  ASSERT_EQ(cluster.CommandOn(source, "CLUSTER SETSLOT " + s + " MIGRATING " + target_id), "OK");
  ASSERT_EQ(cluster.CommandOn(source,
                              "MIGRATE 127.0.0.1 " + std::to_string(target) + " {moving}a 0 5000"),
            "OK");

  // Mid-migration: a is on the target (ASK), b still on the source.
  const double before = metrics.redirects->Value();
  auto a = run({"GET", "{moving}a"});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->str, "1");
  auto b = run({"GET", "{moving}b"});
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->str, "2");
  EXPECT_EQ(metrics.redirects->Value(), before + 1) << "one ASK followed";

  // The slot moves for good: the source answers MOVED, and the client goes to the target.
  ASSERT_EQ(cluster.CommandOn(source,
                              "MIGRATE 127.0.0.1 " + std::to_string(target) + " {moving}b 0 5000"),
            "OK");
  for (int port : cluster.MasterPorts()) {
    cluster.CommandOn(port, "CLUSTER SETSLOT " + s + " NODE " + target_id);
  }
  b = run({"GET", "{moving}b"});
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->str, "2");
  EXPECT_GE(metrics.redirects->Value(), before + 2) << "MOVED followed";
  // Afterwards the map says where the slot lives: no more redirects.
  absl::SleepFor(absl::Milliseconds(500));
  const double settled = metrics.redirects->Value();
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(run({"GET", "{moving}a"}).ok());
  EXPECT_EQ(metrics.redirects->Value(), settled);
}

// A master that stops answering without closing its connections (SIGSTOP: a hung process, or
// a host cut off without a reset): the calls sent there time out, the client asks another node
// for the slot map (not the paused one, which never answers), and the replica that took over
// serves the order's writes within seconds.
TEST(RedisClusterE2ETest, AMasterThatStopsAnsweringIsFoundFailedOver) {
  RedisCluster cluster;
  ServerProcess server(ORDERWATCH_SERVER_BIN, "--redis-cluster=" + cluster.seeds(), {});
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  ASSERT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() + 15s));
  auto remarks = v1::Remarks::NewStub(channel);
  int lines = 0;
  auto append = [&](absl::Duration timeout) {
    v1::AppendRemarkRequest r;
    r.set_request_id(absl::StrCat("line", lines));
    r.set_order_id("P");
    r.set_reason(absl::StrCat("line ", lines));
    auto ctx = Context("agent");
    ctx->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    v1::Remark out;
    grpc::Status s = remarks->Append(ctx.get(), r, &out);
    if (s.ok()) ++lines;
    return s;
  };
  ASSERT_TRUE(append(absl::Seconds(5)).ok());
  // Every server's refresh goes around the nodes in turn, so some land on the paused one.
  const int slot = redis::KeySlot(redis::KeyScheme(16).Order("shop1", "P"));
  const int old_master = cluster.MasterOf(slot);
  const absl::Duration failover =
      cluster.FailOverMasterOf(slot, absl::Seconds(30), RedisCluster::Fault::kPause);
  ASSERT_LT(failover, absl::Seconds(30)) << "no replica took over";
  EXPECT_NE(cluster.MasterOf(slot), old_master);
  const absl::Time promoted = absl::Now();
  grpc::Status s;
  while (!(s = append(absl::Milliseconds(500))).ok() &&
         absl::Now() - promoted < absl::Seconds(20)) {
  }
  const absl::Duration found = absl::Now() - promoted;
  ASSERT_TRUE(s.ok()) << "writes to the paused master's slot never came back: "
                      << s.error_message();
  EXPECT_LT(found, absl::Seconds(4)) << "the client took long to find the new master";
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(append(absl::Seconds(2)).ok());
  v1::GetRemarkRequest get;
  get.set_order_id("P");
  v1::Remark remark;
  ASSERT_TRUE(remarks->Get(Context("agent").get(), get, &remark).ok());
  EXPECT_NE(remark.text().find(absl::StrCat("line ", lines - 1)), std::string::npos);
  std::printf("paused master: replica serving after %.1f s, writes through it %.1f s later\n",
              absl::ToDoubleSeconds(failover), absl::ToDoubleSeconds(found));
}

TEST(RedisClusterE2ETest, AMasterFailsOverUnderLoadAndNothingIsLost) {
  RedisCluster cluster;
  Fleet fleet("--redis-cluster=" + cluster.seeds());
  StorefrontLoad load;
  testing::SetAnyHourPolicy(fleet, load);
  // The master of the slot of partition 0, which holds orders, queues and a lease.
  const redis::KeyScheme keys(16);
  const int slot = redis::KeySlot(keys.Lease(0));
  const absl::Time start = absl::Now();
  std::thread writer([&] { RunStorefrontLoad(fleet, load); });
  testing::SleepUntil(start + absl::Seconds(2));
  fleet.Kill(1);
  testing::SleepUntil(start + absl::Seconds(3));
  fleet.Start(1);
  testing::SleepUntil(start + absl::Seconds(6));
  const int old_master = cluster.MasterOf(slot);
  const absl::Duration failover = cluster.FailOverMasterOf(slot, absl::Seconds(30));
  testing::SleepUntil(start + absl::Seconds(11));
  fleet.Kill(0);
  fleet.Start(0);
  writer.join();
  const absl::Duration load_took = absl::Now() - start;
  ASSERT_LT(failover, absl::Seconds(30)) << "no replica took over";
  EXPECT_NE(cluster.MasterOf(slot), old_master);
  ASSERT_FALSE(::testing::Test::HasFailure()) << "the load did not get through";

  const testing::Accounting a = ExpectEverythingOnce(fleet, load);
  EXPECT_GT(load.retries.load(), 0) << "the failover did not reach the load";
  std::printf(
      "cluster: servers SIGKILLed 2 s and 11 s in, a master 6 s in, its replica serving after %.1f "
      "s; %d calls in %.1f s "
      "with %d retries; everything delivered %.1f s after the start; %zu deliveries, %zu "
      "repeated under the same key; %d of %d paid orders reminded before their payment\n",
      absl::ToDoubleSeconds(failover), load.calls.load(), absl::ToDoubleSeconds(load_took),
      load.retries.load(), absl::ToDoubleSeconds(a.everything_delivered - start), a.sinks.lines,
      a.sinks.lines - a.sinks.by_key.size(), a.reminded_paid, StorefrontLoad::kOrders / 2);
}

}  // namespace
}  // namespace orderwatch
