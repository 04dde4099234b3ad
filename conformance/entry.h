/* The bucketdb-conformance module's entry points: what libbucketdb's bdb_driver_check finds
 * with dlsym (core/storage/driver_check.cpp). Plain C, as between a host and a driver:
 * the module and the library may come from different builds of the same release. */
#ifndef BUCKETDB_CONFORMANCE_ENTRY_H
#define BUCKETDB_CONFORMANCE_ENTRY_H

#include "abi/include/bucketdb/driver.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Raised whenever the entry points below change. */
#define BDB_CONFORMANCE_ABI_VERSION 2u

/* The store's driver lives in the calling program (bdb_driver_register: a JavaScript or Python
 * driver): a forked child could not call it, so the checks between processes are skipped. */
#define BDB_CONFORMANCE_NO_FORK 1u

typedef uint32_t (*bdb_conformance_abi_fn)(void);

/* Runs every check against the store of `uri`, opened through host->open_inner (which hands
 * out the engine's view of it: core/storage/storage_driver.h), under a random key prefix it
 * deletes afterwards. On BDB_DRV_OK *out_json is the report (bdb_driver_check's format, see
 * bucketdb.h), freed with bdb_conformance_free; otherwise err says why the store could not be
 * opened or the report made. `flags`: BDB_CONFORMANCE_* bits. */
typedef int (*bdb_conformance_run_fn)(const bdb_driver_host *host, const char *uri, uint32_t flags,
                                      char **out_json, bdb_drv_error *err);
typedef void (*bdb_conformance_free_fn)(char *json);

#ifdef __cplusplus
}
#endif

#endif /* BUCKETDB_CONFORMANCE_ENTRY_H */
