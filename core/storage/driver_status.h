// Maps driver status codes to the database's status codes.
#pragma once

#include "abi/include/bucketdb/bucketdb.h"
#include "abi/include/bucketdb/driver.h"

namespace bucketdb {

inline bdb_status status_from_driver(int st) {
  switch (st) {
    case BDB_DRV_OK:
      return BDB_OK;
    case BDB_DRV_NOT_FOUND:
      return BDB_E_NOT_FOUND;
    case BDB_DRV_PRECONDITION_FAILED:
      return BDB_E_CONFLICT;
    case BDB_DRV_PERMISSION:
      return BDB_E_PERMISSION;
    case BDB_DRV_INVALID:
      return BDB_E_INVALID;
    case BDB_DRV_NO_SPACE:
      return BDB_E_NO_SPACE;
    case BDB_DRV_NOMEM:
      return BDB_E_NOMEM;
    case BDB_DRV_CORRUPT:
      return BDB_E_CORRUPT;
    default:
      return BDB_E_IO;
  }
}

}  // namespace bucketdb
