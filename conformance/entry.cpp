// The module's C entry points (entry.h) over the suite.
#include "conformance/entry.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "conformance/store.h"
#include "conformance/suite.h"

using bucketdb::conformance::DriverError;

namespace {

int fail(bdb_drv_error *err, int status, const char *message) {
  std::snprintf(err->message, sizeof err->message, "%s", message);
  return status;
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) uint32_t bdb_conformance_abi(void) {
  return BDB_CONFORMANCE_ABI_VERSION;
}

__attribute__((visibility("default"))) int bdb_conformance_run(const bdb_driver_host *host,
                                                               const char *uri, uint32_t flags,
                                                               char **out_json,
                                                               bdb_drv_error *err) {
  *out_json = nullptr;
  try {
    bucketdb::conformance::Target target;
    target.host = host;
    target.uri = uri;
    target.fork = (flags & BDB_CONFORMANCE_NO_FORK) == 0;
    {
      // The built-in drivers' stricter promises hold when the store is one of them.
      bucketdb::conformance::Store probe(host, uri);
      std::string name = probe.name();
      if (name == "memory" || name == "file") target.builtin = name;
    }
    std::string json = bucketdb::conformance::run_all(target);
    char *out = static_cast<char *>(std::malloc(json.size() + 1));
    if (!out) return fail(err, BDB_DRV_NOMEM, "out of memory for the conformance report");
    std::memcpy(out, json.c_str(), json.size() + 1);
    *out_json = out;
    return BDB_DRV_OK;
  } catch (const DriverError &e) {
    return fail(err, e.status(), e.what());
  } catch (const std::bad_alloc &) {
    return fail(err, BDB_DRV_NOMEM, "out of memory running the conformance checks");
  } catch (const std::exception &e) {
    return fail(err, BDB_DRV_IO, e.what());
  }
}

__attribute__((visibility("default"))) void bdb_conformance_free(char *json) {
  std::free(json);
}

}  // extern "C"
