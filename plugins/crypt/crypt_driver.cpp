// crypt: a layered driver that encrypts every object with AES-256-GCM (OpenSSL) before the
// driver it wraps stores it, and authenticates and decrypts it on the way back.
//
//   crypt:s3://bucket?region=eu-west-1                      key from BUCKETDB_CRYPT_KEY
//   compress:crypt:file:/d?crypt.key_file=/etc/bdb.keys&crypt.key_id=2025-06
//
// Options (all "crypt."-prefixed; the rest of the query goes to the inner driver):
//   key_file=PATH   keys, one a line, "ID:HEX" or "HEX" (64 hex digits); '#' comments
//   key_id=ID       the key that encrypts new objects (default: the last key listed)
// Without key_file the keys come from BUCKETDB_CRYPT_KEYS ("ID:HEX,ID:HEX") or
// BUCKETDB_CRYPT_KEY ("HEX"). Every listed key decrypts, so rotation is: add the new key, make
// it current, keep the old ones while old objects exist (crypt_keys.h).
//
// Each object gets a fresh random 96-bit nonce and a header naming its key id (crypt_format.h).
// A modified object gives BDB_DRV_CORRUPT; an object of an unknown key id, or of a different
// key under a known id, gives BDB_DRV_PERMISSION naming the id. ETags and conditional puts
// are the inner driver's, passed through unchanged. The leftmost layer sees the plaintext
// first, so compression goes outside: compress:crypt:... (encrypted bytes do not compress;
// crypt:compress:... works but stores the ciphertext raw).
#include <bucketdb/driver.h>

#include <atomic>
#include <memory>
#include <string>

#include "crypt_format.h"
#include "crypt_keys.h"
#include "entry.h"
#include "layer.h"

