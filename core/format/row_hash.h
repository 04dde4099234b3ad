// A data block's primary keys hashed to their rows, for point lookups. A slot gives the row's
// number and where its record starts, and the caller confirms the key from the record itself,
// which it is about to read anyway: one cache miss in this table instead of a dozen steps of
// a binary search, each of which misses when lookups are spread over many blocks.
#pragma once

#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace bucketdb {

class RowHash {
 public:
  static constexpr size_t kMaxRows = 0xffff;  // a slot holds the row number + 1 in 16 bits

  // key_at(i) is row i's encoded key, record_at(i) where its record starts (under 4 GiB).
  // Blocks of more rows get no table (empty()) and are searched instead.
  template <class KeyAt, class RecordAt>
  void build(size_t n, KeyAt &&key_at, RecordAt &&record_at) {
    slots_.clear();
    if (!n || n > kMaxRows) return;
    size_t size = 1;
    while (size < 2 * n) size <<= 1;  // a load of at most one half
    slots_.assign(size, 0);
    mask_ = size - 1;
    for (size_t i = 0; i < n; i++) {
      uint64_t h = hash(key_at(i));
      size_t s = h & mask_;
      while (slots_[s]) s = (s + 1) & mask_;
      slots_[s] = (h >> 48) << 48 | uint64_t{i + 1} << 32 | record_at(i);
    }
  }
  bool empty() const { return slots_.empty(); }
  // Where the slots lie, for a reader to fetch a key's slot ahead (nullptr when empty).
  const uint64_t *slot_array() const { return slots_.empty() ? nullptr : slots_.data(); }
  size_t slot_mask() const { return mask_; }
  static uint64_t hash(std::string_view key) { return XXH3_64bits(key.data(), key.size()); }
  size_t byte_size() const { return slots_.size() * 8; }

  struct Hit {
    long row = -1;  // -1: no row has the key
    uint32_t record = 0;
  };
  // is_key(record) says whether the row whose record starts there has the key.
  template <class IsKey>
  Hit find(std::string_view key, IsKey &&is_key) const {
    uint64_t h = hash(key);
    for (size_t s = h & mask_;; s = (s + 1) & mask_) {
      uint64_t e = slots_[s];
      if (!e) return {};
      uint32_t record = static_cast<uint32_t>(e);
      if (e >> 48 == h >> 48 && is_key(record))
        return {static_cast<long>((e >> 32 & 0xffff) - 1), record};
    }
  }

 private:
  // tag (the hash's top 16 bits) | row + 1 (16 bits) | record offset (32 bits); 0: empty
  std::vector<uint64_t> slots_;
  size_t mask_ = 0;
};

}  // namespace bucketdb
