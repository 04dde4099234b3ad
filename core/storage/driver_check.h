// bdb_driver_check's side in the library: the driver conformance suite lives in a module of
// its own (conformance/, bucketdb-conformance.so, found where the driver plugins are), loaded
// the first time it runs, so libbucketdb carries none of it. The module checks the store
// through the engine's view of it (storage_driver.h).
#pragma once

#include <string>

namespace bucketdb {

// The report as JSON (bucketdb.h, bdb_driver_check). Throws Error when the driver cannot be
// found, loaded or opened (BDB_E_URI, ...), or the module cannot be found or loaded.
std::string check_driver(const std::string &uri);

}  // namespace bucketdb
