// In-process drivers (bdb_driver_register): tables an application, a binding or a test hands
// the host without a shared object. They take precedence over plugins of the same scheme.
// Every function here may be called from any thread.
#pragma once

#include <string>

#include "abi/include/bucketdb/driver.h"

namespace bucketdb {

// Registers `table` for "scheme:" URIs, replacing an earlier registration; nullptr removes it.
// Instances already open keep the table they were opened with. Throws BDB_E_INVALID for a
// bad scheme and BDB_E_URI for a table the host cannot use (check_driver_table).
void register_driver(const std::string &scheme, const bdb_driver_v1 *table);

// The table registered for `scheme`, or nullptr.
const bdb_driver_v1 *registered_driver(const std::string &scheme);

// The checks every table passes before the host uses it, whether loaded or registered:
// abi_version >= 1, struct_size covering version 1, every required function. `what` names the
// driver in the BDB_E_URI error.
void check_driver_table(const bdb_driver_v1 *table, const std::string &what);

// Whether `scheme` is a scheme a driver may serve: lowercase letters, digits, '-' and '_'.
bool valid_scheme(const std::string &scheme);

}  // namespace bucketdb
