#include "services/redis/keys.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace orderwatch::redis {
namespace {

std::string HashTag(const std::string& key) {
  const size_t open = key.find('{');
  return key.substr(open, key.find('}') - open + 1);
}

TEST(KeySchemeTest, AnOrdersKeysShareOneHashTag) {
  KeyScheme keys(256);
  const std::string tag = HashTag(keys.Order("shop1", "1001"));
  EXPECT_EQ(HashTag(keys.History("shop1", "1001")), tag);
  EXPECT_EQ(HashTag(keys.Reminders("shop1", "1001")), tag);
  using RequestOf = KeyScheme::RequestOf;
  for (auto what : {RequestOf::kRemark, RequestOf::kReminder, RequestOf::kAnswer}) {
    EXPECT_EQ(HashTag(keys.Request("shop1", "1001", what, "req")), tag);
  }
  EXPECT_NE(keys.Request("shop1", "1001", RequestOf::kRemark, "req"),
            keys.Request("shop1", "1001", RequestOf::kReminder, "req"));
  for (int f = 1; f <= 5; ++f) EXPECT_EQ(HashTag(keys.FlagIndexOf("shop1", "1001", f)), tag);
  EXPECT_EQ(tag, "{p" + std::to_string(keys.PartitionOf("shop1", "1001")) + "}");
  // The partition's scheduler keys carry the same tag, so a script may touch them with the order.
  const int p = keys.PartitionOf("shop1", "1001");
  const auto q = keys.Queue(p, "rem");
  for (const auto& k : {q.due, q.in_flight, q.attempts, q.dead, keys.Lease(p), keys.Fence(p)}) {
    EXPECT_EQ(HashTag(k), tag) << k;
  }
  EXPECT_NE(q.due, keys.Queue(p, "out").due);
}

TEST(KeySchemeTest, PartitionsAreStableAndSpread) {
  KeyScheme keys(16);
  // Fixed values (FNV-1a 64 of "shop\0order"): a change here would strand every key written.
  EXPECT_EQ(keys.PartitionOf("shop1", "1001"), 12);
  EXPECT_EQ(KeyScheme(256).PartitionOf("shop1", "1001"), 172);
  EXPECT_NE(keys.PartitionOf("shop1", "1001"), keys.PartitionOf("shop11", "001"));
  std::set<int> seen;
  for (int i = 0; i < 1000; ++i) {
    const int p = keys.PartitionOf("shop1", std::to_string(i));
    ASSERT_GE(p, 0);
    ASSERT_LT(p, 16);
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 16u);
}

TEST(KeySchemeTest, ShopKeysUseTheShopTag) {
  KeyScheme keys(256);
  EXPECT_EQ(keys.Legend("shop1"), "ow:{sshop1}:legend");
  EXPECT_EQ(HashTag(keys.ShopRequest("shop1", "r1")), "{sshop1}");
  EXPECT_EQ(keys.ReminderPolicy("shop1"), "ow:{sshop1}:policy");
}

TEST(KeySchemeTest, StatsLiveInThePartition) {
  KeyScheme keys(16);
  EXPECT_EQ(keys.ReminderStats(7, "shop1", "20261111"), "ow:{p7}:st:shop1:20261111");
}

TEST(KeySchemeTest, BuyerKeysShareTheirBucketsTag) {
  KeyScheme keys(256);
  const std::string bucket = std::to_string(KeyScheme::BuyerBucket("b7"));
  EXPECT_EQ(keys.BuyerOpenOrders("shop1", "b7"), "ow:{ushop1:" + bucket + "}:open");
  EXPECT_EQ(keys.BuyerDay("shop1", "b7", "20261111"), "ow:{ushop1:" + bucket + "}:d:20261111");
  EXPECT_EQ(HashTag(keys.BuyerDay("shop1", "b7", "20261111")),
            HashTag(keys.BuyerOpenOrders("shop1", "b7")));
  EXPECT_NE(HashTag(keys.BuyerOpenOrders("shop1", "b7")),
            HashTag(keys.BuyerOpenOrders("shop2", "b7")));
  // Buyers spread over the buckets.
  std::set<int> buckets;
  for (int i = 0; i < 1000; ++i)
    buckets.insert(KeyScheme::BuyerBucket("buyer" + std::to_string(i)));
  EXPECT_GT(buckets.size(), 900u);  // about 970 for a uniform hash into 16384
}

}  // namespace
}  // namespace orderwatch::redis
