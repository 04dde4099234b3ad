// This library has no driver built in: it loads them as plugins. The one-file library
// (-DBDB_ONEFILE=ON, builtin/) is built without this file and registers its own.
#include "abi/src/abi_guard.h"
#include "core/storage/driver_loader.h"

extern "C" bdb_status bdb_register_builtin_drivers(void) {
  return bucketdb::abi::guard(__func__, [] {
    bucketdb::fail(BDB_E_NOT_FOUND,
                   "bdb_register_builtin_drivers: this libbucketdb has no built-in drivers; it "
                   "loads them as plugins (bucketdb-driver-SCHEME.so) from " +
                       bucketdb::plugin_search_path() +
                       " (the one-file library, built with -DBDB_ONEFILE=ON, links them in)");
  });
}
