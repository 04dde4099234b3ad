// The "s3:" driver: objects in an S3 bucket (AWS S3, Cloudflare R2, MinIO, Ceph RGW, ...)
// through libcurl, signed with SigV4. See README.md in this directory for the options.
//
//   s3://bucket[/key/prefix]?endpoint=http://127.0.0.1:7480&region=us-east-1&style=path
#include <bucketdb/driver.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include "drv_util.h"
#include "entry.h"
#include "s3_config.h"
#include "s3_store.h"

namespace {

using bdbdrv::guarded;
using bdbdrv::set_error;
using bdbs3::S3Store;

S3Store *store(void *instance) {
  return static_cast<S3Store *>(instance);
}

int s3_open(const bdb_driver_host *host, const char *config, void **out_instance,
            bdb_drv_error *err) {
  // The URI may carry an endpoint but never a secret, so it is safe in messages.
  return guarded(err, "open", config, [&]() -> int {
    bdbs3::Config c;
    std::string why;
    int st = bdbs3::parse_config(
        config ? config : "", [](const char *n) { return std::getenv(n); }, &c, &why);
    if (st != BDB_DRV_OK) {
      // Only the part before '?': a misplaced secret in an option must not reach a log.
      std::string where = config ? config : "";
      where = where.substr(0, where.find('?'));
      return set_error(err, st, 0, "s3:%.*s: %s", bdbdrv::kKeyInMessage, where.c_str(),
                       why.c_str());
    }
    *out_instance = new S3Store(std::move(c), host);
    return BDB_DRV_OK;
  });
}

void s3_close(void *instance) {
  delete store(instance);
}

int s3_get(void *instance, const char *key, const char *if_none_match, bdb_drv_object *out,
           bdb_drv_error *err) {
  return guarded(err, "get", key,
                 [&] { return store(instance)->get(key, if_none_match, out, err); });
}

int s3_put(void *instance, const char *key, const void *data, size_t size,
           const bdb_drv_put_options *options, char **out_etag, bdb_drv_error *err) {
  return guarded(err, "put", key,
                 [&] { return store(instance)->put(key, data, size, options, out_etag, err); });
}

int s3_del(void *instance, const char *key, bdb_drv_error *err) {
  return guarded(err, "delete", key, [&] { return store(instance)->del(key, err); });
}

int s3_list(void *instance, const char *prefix, const char *token, bdb_drv_list *out,
            bdb_drv_error *err) {
  return guarded(err, "list", prefix,
                 [&] { return store(instance)->list(prefix, token, out, err); });
}

void s3_release(void *, void *ptr) {
  std::free(ptr);
}

void s3_release_list(void *, bdb_drv_list *list) {
  bdbdrv::free_list(list);
}

int s3_stats(void *instance, char *buf, size_t cap) {
  if (!buf || cap == 0) return BDB_DRV_OK;
  buf[0] = 0;
  return guarded(nullptr, "stats", "", [&]() -> int {
    std::snprintf(buf, cap, "%s", store(instance)->stats_json().c_str());
    return BDB_DRV_OK;
  });
}

// AWS S3 has strong read-after-write consistency for puts, deletes and lists; so do RGW, R2,
// MinIO and Tigris.
constexpr uint64_t kCapabilities = BDB_DRV_CAP_CONDITIONAL_PUT | BDB_DRV_CAP_STRONG_LIST |
                                   BDB_DRV_CAP_IF_NONE_MATCH_GET | BDB_DRV_CAP_RETRIES;

// A store opened with conditional_writes=off (Backblaze B2 answers conditional puts with 501)
// says so, and the engine falls back to the timeshare rule.
uint64_t s3_instance_capabilities(void *instance) {
  return store(instance)->config().conditional_writes
             ? kCapabilities
             : kCapabilities & ~uint64_t{BDB_DRV_CAP_CONDITIONAL_PUT};
}

const bdb_driver_v1 kTable = {
    BDB_DRIVER_ABI_VERSION,
    sizeof(bdb_driver_v1),
    "s3",
    kCapabilities,
    s3_open,
    s3_close,
    s3_get,
    s3_put,
    s3_del,
    s3_list,
    s3_release,
    s3_release_list,
    s3_stats,
    s3_instance_capabilities,
};

}  // namespace

extern "C" BDB_DRIVER_ENTRY_VISIBILITY const bdb_driver_v1 *BDB_DRIVER_ENTRY_NAME(
    uint32_t host_abi) {
  return host_abi >= 1 ? &kTable : nullptr;
}
