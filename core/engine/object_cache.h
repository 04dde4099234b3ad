// Immutable objects (data blocks, manifest pages) cached by key within a byte budget, least
// recently used first out (approximately: a read marks its entry, which eviction then moves
// to the front once instead of dropping). Immutable objects never need revalidation.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/util/weak_slots.h"

namespace bucketdb {

class ObjectCache {
 public:
  explicit ObjectCache(uint64_t capacity_bytes) : capacity_(capacity_bytes) {}
  std::shared_ptr<const void> get(const std::string &key);
  // The same without counting a hit or a miss nor marking the entry (read-ahead's look).
  std::shared_ptr<const void> peek(const std::string &key) const;
  bool contains(const std::string &key) const { return peek(key) != nullptr; }
  // `mark`, inside the value, is where readers that bypass get() mark it (see UseMark).
  void put(const std::string &key, std::shared_ptr<const void> value, uint64_t bytes,
           const UseMark *mark = nullptr);
  uint64_t bytes() const;
  // A hit served by a reference the caller kept (see WeakSlots): counted here all the same,
  // and the object's mark set so eviction sees it used. The count is a plain load and store,
  // not a locked increment, on the warm read path (concurrent readers may lose a few counts;
  // the figure is for statistics).
  void held_hit(const UseMark &used) {
    hits_.store(hits_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    used.mark();
  }
  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const void> value;
    uint64_t bytes;
    bool recent;          // read since it last reached the back of the list
    const UseMark *mark;  // or marked there
  };
  mutable std::mutex mu_;
  uint64_t capacity_;
  uint64_t used_ = 0;
  std::atomic<uint64_t> hits_{0};
  uint64_t misses_ = 0;
  std::list<Entry> lru_;  // front: most recently added or given a second chance
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace bucketdb
