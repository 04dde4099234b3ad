// Small helpers shared by the built-in drivers: error filling, C buffers the host releases,
// ETag normalisation, a fast content hash and "?a=b&c=d" option parsing. Header-only so that
// each plugin stays one self-contained shared object.
#pragma once

#include <bucketdb/driver.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <map>
#include <new>
#include <string>
#include <vector>

#include "uri_options.h"

namespace bdbdrv {

// Fills err (if any) with a printf-style message and the storage's own status; returns st.
__attribute__((format(printf, 4, 5))) inline int set_error(bdb_drv_error *err, int st,
                                                           int32_t detail, const char *fmt, ...) {
  if (!err) return st;
  err->detail = detail;
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  return st;
}

// Keys in messages are cut at this many bytes ("%.*s"), as a message holds 500 bytes in all.
constexpr int kKeyInMessage = 200;

// Runs fn, turning any C++ exception into a status: none may cross the plugin boundary.
template <typename Fn>
int guarded(bdb_drv_error *err, const char *op, const char *key, Fn &&fn) noexcept {
  try {
    return fn();
  } catch (const std::bad_alloc &) {
    return set_error(err, BDB_DRV_NOMEM, ENOMEM, "%s %.*s: out of memory", op, kKeyInMessage,
                     key ? key : "");
  } catch (const std::exception &e) {
    return set_error(err, BDB_DRV_IO, 0, "%s %.*s: %s", op, kKeyInMessage, key ? key : "",
                     e.what());
  } catch (...) {
    return set_error(err, BDB_DRV_IO, 0, "%s %.*s: unexpected error", op, kKeyInMessage,
                     key ? key : "");
  }
}

inline int status_from_errno(int e) {
  switch (e) {
    case ENOENT:
      return BDB_DRV_NOT_FOUND;
    case ENOSPC:
    case EDQUOT:
      return BDB_DRV_NO_SPACE;
    case EACCES:
    case EPERM:
    case EROFS:
      return BDB_DRV_PERMISSION;
    case ENOMEM:
      return BDB_DRV_NOMEM;
    case ENAMETOOLONG:
    case ELOOP:
    case EISDIR:
    case ENOTDIR:
      return BDB_DRV_INVALID;
    case EAGAIN:
    case EINTR:
    case EMFILE:
    case ENFILE:
    case ETIMEDOUT:
      return BDB_DRV_TRANSIENT;
    default:
      return BDB_DRV_IO;
  }
}

// A malloc'd copy the host gives back through release(); nullptr when out of memory.
inline char *dup_cstr(const std::string &s) {
  char *p = static_cast<char *>(std::malloc(s.size() + 1));
  if (p) std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}

// Frees a list built by make_list (the drivers' release_list).
inline void free_list(bdb_drv_list *list) {
  if (!list) return;
  for (size_t i = 0; i < list->count; i++) std::free(list->keys[i]);
  std::free(list->keys);
  std::free(list->next_token);
  *list = bdb_drv_list{};
}

// Fills out with malloc'd copies of keys; a truncated page carries its last key as the token.
inline int make_list(const std::vector<std::string> &keys, bool truncated, bdb_drv_list *out,
                     bdb_drv_error *err) {
  *out = bdb_drv_list{};
  if (!keys.empty()) {
    out->keys = static_cast<char **>(std::calloc(keys.size(), sizeof(char *)));
    if (!out->keys) return set_error(err, BDB_DRV_NOMEM, ENOMEM, "list: out of memory");
    for (const auto &k : keys) {
      out->keys[out->count] = dup_cstr(k);
      if (!out->keys[out->count]) {
        free_list(out);
        return set_error(err, BDB_DRV_NOMEM, ENOMEM, "list: out of memory");
      }
      out->count++;
    }
  }
  if (truncated && !keys.empty()) {
    out->truncated = 1;
    out->next_token = dup_cstr(keys.back());
    if (!out->next_token) {
      free_list(out);
      return set_error(err, BDB_DRV_NOMEM, ENOMEM, "list: out of memory");
    }
  }
  return BDB_DRV_OK;
}

// The host compares ETags without quotes and without a "W/" prefix; so do the drivers.
inline std::string normalize_etag(const char *etag) {
  if (!etag) return {};
  std::string s = etag;
  if (s.rfind("W/", 0) == 0) s.erase(0, 2);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

inline bool starts_with(const std::string &s, const std::string &prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// A 64-bit non-cryptographic hash (murmur3-style mixing, 8 bytes a step). Good enough to tell
// two object versions apart; not meant to resist an adversary.
inline uint64_t fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

inline uint64_t hash64(const void *data, size_t n, uint64_t seed) {
  const auto *p = static_cast<const unsigned char *>(data);
  uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    w *= 0x87c37b91114253d5ULL;
    w = (w << 31) | (w >> 33);
    w *= 0x4cf5ad432745937fULL;
    h ^= w;
    h = ((h << 27) | (h >> 37)) * 5 + 0x52dce729;
  }
  uint64_t tail = 0;
  for (size_t j = 0; i + j < n; j++) tail |= static_cast<uint64_t>(p[i + j]) << (8 * j);
  h ^= fmix64(tail + 0x2545f4914f6cdd1dULL);
  return fmix64(h);
}

// Content hash computed over fixed 64 KiB chunks, so a file read piecewise and a buffer held
// whole give the same value.
class ChunkedHash {
 public:
  static constexpr size_t kChunk = size_t{64} * 1024;
  void update(const void *data, size_t n) {
    const auto *p = static_cast<const unsigned char *>(data);
    while (n > 0) {
      size_t take = std::min(n, kChunk - fill_);
      if (fill_ == 0 && take == kChunk) {
        acc_ = hash64(p, kChunk, acc_);  // whole chunk straight from the caller's buffer
      } else {
        buf_.resize(kChunk);
        std::memcpy(buf_.data() + fill_, p, take);
        fill_ += take;
        if (fill_ == kChunk) {
          acc_ = hash64(buf_.data(), kChunk, acc_);
          fill_ = 0;
        }
      }
      p += take;
      n -= take;
      total_ += take;
    }
  }
  uint64_t finish() const {
    uint64_t h = fill_ ? hash64(buf_.data(), fill_, acc_) : acc_;
    return fmix64(h ^ total_);
  }

 private:
  uint64_t acc_ = 0x6a09e667f3bcc909ULL;
  uint64_t total_ = 0;
  size_t fill_ = 0;
  std::vector<unsigned char> buf_;
};

inline std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// Parses a list page size option: a decimal in [1, 1000000].
inline bool parse_page_size(const std::string &text, size_t *out) {
  if (text.empty() || text.size() > 7) return false;
  size_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<size_t>(c - '0');
  }
  if (v < 1 || v > 1000000) return false;
  *out = v;
  return true;
}

}  // namespace bdbdrv

