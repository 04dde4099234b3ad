// The name of a driver's entry point. A plugin exports bdb_driver_entry, the one symbol the
// loader looks up in its shared object. Linked with the other built-in drivers into one library
// (builtin/, -DBDB_ONEFILE=ON) each driver is compiled with a name of its own, hidden, so that
// they do not clash and the registration unit (builtin/register_builtin.cpp) can call each.
#pragma once

#include <bucketdb/driver.h>

#ifdef BDB_DRIVER_ENTRY_NAME
#define BDB_DRIVER_ENTRY_VISIBILITY __attribute__((visibility("hidden")))
#else
#define BDB_DRIVER_ENTRY_NAME bdb_driver_entry
#define BDB_DRIVER_ENTRY_VISIBILITY BDB_DRIVER_EXPORT
#endif
