// Helpers for layered drivers (crypt:, compress:, cache:, tiered:): opening the driver of the
// inner URI through the host, calling it, and passing its capabilities and counters on.
//
// Ownership rule of every layer built on this: each buffer a layer hands to the host (object
// bytes, ETags) is malloc'd by the layer itself and freed by its release(), even when the
// bytes came unchanged from an inner driver. A layer may wrap two inner drivers (tiered), so
// it could not tell whose buffer the host gives back otherwise. Lists are the exception: a
// layer with one inner driver passes the inner's list through and hands it back in
// release_list.
#pragma once

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>

#include "drv_util.h"

namespace bdbdrv {

// One driver opened by the host on behalf of a layer.
struct Inner {
  const bdb_driver_host *host = nullptr;
  const bdb_driver_v1 *t = nullptr;
  void *inst = nullptr;

  int open(const bdb_driver_host *h, const std::string &uri, bdb_drv_error *err) {
    host = h;
    return h->open_inner(h->host_ctx, uri.c_str(), &t, &inst, err);
  }
  void close() {
    if (host && t && inst) host->close_inner(host->host_ctx, t, inst);
    t = nullptr;
    inst = nullptr;
  }
  bool is_open() const { return t && inst; }

  uint64_t capabilities() const {
    return BDB_DRIVER_HAS(t, instance_capabilities) && t->instance_capabilities
               ? t->instance_capabilities(inst)
               : t->capabilities;
  }

  // The inner driver's counters as a JSON object text; "{}" when it has none or they do not
  // fit (a truncated text would not be JSON).
  std::string stats() const {
    if (!t->stats) return "{}";
    char buf[3072] = {0};
    if (t->stats(inst, buf, sizeof buf) != BDB_DRV_OK || buf[0] != '{' ||
        std::strlen(buf) + 1 >= sizeof buf)
      return "{}";
    return buf;
  }

  int get(const char *key, const char *inm, bdb_drv_object *out, bdb_drv_error *err) const {
    *out = bdb_drv_object{};
    return t->get(inst, key, inm, out, err);
  }
  int put(const char *key, const void *data, size_t size, const bdb_drv_put_options *o, char **etag,
          bdb_drv_error *err) const {
    *etag = nullptr;
    return t->put(inst, key, data, size, o, etag, err);
  }
  int del(const char *key, bdb_drv_error *err) const { return t->del(inst, key, err); }
  int list(const char *prefix, const char *token, bdb_drv_list *out, bdb_drv_error *err) const {
    *out = bdb_drv_list{};
    return t->list(inst, prefix, token, out, err);
  }
  void release(void *p) const {
    if (p) t->release(inst, p);
  }
  void release_list(bdb_drv_list *l) const { t->release_list(inst, l); }
};

// An object got from an inner driver, handed back to it when this goes out of scope.
class InnerObject {
 public:
  explicit InnerObject(const Inner &in) : in_(in) {}
  ~InnerObject() { reset(); }
  InnerObject(const InnerObject &) = delete;
  InnerObject &operator=(const InnerObject &) = delete;

  bdb_drv_object *out() {
    reset();
    return &obj_;
  }
  const unsigned char *data() const { return static_cast<const unsigned char *>(obj_.data); }
  size_t size() const { return obj_.size; }
  const char *etag() const { return obj_.etag; }
  void reset() {
    in_.release(obj_.data);
    in_.release(obj_.etag);
    obj_ = bdb_drv_object{};
  }

