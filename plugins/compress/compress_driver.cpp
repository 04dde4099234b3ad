// compress: a layered driver that compresses objects with zstd before the driver it wraps
// stores them, keeping those that do not shrink as they are.
//
//   compress:s3://bucket?compress.level=9
//   compress:crypt:file:/d        compress first, then encrypt (the leftmost layer sees the
//                                 plaintext first; under crypt: nothing would shrink)
//
// Options (all "compress."-prefixed; the rest of the query goes to the inner driver):
//   level=N      zstd level, -7 (fastest) to 19 (smallest); default 3
//   min_size=N   objects smaller than N bytes are stored without trying (default 64)
//   max_size=N   largest object a get will inflate, a guard against a damaged size field
//                (default 4294967296)
//
// Stored form: one byte, 0x3C = the object's bytes follow as they are, 0xC3 = one zstd frame
// follows (with its content size and checksum, so damage is caught). The two differ in every
// bit, so no single damaged bit turns one form into the other. Anything else, or a damaged
// frame, gives BDB_DRV_CORRUPT. ETags and conditional puts are the inner driver's, unchanged.
// Every object of a store must be written through this layer: it cannot tell a raw object.
#include <bucketdb/driver.h>
#include <zstd.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "entry.h"
#include "layer.h"

namespace {

using bdbdrv::guarded;
using bdbdrv::kKeyInMessage;
using bdbdrv::set_error;

constexpr unsigned char kStored = 0x3C, kZstd = 0xC3;

// Contexts are reused (making one costs more than compressing a small object) from a pool of
// the instance: a thread_local in a dlopen'ed plugin is dynamic TLS, which LeakSanitizer's
// tracer can misread and crash on (google/sanitizers#1322).
template <class T, size_t (*Free)(T *)>
class ContextPool {
 public:
  struct Return {
    ContextPool *pool;
    void operator()(T *c) const { pool->give_back(c); }
  };
  using Lease = std::unique_ptr<T, Return>;

  ~ContextPool() {
    for (T *c : idle_) Free(c);
  }
  // A context to use (null when out of memory), back to the pool when the lease ends.
  template <class Make>
  Lease take(Make make) {
    T *c = nullptr;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!idle_.empty()) {
        c = idle_.back();
        idle_.pop_back();
      }
    }
    return Lease(c ? c : make(), Return{this});
  }

 private:
  void give_back(T *c) {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(c);
  }
  std::mutex mu_;
  std::vector<T *> idle_;
};

struct Compress {
  bdbdrv::Inner inner;
  int level = 3;
  uint64_t min_size = 64, max_size = uint64_t{1} << 32;
  std::atomic<uint64_t> compressed{0}, stored_raw{0}, inflated{0}, bytes_in{0}, bytes_stored{0},
      corrupt{0};
  ContextPool<ZSTD_CCtx, ZSTD_freeCCtx> cctx;
  ContextPool<ZSTD_DCtx, ZSTD_freeDCtx> dctx;
  ~Compress() { inner.close(); }
};

bool parse_level(const std::string &s, int *out) {
  bool neg = !s.empty() && s[0] == '-';
  uint64_t v = 0;
  if (!bdbdrv::parse_u64(neg ? s.substr(1) : s, 0, 22, &v)) return false;
  int level = neg ? -static_cast<int>(v) : static_cast<int>(v);
  if (level < -7 || level > 19) return false;
  *out = level;
  return true;
}

