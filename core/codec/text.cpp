#include "core/codec/text.h"

#include <cstdint>

namespace bucketdb {

std::optional<size_t> utf8_length(std::string_view s) {
  size_t n = 0;
  const auto *p = reinterpret_cast<const uint8_t *>(s.data());
  const uint8_t *end = p + s.size();
  while (p < end) {
    uint8_t c = *p;
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      len = 1;
      cp = c;
    } else if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1fu;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0fu;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return std::nullopt;
    }
    if (static_cast<size_t>(end - p) < len) return std::nullopt;
    for (size_t i = 1; i < len; i++) {
      if ((p[i] & 0xc0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (p[i] & 0x3fu);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return std::nullopt;
    p += len;
    n++;
  }
  return n;
}

static const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(std::string_view bytes) {
  std::string out((bytes.size() + 2) / 3 * 4, '=');
  const auto *b = reinterpret_cast<const uint8_t *>(bytes.data());
  size_t i = 0, o = 0;
  for (; i + 2 < bytes.size(); i += 3, o += 4) {
    uint32_t v = (uint32_t{b[i]} << 16) | (uint32_t{b[i + 1]} << 8) | b[i + 2];
    out[o] = kB64[v >> 18];
    out[o + 1] = kB64[(v >> 12) & 63];
    out[o + 2] = kB64[(v >> 6) & 63];
    out[o + 3] = kB64[v & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest) {  // the '=' padding is there already
    uint32_t v = uint32_t{b[i]} << 16;
    if (rest == 2) v |= uint32_t{b[i + 1]} << 8;
    out[o] = kB64[v >> 18];
    out[o + 1] = kB64[(v >> 12) & 63];
    if (rest == 2) out[o + 2] = kB64[(v >> 6) & 63];
  }
  return out;
}

namespace {

// Each character's 6 bits, in both alphabets (standard and URL-safe); -1 for any other.
struct Base64Values {
  int16_t of[256];
  Base64Values() {
    for (int16_t &x : of) x = -1;
    for (int i = 0; i < 64; i++) of[static_cast<uint8_t>(kB64[i])] = static_cast<int16_t>(i);
    of[static_cast<uint8_t>('-')] = 62;
    of[static_cast<uint8_t>('_')] = 63;
  }
};
const Base64Values kB64Values;

}  // namespace

std::optional<std::string> base64_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out(text.size() * 3 / 4, '\0');
  uint32_t acc = 0;
  int bits = 0;
  size_t o = 0;
  for (char c : text) {
    int v = kB64Values.of[static_cast<uint8_t>(c)];
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = static_cast<char>((acc >> bits) & 0xff);
    }
  }
  out.resize(o);
  return out;
}

}  // namespace bucketdb
