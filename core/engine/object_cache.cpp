#include "core/engine/object_cache.h"

#include <iterator>

namespace bucketdb {

std::shared_ptr<const void> ObjectCache::get(const std::string &key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) {
    misses_++;
    return nullptr;
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  // Marked rather than moved: a hit touches one entry, not three list nodes; eviction gives
  // marked entries a second chance (the clock approximation of least recently used).
  it->second->recent = true;
  return it->second->value;
}

std::shared_ptr<const void> ObjectCache::peek(const std::string &key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : it->second->value;
}

void ObjectCache::put(const std::string &key, std::shared_ptr<const void> value, uint64_t bytes,
                      const UseMark *mark) {
  std::lock_guard<std::mutex> lock(mu_);
  if (bytes > capacity_) return;
  auto it = index_.find(key);
  if (it != index_.end()) {
    used_ -= it->second->bytes;
    lru_.erase(it->second);
    index_.erase(it);
  }
  // Marked from the start, so that an entry just added outlives one sweep of the others.
  lru_.push_front(Entry{key, std::move(value), bytes, true, mark});
  index_[key] = lru_.begin();
  used_ += bytes;
  while (used_ > capacity_ && !lru_.empty()) {
    Entry &last = lru_.back();
    bool marked = last.mark && last.mark->take();  // read without get() since the last sweep
    if ((last.recent || marked) && &last != &lru_.front()) {
      last.recent = false;
      lru_.splice(lru_.begin(), lru_, std::prev(lru_.end()));
      continue;
    }
    used_ -= last.bytes;
    index_.erase(last.key);
    lru_.pop_back();
  }
}

uint64_t ObjectCache::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return used_;
}

}  // namespace bucketdb
