// The engine's view of a store (Storage: retries with backoff, normalised ETags, request
// checks) offered back as a driver table, for code that speaks only driver.h: the conformance
// suite (conformance/) checks a driver through it, so it sees the driver as the engine does.
#pragma once

#include "abi/include/bucketdb/driver.h"

namespace bucketdb {

// A host table whose open_inner opens Storage::open(uri) (any URI bdb_open takes) and hands it
// out as a driver instance, and whose close_inner closes it. Retries are short (2-50 ms):
// checks, not production traffic. A put whose retry found the precondition failed (the first
// attempt may have landed) answers BDB_DRV_TRANSIENT with a message saying so.
const bdb_driver_host *storage_host();

}  // namespace bucketdb
