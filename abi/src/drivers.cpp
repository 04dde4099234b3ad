// Storage drivers: in-process registration (core/storage/driver_registry.h) and the
// conformance suite (conformance/, loaded by core/storage/driver_check.h) for any URI.
#include "abi/src/abi_guard.h"
#include "core/storage/driver_check.h"
#include "core/storage/driver_registry.h"

using bucketdb::abi::dup_for_caller;
using bucketdb::abi::guard;

extern "C" {

bdb_status bdb_driver_register(const char *scheme, const struct bdb_driver_v1 *driver) {
  return guard(__func__, [&] {
    BDB_REQUIRE(scheme);
    BDB_REQUIRE(driver);
    bucketdb::register_driver(scheme, driver);
  });
}

bdb_status bdb_driver_unregister(const char *scheme) {
  return guard(__func__, [&] {
    BDB_REQUIRE(scheme);
    if (!bucketdb::registered_driver(scheme))
      bucketdb::fail(
          BDB_E_NOT_FOUND,
          std::string("bdb_driver_unregister: no driver is registered for '") + scheme + ":'");
    bucketdb::register_driver(scheme, nullptr);
  });
}

bdb_status bdb_driver_check(const char *uri, char **out_json) {
  return guard(__func__, [&] {
    BDB_REQUIRE(uri);
    BDB_REQUIRE(out_json);
    *out_json = nullptr;
    *out_json = dup_for_caller(bucketdb::check_driver(uri));
  });
}

}  // extern "C"
