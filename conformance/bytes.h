// Object bodies as the checks write and compare them, and the driver tests and layer tests
// with them (tests/driver, tests/integration/layers, tests/s3): one copy of the conversions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace bucketdb::conformance {

using Bytes = std::vector<uint8_t>;

inline Bytes bytes(const std::string &s) {
  return Bytes(s.begin(), s.end());
}

inline std::string text(const Bytes &b) {
  return std::string(b.begin(), b.end());
}

// n bytes, the same for the same seed (every value 0-255 occurs: binary data, not text).
inline Bytes random_bytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Bytes out(n);
  for (auto &b : out) b = static_cast<uint8_t>(rng() >> 56);
  return out;
}

}  // namespace bucketdb::conformance
