// FNV-1a (64 bit) of two strings joined by a NUL byte: stable across processes, versions and
// machines, for placing things (an order in a partition, a partition with an instance).
#pragma once

#include <cstdint>
#include <string_view>

namespace orderwatch {

inline uint64_t Fnv1a(std::string_view first, std::string_view second) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 1099511628211ULL;
  };
  for (unsigned char c : first) mix(c);
  mix(0);
  for (unsigned char c : second) mix(c);
  return h;
}

}  // namespace orderwatch
