// get, put and delete of the file driver (layout, ETags and locking: file_store.h).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <vector>

#include "drv_util.h"
#include "file_store.h"
#include "keypath.h"

namespace filedrv {

using bdbdrv::guarded;
using bdbdrv::kKeyInMessage;

std::string meta_tag(const struct stat &st) {
  uint64_t fields[4] = {static_cast<uint64_t>(st.st_ino), static_cast<uint64_t>(st.st_mtim.tv_sec),
                        static_cast<uint64_t>(st.st_mtim.tv_nsec),
                        static_cast<uint64_t>(st.st_size)};
  return bdbdrv::hex64(bdbdrv::hash64(fields, sizeof fields, 0x51ed270b2b79b5c1ULL));
}

std::string make_etag(uint64_t content_hash, const struct stat &st) {
  return bdbdrv::hex64(content_hash) + meta_tag(st);
}

int Op::sys(int e, const char *call, const std::string &path) const {
  int st = e == ENOENT ? BDB_DRV_IO : bdbdrv::status_from_errno(e);
  return bdbdrv::set_error(err, st, e, "%s %.*s: %s %s/%.*s: %s", name, kKeyInMessage,
                           key ? key : "", call, store.base_path.c_str(), kKeyInMessage,
                           path.c_str(), errno_text(e).c_str());
}

int Op::fail(int st, const std::string &why) const {
  return bdbdrv::set_error(err, st, st == BDB_DRV_PRECONDITION_FAILED ? 412 : 0, "%s %.*s: %s",
                           name, kKeyInMessage, key ? key : "", why.c_str());
}

namespace {

int conflict(const Op &op) {
  return op.fail(BDB_DRV_INVALID,
                 "conflicts with another key: the file driver keeps keys as files in "
                 "directories, so it cannot hold both 'x' and 'x/...'");
}

// Removes empty directories from rel up to (not including) the base; stops at the first that
// is not empty. Returns the deepest directory left, which the caller may fsync.
std::string remove_empty_dirs(int base, std::string rel) {
  while (!rel.empty() && ::unlinkat(base, rel.c_str(), AT_REMOVEDIR) == 0) {
    size_t slash = rel.rfind('/');
    rel = slash == std::string::npos ? std::string() : rel.substr(0, slash);
  }
  return rel;
}

// A temp file beside its target, removed (with directories left empty) unless renamed.
struct Temp {
  int base = -1;
  std::string dir_rel;
  Fd dir;
  std::string name;
  Fd fd;
  bool live = false;
  ~Temp() {
    if (!live) return;
    fd.reset();
    ::unlinkat(dir.get(), name.c_str(), 0);
    try {
      remove_empty_dirs(base, dir_rel);
    } catch (...) {  // out of memory: an empty directory is harmless
    }
  }
};

// Checks If-None-Match / If-Match against the object at path under dirfd. Before the lock
// (full = false) it only fails fast on metadata; under the lock it compares whole ETags.
int check_conditions(const Op &op, int dirfd, const std::string &path, bool create_only,
                     const std::string *if_match, bool full) {
  if (!create_only && !if_match) return BDB_DRV_OK;
  struct stat st {};
  bool exists = ::fstatat(dirfd, path.c_str(), &st, 0) == 0;
  if (!exists && errno != ENOENT && errno != ENOTDIR) return op.sys(errno, "stat", path);
  if (exists && S_ISDIR(st.st_mode)) return conflict(op);
  if (create_only && exists) return op.fail(BDB_DRV_PRECONDITION_FAILED, "key already exists");
  if (!if_match) return BDB_DRV_OK;
  if (!exists)
    return op.fail(BDB_DRV_PRECONDITION_FAILED,
                   "If-Match " + *if_match + " but the key does not exist");
  std::string meta = meta_tag(st);
  bool meta_ok = if_match->size() == 32 && if_match->compare(16, 16, meta) == 0;
  std::string current;
  if (meta_ok && full) {
    Fd fd(::openat(dirfd, path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.ok()) return op.sys(errno, "open", path);
    uint64_t h = 0;
    if (int e = hash_file(fd.get(), &h)) return op.sys(e, "read", path);
    current = bdbdrv::hex64(h) + meta;
    meta_ok = current == *if_match;
  }
  if (!meta_ok)
    return op.fail(BDB_DRV_PRECONDITION_FAILED,
                   "If-Match " + *if_match + " but the object has changed" +
                       (current.empty() ? "" : " (ETag " + current + ")"));
  return BDB_DRV_OK;
}

// Creates the target's directories and an empty temp file in the last one. A concurrent
// delete may remove an empty directory between the two steps; then it starts again.
int create_temp(const Op &op, FileStore &s, const std::string &dir_rel, Temp *tmp,
                std::vector<std::string> *created) {
  tmp->base = s.base_fd();
  tmp->dir_rel = dir_rel;
  for (int attempt = 0; attempt < 100; attempt++) {
    if (int e = make_dirs(s.base_fd(), dir_rel, created)) {
      if (e == ENOENT) continue;  // a parent was just removed
      if (e == ENOTDIR || e == EEXIST) return conflict(op);
      return op.sys(e, "mkdir", dir_rel);
    }
    if (int e = open_dir(s.base_fd(), dir_rel, &tmp->dir)) {
      if (e == ENOENT) continue;
      if (e == ENOTDIR) return conflict(op);
      return op.sys(e, "open", dir_rel);
    }
    tmp->name = ".tmp." + bdbdrv::hex64(s.temp_salt + s.temp_counter.fetch_add(1));
    int fd =
        ::openat(tmp->dir.get(), tmp->name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      tmp->fd.reset(fd);
      tmp->live = true;
      return BDB_DRV_OK;
    }
    if (errno != ENOENT && errno != EEXIST)
      return op.sys(errno, "create", (dir_rel.empty() ? "" : dir_rel + "/") + tmp->name);
  }
  struct stat st {};
  if (::fstat(s.base_fd(), &st) == 0 && st.st_nlink == 0)
    return op.fail(BDB_DRV_IO, "the store's directory " + s.base_path + " was removed");
  return op.fail(BDB_DRV_TRANSIENT, "directory " + dir_rel + " keeps disappearing");
}

std::string parent_of(const std::string &rel) {
  size_t slash = rel.rfind('/');
  return slash == std::string::npos ? std::string() : rel.substr(0, slash);
}

}  // namespace

int file_get(void *instance, const char *key, const char *if_none_match, bdb_drv_object *out,
             bdb_drv_error *err) {
  return guarded(err, "get", key, [&]() -> int {
    *out = bdb_drv_object{};
    auto &s = *static_cast<FileStore *>(instance);
    Op op{s, "get", key, err};
    std::string rel, why;
    if (!key_to_path(key, &rel, &why)) return op.fail(BDB_DRV_INVALID, why);
    if (!s.find_base()) return op.fail(BDB_DRV_NOT_FOUND, "no such key");  // no directory yet
    Fd fd(::openat(s.base_fd(), rel.c_str(), O_RDONLY | O_CLOEXEC));
    int open_errno = fd.ok() ? 0 : errno;
    struct stat st {};
    if (open_errno && open_errno != ENOENT && open_errno != ENOTDIR)
      return op.sys(open_errno, "open", rel);
    if (fd.ok() && ::fstat(fd.get(), &st) != 0) return op.sys(errno, "stat", rel);
    if (!fd.ok() || !S_ISREG(st.st_mode)) return op.fail(BDB_DRV_NOT_FOUND, "no such key");

    void *data = nullptr;
    size_t got = 0;
    uint64_t hash = 0;
    if (int e = read_all(fd.get(), static_cast<size_t>(st.st_size), &data, &got, &hash))
      return op.sys(e, "read", rel);
    std::string etag = make_etag(hash, st);
    if (if_none_match && bdbdrv::normalize_etag(if_none_match) == etag) {
      std::free(data);
      return BDB_DRV_NOT_MODIFIED;
    }
    char *etag_copy = bdbdrv::dup_cstr(etag);
    if (!etag_copy) {
      std::free(data);
      return op.fail(BDB_DRV_NOMEM, "out of memory");
    }
    *out = bdb_drv_object{data, got, etag_copy};
    return BDB_DRV_OK;
  });
}

int file_put(void *instance, const char *key, const void *data, size_t size,
             const bdb_drv_put_options *options, char **out_etag, bdb_drv_error *err) {
  return guarded(err, "put", key, [&]() -> int {
    if (out_etag) *out_etag = nullptr;
    auto &s = *static_cast<FileStore *>(instance);
    Op op{s, "put", key, err};
    std::string rel, why;
    if (!key_to_path(key, &rel, &why)) return op.fail(BDB_DRV_INVALID, why);
    if (size && !data) return op.fail(BDB_DRV_INVALID, "no data");
    const char *what = nullptr;
    if (int e = s.prepare_write(&what))
      return op.sys(e, what, what[0] == 'o' ? KeyLocks::kFileName : s.path);
    bool create_only = options && options->if_none_match;
    std::string if_match_text = bdbdrv::normalize_etag(options ? options->if_match : nullptr);
    const std::string *if_match = options && options->if_match ? &if_match_text : nullptr;

    // Fail fast, before writing anything, when the condition already does not hold.
    if (int st = check_conditions(op, s.base_fd(), rel, create_only, if_match, false)) return st;

    std::string dir_rel, leaf;
    split_path(rel, &dir_rel, &leaf);
    Temp tmp;
    std::vector<std::string> created;
    if (int st = create_temp(op, s, dir_rel, &tmp, &created)) return st;
    std::string tmp_rel = (dir_rel.empty() ? "" : dir_rel + "/") + tmp.name;
    if (int e = write_all(tmp.fd.get(), data, size)) return op.sys(e, "write", tmp_rel);
    if (::fsync(tmp.fd.get()) != 0) return op.sys(errno, "fsync", tmp_rel);
    struct stat st {};
    if (::fstat(tmp.fd.get(), &st) != 0) return op.sys(errno, "stat", tmp_rel);
    tmp.fd.reset();
    bdbdrv::ChunkedHash hash;
    hash.update(data, size);
    std::string etag = make_etag(hash.finish(), st);
    char *etag_copy = nullptr;  // allocated now: once renamed, the put must not fail
    if (out_etag && !(etag_copy = bdbdrv::dup_cstr(etag)))
      return op.fail(BDB_DRV_NOMEM, "out of memory");
    std::unique_ptr<char, decltype(&std::free)> etag_owner(etag_copy, &std::free);

    // Check and rename under the key's lock, so conditions hold across threads and processes.
    KeyLocks::Guard guard;
    if (int e = s.locks().lock(key, &guard)) return op.sys(e, "lock", KeyLocks::kFileName);
    if (int st2 = check_conditions(op, tmp.dir.get(), leaf, create_only, if_match, true))
      return st2;
    if (::renameat(tmp.dir.get(), tmp.name.c_str(), tmp.dir.get(), leaf.c_str()) != 0) {
      if (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST) return conflict(op);
      return op.sys(errno, "rename", tmp_rel);
    }
    tmp.live = false;
    // Renamed but maybe not durable: "may or may not have landed", so the host retries and
    // its conditional-write recovery (SPEC section 4) finds out which.
    auto unsure = [&](int e, const std::string &dir) {
      op.sys(e, "fsync (after rename)", dir);
      return BDB_DRV_TRANSIENT;
    };
    if (::fsync(tmp.dir.get()) != 0) return unsure(errno, dir_rel);
    // Directories made for this key must be durable too before we answer.
    for (const auto &d : created) {
      int e = fsync_dir(s.base_fd(), parent_of(d));
      if (e && e != ENOENT) return unsure(e, parent_of(d));
    }
    if (out_etag) *out_etag = etag_owner.release();
    return BDB_DRV_OK;
  });
}

int file_del(void *instance, const char *key, bdb_drv_error *err) {
  return guarded(err, "delete", key, [&]() -> int {
    auto &s = *static_cast<FileStore *>(instance);
    Op op{s, "delete", key, err};
    std::string rel, why;
    if (!key_to_path(key, &rel, &why)) return op.fail(BDB_DRV_INVALID, why);
    if (!s.find_base()) return BDB_DRV_OK;  // nothing there: deleted already
    const char *what = nullptr;
    if (int e = s.prepare_write(&what))
      return op.sys(e, what, what[0] == 'o' ? KeyLocks::kFileName : s.path);
    KeyLocks::Guard guard;
    if (int e = s.locks().lock(key, &guard)) return op.sys(e, "lock", KeyLocks::kFileName);
    if (::unlinkat(s.base_fd(), rel.c_str(), 0) != 0) {
      int e = errno;
      if (e == ENOENT || e == ENOTDIR) return BDB_DRV_OK;  // never existed: idempotent
      struct stat st {};
      if ((e == EISDIR || e == EPERM) && ::fstatat(s.base_fd(), rel.c_str(), &st, 0) == 0 &&
          S_ISDIR(st.st_mode))
        return BDB_DRV_OK;  // only other keys under "key/": no object of this name
      return op.sys(e, "unlink", rel);
    }
    std::string left = remove_empty_dirs(s.base_fd(), parent_of(rel));
    int e = fsync_dir(s.base_fd(), left);
    if (e && e != ENOENT) return op.sys(e, "fsync", left);
    return BDB_DRV_OK;
  });
}

}  // namespace filedrv