int compress_open(const bdb_driver_host *host, const char *config, void **out, bdb_drv_error *err) {
  return guarded(err, "open", config, [&]() -> int {
    std::string inner;
    std::map<std::string, std::string> opts;
    if (int st = bdbdrv::split_layer(config, "compress", &inner, &opts, err)) return st;
    auto c = std::make_unique<Compress>();
    for (const auto &[name, value] : opts) {
      bool ok = true;
      if (name == "level")
        ok = parse_level(value, &c->level);
      else if (name == "min_size")
        ok = bdbdrv::parse_u64(value, 0, uint64_t{1} << 40, &c->min_size);
      else if (name == "max_size")
        ok = bdbdrv::parse_u64(value, 1, uint64_t{1} << 40, &c->max_size);
      else
        return set_error(err, BDB_DRV_INVALID, 0,
                         "compress: unknown option compress.%s (known: compress.level, "
                         "compress.min_size, compress.max_size)",
                         name.c_str());
      if (!ok)
        return set_error(err, BDB_DRV_INVALID, 0, "compress: bad value '%s' for compress.%s%s",
                         value.c_str(), name.c_str(),
                         name == "level" ? " (a zstd level from -7 to 19)" : "");
    }
    if (int st = bdbdrv::check_host(host, "compress", err)) return st;
    if (int st = c->inner.open(host, inner, err)) return st;
    *out = c.release();
    return BDB_DRV_OK;
  });
}

void compress_close(void *inst) {
  delete static_cast<Compress *>(inst);
}

int corrupt(Compress *c, bdb_drv_error *err, const char *key, const char *what) {
  c->corrupt++;
  return set_error(err, BDB_DRV_CORRUPT, 0, "get %.*s: compress: %s", kKeyInMessage, key, what);
}

int compress_get(void *inst, const char *key, const char *inm, bdb_drv_object *out,
                 bdb_drv_error *err) {
  auto *c = static_cast<Compress *>(inst);
  return guarded(err, "get", key, [&]() -> int {
    *out = bdb_drv_object{};
    bdbdrv::InnerObject obj(c->inner);
    int st = c->inner.get(key, inm, obj.out(), err);
    if (st != BDB_DRV_OK) return st;
    if (obj.size() == 0 || (obj.data()[0] != kStored && obj.data()[0] != kZstd))
      return corrupt(c, err, key,
                     "not written by the compress: layer (bad header byte), or damaged");
    const unsigned char *body = obj.data() + 1;
    size_t body_size = obj.size() - 1;
    if (obj.data()[0] == kStored) {
      bdbdrv::MallocBuffer buf(body_size);
      if (!buf.p)
        return set_error(err, BDB_DRV_NOMEM, ENOMEM, "get %.*s: out of memory", kKeyInMessage, key);
      if (body_size) std::memcpy(buf.p, body, body_size);
      return bdbdrv::give_object(out, buf, body_size, obj.etag(), key, err);
    }
    unsigned long long size = ZSTD_getFrameContentSize(body, body_size);
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
      return corrupt(c, err, key, "damaged zstd frame (no content size)");
    if (size > c->max_size)
      return corrupt(c, err, key, "zstd frame claims more than compress.max_size bytes");
    bdbdrv::MallocBuffer buf(static_cast<size_t>(size));
    if (!buf.p)
      return set_error(err, BDB_DRV_NOMEM, ENOMEM, "get %.*s: out of memory", kKeyInMessage, key);
    auto d = c->dctx.take(ZSTD_createDCtx);
    if (!d)
      return set_error(err, BDB_DRV_NOMEM, ENOMEM, "get %.*s: out of memory", kKeyInMessage, key);
    size_t got = ZSTD_decompressDCtx(d.get(), buf.p, static_cast<size_t>(size), body, body_size);
    if (ZSTD_isError(got) || got != size) {
      std::string why = std::string("damaged zstd frame (") +
                        (ZSTD_isError(got) ? ZSTD_getErrorName(got) : "size mismatch") + ")";
      return corrupt(c, err, key, why.c_str());
    }
    c->inflated++;
    return bdbdrv::give_object(out, buf, got, obj.etag(), key, err);
  });
}

