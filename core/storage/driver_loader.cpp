#include "core/storage/driver_loader.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <vector>

#include "core/storage/driver_registry.h"
#include "core/storage/driver_status.h"
#include "core/util/error.h"
#include "core/util/interrupt.h"

#ifndef BDB_INSTALL_PLUGIN_DIR
#define BDB_INSTALL_PLUGIN_DIR ""
#endif

namespace bucketdb {

namespace {

// Resolved once: dladdr may give a path relative to the directory the program started in,
// which a later chdir would break.
std::string self_directory() {
  static const std::string dir = [] {
    Dl_info info{};
    if (!dladdr(reinterpret_cast<void *>(&plugin_search_path), &info) || !info.dli_fname)
      return std::string();
    char *real = realpath(info.dli_fname, nullptr);
    std::string path = real ? real : info.dli_fname;
    std::free(real);
    auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
  }();
  return dir;
}

std::vector<std::string> search_dirs() {
  std::vector<std::string> dirs;
  if (const char *env = std::getenv("BUCKETDB_PLUGIN_PATH")) {
    std::string s = env;
    size_t start = 0;
    while (start <= s.size()) {
      size_t colon = s.find(':', start);
      if (colon == std::string::npos) colon = s.size();
      if (colon > start) dirs.push_back(s.substr(start, colon - start));
      start = colon + 1;
    }
  }
  std::string self = self_directory();
  if (!self.empty()) {
    // Beside the library; and, for programs that link the engine statically (the unit tests in
    // build/bin), in the sibling lib directory.
    dirs.push_back(self);
    dirs.push_back(self + "/bucketdb");
    dirs.push_back(self + "/../lib");
    dirs.push_back(self + "/../lib/bucketdb");
  }
  if (*BDB_INSTALL_PLUGIN_DIR) dirs.push_back(BDB_INSTALL_PLUGIN_DIR);
  return dirs;
}

bool is_file(const std::string &path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

struct Loaded {
  std::shared_ptr<void> library;
  const bdb_driver_v1 *table;
};

// Loaded libraries stay loaded for the life of the process: dlclose of a library whose code
// may still sit on another thread's stack is not worth the memory it saves.
Loaded load_library(const std::string &path) {
  static std::mutex mu;
  static std::map<std::string, Loaded> loaded;
  std::lock_guard<std::mutex> lock(mu);
  auto it = loaded.find(path);
  if (it != loaded.end()) return it->second;

  void *lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) fail(BDB_E_URI, "cannot load driver plugin " + path + ": " + dlerror());
  dlerror();
  bdb_driver_entry_fn entry = nullptr;
  *reinterpret_cast<void **>(&entry) = dlsym(lib, "bdb_driver_entry");
  if (!entry) {
    dlclose(lib);
    fail(BDB_E_URI, "driver plugin " + path + " does not export bdb_driver_entry");
  }
  const bdb_driver_v1 *table = entry(BDB_DRIVER_ABI_VERSION);
  if (!table)
    fail(BDB_E_URI, "driver plugin " + path + " refused host ABI version " +
                        std::to_string(BDB_DRIVER_ABI_VERSION));
  check_driver_table(table, "driver plugin " + path);
  Loaded l{std::shared_ptr<void>(lib, [](void *) {}), table};
  loaded.emplace(path, l);
  return l;
}

void host_log(void *ctx, int level, const char *message) {
  if (!message) return;
  if (level < BDB_DRV_LOG_DEBUG) level = BDB_DRV_LOG_DEBUG;
  if (level > BDB_DRV_LOG_ERROR) level = BDB_DRV_LOG_ERROR;
  static_cast<HostContext *>(ctx)->log.log(static_cast<LogLevel>(level), "driver", message);
}

int host_open_inner(void *ctx, const char *uri, const bdb_driver_v1 **out_table,
                    void **out_instance, bdb_drv_error *err);
void host_close_inner(void *ctx, const bdb_driver_v1 *table, void *instance);

struct Resolved {
  std::string path;  // empty for a registered driver
  std::string config;
  const bdb_driver_v1 *registered = nullptr;
};

Resolved resolve(const std::string &uri) {
  auto colon = uri.find(':');
  if (colon == std::string::npos)
    fail(BDB_E_URI, "bad database URI '" + uri +
                        "': expected scheme:..., e.g. memory:, file:./data, s3://bucket");
  std::string scheme = uri.substr(0, colon);
  for (char &c : scheme)  // schemes are case-insensitive (RFC 3986)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  std::string rest = uri.substr(colon + 1);
  if (scheme == "plugin") {
    auto q = rest.find('?');
    std::string path = rest.substr(0, q);
    if (path.empty()) fail(BDB_E_URI, "bad database URI '" + uri + "': plugin: needs a path");
    if (!is_file(path)) fail(BDB_E_URI, "driver plugin " + path + " does not exist");
    return {path, q == std::string::npos ? std::string() : rest.substr(q + 1)};
  }
  if (!valid_scheme(scheme))
    fail(BDB_E_URI, "bad database URI '" + uri + "': invalid scheme '" + scheme + "'");
  if (const bdb_driver_v1 *table = registered_driver(scheme)) return {"", rest, table};
  std::string file = "bucketdb-driver-" + scheme + ".so";
  std::string path = find_in_plugin_path(file);
  if (!path.empty()) return {path, rest};
  // Every package (the library, the wheel, the gem, bucketdb.jar) carries the drivers beside
  // libbucketdb (or inside it, the one-file library, which never gets here for a built-in
  // scheme it has registered), so a missing one means a damaged install or a third-party scheme.
  fail(BDB_E_URI,
       "no driver for '" + scheme + ":' (looked for " + file + " in " + plugin_search_path() +
           "); BucketDB's packages carry memory:, file:, s3: and the layers beside "
           "libbucketdb, so reinstall yours if it is one of these, else install the "
           "plugin " +
           file + " into one of those folders or name its folder in BUCKETDB_PLUGIN_PATH");
}

// Opens without wrapping, for the host's own use and for layered drivers; `host` becomes the
// instance's host table.
void open_raw(const std::string &uri, Loaded &loaded, void *&instance, HostContext &host) {
  Resolved r = resolve(uri);
  loaded = r.registered ? Loaded{nullptr, r.registered} : load_library(r.path);
  host.table.driver = loaded.table;
  bdb_drv_error err{};
  instance = nullptr;
  int st = loaded.table->open(&host.table, r.config.c_str(), &instance, &err);
  if (st != BDB_DRV_OK) {
    std::string msg = err.message[0] ? err.message : "open failed";
    bdb_status status = status_from_driver(st);
    if (status == BDB_E_INVALID) status = BDB_E_URI;
    fail(status, "cannot open " + uri + ": " + msg);
  }
  if (!instance) fail(BDB_E_INTERNAL, "driver for " + uri + " returned no instance");
}

int host_open_inner(void *ctx, const char *uri, const bdb_driver_v1 **out_table,
                    void **out_instance, bdb_drv_error *err) {
  try {
    auto *parent = static_cast<HostContext *>(ctx);
    auto child = std::make_unique<HostContext>(parent->log);
    Loaded loaded;
    void *instance = nullptr;
    open_raw(uri ? uri : "", loaded, instance, *child);
    {
      std::lock_guard<std::mutex> lock(parent->mu);
      parent->inner[instance] = std::move(child);
    }
    *out_table = loaded.table;
    *out_instance = instance;
    return BDB_DRV_OK;
  } catch (const Error &e) {
    std::snprintf(err->message, sizeof err->message, "%s", e.what());
    return BDB_DRV_INVALID;
  } catch (const std::exception &e) {
    std::snprintf(err->message, sizeof err->message, "%s", e.what());
    return BDB_DRV_IO;
  }
}

void host_close_inner(void *ctx, const bdb_driver_v1 *table, void *instance) {
  if (!table || !instance) return;
  table->close(instance);
  auto *parent = static_cast<HostContext *>(ctx);
  std::unique_ptr<HostContext> child;  // freed after the lock, with its own inner ones
  std::lock_guard<std::mutex> lock(parent->mu);
  auto it = parent->inner.find(instance);
  if (it != parent->inner.end()) {
    child = std::move(it->second);
    parent->inner.erase(it);
  }
}

}  // namespace

std::string plugin_search_path() {
  std::string s;
  for (const auto &d : search_dirs()) s += (s.empty() ? "" : ":") + d;
  return s.empty() ? "(nowhere)" : s;
}

std::string find_in_plugin_path(const std::string &file) {
  for (const auto &dir : search_dirs()) {
    std::string path = (dir + "/").append(file);
    if (is_file(path)) return path;
  }
  return "";
}

int host_interrupted(void *) {
  return interrupted() ? 1 : 0;
}

HostContext::HostContext(Logger logger)
    : table{BDB_DRIVER_ABI_VERSION,
            sizeof(bdb_driver_host),
            host_log,
            host_open_inner,
            host_close_inner,
            this,
            nullptr,
            0,
            host_interrupted},
      log(std::move(logger)) {
  table.log_level = static_cast<int32_t>(log.min);
}

DriverHandle::~DriverHandle() {
  if (table_ && instance_) table_->close(instance_);
}

std::unique_ptr<DriverHandle> open_driver(const std::string &uri, const Logger &log) {
  auto host = std::make_unique<HostContext>(log);
  Loaded loaded;
  void *instance = nullptr;
  open_raw(uri, loaded, instance, *host);
  return std::make_unique<DriverHandle>(loaded.library, loaded.table, instance, uri,
                                        std::move(host));
}

}  // namespace bucketdb
