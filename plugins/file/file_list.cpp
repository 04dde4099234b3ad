// list of the file driver: a depth-first walk in key order that skips every directory that
// cannot hold a key of this page, so a page costs about one directory read per level.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <memory>
#include <vector>

#include "drv_util.h"
#include "file_store.h"
#include "keypath.h"

namespace filedrv {

using bdbdrv::starts_with;

namespace {

// Temp files older than this are left over from a crashed put; a live put renames its temp
// file within seconds.
constexpr time_t kStaleTempSeconds = 3600;

struct Walk {
  const Op &op;
  int base;
  std::string prefix;
  std::string after;  // the continuation token: the last key already returned
  size_t want;        // page size + 1, to know whether there is more
  std::vector<std::string> keys;
};

struct Entry {
  std::string order;  // the key, plus '/' for a directory: sorts like the keys inside it
  std::string name;
  bool dir;
};

// Whether some key under directory key prefix d ("a/b/") can belong to this page.
bool dir_wanted(const Walk &w, const std::string &d) {
  if (!starts_with(d, w.prefix) && !starts_with(w.prefix, d)) return false;
  // Every key under d is <= after when after sorts at or past d without being inside it.
  if (!w.after.empty() && w.after >= d && !starts_with(w.after, d)) return false;
  return true;
}

void remove_if_stale(int dirfd, const char *name) {
  struct stat st {};
  if (::fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
      st.st_mtime + kStaleTempSeconds < ::time(nullptr))
    ::unlinkat(dirfd, name, 0);
}

int read_entries(Walk &w, const std::string &rel, const std::string &key_dir,
                 std::vector<Entry> *entries) {
  int fd = ::openat(w.base, at_path(rel), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    // Removed by a delete since we saw it, or never there: nothing to list.
    if (errno == ENOENT || errno == ENOTDIR) return BDB_DRV_OK;
    return w.op.sys(errno, "open", rel);
  }
  DIR *d = ::fdopendir(fd);
  if (!d) {
    int e = errno;
    ::close(fd);
    return w.op.sys(e, "opendir", rel);
  }
  std::unique_ptr<DIR, int (*)(DIR *)> closer(d, &::closedir);
  std::string seg;
  while (true) {
    errno = 0;
    struct dirent *de = ::readdir(d);
    if (!de) {
      if (errno) return w.op.sys(errno, "readdir", rel);
      break;
    }
    std::string name = de->d_name;
    if (starts_with(name, ".tmp.")) remove_if_stale(::dirfd(d), de->d_name);
    if (!decode_name(name, &seg)) continue;  // ".", "..", our own files, foreign names
    bool is_dir = de->d_type == DT_DIR;
    if (de->d_type != DT_DIR && de->d_type != DT_REG) {
      struct stat st {};
      if (::fstatat(::dirfd(d), de->d_name, &st, 0) != 0) continue;  // gone, or a dead link
      if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) continue;
      is_dir = S_ISDIR(st.st_mode);
    }
    std::string key = key_dir + seg;
    if (is_dir) {
      key += '/';
      if (!dir_wanted(w, key)) continue;
    } else if (!starts_with(key, w.prefix) || (!w.after.empty() && key <= w.after)) {
      continue;
    }
    entries->push_back(Entry{std::move(key), std::move(name), is_dir});
  }
  return BDB_DRV_OK;
}

int walk(Walk &w, const std::string &rel, const std::string &key_dir) {
  std::vector<Entry> entries;
  if (int st = read_entries(w, rel, key_dir, &entries)) return st;
  std::sort(entries.begin(), entries.end(),
            [](const Entry &a, const Entry &b) { return a.order < b.order; });
  for (auto &e : entries) {
    if (e.dir) {
      if (int st = walk(w, rel.empty() ? e.name : rel + "/" + e.name, e.order)) return st;
    } else {
      w.keys.push_back(std::move(e.order));
    }
    if (w.keys.size() >= w.want) break;
  }
  return BDB_DRV_OK;
}

}  // namespace

int file_list(void *instance, const char *prefix, const char *token, bdb_drv_list *out,
              bdb_drv_error *err) {
  return bdbdrv::guarded(err, "list", prefix, [&]() -> int {
    *out = bdb_drv_list{};
    auto &s = *static_cast<FileStore *>(instance);
    Op op{s, "list", prefix, err};
    if (!s.find_base()) return bdbdrv::make_list({}, false, out, err);  // no directory yet
    Walk w{op, s.base_fd(), prefix ? prefix : "", token ? token : "", s.page_size + 1, {}};
    if (int st = walk(w, "", "")) return st;
    bool truncated = w.keys.size() > s.page_size;
    if (truncated) w.keys.resize(s.page_size);
    return bdbdrv::make_list(w.keys, truncated, out, err);
  });
}

}  // namespace filedrv
