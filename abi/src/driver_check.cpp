// bdb_driver_check: the driver conformance checks (core/storage/driver_check.h) for any URI.
#include "abi/src/abi_guard.h"
#include "core/storage/driver_check.h"

using bucketdb::abi::dup_for_caller;
using bucketdb::abi::guard;

extern "C" {

bdb_status bdb_driver_check(const char *uri, char **out_json) {
  return guard(__func__, [&] {
    BDB_REQUIRE(uri);
    BDB_REQUIRE(out_json);
    *out_json = nullptr;
    *out_json = dup_for_caller(bucketdb::check_driver(uri).json());
  });
}

}  // extern "C"
