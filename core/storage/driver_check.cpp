#include "core/storage/driver_check.h"

#include <dlfcn.h>

#include <memory>
#include <mutex>

#include "conformance/entry.h"
#include "core/storage/driver_loader.h"
#include "core/storage/driver_registry.h"
#include "core/storage/driver_status.h"
#include "core/storage/storage.h"
#include "core/storage/storage_driver.h"
#include "core/util/error.h"

namespace bucketdb {

namespace {

const char *const kModule = "bucketdb-conformance.so";

struct Module {
  bdb_conformance_run_fn run = nullptr;
  bdb_conformance_free_fn free = nullptr;
};

template <typename Fn>
Fn symbol(void *lib, const char *name, const std::string &path) {
  Fn fn = nullptr;
  *reinterpret_cast<void **>(&fn) = dlsym(lib, name);
  if (!fn) fail(BDB_E_INTERNAL, "the conformance module " + path + " does not export " + name);
  return fn;
}

// Loaded once, and kept for the life of the process (as driver plugins are).
Module load_module() {
  static std::mutex mu;
  static Module loaded;
  std::lock_guard<std::mutex> lock(mu);
  if (loaded.run) return loaded;
  std::string path = find_in_plugin_path(kModule);
  if (path.empty())
    fail(BDB_E_NOT_FOUND, std::string("the driver conformance checks need ") + kModule +
                              ", which is not in " + plugin_search_path() +
                              ": install it beside the driver plugins");
  void *lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) fail(BDB_E_INTERNAL, "cannot load " + path + ": " + dlerror());
  auto abi = symbol<bdb_conformance_abi_fn>(lib, "bdb_conformance_abi", path);
  if (abi() != BDB_CONFORMANCE_ABI_VERSION)
    fail(BDB_E_INTERNAL, path + " is of another BucketDB release (entry points version " +
                             std::to_string(abi()) + ", expected " +
                             std::to_string(BDB_CONFORMANCE_ABI_VERSION) + ")");
  loaded.run = symbol<bdb_conformance_run_fn>(lib, "bdb_conformance_run", path);
  loaded.free = symbol<bdb_conformance_free_fn>(lib, "bdb_conformance_free", path);
  return loaded;
}

}  // namespace

std::string check_driver(const std::string &uri) {
  Storage::open(uri);  // a driver that cannot be found or opened fails with its own status
  Module m = load_module();
  char *json = nullptr;
  bdb_drv_error err{};
  // A driver registered in this process (for any scheme of a layered URI) cannot be called
  // from a forked child.
  uint32_t flags = 0;
  for (size_t at = 0, colon; (colon = uri.find(':', at)) != std::string::npos; at = colon + 1)
    if (valid_scheme(uri.substr(at, colon - at)) && registered_driver(uri.substr(at, colon - at)))
      flags |= BDB_CONFORMANCE_NO_FORK;
  int st = m.run(storage_host(), uri.c_str(), flags, &json, &err);
  if (st != BDB_DRV_OK)
    fail(status_from_driver(st), std::string("driver check of ") + uri + ": " + err.message);
  std::unique_ptr<char, bdb_conformance_free_fn> owned(json, m.free);
  return json ? std::string(json) : std::string();
}

}  // namespace bucketdb
