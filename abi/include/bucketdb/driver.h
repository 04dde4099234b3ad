/*
 * BucketDB storage-driver plugin ABI.
 *
 * A driver is a shared object that exports one C function, `bdb_driver_entry`, which returns a
 * versioned, size-prefixed table of function pointers (models: SQLite's sqlite3_vfs and its
 * iVersion, OpenSSL 3 provider dispatch tables). The engine sees storage only through it.
 *
 * ABI rules
 *  - `abi_version` says which fields the table has; `struct_size` is sizeof the table the driver
 *    was built with. A host accepts any table with abi_version >= 1 and struct_size at least the
 *    size of version 1; it never reads a field past struct_size.
 *  - New versions only append fields at the end. A field, once published, never changes meaning,
 *    type or position. So a driver written today still loads after the ABI grows.
 *  - Nothing but the status codes below, the error struct and plain C data crosses the boundary:
 *    no C++ exception, no errno-only failure, no FILE*, no allocator mix-up.
 *
 * Ownership
 *  - Buffers the driver returns (object bytes, ETags, list results) are allocated by the driver
 *    and given back to it with `release`. The host never calls free() on them.
 *  - Buffers the host passes in (keys, data, ETags, options) are borrowed for the duration of
 *    the call only; the driver copies what it keeps.
 *
 * Threads
 *  - The host calls every function of one instance from many threads at once; a driver must be
 *    thread-safe. `open` and `close` are not called concurrently with other calls on the same
 *    instance.
 *
 * Keys are UTF-8 strings of any bytes but NUL, at most BDB_DRV_MAX_KEY bytes, '/'-separated;
 * they never start with '/'. A driver must store any such key faithfully (spaces, '+', '%',
 * '?', '~', non-ASCII) or fail with BDB_DRV_INVALID naming the key.
 *
 * ETags are opaque strings. The host compares them after stripping quotes and a "W/" prefix.
 *
 * Layered drivers wrap the driver of an inner URI: "crypt:compress:s3://bucket?region=x".
 * A layer reads its own options from the one query string, named with its scheme as prefix
 * ("faulty:file:/d?faulty.fail_nth=3&faulty.seed=7"), removes them, and opens the rest
 * ("file:/d") with host->open_inner. So every layer and the innermost driver share one
 * query string and never see each other's options.
 */
#ifndef BUCKETDB_DRIVER_H
#define BUCKETDB_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BDB_DRIVER_ABI_VERSION 1u
#define BDB_DRV_MAX_KEY 1024u

/* Status codes returned by every driver function. */
typedef enum bdb_drv_status {
  BDB_DRV_OK = 0,
  BDB_DRV_NOT_FOUND = 1,           /* get/list: no such key (delete of a missing key is OK) */
  BDB_DRV_PRECONDITION_FAILED = 2, /* put: If-Match / If-None-Match not satisfied, or a
                                      conditional-write conflict (S3 409) */
  BDB_DRV_NOT_MODIFIED = 3,        /* get with if_none_match: the object still has that ETag */
  BDB_DRV_TRANSIENT = 4,           /* may succeed if retried (timeout, reset, 5xx, 429); for a
                                      put the write may or may not have landed */
  BDB_DRV_PERMISSION = 5,          /* credentials or policy refuse the operation */
  BDB_DRV_INVALID = 6,             /* bad key, bad configuration, unsupported request */
  BDB_DRV_IO = 7,                  /* persistent storage error */
  BDB_DRV_NO_SPACE = 8,            /* disk or quota full */
  BDB_DRV_NOMEM = 9
} bdb_drv_status;

/* Capability bits (bdb_driver_v1.capabilities). */
#define BDB_DRV_CAP_CONDITIONAL_PUT 0x1u /* put honours if_match and if_none_match atomically */
#define BDB_DRV_CAP_STRONG_LIST 0x2u     /* list sees every completed put at once */
#define BDB_DRV_CAP_IF_NONE_MATCH_GET 0x4u /* get honours if_none_match (else it ignores it) */
#define BDB_DRV_CAP_RETRIES 0x8u /* the driver already retries transient failures with backoff;
                                    the host then retries at most once more */

/* Filled by the driver on failure: a message naming the operation and key, and, where there
   is one, the storage's own status (an HTTP status for S3, an errno for files). */
typedef struct bdb_drv_error {
  int32_t detail; /* HTTP status, errno, or 0 */
  char message[500];
} bdb_drv_error;

/* An object returned by get. Release with the driver's release(). */
typedef struct bdb_drv_object {
  void *data;
  size_t size;
  char *etag; /* NUL-terminated, may be NULL if the store has none */
} bdb_drv_object;