namespace bdbdrv {

// The function table of a layered driver. A layer claims every capability a store may have:
// it reports its inner driver's through instance_capabilities, per instance.
inline bdb_driver_v1 layer_table(const char *name, decltype(bdb_driver_v1::open) open,
                                 decltype(bdb_driver_v1::close) close,
                                 decltype(bdb_driver_v1::get) get, decltype(bdb_driver_v1::put) put,
                                 decltype(bdb_driver_v1::del) del,
                                 decltype(bdb_driver_v1::list) list,
                                 decltype(bdb_driver_v1::release) release,
                                 decltype(bdb_driver_v1::release_list) release_list,
                                 decltype(bdb_driver_v1::stats) stats,
                                 decltype(bdb_driver_v1::instance_capabilities) capabilities) {
  bdb_driver_v1 t{};
  t.abi_version = BDB_DRIVER_ABI_VERSION;
  t.struct_size = sizeof(bdb_driver_v1);
  t.name = name;
  t.capabilities =
      BDB_DRV_CAP_CONDITIONAL_PUT | BDB_DRV_CAP_STRONG_LIST | BDB_DRV_CAP_IF_NONE_MATCH_GET;
  t.open = open;
  t.close = close;
  t.get = get;
  t.put = put;
  t.del = del;
  t.list = list;
  t.release = release;
  t.release_list = release_list;
  t.stats = stats;
  t.instance_capabilities = capabilities;
  return t;
}

}  // namespace bdbdrv