 private:
  const Inner &in_;
  bdb_drv_object obj_{};
};

// A malloc'd buffer on its way to the host (freed here unless given away).
struct MallocBuffer {
  unsigned char *p = nullptr;
  size_t n = 0;
  MallocBuffer() = default;
  explicit MallocBuffer(size_t size)
      : p(static_cast<unsigned char *>(std::malloc(size ? size : 1))), n(size) {}
  ~MallocBuffer() { std::free(p); }
  MallocBuffer(const MallocBuffer &) = delete;
  MallocBuffer &operator=(const MallocBuffer &) = delete;
  MallocBuffer &operator=(MallocBuffer &&o) noexcept {
    if (this != &o) {
      std::free(p);
      p = o.release();
      n = o.n;
    }
    return *this;
  }
  unsigned char *release() {
    unsigned char *r = p;
    p = nullptr;
    return r;
  }
};

// Fills out with buf (taken over) and a malloc'd copy of etag (may be NULL).
inline int give_object(bdb_drv_object *out, MallocBuffer &buf, size_t size, const char *etag,
                       const char *key, bdb_drv_error *err) {
  char *e = nullptr;
  if (etag && !(e = dup_cstr(etag)))
    return set_error(err, BDB_DRV_NOMEM, ENOMEM, "get %.*s: out of memory", kKeyInMessage, key);
  out->data = buf.release();
  out->size = size;
  out->etag = e;
  return BDB_DRV_OK;
}

// Copies an inner object into buffers of the layer's own.
inline int copy_object(const InnerObject &in, bdb_drv_object *out, const char *key,
                       bdb_drv_error *err) {
  MallocBuffer buf(in.size());
  if (!buf.p)
    return set_error(err, BDB_DRV_NOMEM, ENOMEM, "get %.*s: out of memory", kKeyInMessage, key);
  if (in.size()) std::memcpy(buf.p, in.data(), in.size());
  return give_object(out, buf, in.size(), in.etag(), key, err);
}

// Swaps an ETag an inner put returned for a malloc'd copy of the layer's own.
inline int take_etag(const Inner &in, char **etag, const char *key, bdb_drv_error *err) {
  if (!*etag) return BDB_DRV_OK;
  char *mine = dup_cstr(*etag);
  in.release(*etag);
  *etag = mine;
  if (!mine)
    return set_error(err, BDB_DRV_NOMEM, ENOMEM, "put %.*s: out of memory", kKeyInMessage, key);
  return BDB_DRV_OK;
}

// Checks that the host can open inner drivers.
inline int check_host(const bdb_driver_host *host, const char *layer, bdb_drv_error *err) {
  if (!host || !BDB_DRIVER_HOST_HAS(host, host_ctx) || !host->open_inner || !host->close_inner)
    return set_error(err, BDB_DRV_INVALID, 0, "%s: the host cannot open inner drivers", layer);
  return BDB_DRV_OK;
}

// Splits config into the layer's options and the inner URI, refusing an empty inner URI.
inline int split_layer(const char *config, const char *layer, std::string *inner,
                       std::map<std::string, std::string> *opts, bdb_drv_error *err) {
  std::string why;
  if (!split_layer_config(config ? config : "", layer, inner, opts, &why))
    return set_error(err, BDB_DRV_INVALID, 0, "%s: %s", layer, why.c_str());
  if (inner->empty() || (*inner)[0] == '?')
    return set_error(err, BDB_DRV_INVALID, 0, "%s: no inner URI (%s:file:/dir?...)", layer, layer);
  return BDB_DRV_OK;
}

// A decimal in [lo, hi].
inline bool parse_u64(const std::string &s, uint64_t lo, uint64_t hi, uint64_t *out) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v < lo || v > hi) return false;
  *out = v;
  return true;
}

// "0" or "1".
inline bool parse_flag(const std::string &s, bool *out) {
  if (s != "0" && s != "1") return false;
  *out = s == "1";
  return true;
}

// A JSON string literal for s (quotes, backslashes and control characters escaped).
inline std::string json_string(const std::string &s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// Writes text into the host's stats buffer; when it does not fit, writes `fallback` (the
// layer's counters without the inner ones) so that the host always gets whole JSON.
inline int write_stats(char *buf, size_t cap, const std::string &text,
                       const std::string &fallback) {
  if (!buf || cap == 0) return BDB_DRV_OK;
  const char *pick = text.size() < cap       ? text.c_str()
                     : fallback.size() < cap ? fallback.c_str()
                                             : "{}";
  std::snprintf(buf, cap, "%s", pick);
  return BDB_DRV_OK;
}

}  // namespace bdbdrv
