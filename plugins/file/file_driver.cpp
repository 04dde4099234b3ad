// The "file:" driver: each key is a file under a base directory.
//
//   file:./data, file:/abs/dir, file:///abs/dir   the base directory, made (with its parents)
//                                                  if missing; relative to the working
//                                                  directory at open
//   ...?page=N                                     list page size (default 1000)
//
// Layout, ETags and locking: file_store.h; key escaping: keypath.h.
#include <bucketdb/driver.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <memory>
#include <random>

#include "drv_util.h"
#include "entry.h"
#include "file_store.h"

namespace filedrv {
namespace {

using bdbdrv::set_error;

// mkdir -p for the base directory.
int make_base(const std::string &path) {
  for (size_t pos = 1; pos <= path.size(); pos++) {
    if (pos != path.size() && path[pos] != '/') continue;
    std::string part = path.substr(0, pos);
    if (::mkdir(part.c_str(), 0777) != 0 && errno != EEXIST) return errno;
  }
  return 0;
}

// "///abs" and "//localhost/abs" (file:///abs URLs) to "/abs"; other hosts are refused.
bool strip_url_authority(std::string *path) {
  if (path->compare(0, 2, "//") != 0) return true;
  size_t slash = path->find('/', 2);
  std::string host = path->substr(2, slash == std::string::npos ? std::string::npos : slash - 2);
  if (!host.empty() && host != "localhost") return false;
  *path = slash == std::string::npos ? "/" : path->substr(slash);
  return true;
}

int open_store(const char *config, FileStore *s, bdb_drv_error *err) {
  std::string path, why;
  std::map<std::string, std::string> opts;
  if (!bdbdrv::parse_config(config, &path, &opts, &why))
    return set_error(err, BDB_DRV_INVALID, 0, "file:%s: %s", config, why.c_str());
  for (const auto &[k, v] : opts) {
    if (k != "page")
      return set_error(err, BDB_DRV_INVALID, 0, "file:%s: unknown option '%s' (known: page)",
                       config, k.c_str());
    if (!bdbdrv::parse_page_size(v, &s->page_size))
      return set_error(err, BDB_DRV_INVALID, 0,
                       "file:%s: page must be a whole number from 1 to 1000000", config);
  }
  if (!strip_url_authority(&path))
    return set_error(err, BDB_DRV_INVALID, 0, "file:%s: only local paths are supported", config);
  if (path.empty())
    return set_error(err, BDB_DRV_INVALID, 0,
                     "file: needs a directory, e.g. file:./data or file:/var/lib/app");

  // Relative to the working directory of the open, not of the first write (which may come
  // after a chdir), so made absolute now even when nothing is there yet.
  if (path[0] != '/') {
    char cwd[PATH_MAX];
    if (!::getcwd(cwd, sizeof cwd)) {
      int e = errno;
      return set_error(err, bdbdrv::status_from_errno(e), e,
                       "open file:%s: cannot resolve %s against the working directory: %s", config,
                       path.c_str(), errno_text(e).c_str());
    }
    path = std::string(cwd) + "/" + path;
  }
  s->path = path;
  char resolved[PATH_MAX];
  s->base_path = ::realpath(path.c_str(), resolved) ? resolved : path;
  // A directory that is not there yet is fine (it is made by the first write); one that
  // cannot be opened, or a file where the directory should be, is not.
  if (!s->find_base() && errno != ENOENT) {
    int e = errno;
    return set_error(err, e == ENOTDIR ? BDB_DRV_INVALID : bdbdrv::status_from_errno(e), e,
                     "open file:%s: %s: %s", config, path.c_str(), errno_text(e).c_str());
  }
  std::random_device rd;
  s->temp_salt = (static_cast<uint64_t>(rd()) << 32) ^ rd() ^
                 (static_cast<uint64_t>(::getpid()) << 16) ^ static_cast<uint64_t>(::time(nullptr));
  return BDB_DRV_OK;
}

int file_open(const bdb_driver_host *, const char *config, void **out_instance,
              bdb_drv_error *err) {
  return bdbdrv::guarded(err, "open", config, [&]() -> int {
    auto s = std::make_unique<FileStore>();
    if (int st = open_store(config ? config : "", s.get(), err)) return st;
    *out_instance = s.release();
    return BDB_DRV_OK;
  });
}

void file_close(void *instance) {
  delete static_cast<FileStore *>(instance);
}
void file_release(void *, void *ptr) {
  ::free(ptr);
}
void file_release_list(void *, bdb_drv_list *list) {
  bdbdrv::free_list(list);
}

const bdb_driver_v1 kTable = {
    BDB_DRIVER_ABI_VERSION,
    sizeof(bdb_driver_v1),
    "file",
    BDB_DRV_CAP_CONDITIONAL_PUT | BDB_DRV_CAP_STRONG_LIST | BDB_DRV_CAP_IF_NONE_MATCH_GET,
    file_open,
    file_close,
    file_get,
    file_put,
    file_del,
    file_list,
    file_release,
    file_release_list,
    nullptr,  // stats
    nullptr,  // instance_capabilities
};

}  // namespace

bool FileStore::find_base() {
  if (has_base.load(std::memory_order_acquire)) return true;
  std::lock_guard<std::mutex> lock(mu);
  if (has_base.load(std::memory_order_relaxed)) return true;
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  base.reset(fd);
  has_base.store(true, std::memory_order_release);
  return true;
}

int FileStore::prepare_write(const char **what) {
  *what = "create directory";
  if (!has_base.load(std::memory_order_acquire)) {
    if (int e = make_base(path)) return e;
    if (!find_base()) return errno;
  }
  std::lock_guard<std::mutex> lock(mu);
  if (!locks_open) {
    // Without a lock file (a read-only directory) the store can still be read.
    lock_errno = locks_.open(base.get());
    locks_open = true;
  }
  *what = "open";
  return lock_errno;
}

}  // namespace filedrv

extern "C" BDB_DRIVER_ENTRY_VISIBILITY const bdb_driver_v1 *BDB_DRIVER_ENTRY_NAME(
    uint32_t host_abi) {
  return host_abi >= 1 ? &filedrv::kTable : nullptr;
}
