#include "services/scheduler/partition_share.h"

#include <gtest/gtest.h>

#include <map>

#include "absl/strings/str_cat.h"

namespace orderwatch::scheduler {
namespace {

std::map<std::string, int> Counts(const std::vector<std::string>& owner) {
  std::map<std::string, int> counts;
  for (const auto& o : owner) ++counts[o];
  return counts;
}

int Moved(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  int moved = 0;
  for (size_t p = 0; p < a.size(); ++p) moved += a[p] != b[p];
  return moved;
}

TEST(PartitionShareTest, EveryPartitionHasOneLiveOwnerAndSharesDifferByOneAtMost) {
  for (int partitions : {1, 7, 16, 256, 1000}) {
    for (int n = 1; n <= 9; ++n) {
      std::vector<std::string> members;
      for (int i = 0; i < n; ++i) members.push_back(absl::StrCat("host-", 100 + i, "-", i * 7));
      const auto owner = AssignPartitions(members, partitions);
      ASSERT_EQ(owner.size(), static_cast<size_t>(partitions));
      const auto counts = Counts(owner);
      EXPECT_EQ(counts.count(""), 0u) << partitions << " partitions, " << n << " members";
      int least = partitions, most = 0;
      for (const auto& [member, count] : counts) {
        EXPECT_NE(std::find(members.begin(), members.end(), member), members.end());
        least = std::min(least, count);
        most = std::max(most, count);
      }
      EXPECT_EQ(most, (partitions + n - 1) / n) << partitions << "/" << n;
      if (partitions >= n) {
        EXPECT_EQ(counts.size(), static_cast<size_t>(n));
        EXPECT_EQ(least, partitions / n) << partitions << "/" << n;
      }
    }
  }
}

TEST(PartitionShareTest, EveryInstanceComputesTheSameAnswerWhateverItsListOrder) {
  const auto a = AssignPartitions({"a", "b", "c"}, 256);
  EXPECT_EQ(AssignPartitions({"c", "a", "b"}, 256), a);
  EXPECT_EQ(AssignPartitions({"b", "c", "a", "c"}, 256), a);
}

TEST(PartitionShareTest, AJoinOrALeaveMovesLittleMoreThanTheNewcomersShare) {
  const auto three = AssignPartitions({"a", "b", "c"}, 256);
  const auto four = AssignPartitions({"a", "b", "c", "d"}, 256);
  const auto counts = Counts(four);
  // d takes its share; the rest stays mostly where it was (capacity limits move a few more).
  EXPECT_EQ(counts.at("d"), 64);
  EXPECT_LE(Moved(three, four), 64 + 256 / 8);
  // c dies: its partitions go to a and b; a's and b's own mostly stay.
  const auto two = AssignPartitions({"a", "b"}, 256);
  int kept = 0;
  for (int p = 0; p < 256; ++p) kept += three[p] != "c" && two[p] == three[p];
  const int not_c = 256 - Counts(three).at("c");
  EXPECT_GE(kept, not_c - 256 / 8);
}

TEST(PartitionShareTest, NoMembersNoOwners) {
  EXPECT_EQ(AssignPartitions({}, 4), std::vector<std::string>(4));
  EXPECT_TRUE(AssignPartitions({"a"}, 0).empty());
}

}  // namespace
}  // namespace orderwatch::scheduler