/* One page of a list. Release with the driver's release_list(). */
typedef struct bdb_drv_list {
  char **keys; /* full keys, in ascending byte order */
  size_t count;
  int truncated;            /* non-zero: call again with next_token */
  char *next_token;         /* NULL when not truncated */
} bdb_drv_list;

typedef struct bdb_drv_put_options {
  const char *if_match;      /* replace only if the current ETag is this one; NULL: no condition */
  int if_none_match;         /* non-zero: create only if the key does not exist ("*") */
} bdb_drv_put_options;

struct bdb_driver_v1;

/* Services the host offers to a driver, passed to open(). Layered drivers use open_inner to
   open the driver named by an inner URI ("crypt:file:/x" wraps "file:/x"). */
typedef struct bdb_driver_host {
  uint32_t abi_version;
  uint32_t struct_size;
  /* level: 0 debug, 1 info, 2 warn, 3 error */
  void (*log)(void *host_ctx, int level, const char *message);
  /* Opens the driver for `uri`; on success *out_table and *out_instance are set. */
  int (*open_inner)(void *host_ctx, const char *uri, const struct bdb_driver_v1 **out_table,
                    void **out_instance, bdb_drv_error *err);
  /* Closes what open_inner opened. */
  void (*close_inner)(void *host_ctx, const struct bdb_driver_v1 *table, void *instance);
  void *host_ctx;
} bdb_driver_host;

typedef struct bdb_driver_v1 {
  uint32_t abi_version; /* BDB_DRIVER_ABI_VERSION the driver was built with */
  uint32_t struct_size; /* sizeof(bdb_driver_v1) as the driver saw it */
  const char *name;     /* URI scheme, e.g. "file" */
  uint64_t capabilities;

  /* config: the URI without its "scheme:" prefix (e.g. "./data" for "file:./data",
     "//bucket?endpoint=..." for "s3://bucket?endpoint=..."). */
  int (*open)(const bdb_driver_host *host, const char *config, void **out_instance,
              bdb_drv_error *err);
  void (*close)(void *instance);

  /* if_none_match may be NULL; when it equals the current ETag the driver may answer
     BDB_DRV_NOT_MODIFIED without data. */
  int (*get)(void *instance, const char *key, const char *if_none_match, bdb_drv_object *out,
             bdb_drv_error *err);
  /* On success *out_etag is the new ETag (release with release()), or NULL. */
  int (*put)(void *instance, const char *key, const void *data, size_t size,
             const bdb_drv_put_options *options, char **out_etag, bdb_drv_error *err);
  /* Idempotent: deleting a missing key is BDB_DRV_OK. */
  int (*del)(void *instance, const char *key, bdb_drv_error *err);
  /* Keys starting with prefix, ascending, up to an implementation-chosen page size.
     continuation_token is NULL for the first page. */
  int (*list)(void *instance, const char *prefix, const char *continuation_token,
              bdb_drv_list *out, bdb_drv_error *err);

  void (*release)(void *instance, void *ptr);
  void (*release_list)(void *instance, bdb_drv_list *list);

  /* Optional (may be NULL): driver-specific counters as a JSON object text written into buf
     (NUL-terminated, truncated to cap). Returns BDB_DRV_OK. */
  int (*stats)(void *instance, char *buf, size_t cap);

  /* ---- optional fields: the host reads them only when struct_size covers them ---------- */

  /* The capabilities of one open instance, when they depend on its configuration (a layered
     driver has its inner driver's). NULL: `capabilities` above. */
  uint64_t (*instance_capabilities)(void *instance);
} bdb_driver_v1;

/* The smallest table a host accepts: every field up to and including `stats`. */
#define BDB_DRIVER_V1_MIN_SIZE (offsetof(bdb_driver_v1, stats) + sizeof(void (*)(void)))
/* Whether `table` is large enough to hold `field` (for optional fields). */
#define BDB_DRIVER_HAS(table, field) \
  ((table)->struct_size >= offsetof(bdb_driver_v1, field) + sizeof((table)->field))

/* The one symbol a driver exports. host_abi is the host's BDB_DRIVER_ABI_VERSION; a driver
   may return NULL if it cannot serve that host. */
typedef const bdb_driver_v1 *(*bdb_driver_entry_fn)(uint32_t host_abi);

#if defined(_WIN32)
#define BDB_DRIVER_EXPORT __declspec(dllexport)
#else
#define BDB_DRIVER_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
}
#endif

#endif /* BUCKETDB_DRIVER_H */
