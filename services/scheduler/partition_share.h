// Which live instance works which partition. Every instance computes the same answer from the
// same list of live instances, so they agree without talking to each other: each partition goes
// to the instance ranked highest for it by a hash of (instance, partition) (rendezvous hashing)
// among those below their share: partitions / instances, and one more for as many as the
// division leaves over. Shares differ by one at most, and when an instance joins or leaves,
// mostly the partitions it takes or gives up move.
#pragma once

#include <string>
#include <vector>

namespace orderwatch::scheduler {

// The owner of each partition, by index; empty strings when `members` is empty. Members' order
// and repeats do not matter.
std::vector<std::string> AssignPartitions(std::vector<std::string> members, int partitions);

}  // namespace orderwatch::scheduler
