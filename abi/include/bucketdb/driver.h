/*
 * BucketDB storage-driver plugin ABI: the SDK for writing a driver.
 *
 * A driver is a shared object that exports one C function, `bdb_driver_entry`, which returns a
 * versioned, size-prefixed table of function pointers (models: SQLite's sqlite3_vfs and its
 * iVersion, OpenSSL 3 provider dispatch tables). The engine sees storage only through it.
 * Include only this header; link nothing of BucketDB. examples/driver/ is a complete driver
 * built outside the project, and `bucketdb driver-check 'plugin:/path/x.so?config'` runs the
 * conformance suite against any driver: the same checks the project's own drivers pass.
 *
 * ABI rules
 *  - `abi_version` says which fields the table has; `struct_size` is sizeof the table the driver
 *    was built with. A host accepts any table with abi_version >= 1 and struct_size at least the
 *    size of version 1 (BDB_DRIVER_V1_MIN_SIZE); it never reads a field past struct_size
 *    (BDB_DRIVER_HAS). So a driver built against an older header loads in a newer host, and a
 *    driver built against a newer header loads in an older host, which ignores what it does
 *    not know.
 *  - New versions only append fields at the end. A field, once published, never changes meaning,
 *    type or position. An appended field is optional: NULL (or absent, by struct_size) must
 *    mean exactly what a driver without it gets today. So a driver written today still loads
 *    after the ABI grows, and keeps its meaning.
 *  - The same holds for the host's table (bdb_driver_host): a driver reads a host field only
 *    when host->struct_size covers it.
 *  - Status codes and capability bits may be added. A host treats a status it does not know as
 *    BDB_DRV_IO (a persistent error, not retried) and ignores capability bits it does not know;
 *    a driver must never receive a status, so it has nothing to map.
 *  - BDB_DRIVER_ABI_VERSION goes up by one whenever either table grows (and only then). The
 *    host's loader refuses a table whose abi_version is 0 or whose struct_size is too small for
 *    version 1, or that lacks a required function, naming the driver and the versions.
 *  - `bdb_driver_entry(host_abi)` gets the host's BDB_DRIVER_ABI_VERSION. A driver that needs a
 *    newer host may return NULL; otherwise it returns its table whatever host_abi is.
 *  - In-process drivers: bdb_driver_register (bucketdb.h) gives the host a table without a
 *    shared object, under the same rules and checks.
 *  - Nothing but the status codes below, the error struct and plain C data crosses the boundary:
 *    no C++ exception (catch everything in every entry point), no errno-only failure, no FILE*,
 *    no allocator mix-up, no C++ type.
 *
 * Ownership (who frees what)
 *  - get: out->data and out->etag are allocated by the driver and given back to it one by one
 *    with `release(instance, ptr)`; a zero-size object may have data NULL or not.
 *  - put: *out_etag is allocated by the driver and given back with `release`.
 *  - list: the whole bdb_drv_list (keys, each key, next_token) is given back at once with
 *    `release_list`; the host copies what it keeps first.
 *  - The host never calls free() on driver memory, and the driver never frees host memory: the
 *    two may use different allocators (or sanitizers).
 *  - Buffers the host passes in (keys, data, ETags, continuation tokens, config, the error
 *    struct) are borrowed for the duration of the call only; the driver copies what it keeps.
 *  - `config` passed to open is borrowed too. The host table passed to open lives as long as
 *    the instance; a layered driver may keep the pointer.
 *  - release and release_list accept what the same instance returned, from any thread, and
 *    may be called after other calls on that instance have failed.
 *
 * Threads
 *  - The host calls every function of one instance (get, put, del, list, release, release_list,
 *    stats, instance_capabilities) from many threads at once; a driver must be thread-safe.
 *    `open` and `close` are not called concurrently with other calls on the same instance.
 *    Several instances (of the same or another store) may be open at once, in one process or
 *    in several: conditional puts must stay atomic across all of them.
 *  - A call may block (network, disk) but must end: use timeouts. Retry transient failures
 *    inside the driver only when it says so with BDB_DRV_CAP_RETRIES.
 *
 * Errors
 *  - Every function returns a bdb_drv_status. On any status other than OK, NOT_FOUND,
 *    NOT_MODIFIED and PRECONDITION_FAILED, the driver fills `err` (which may be NULL for
 *    stats) with a message naming the operation and the key, and `detail` with the storage's
 *    own status (HTTP status, errno) or 0. The message is what the user sees: make it say what
 *    to do ("set AWS_REGION", "key id 'k2' is not configured").
 *  - Map failures honestly: TRANSIENT only when a retry may succeed (the host retries it with
 *    backoff); INVALID for bad keys and configuration (never retried); CORRUPT when stored
 *    bytes fail the driver's own integrity check (an encrypting or compressing driver).
 *
 * Keys are UTF-8 strings of any bytes but NUL, at most BDB_DRV_MAX_KEY bytes, '/'-separated;
 * they never start with '/'. A driver must store any such key faithfully (spaces, '+', '%',
 * '?', '~', non-ASCII) or fail with BDB_DRV_INVALID naming the key.
 *
 * ETags are opaque strings. The host compares them after stripping quotes and a "W/" prefix.
 * Every successful put of a key must give it an ETag different from the one it replaces (a
 * counter, a random id, or a content hash where equal bytes may keep the ETag, as on S3).
 *
 * Layered drivers wrap the driver of an inner URI: "compress:crypt:s3://bucket?region=x".
 * A layer reads its own options from the one query string, named with its scheme as prefix
 * ("faulty:file:/d?faulty.nth=3&faulty.seed=7"), removes them, and opens the rest
 * ("file:/d") with host->open_inner. So every layer and the innermost driver share one
 * query string and never see each other's options. A layer reports its inner driver's
 * capabilities through instance_capabilities, passes conditional puts through unchanged, and
 * hands the inner's ETags back as its own (copied into its own buffers, see Ownership).
 */
