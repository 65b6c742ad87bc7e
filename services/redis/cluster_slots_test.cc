#include "services/redis/cluster_slots.h"

#include <gtest/gtest.h>

#include "services/redis/keys.h"

namespace orderwatch::redis {
namespace {

TEST(ClusterSlotsTest, SlotsAreRedisClusters) {
  // Values from the Redis Cluster specification and CLUSTER KEYSLOT.
  EXPECT_EQ(KeySlot("123456789"), 0x31C3 % 16384);
  EXPECT_EQ(KeySlot("foo"), 12182);
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("{user1000}.followers"));
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("user1000"));
  EXPECT_EQ(KeySlot("foo{}{bar}"), KeySlot("foo{}{bar}")) << "an empty tag: the whole key";
  EXPECT_NE(KeySlot("foo{}{bar}"), KeySlot("bar"));
  EXPECT_EQ(KeySlot("foo{{bar}}zap"), KeySlot("{bar"));
}

TEST(ClusterSlotsTest, AnOrdersKeysShareTheirPartitionsSlot) {
  const KeyScheme keys(256);
  const int slot = KeySlot(keys.Order("shop1", "o1"));
  EXPECT_EQ(KeySlot(keys.History("shop1", "o1")), slot);
  EXPECT_EQ(KeySlot(keys.Reminders("shop1", "o1")), slot);
  EXPECT_EQ(KeySlot(keys.Queue(keys.PartitionOf("shop1", "o1"), "rem").due), slot);
  EXPECT_EQ(KeySlot(keys.Lease(keys.PartitionOf("shop1", "o1"))), slot);
}

TEST(ClusterSlotsTest, CommandsRouteByTheirKey) {
  EXPECT_EQ(RoutingKey({"HGETALL", "ow:{p1}:o:s:o"}), "ow:{p1}:o:s:o");
  EXPECT_EQ(RoutingKey({"EVALSHA", "abc", "2", "k1", "k2", "a"}), "k1");
  EXPECT_EQ(RoutingKey({"eval", "return 1", "1", "k1"}), "k1");
  EXPECT_EQ(RoutingKey({"EVALSHA", "abc", "0", "a"}), std::nullopt);
  EXPECT_EQ(RoutingKey({"PING"}), std::nullopt);
}

TEST(ClusterSlotsTest, RedirectsAndAddresses) {
  auto moved = ParseRedirect("MOVED 3999 127.0.0.1:6381");
  ASSERT_TRUE(moved.has_value());
  EXPECT_FALSE(moved->ask);
  EXPECT_EQ(moved->slot, 3999);
  EXPECT_EQ(moved->to, (NodeAddress{"127.0.0.1", 6381}));
  auto ask = ParseRedirect("ASK 1 [::1]:7000");
  ASSERT_TRUE(ask.has_value());
  EXPECT_TRUE(ask->ask);
  EXPECT_EQ(ask->to, (NodeAddress{"::1", 7000}));
  EXPECT_FALSE(ParseRedirect("ERR unknown command").has_value());
  EXPECT_FALSE(ParseRedirect("MOVED 99999 h:1").has_value());
  EXPECT_FALSE(ParseNodeAddress("nohost").ok());
  EXPECT_FALSE(ParseNodeAddress("h:0").ok());
}

TEST(ClusterSlotsTest, SlotMapFromClusterSlots) {
  auto node = [](std::string host, int port) {
    Reply n;
    n.type = Reply::Type::kArray;
    Reply h, p;
    h.type = Reply::Type::kString;
    h.str = std::move(host);
    p.type = Reply::Type::kInteger;
    p.integer = port;
    n.elements = {h, p};
    return n;
  };
  auto range = [&](int first, int last, Reply master) {
    Reply r;
    r.type = Reply::Type::kArray;
    Reply a, b;
    a.type = b.type = Reply::Type::kInteger;
    a.integer = first;
    b.integer = last;
    r.elements = {a, b, std::move(master), node("127.0.0.1", 7005)};
    return r;
  };
  Reply slots;
  slots.type = Reply::Type::kArray;
  slots.elements = {range(0, 5460, node("127.0.0.1", 7000)), range(5461, 16383, node("", 7001))};
  auto parsed = ParseClusterSlots(slots, NodeAddress{"10.0.0.9", 7001});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].master, (NodeAddress{"127.0.0.1", 7000}));
  EXPECT_EQ((*parsed)[1].first, 5461);
  EXPECT_EQ((*parsed)[1].master, (NodeAddress{"10.0.0.9", 7001})) << "empty host: who answered";
  Reply bad;
  bad.type = Reply::Type::kArray;
  bad.elements = {range(0, 20000, node("h", 1))};
  EXPECT_FALSE(ParseClusterSlots(bad, {}).ok());
}

}  // namespace
}  // namespace orderwatch::redis