int compress_put(void *inst, const char *key, const void *data, size_t size,
                 const bdb_drv_put_options *o, char **etag, bdb_drv_error *err) {
  auto *c = static_cast<Compress *>(inst);
  return guarded(err, "put", key, [&]() -> int {
    *etag = nullptr;
    bdbdrv::MallocBuffer packed;
    size_t packed_size = 0;
    if (size >= c->min_size && size > 0) {
      size_t bound = ZSTD_compressBound(size);
      packed = bdbdrv::MallocBuffer(1 + bound);
      auto z = c->cctx.take(ZSTD_createCCtx);
      if (packed.p && z) {
        ZSTD_CCtx_reset(z.get(), ZSTD_reset_session_and_parameters);
        ZSTD_CCtx_setParameter(z.get(), ZSTD_c_compressionLevel, c->level);
        ZSTD_CCtx_setParameter(z.get(), ZSTD_c_checksumFlag, 1);
        size_t n = ZSTD_compress2(z.get(), packed.p + 1, bound, data, size);
        // Kept only when it shrinks the object, header byte included.
        if (!ZSTD_isError(n) && n < size) {
          packed.p[0] = kZstd;
          packed_size = 1 + n;
        }
      }
    }
    if (!packed_size) {
      packed = bdbdrv::MallocBuffer(1 + size);
      if (!packed.p)
        return set_error(err, BDB_DRV_NOMEM, ENOMEM, "put %.*s: out of memory", kKeyInMessage, key);
      packed.p[0] = kStored;
      if (size) std::memcpy(packed.p + 1, data, size);
      packed_size = 1 + size;
    }
    int st = c->inner.put(key, packed.p, packed_size, o, etag, err);
    if (st != BDB_DRV_OK) return st;
    (packed.p[0] == kZstd ? c->compressed : c->stored_raw)++;
    c->bytes_in += size;
    c->bytes_stored += packed_size;
    return bdbdrv::take_etag(c->inner, etag, key, err);
  });
}

int compress_del(void *inst, const char *key, bdb_drv_error *err) {
  return static_cast<Compress *>(inst)->inner.del(key, err);
}

int compress_list(void *inst, const char *prefix, const char *token, bdb_drv_list *out,
                  bdb_drv_error *err) {
  return static_cast<Compress *>(inst)->inner.list(prefix, token, out, err);
}

void compress_release(void *, void *p) {
  std::free(p);
}
void compress_release_list(void *inst, bdb_drv_list *l) {
  static_cast<Compress *>(inst)->inner.release_list(l);
}

uint64_t compress_capabilities(void *inst) {
  return static_cast<Compress *>(inst)->inner.capabilities();
}

int compress_stats(void *inst, char *buf, size_t cap) {
  auto *c = static_cast<Compress *>(inst);
  return guarded(nullptr, "stats", "", [&]() -> int {
    auto n = [](const std::atomic<uint64_t> &v) { return std::to_string(v.load()); };
    uint64_t in = c->bytes_in.load(), stored = c->bytes_stored.load();
    std::string own = "\"compressed\":" + n(c->compressed) + ",\"storedRaw\":" + n(c->stored_raw) +
                      ",\"inflated\":" + n(c->inflated) + ",\"bytesIn\":" + std::to_string(in) +
                      ",\"bytesStored\":" + std::to_string(stored) +
                      ",\"bytesSaved\":" + std::to_string(in > stored ? in - stored : 0) +
                      ",\"corrupt\":" + n(c->corrupt) + ",\"level\":" + std::to_string(c->level);
    return bdbdrv::write_stats(buf, cap, "{" + own + ",\"inner\":" + c->inner.stats() + "}",
                               "{" + own + "}");
  });
}

}  // namespace

extern "C" BDB_DRIVER_ENTRY_VISIBILITY const bdb_driver_v1 *BDB_DRIVER_ENTRY_NAME(
    uint32_t host_abi) {
  static const bdb_driver_v1 t =
      bdbdrv::layer_table("compress", compress_open, compress_close, compress_get, compress_put,
                          compress_del, compress_list, compress_release, compress_release_list,
                          compress_stats, compress_capabilities);
  return host_abi >= 1 ? &t : nullptr;
}