#ifndef BUCKETDB_DRIVER_H
#define BUCKETDB_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 2 added the host fields `driver` and `log_level` (and bdb_driver_register in bucketdb.h);
   3 the host field `interrupted`. */
#define BDB_DRIVER_ABI_VERSION 3u
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
  BDB_DRV_NOMEM = 9,
  BDB_DRV_CORRUPT = 10 /* the stored bytes failed the driver's own integrity check (an
                          authentication tag, a checksum, a malformed frame): tampering or
                          damage. Not retried; the host reports BDB_E_CORRUPT. Since ABI 1
                          (drivers may return it to any host: older ones report BDB_E_IO) */
} bdb_drv_status;

/* Capability bits (bdb_driver_v1.capabilities, or instance_capabilities per instance). What a
   driver does not claim, the host works around: without CONDITIONAL_PUT the engine sends no
   conditions and falls back to the timeshare rule (SPEC section 4), without
   IF_NONE_MATCH_GET it compares ETags itself. Claim only what holds. */
#define BDB_DRV_CAP_CONDITIONAL_PUT 0x1u   /* put honours if_match and if_none_match atomically */
#define BDB_DRV_CAP_STRONG_LIST 0x2u       /* list sees every completed put at once */
#define BDB_DRV_CAP_IF_NONE_MATCH_GET 0x4u /* get honours if_none_match (else it ignores it) */
#define BDB_DRV_CAP_RETRIES                                           \
  0x8u /* the driver already retries transient failures with backoff; \
          the host then retries at most once more */

/* Filled by the driver on failure: a message naming the operation and key, and, where there
   is one, the storage's own status (an HTTP status for S3, an errno for files). The host
   zeroes it before each call; the message is NUL-terminated within its 500 bytes. */
typedef struct bdb_drv_error {
  int32_t detail; /* HTTP status, errno, or 0 */
  char message[500];
} bdb_drv_error;

/* An object returned by get. data and etag are each released with the driver's release(). */
typedef struct bdb_drv_object {
  void *data;
  size_t size;
  char *etag; /* NUL-terminated, may be NULL if the store has none */
} bdb_drv_object;

/* One page of a list. Release the whole page with the driver's release_list(). A page may
   hold fewer keys than the driver's page size, even none, and still be truncated. */
typedef struct bdb_drv_list {
  char **keys; /* full keys, in ascending byte order */
  size_t count;
  int truncated;    /* non-zero: call again with next_token */
  char *next_token; /* NULL when not truncated; opaque to the host, never the same
                       twice in a row */
} bdb_drv_list;

typedef struct bdb_drv_put_options {
  const char *if_match; /* replace only if the current ETag is this one (maybe quoted);
                           NULL: no condition. A missing key fails it. */
  int if_none_match;    /* non-zero: create only if the key does not exist ("*") */
  /* Both checked and applied atomically, against every other writer of the store, when the
     driver claims BDB_DRV_CAP_CONDITIONAL_PUT. A failed condition changes nothing. */
} bdb_drv_put_options;

struct bdb_driver_v1;

/* Log levels of bdb_driver_host.log (the same as the logger of bucketdb.h). */
#define BDB_DRV_LOG_DEBUG 0
#define BDB_DRV_LOG_INFO 1
#define BDB_DRV_LOG_WARN 2
#define BDB_DRV_LOG_ERROR 3

/* Services the host offers to a driver, passed to open() and valid while the instance is open
   (each instance gets its own: host_ctx is that instance's, e.g. the logger of the database it
   serves). Layered drivers use open_inner to open the driver named by an inner URI
   ("crypt:file:/x" wraps "file:/x"), and close_inner (never the inner table's close) to close
   it. log and open_inner may be called from any thread. */
