// The file driver's instance and what its operations share.
//
// Layout: BASE/<escaped key path> holds each object's bytes, nothing else (see keypath.h). A
// directory tree cannot hold both "x" and "x/y"; the second put of such a pair fails with
// BDB_DRV_INVALID. Names starting with '.' are the driver's own: BASE/.bucketdb-lock (see
// key_locks.h) and ".tmp.*" files that a put writes beside their target before renaming them
// over it. list() sweeps temp files older than an hour (left by a crashed put).
//
// put: write and fsync a temp file in the target's directory (outside any lock), then under
// the key's lock check If-Match / If-None-Match, rename over the target and fsync the
// directory. delete: unlink under the key's lock, then remove parent directories left empty.
// Every process that opens the directory must follow this protocol; it relies on local
// filesystem semantics (rename, OFD locks), not on NFS-style caching.
//
// ETag: 32 hex digits, a 64-bit hash of the content followed by a 64-bit hash of the file's
// (inode, mtime in ns, size). Each put renames a new inode over the old one while both exist,
// so consecutive versions never share an inode and the ETag changes on every write, even with
// the same bytes in the same clock tick; and since the content is in it, an inode reused later
// with the same mtime and size can never pass for a different version (no ABA on If-Match).
// The metadata half lets a stale If-Match fail without reading the file.
#pragma once

#include <bucketdb/driver.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "fsutil.h"
#include "key_locks.h"

namespace filedrv {

// Nothing is created until the first write: a read of a directory that does not exist finds
// nothing (and creates nothing: a mistyped path or a read-only command leaves no trace), and
// the lock file appears with the first put or delete.
struct FileStore {
  std::string path;       // as configured
  std::string base_path;  // resolved, for messages
  size_t page_size = 1000;
  std::atomic<uint64_t> temp_counter{0};
  uint64_t temp_salt = 0;

  // The base directory once it exists (not valid before): set once, under mu.
  int base_fd() const { return has_base.load(std::memory_order_acquire) ? base.get() : -1; }
  // Opens the base directory if it exists now; false when it does not (errno set otherwise).
  bool find_base();
  // Before a put or delete: creates the base directory and opens the lock file. 0 or errno.
  int prepare_write(const char **what);
  KeyLocks &locks() { return locks_; }

 private:
  std::mutex mu;
  Fd base;
  std::atomic<bool> has_base{false};
  KeyLocks locks_;
  bool locks_open = false;
  int lock_errno = 0;  // non-zero: no lock file (a read-only directory), writes refused
};

// The ETag's second half, from the file's metadata alone.
std::string meta_tag(const struct stat &st);
std::string make_etag(uint64_t content_hash, const struct stat &st);

// The message and status of a failed operation. Keys and paths are cut to fit the 500 bytes.
struct Op {
  const FileStore &store;
  const char *name;  // "get", "put", ...
  const char *key;
  bdb_drv_error *err;

  // A failed system call on path (relative to the base); the status follows errno, except
  // that ENOENT is an I/O error here (callers that mean "not found" say so themselves).
  int sys(int e, const char *call, const std::string &path) const;
  int fail(int st, const std::string &why) const;
};

int file_get(void *instance, const char *key, const char *if_none_match, bdb_drv_object *out,
             bdb_drv_error *err);
int file_put(void *instance, const char *key, const void *data, size_t size,
             const bdb_drv_put_options *options, char **out_etag, bdb_drv_error *err);
int file_del(void *instance, const char *key, bdb_drv_error *err);
int file_list(void *instance, const char *prefix, const char *token, bdb_drv_list *out,
              bdb_drv_error *err);

}  // namespace filedrv
