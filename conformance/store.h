// A store as the checks see it: a driver instance opened through a host table's open_inner
// (driver.h), with C++ types and errors thrown as DriverError.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "abi/include/bucketdb/driver.h"
#include "conformance/bytes.h"

namespace bucketdb::conformance {

// A driver call that answered an error status (BDB_DRV_*), with the driver's message.
class DriverError : public std::runtime_error {
 public:
  DriverError(int status, const std::string &message)
      : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// "BDB_DRV_INVALID" for BDB_DRV_INVALID; "status N" for one this suite does not know.
std::string status_name(int status);

struct Object {
  Bytes data;
  std::string etag;
};

struct PutOptions {
  std::string if_match;  // empty: no condition
  bool if_none_match = false;
};

enum class Put { kOk, kPreconditionFailed };

class Store {
 public:
  // Throws DriverError when the host cannot open uri.
  Store(const bdb_driver_host *host, const std::string &uri);
  ~Store();
  Store(const Store &) = delete;
  Store &operator=(const Store &) = delete;

  std::string name() const;
  uint64_t capabilities() const;
  bool conditional() const { return (capabilities() & BDB_DRV_CAP_CONDITIONAL_PUT) != 0; }

  std::optional<Object> get(const std::string &key);
  // nullopt with *not_modified set when the object still has `etag`.
  std::optional<Object> get_if_changed(const std::string &key, const std::string &etag,
                                       bool *not_modified);
  Put put(const std::string &key, const Bytes &data, const PutOptions &options = {},
          std::string *etag = nullptr);
  void del(const std::string &key);
  struct Page {
    std::vector<std::string> keys;
    std::string next_token;  // empty: the last page
  };
  Page list(const std::string &prefix, const std::string &token);
  std::vector<std::string> list_all(const std::string &prefix);
  std::string stats();  // "" when the driver has none

 private:
  [[noreturn]] void raise(const char *op, const std::string &key, int status,
                          const bdb_drv_error &err) const;
  const bdb_driver_host *host_;
  const bdb_driver_v1 *table_ = nullptr;
  void *instance_ = nullptr;
};

}  // namespace bucketdb::conformance