namespace {

using bdbdrv::guarded;
using bdbdrv::kKeyInMessage;
using bdbdrv::set_error;

struct Crypt {
  bdbdrv::Inner inner;
  bdbcrypt::Keyring keys;
  std::atomic<uint64_t> encrypted{0}, decrypted{0}, bytes_encrypted{0}, bytes_decrypted{0},
      corrupt{0}, key_errors{0};
  ~Crypt() { inner.close(); }
};

int crypt_open(const bdb_driver_host *host, const char *config, void **out, bdb_drv_error *err) {
  return guarded(err, "open", config, [&]() -> int {
    std::string inner, why;
    std::map<std::string, std::string> opts;
    if (int st = bdbdrv::split_layer(config, "crypt", &inner, &opts, err)) return st;
    for (const auto &kv : opts)
      if (kv.first != "key_file" && kv.first != "key_id")
        return set_error(err, BDB_DRV_INVALID, 0,
                         "crypt: unknown option crypt.%s (known: crypt.key_file, crypt.key_id)",
                         kv.first.c_str());
    if (int st = bdbdrv::check_host(host, "crypt", err)) return st;
    auto c = std::make_unique<Crypt>();
    if (!c->keys.load(opts, &why))
      return set_error(err, BDB_DRV_INVALID, 0, "crypt: %s", why.c_str());
    if (int st = c->inner.open(host, inner, err)) return st;
    *out = c.release();
    return BDB_DRV_OK;
  });
}

void crypt_close(void *inst) {
  delete static_cast<Crypt *>(inst);
}

int crypt_get(void *inst, const char *key, const char *inm, bdb_drv_object *out,
              bdb_drv_error *err) {
  auto *c = static_cast<Crypt *>(inst);
  return guarded(err, "get", key, [&]() -> int {
    *out = bdb_drv_object{};
    bdbdrv::InnerObject obj(c->inner);
    int st = c->inner.get(key, inm, obj.out(), err);
    if (st != BDB_DRV_OK) return st;
    bdbdrv::MallocBuffer plain;
    size_t n = 0;
    std::string why;
    switch (bdbcrypt::open(c->keys, key, obj.data(), obj.size(), &plain, &n, &why)) {
      case bdbcrypt::Opened::kOk:
        break;
      case bdbcrypt::Opened::kCorrupt:
        c->corrupt++;
        return set_error(err, BDB_DRV_CORRUPT, 0, "get %.*s: crypt: %s", kKeyInMessage, key,
                         why.c_str());
      case bdbcrypt::Opened::kUnknownKey:
      case bdbcrypt::Opened::kWrongKey:
        c->key_errors++;
        return set_error(err, BDB_DRV_PERMISSION, 0, "get %.*s: crypt: %s", kKeyInMessage, key,
                         why.c_str());
      case bdbcrypt::Opened::kFailed:
        return set_error(err, BDB_DRV_IO, 0, "get %.*s: crypt: %s", kKeyInMessage, key,
                         why.c_str());
    }
    c->decrypted++;
    c->bytes_decrypted += n;
    return bdbdrv::give_object(out, plain, n, obj.etag(), key, err);
  });
}

int crypt_put(void *inst, const char *key, const void *data, size_t size,
              const bdb_drv_put_options *o, char **etag, bdb_drv_error *err) {
  auto *c = static_cast<Crypt *>(inst);
  return guarded(err, "put", key, [&]() -> int {
    char *inner_etag = nullptr;
    if (etag) *etag = nullptr;
    bdbdrv::MallocBuffer sealed;
    std::string why;
    if (!bdbcrypt::seal(c->keys.current(), key, data, size, &sealed, &why))
      return set_error(err, BDB_DRV_IO, 0, "put %.*s: crypt: %s", kKeyInMessage, key, why.c_str());
    int st = c->inner.put(key, sealed.p, sealed.n, o, &inner_etag, err);
    if (st != BDB_DRV_OK) return st;
    c->encrypted++;
    c->bytes_encrypted += size;
    if (!etag) {
      c->inner.release(inner_etag);
      return BDB_DRV_OK;
    }
    *etag = inner_etag;
    return bdbdrv::take_etag(c->inner, etag, key, err);
  });
}

int crypt_del(void *inst, const char *key, bdb_drv_error *err) {
  auto *c = static_cast<Crypt *>(inst);
  return c->inner.del(key, err);
}

int crypt_list(void *inst, const char *prefix, const char *token, bdb_drv_list *out,
               bdb_drv_error *err) {
  auto *c = static_cast<Crypt *>(inst);
  return c->inner.list(prefix, token, out, err);
}

void crypt_release(void *, void *p) {
  std::free(p);
}
void crypt_release_list(void *inst, bdb_drv_list *l) {
  static_cast<Crypt *>(inst)->inner.release_list(l);
}

uint64_t crypt_capabilities(void *inst) {
  return static_cast<Crypt *>(inst)->inner.capabilities();
}

int crypt_stats(void *inst, char *buf, size_t cap) {
  auto *c = static_cast<Crypt *>(inst);
  return guarded(nullptr, "stats", "", [&]() -> int {
    auto n = [](const std::atomic<uint64_t> &v) { return std::to_string(v.load()); };
    std::string own = "\"encrypted\":" + n(c->encrypted) + ",\"decrypted\":" + n(c->decrypted) +
                      ",\"bytesEncrypted\":" + n(c->bytes_encrypted) +
                      ",\"bytesDecrypted\":" + n(c->bytes_decrypted) +
                      ",\"corrupt\":" + n(c->corrupt) + ",\"keyErrors\":" + n(c->key_errors) +
                      ",\"currentKeyId\":" + bdbdrv::json_string(c->keys.current().id);
    return bdbdrv::write_stats(buf, cap, "{" + own + ",\"inner\":" + c->inner.stats() + "}",
                               "{" + own + "}");
  });
}

}  // namespace

extern "C" BDB_DRIVER_ENTRY_VISIBILITY const bdb_driver_v1 *BDB_DRIVER_ENTRY_NAME(
    uint32_t host_abi) {
  static const bdb_driver_v1 t = bdbdrv::layer_table(
      "crypt", crypt_open, crypt_close, crypt_get, crypt_put, crypt_del, crypt_list, crypt_release,
      crypt_release_list, crypt_stats, crypt_capabilities);
  return host_abi >= 1 ? &t : nullptr;
}
