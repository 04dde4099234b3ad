// Binary search over the sorted keys of a cached immutable object (a data block's primary
// keys, an index node's keys, a manifest page's first keys) by 8-byte probe words: past the
// prefix every key shares, a key's next 7 bytes, big-endian and zero-padded, then how many
// bytes follow the prefix (8 for 8 or more). Words order keys as their bytes do; equal words
// are equal keys unless both say 8, and only then are the keys themselves compared. Most
// probes compare two integers in one small array instead of following a string elsewhere.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bucketdb {

class KeyProbes {
 public:
  // key_at(i) is the i-th of n sorted keys (a string_view or a string).
  template <class KeyAt>
  void build(size_t n, KeyAt &&key_at) {
    probes_.assign(n, 0);
    common_.clear();
    if (!n) return;
    std::string_view first = key_at(0), last = key_at(n - 1);
    size_t c = 0;
    while (c < first.size() && c < last.size() && first[c] == last[c]) c++;
    common_.assign(first.substr(0, c));  // sorted keys all share what the extremes share
    for (size_t i = 0; i < n; i++) probes_[i] = word(key_at(i), c);
  }
  size_t size() const { return probes_.size(); }

  // The first key >= key (lower) or > key (upper), as an index in [0, n].
  template <class KeyAt>
  size_t lower_bound(std::string_view key, KeyAt &&key_at) const {
    return search(key, key_at, false);
  }
  template <class KeyAt>
  size_t upper_bound(std::string_view key, KeyAt &&key_at) const {
    return search(key, key_at, true);
  }

 private:
  static constexpr uint64_t kLongTail = 8;
  static uint64_t word(std::string_view key, size_t at) {
    uint64_t v = 0;
    for (size_t j = 0; j < 7; j++)
      v = (v << 8) | (at + j < key.size() ? static_cast<uint8_t>(key[at + j]) : 0u);
    return (v << 8) | std::min<uint64_t>(key.size() - at, kLongTail);
  }
  template <class KeyAt>
  size_t search(std::string_view key, KeyAt &key_at, bool upper) const {
    size_t n = probes_.size();
    if (!n) return 0;
    int c = key.substr(0, common_.size()).compare(common_);
    if (c < 0) return 0;  // includes a key that is a proper prefix of the shared one
    if (c > 0) return n;
    uint64_t p = word(key, common_.size());
    const uint64_t *probe = probes_.data();
    size_t lo = 0, hi = n;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      uint64_t w = probe[mid];
      int cmp = w < p ? -1 : w > p ? 1 : 0;  // key_at(mid) against key
      if (cmp == 0 && (w & 0xff) == kLongTail) {
        int full = std::string_view(key_at(mid)).compare(key);
        cmp = full < 0 ? -1 : full > 0;
      }
      if (upper ? cmp <= 0 : cmp < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    return lo;
  }

  std::string common_;
  std::vector<uint64_t> probes_;
};

}  // namespace bucketdb
