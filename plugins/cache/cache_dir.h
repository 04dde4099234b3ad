// The cache layer's directory: one file per cached object, a size bound kept by evicting the
// least recently used entries, and nothing that a crash or a concurrent process can break.
//
//   DIR/v1/ab/cdef...   an entry, named by a 128-bit hash of the store and the object key
//   DIR/v1/tmp/         entries being written (renamed into place when whole)
//
// An entry holds the object key, its ETag, its bytes and a checksum; a damaged or truncated
// entry, or one of another key with the same name, reads as a miss and is removed. Recency
// lives in memory and, across restarts, in each file's modification time (touched on a hit).
// Every instance of one process shares one Dir per directory, so the bound holds per process.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "layer.h"

namespace bdbcache {

class Dir {
 public:
  // The Dir of `path` (created when missing), shared within the process. The bound is the
  // smallest any opener asked for.
  static std::shared_ptr<Dir> open(const std::string &path, uint64_t max_bytes, std::string *why);

  // Entry file name for an object key of a store.
  static std::string name_for(const std::string &store, const std::string &key);

  // A valid entry for key: its bytes (malloc'd, in *data) and ETag. False on a miss.
  bool read(const std::string &name, const std::string &key, bdbdrv::MallocBuffer *data,
            size_t *size, std::string *etag);
  // Stores an entry (replacing any), then evicts down to the bound. Failures only log-count:
  // a cache that cannot write is a cache that misses.
  void write(const std::string &name, const std::string &key, const void *data, size_t size,
             const std::string &etag);
  void remove(const std::string &name);

  uint64_t max_bytes() const { return max_bytes_; }
  uint64_t bytes();
  uint64_t entries();
  std::atomic<uint64_t> evictions{0}, bad_entries{0}, write_errors{0};

  Dir(std::string root, uint64_t max_bytes) : root_(std::move(root)), max_bytes_(max_bytes) {}

 private:
  struct Info {
    uint64_t size;
    int64_t last_use;  // ms since the epoch
  };
  std::string path_of(const std::string &name) const;
  void scan();
  void forget_locked(const std::string &name);
  void evict_locked();

  const std::string root_;  // DIR/v1
  uint64_t max_bytes_;
  std::mutex mu_;
  std::unordered_map<std::string, Info> index_;
  uint64_t total_ = 0;
};

}  // namespace bdbcache
