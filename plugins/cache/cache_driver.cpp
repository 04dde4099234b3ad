// cache: a layered driver that keeps a local disk copy of IMMUTABLE objects (data blocks,
// index nodes, manifest pages, blobs), so that a restarted node does not pay for its warm set
// again. Block 0 and the log (committed/) are never cached: they change, or may appear.
//
//   cache:s3://bucket?region=eu-west-1&cache.dir=/var/cache/bucketdb&cache.max_bytes=2G
//   crypt:cache:s3://bucket?cache.dir=/var/cache/bdb     the cache holds only ciphertext
//
// Options (all "cache."-prefixed; the rest of the query goes to the inner driver):
//   dir=PATH         the cache directory (required; created when missing); survives restarts
//   max_bytes=N      size bound, with an optional K, M or G suffix (default 1G); the least
//                    recently used entries go first; one entry takes at most a quarter of it
//   write_through=0  do not cache the objects this node writes (default 1: cache them)
//   data=, indexes=, manifest=, blobs=, committed=   the sub-prefix names, when the database
//                    sets dataPrefix etc. (defaults data, indexes, manifest, blobs, committed)
//
// Which keys are immutable is told by their shape (SPEC section 2), whatever the dbPrefix:
// ".../blobs/ID", ".../data/TABLE/ID", ".../manifest/TABLE/ID", ".../indexes/TABLE/FIELD/ID",
// but never ".../block0" nor ".../committed/SEQ". Other keys pass straight through. A hit
// answers get (and if_none_match) without any inner call; puts and deletes through this layer
// update the cache. Objects of another store never meet: entries are named by a hash of the
// inner URI (without its query) and the key, and hold the key itself.
#include <bucketdb/driver.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "cache_dir.h"
#include "entry.h"
#include "layer.h"