typedef struct bdb_driver_host {
  uint32_t abi_version;
  uint32_t struct_size;
  /* level: BDB_DRV_LOG_*. The host drops messages below the database's logLevel; a message is
     one line, without the "bucketdb:" prefix (the host adds it and the subsystem). */
  void (*log)(void *host_ctx, int level, const char *message);
  /* Opens the driver for `uri`; on success *out_table and *out_instance are set. */
  int (*open_inner)(void *host_ctx, const char *uri, const struct bdb_driver_v1 **out_table,
                    void **out_instance, bdb_drv_error *err);
  /* Closes what open_inner opened. */
  void (*close_inner)(void *host_ctx, const struct bdb_driver_v1 *table, void *instance);
  void *host_ctx;

  /* ---- since ABI 2: read only when struct_size covers them (BDB_DRIVER_HOST_HAS) -------- */

  /* The table this instance is opened from: the one bdb_driver_entry returned, or the one
     given to bdb_driver_register. An in-process driver registered several times with tables
     that each embed it as their first member finds its own data here (as a sqlite3_vfs does
     through pAppData). */
  const struct bdb_driver_v1 *driver;
  /* The lowest level log() passes on (BDB_DRV_LOG_*; 4 when the database is silent): a driver
     may skip building a message nobody reads. */
  int32_t log_level;

  /* ---- since ABI 3 ------------------------------------------------------------------------ */

  /* Nonzero when the database call this driver call serves was interrupted (bdb_db_interrupt):
     a driver may ask it in a long wait (a back-off, a slow request) from the thread the call
     came on, and then return BDB_DRV_TRANSIENT at once, without doing (or finishing) the call;
     the host reports BDB_E_INTERRUPTED. It answers 0 while the host must learn a write's
     outcome (a log entry's PUT), so a driver need not tell writes from reads. Cheap (a
     thread-local read); never NULL when present. */
  int (*interrupted)(void *host_ctx);
} bdb_driver_host;

/* Whether the host table `host` is large enough to hold `field`. */
#define BDB_DRIVER_HOST_HAS(host, field) \
  ((host)->struct_size >= offsetof(bdb_driver_host, field) + sizeof((host)->field))

typedef struct bdb_driver_v1 {
  uint32_t abi_version; /* BDB_DRIVER_ABI_VERSION the driver was built with */
  uint32_t struct_size; /* sizeof(bdb_driver_v1) as the driver saw it */
  const char *name;     /* URI scheme, e.g. "file" */
  uint64_t capabilities;

  /* config: the URI without its "scheme:" prefix (e.g. "./data" for "file:./data",
     "//bucket?endpoint=..." for "s3://bucket?endpoint=..."); for "plugin:/path/x.so?a=b" it is
     "a=b". Refuse unknown options with BDB_DRV_INVALID naming them: a typo must not pass
     silently. On success set *out_instance (non-NULL); on failure leave nothing open. */
  int (*open)(const bdb_driver_host *host, const char *config, void **out_instance,
              bdb_drv_error *err);
  void (*close)(void *instance);

  /* if_none_match may be NULL; when it equals the current ETag the driver may answer
     BDB_DRV_NOT_MODIFIED without data. A missing key is BDB_DRV_NOT_FOUND (no error message
     needed). The bytes are the whole object, never a torn mix of two puts. */
  int (*get)(void *instance, const char *key, const char *if_none_match, bdb_drv_object *out,
             bdb_drv_error *err);
  /* options and out_etag are never NULL. On success *out_etag is the new ETag (release with
     release()), or NULL. Once put returns OK, get sees the new object from every instance
     (list too, with STRONG_LIST). */
  int (*put)(void *instance, const char *key, const void *data, size_t size,
             const bdb_drv_put_options *options, char **out_etag, bdb_drv_error *err);
  /* Idempotent: deleting a missing key is BDB_DRV_OK. */
  int (*del)(void *instance, const char *key, bdb_drv_error *err);
  /* Keys starting with prefix, ascending, up to an implementation-chosen page size.
     continuation_token is NULL for the first page. */
  int (*list)(void *instance, const char *prefix, const char *continuation_token, bdb_drv_list *out,
              bdb_drv_error *err);

  void (*release)(void *instance, void *ptr);
  void (*release_list)(void *instance, bdb_drv_list *list);

  /* Optional (may be NULL): driver-specific counters as a JSON object text written into buf
     (NUL-terminated, at most cap bytes with the NUL; write "{}" rather than cut JSON in two).
     Returns BDB_DRV_OK. Layers nest their inner driver's counters ("inner": {...}). */
  int (*stats)(void *instance, char *buf, size_t cap);

  /* ---- optional fields: the host reads them only when struct_size covers them ---------- */

  /* The capabilities of one open instance, when they depend on its configuration (a layered
     driver has its inner driver's). NULL: `capabilities` above. Constant while the instance
     is open. */
  uint64_t (*instance_capabilities)(void *instance);
} bdb_driver_v1;

/* The smallest table a host accepts: every field up to and including `stats`. */
#define BDB_DRIVER_V1_MIN_SIZE (offsetof(bdb_driver_v1, stats) + sizeof(void (*)(void)))
/* Whether `table` is large enough to hold `field` (for optional fields). */
#define BDB_DRIVER_HAS(table, field) \
  ((table)->struct_size >= offsetof(bdb_driver_v1, field) + sizeof((table)->field))

/* The name of the newest table, for code that registers or builds one. */
typedef bdb_driver_v1 bdb_driver;

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
