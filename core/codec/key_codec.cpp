#include "core/codec/key_codec.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>

namespace bucketdb {

namespace {

void append_be(std::string &out, uint64_t v, int width) {
  char buf[8];
  for (int i = 0; i < width; i++) buf[i] = static_cast<char>((v >> (8 * (width - 1 - i))) & 0xff);
  out.append(buf, static_cast<size_t>(width));
}

uint64_t float_bits(double d, int width) {
  if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
  if (d == 0) d = 0.0;  // -0 == +0
  if (width == 4) {
    float f = static_cast<float>(d);
    uint32_t b;
    std::memcpy(&b, &f, 4);
    if (std::isnan(f)) b = 0x7fc00000u;
    return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
  }
  uint64_t b;
  std::memcpy(&b, &d, 8);
  if (std::isnan(d)) b = 0x7ff8000000000000ull;
  const uint64_t sign = 0x8000000000000000ull;
  return (b & sign) ? ~b : (b | sign);
}

}  // namespace

void append_key(std::string &out, const TypeInfo &type, const Value &v) {
  switch (type.kind) {
    case Kind::kUInt:
      append_be(out, std::get<uint64_t>(v), type.width);
      break;
    case Kind::kInt: {
      uint64_t u = static_cast<uint64_t>(std::get<int64_t>(v));
      u ^= uint64_t{1} << (type.width * 8 - 1);
      append_be(out, u, type.width);
      break;
    }
    case Kind::kBool:
      out += std::get<bool>(v) ? '\1' : '\0';
      break;
    case Kind::kFloat:
      append_be(out, float_bits(std::get<double>(v), type.width), type.width);
      break;
    case Kind::kText:
    case Kind::kBytes: {
      // Runs without 0x00 are copied whole; each 0x00 becomes 0x00 0xFF.
      std::string_view rest = std::get<std::string>(v);
      for (;;) {
        size_t nul = rest.find('\0');
        out.append(rest.data(), std::min(nul, rest.size()));
        if (nul == std::string_view::npos) break;
        out.append("\0\xff", 2);
        rest.remove_prefix(nul + 1);
      }
      out.append(2, '\0');
      break;
    }
    case Kind::kBlob: {
      const Id128 &id = std::get<Id128>(v);
      out.append(reinterpret_cast<const char *>(id.data()), id.size());
      break;
    }
  }
}

void append_nullable_key(std::string &out, const TypeInfo &type, const Value &v) {
  if (is_null(v)) {
    out += '\0';
    return;
  }
  out += '\1';
  append_key(out, type, v);
}

int compare_values(const TypeInfo &type, const Value &a, const Value &b) {
  bool an = is_null(a), bn = is_null(b);
  if (an || bn) return an == bn ? 0 : (an ? -1 : 1);
  switch (type.kind) {
    case Kind::kUInt: {
      uint64_t x = std::get<uint64_t>(a), y = std::get<uint64_t>(b);
      return x < y ? -1 : x > y;
    }
    case Kind::kInt: {
      int64_t x = std::get<int64_t>(a), y = std::get<int64_t>(b);
      return x < y ? -1 : x > y;
    }
    case Kind::kBool:
      return static_cast<int>(std::get<bool>(a)) - static_cast<int>(std::get<bool>(b));
    case Kind::kFloat: {
      uint64_t x = float_bits(std::get<double>(a), type.width);
      uint64_t y = float_bits(std::get<double>(b), type.width);
      return x < y ? -1 : x > y;
    }
    case Kind::kText:
    case Kind::kBytes: {
      int c = std::get<std::string>(a).compare(std::get<std::string>(b));
      return c < 0 ? -1 : c > 0;
    }
    case Kind::kBlob: {
      int c = std::memcmp(std::get<Id128>(a).data(), std::get<Id128>(b).data(), 16);
      return c < 0 ? -1 : c > 0;
    }
  }
  return 0;
}

}  // namespace bucketdb
