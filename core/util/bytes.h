// Little-endian binary writer and a bounds-checked reader for the engine's object formats.
// A reader never trusts a length: every read checks it against what is left, and a short or
// malformed object becomes a BDB_E_CORRUPT error naming the object.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/error.h"

namespace bucketdb {

using Bytes = std::vector<uint8_t>;

inline std::string_view as_view(const Bytes &b) {
  return {reinterpret_cast<const char *>(b.data()), b.size()};
}

class Writer {
 public:
  explicit Writer(Bytes &out) : out_(out) {}
  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v) { fixed(v, 2); }
  void u32(uint32_t v) { fixed(v, 4); }
  void u64(uint64_t v) { fixed(v, 8); }
  void varint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<uint8_t>(v));
  }
  void raw(const void *p, size_t n) {
    const auto *b = static_cast<const uint8_t *>(p);
    out_.insert(out_.end(), b, b + n);
  }
  // Length-prefixed bytes.
  void blob(std::string_view s) {
    varint(s.size());
    raw(s.data(), s.size());
  }
  size_t size() const { return out_.size(); }

 private:
  void fixed(uint64_t v, int n) {
    for (int i = 0; i < n; i++) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  Bytes &out_;
};

class Reader {
 public:
  // what: the object being read, for error messages.
  Reader(std::string_view data, std::string what)
      : p_(data.data()), end_(p_ + data.size()), what_(std::move(what)) {}
  uint8_t u8() { return static_cast<uint8_t>(fixed(1)); }
  uint16_t u16() { return static_cast<uint16_t>(fixed(2)); }
  uint32_t u32() { return static_cast<uint32_t>(fixed(4)); }
  uint64_t u64() { return fixed(8); }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      need(1);
      uint8_t b = static_cast<uint8_t>(*p_++);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    corrupt("varint too long");
  }
  std::string_view raw(size_t n) {
    need(n);
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }
  std::string_view blob() { return raw(count(1)); }
  // A count of items each at least min_item_size bytes: rejects counts the data cannot hold.
  size_t count(size_t min_item_size) {
    uint64_t n = varint();
    if (min_item_size && n > remaining() / min_item_size) corrupt("count out of range");
    return static_cast<size_t>(n);
  }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  bool done() const { return p_ == end_; }
  void expect_done() {
    if (!done()) corrupt("trailing bytes");
  }
  [[noreturn]] void corrupt(const std::string &why) const {
    fail(BDB_E_CORRUPT, "corrupt object " + what_ + ": " + why);
  }
  const std::string &what() const { return what_; }

 private:
  void need(size_t n) {
    if (remaining() < n) corrupt("truncated");
  }
  uint64_t fixed(int n) {
    need(static_cast<size_t>(n));
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v |= static_cast<uint64_t>(static_cast<uint8_t>(p_[i])) << (8 * i);
    p_ += n;
    return v;
  }
  const char *p_;
  const char *end_;
  std::string what_;
};

// Row slots, record headers and heap references are read and written through these: on a
// little-endian machine the usual widths are one unaligned load or store.
inline uint64_t load_le(const uint8_t *p, int n) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  switch (n) {
    case 8: {
      uint64_t v;
      std::memcpy(&v, p, 8);
      return v;
    }
    case 4: {
      uint32_t v;
      std::memcpy(&v, p, 4);
      return v;
    }
    case 2: {
      uint16_t v;
      std::memcpy(&v, p, 2);
      return v;
    }
    case 1:
      return p[0];
    default:
      break;
  }
#endif
  uint64_t v = 0;
  for (int i = 0; i < n; i++) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}
inline void store_le(uint8_t *p, uint64_t v, int n) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (n == 8 || n == 4 || n == 2) {
    std::memcpy(p, &v, static_cast<size_t>(n));  // the low bytes come first
    return;
  }
#endif
  for (int i = 0; i < n; i++) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace bucketdb