namespace {

using bdbdrv::guarded;
using bdbdrv::kKeyInMessage;
using bdbdrv::set_error;

struct Names {
  std::string data = "data", indexes = "indexes", manifest = "manifest", blobs = "blobs",
              committed = "committed";
};

// Whether key has the shape of an immutable object (see the top of this file).
bool immutable_key(const char *key, const Names &names) {
  std::vector<std::string> seg;
  std::string cur;
  for (const char *p = key; *p; p++) {
    if (*p == '/') {
      seg.push_back(cur);
      cur.clear();
    } else {
      cur += *p;
    }
  }
  seg.push_back(cur);
  const size_t n = seg.size();
  if (seg[n - 1] == "block0" || seg[n - 1].empty()) return false;
  if (n >= 2 && seg[n - 2] == names.committed) return false;
  if (n >= 2 && seg[n - 2] == names.blobs) return true;
  if (n >= 3 && (seg[n - 3] == names.data || seg[n - 3] == names.manifest)) return true;
  if (n >= 4 && seg[n - 4] == names.indexes) return true;
  return false;
}

struct Cache {
  bdbdrv::Inner inner;
  std::shared_ptr<bdbcache::Dir> dir;
  std::string store;  // the inner URI without its query: names entries apart from other stores
  Names names;
  bool write_through = true;
  std::atomic<uint64_t> hits{0}, misses{0}, not_modified{0}, stores{0}, passthrough{0};
  // Raised by every delete: a get that began before one does not cache what it fetched.
  std::atomic<uint64_t> deletes{0};
  ~Cache() { inner.close(); }
};

bool parse_size(const std::string &s, uint64_t *out) {
  if (s.empty()) return false;
  uint64_t mult = 1;
  std::string digits = s;
  char last = s.back();
  if (last == 'K' || last == 'k') mult = uint64_t{1} << 10;
  if (last == 'M' || last == 'm') mult = uint64_t{1} << 20;
  if (last == 'G' || last == 'g') mult = uint64_t{1} << 30;
  if (mult != 1) digits.pop_back();
  uint64_t v = 0;
  if (!bdbdrv::parse_u64(digits, 1, (uint64_t{1} << 50) / mult, &v)) return false;
  *out = v * mult;
  return true;
}

int cache_open(const bdb_driver_host *host, const char *config, void **out, bdb_drv_error *err) {
  return guarded(err, "open", config, [&]() -> int {
    std::string inner, why, dir;
    std::map<std::string, std::string> opts;
    if (int st = bdbdrv::split_layer(config, "cache", &inner, &opts, err)) return st;
    auto c = std::make_unique<Cache>();
    uint64_t max_bytes = uint64_t{1} << 30;
    for (const auto &[name, value] : opts) {
      bool ok = true;
      if (name == "dir")
        dir = value;
      else if (name == "max_bytes")
        ok = parse_size(value, &max_bytes);
      else if (name == "write_through")
        ok = bdbdrv::parse_flag(value, &c->write_through);
      else if (name == "data")
        c->names.data = value;
      else if (name == "indexes")
        c->names.indexes = value;
      else if (name == "manifest")
        c->names.manifest = value;
      else if (name == "blobs")
        c->names.blobs = value;
      else if (name == "committed")
        c->names.committed = value;
      else
        return set_error(err, BDB_DRV_INVALID, 0,
                         "cache: unknown option cache.%s (known: cache.dir, cache.max_bytes, "
                         "cache.write_through, cache.data, cache.indexes, cache.manifest, "
                         "cache.blobs, cache.committed)",
                         name.c_str());
      if (!ok || value.empty())
        return set_error(err, BDB_DRV_INVALID, 0, "cache: bad value '%s' for cache.%s",
                         value.c_str(), name.c_str());
    }
    if (dir.empty())
      return set_error(err, BDB_DRV_INVALID, 0,
                       "cache: set cache.dir=PATH (a local directory for the cached objects)");
    if (int st = bdbdrv::check_host(host, "cache", err)) return st;
    c->dir = bdbcache::Dir::open(dir, max_bytes, &why);
    if (!c->dir) return set_error(err, BDB_DRV_IO, errno, "cache: %s", why.c_str());
    c->store = inner.substr(0, inner.find('?'));
    if (int st = c->inner.open(host, inner, err)) return st;
    *out = c.release();
    return BDB_DRV_OK;
  });
}

void cache_close(void *inst) {
  delete static_cast<Cache *>(inst);
}

int cache_get(void *inst, const char *key, const char *inm, bdb_drv_object *out,
              bdb_drv_error *err) {
  auto *c = static_cast<Cache *>(inst);
  return guarded(err, "get", key, [&]() -> int {
    *out = bdb_drv_object{};
    bdbdrv::InnerObject obj(c->inner);
    if (!immutable_key(key, c->names)) {
      c->passthrough++;
      int st = c->inner.get(key, inm, obj.out(), err);
      return st != BDB_DRV_OK ? st : bdbdrv::copy_object(obj, out, key, err);
    }
    const std::string name = bdbcache::Dir::name_for(c->store, key);
    bdbdrv::MallocBuffer data;
    size_t size = 0;
    std::string etag;
    if (c->dir->read(name, key, &data, &size, &etag)) {
      c->hits++;
      if (inm && !etag.empty() &&
          bdbdrv::normalize_etag(inm) == bdbdrv::normalize_etag(etag.c_str())) {
        c->not_modified++;
        return BDB_DRV_NOT_MODIFIED;
      }
      return bdbdrv::give_object(out, data, size, etag.empty() ? nullptr : etag.c_str(), key, err);
    }
    c->misses++;
    const uint64_t deletes = c->deletes.load();
    int st = c->inner.get(key, inm, obj.out(), err);
    if (st != BDB_DRV_OK) return st;
    if (obj.etag() && c->deletes.load() == deletes) {
      c->dir->write(name, key, obj.data(), obj.size(), obj.etag());
      c->stores++;
    }
    return bdbdrv::copy_object(obj, out, key, err);
  });
}

int cache_put(void *inst, const char *key, const void *data, size_t size,
              const bdb_drv_put_options *o, char **etag, bdb_drv_error *err) {
  auto *c = static_cast<Cache *>(inst);
  return guarded(err, "put", key, [&]() -> int {
    int st = c->inner.put(key, data, size, o, etag, err);
    if (!immutable_key(key, c->names)) {
      return st != BDB_DRV_OK ? st : bdbdrv::take_etag(c->inner, etag, key, err);
    }
    const std::string name = bdbcache::Dir::name_for(c->store, key);
    if (st == BDB_DRV_PRECONDITION_FAILED) return st;  // what is cached, if anything, stands
    if (st != BDB_DRV_OK || !*etag || !c->write_through) {
      // The object may have changed (a put that failed may still have landed).
      c->dir->remove(name);
      return st != BDB_DRV_OK ? st : bdbdrv::take_etag(c->inner, etag, key, err);
    }
    c->dir->write(name, key, data, size, *etag);
    c->stores++;
    return bdbdrv::take_etag(c->inner, etag, key, err);
  });
}

int cache_del(void *inst, const char *key, bdb_drv_error *err) {
  auto *c = static_cast<Cache *>(inst);
  return guarded(err, "delete", key, [&]() -> int {
    if (!immutable_key(key, c->names)) return c->inner.del(key, err);
    const std::string name = bdbcache::Dir::name_for(c->store, key);
    c->deletes++;
    c->dir->remove(name);
    int st = c->inner.del(key, err);
    c->dir->remove(name);  // a get that raced the delete may have cached it again
    return st;
  });
}

int cache_list(void *inst, const char *prefix, const char *token, bdb_drv_list *out,
               bdb_drv_error *err) {
  return static_cast<Cache *>(inst)->inner.list(prefix, token, out, err);
}

void cache_release(void *, void *p) {
  std::free(p);
}
void cache_release_list(void *inst, bdb_drv_list *l) {
  static_cast<Cache *>(inst)->inner.release_list(l);
}

uint64_t cache_capabilities(void *inst) {
  return static_cast<Cache *>(inst)->inner.capabilities();
}

int cache_stats(void *inst, char *buf, size_t cap) {
  auto *c = static_cast<Cache *>(inst);
  return guarded(nullptr, "stats", "", [&]() -> int {
    auto n = [](uint64_t v) { return std::to_string(v); };
    bdbcache::Dir &d = *c->dir;
    std::string own = "\"hits\":" + n(c->hits) + ",\"misses\":" + n(c->misses) +
                      ",\"notModified\":" + n(c->not_modified) + ",\"stores\":" + n(c->stores) +
                      ",\"passthrough\":" + n(c->passthrough) + ",\"entries\":" + n(d.entries()) +
                      ",\"bytes\":" + n(d.bytes()) + ",\"maxBytes\":" + n(d.max_bytes()) +
                      ",\"evictions\":" + n(d.evictions) + ",\"badEntries\":" + n(d.bad_entries) +
                      ",\"writeErrors\":" + n(d.write_errors);
    return bdbdrv::write_stats(buf, cap, "{" + own + ",\"inner\":" + c->inner.stats() + "}",
                               "{" + own + "}");
  });
}

}  // namespace

extern "C" BDB_DRIVER_ENTRY_VISIBILITY const bdb_driver_v1 *BDB_DRIVER_ENTRY_NAME(
    uint32_t host_abi) {
  static const bdb_driver_v1 t = bdbdrv::layer_table(
      "cache", cache_open, cache_close, cache_get, cache_put, cache_del, cache_list, cache_release,
      cache_release_list, cache_stats, cache_capabilities);
  return host_abi >= 1 ? &t : nullptr;
}
