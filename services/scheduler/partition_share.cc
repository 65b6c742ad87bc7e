#include "services/scheduler/partition_share.h"

#include <algorithm>
#include <cstdint>
#include <tuple>

#include "services/common/fnv.h"

namespace orderwatch::scheduler {
namespace {

// FNV-1a of "member\0partition" (its 4 bytes, low first), then SplitMix64's finaliser so near
// keys spread well.
uint64_t Rank(const std::string& member, int partition) {
  char bytes[4];
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>(partition >> (8 * i));
  uint64_t h = Fnv1a(member, std::string_view(bytes, 4));
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

}  // namespace

std::vector<std::string> AssignPartitions(std::vector<std::string> members, int partitions) {
  std::vector<std::string> owner(std::max(partitions, 0));
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  if (members.empty() || partitions <= 0) return owner;
  const int n = static_cast<int>(members.size());
  // Each member gets `least` partitions, and `extra` of them one more.
  const int least = partitions / n;
  int extra = partitions % n;
  // Every (partition, member) pair by rank, best first; ties (not expected) by member and
  // partition, so the order is the same everywhere.
  struct Pair {
    uint64_t rank;
    int member;
    int partition;
  };
  std::vector<Pair> pairs;
  pairs.reserve(static_cast<size_t>(partitions) * n);
  for (int p = 0; p < partitions; ++p) {
    for (int m = 0; m < n; ++m) pairs.push_back({Rank(members[m], p), m, p});
  }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
    return std::tie(b.rank, a.member, a.partition) < std::tie(a.rank, b.member, b.partition);
  });
  std::vector<int> taken(n, 0);
  int left = partitions;
  for (const Pair& pair : pairs) {
    if (left == 0) break;
    if (!owner[pair.partition].empty()) continue;
    if (taken[pair.member] > least || (taken[pair.member] == least && extra == 0)) continue;
    if (taken[pair.member] == least) --extra;
    owner[pair.partition] = members[pair.member];
    ++taken[pair.member];
    --left;
  }
  return owner;
}

}  // namespace orderwatch::scheduler
