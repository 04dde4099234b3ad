// Finds, loads and opens storage-driver plugins (abi/include/bucketdb/driver.h) by URI.
//
// "scheme:config" loads bucketdb-driver-<scheme>.so from, in order: each directory of
// BUCKETDB_PLUGIN_PATH (':'-separated), the directory holding libbucketdb itself (so the build
// tree works with no install and no environment), and the installed plugin directory.
// "plugin:/path/x.so?config" loads that file and passes it "config". A driver registered in
// process (driver_registry.h) serves its scheme before any plugin.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "abi/include/bucketdb/driver.h"
#include "core/util/log.h"

namespace bucketdb {

// bdb_driver_host.interrupted: whether the call on this thread was interrupted (interrupt.h).
int host_interrupted(void *host_ctx);

// The host table one driver instance gets (host_ctx points back here), and the ones of the
// instances it opened in turn through open_inner, which live until close_inner.
struct HostContext {
  explicit HostContext(Logger log);
  HostContext(const HostContext &) = delete;
  HostContext &operator=(const HostContext &) = delete;
  bdb_driver_host table;
  Logger log;  // the database's: drivers' messages go where the engine's go
  std::mutex mu;
  std::map<void *, std::unique_ptr<HostContext>> inner;  // by instance
};

// An open driver instance; closes it (and keeps its library loaded while it lives).
class DriverHandle {
 public:
  DriverHandle(std::shared_ptr<void> library, const bdb_driver_v1 *table, void *instance,
               std::string uri, std::unique_ptr<HostContext> host)
      : library_(std::move(library)),
        host_(std::move(host)),
        table_(table),
        instance_(instance),
        uri_(std::move(uri)) {}
  ~DriverHandle();
  DriverHandle(const DriverHandle &) = delete;
  DriverHandle &operator=(const DriverHandle &) = delete;

  const bdb_driver_v1 *table() const { return table_; }
  void *instance() const { return instance_; }
  const std::string &uri() const { return uri_; }

 private:
  std::shared_ptr<void> library_;
  std::unique_ptr<HostContext> host_;  // freed after the destructor closes the instance
  const bdb_driver_v1 *table_;
  void *instance_;
  std::string uri_;
};

// Throws Error(BDB_E_URI) for a malformed URI or a driver that cannot be found or loaded, and
// the driver's own status for a failing open.
std::unique_ptr<DriverHandle> open_driver(const std::string &uri, const Logger &log = {});

// The directories searched for "scheme:" plugins, for error messages and tests.
std::string plugin_search_path();
// The first file of that name in those directories; "" when there is none.
std::string find_in_plugin_path(const std::string &file);

}  // namespace bucketdb
