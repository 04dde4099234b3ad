#include "core/util/ids.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>

#include "core/util/error.h"

namespace bucketdb {

static void fill_random(void *p, size_t n) {
  auto *b = static_cast<uint8_t *>(p);
  while (n > 0) {
    ssize_t got = getrandom(b, n, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      fail(BDB_E_INTERNAL, std::string("getrandom failed: ") + std::strerror(errno));
    }
    b += got;
    n -= static_cast<size_t>(got);
  }
}

Id128 random_id() {
  Id128 id;
  fill_random(id.data(), id.size());
  id[6] = static_cast<uint8_t>((id[6] & 0x0f) | 0x40);  // version 4
  id[8] = static_cast<uint8_t>((id[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return id;
}

Id128 time_id(uint64_t unix_ms) {
  Id128 id = random_id();
  for (int i = 0; i < 6; i++)
    id[static_cast<size_t>(i)] = static_cast<uint8_t>(unix_ms >> (8 * (5 - i)));
  id[6] = static_cast<uint8_t>((id[6] & 0x0f) | 0x70);  // version 7
  return id;
}

std::optional<uint64_t> id_time_ms(const Id128 &id) {
  if ((id[6] >> 4) != 7 || (id[8] & 0xc0) != 0x80) return std::nullopt;
  uint64_t ms = 0;
  for (int i = 0; i < 6; i++) ms = (ms << 8) | id[static_cast<size_t>(i)];
  return ms;
}

uint64_t random_u64() {
  uint64_t v;
  fill_random(&v, sizeof v);
  return v;
}

static const char kHex[] = "0123456789abcdef";

std::string hex_text(const Id128 &id) {
  std::string s;
  for (uint8_t b : id) {
    s += kHex[b >> 4];
    s += kHex[b & 15];
  }
  return s;
}

std::string uuid_text(const Id128 &id) {
  std::string h = hex_text(id);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Id128> parse_uuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Id128 id{};
  size_t j = 0;
  for (size_t i = 0; i < 36; i++) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    id[j++] = static_cast<uint8_t>(hi * 16 + lo);
    i++;
  }
  return id;
}

std::optional<Id128> parse_hex_id(std::string_view hex) {
  if (hex.size() != 32) return std::nullopt;
  Id128 id{};
  for (size_t i = 0; i < 16; i++) {
    int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    id[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return id;
}

}  // namespace bucketdb
