// Numbered weak references beside an immutable cached object (a manifest page's blocks), so
// that a reader finds an object another cache already holds without a lookup by key. Weak:
// the owning cache alone decides what stays in memory. Copies start empty and an assignment
// empties, so a changed owner never keeps references to what it used to name.
//
// Each slot may carry a hint about its object (Hint, set with it): plain data a reader can
// use to start fetching the object's memory before taking the reference, whose atomic
// increment waits for the object's cache line.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace bucketdb {

// Set by a reader that reached a cached object through a weak reference, so that the cache,
// which that reader bypassed, still sees the object as used (eviction gives used entries a
// second chance). Lives in the cached object; copies start unmarked.
class UseMark {
 public:
  UseMark() = default;
  UseMark(const UseMark &) {}
  UseMark &operator=(const UseMark &) { return *this; }
  // Writes only when unmarked, so readers of a hot object do not keep dirtying its line.
  void mark() const {
    if (!used_.load(std::memory_order_relaxed)) used_.store(true, std::memory_order_relaxed);
  }
  // Whether it was marked since the last take.
  bool take() const { return used_.exchange(false, std::memory_order_relaxed); }

 private:
  mutable std::atomic<bool> used_{false};
};

struct NoHint {};

template <class Hint = NoHint>
class WeakSlots {
  // Held for a few instructions: cheaper than a mutex on the warm read path.
  class SpinLock {
   public:
    void lock() {
      while (flag_.test_and_set(std::memory_order_acquire)) std::this_thread::yield();
    }
    void unlock() { flag_.clear(std::memory_order_release); }

   private:
    std::atomic_flag flag_ = ATOMIC_FLAG_INIT;
  };
  struct Slot {
    std::weak_ptr<const void> ref;
    Hint hint{};
  };

 public:
  WeakSlots() = default;
  WeakSlots(const WeakSlots &) {}
  WeakSlots &operator=(const WeakSlots &) {
    std::lock_guard<SpinLock> lock(mu_);
    slots_.clear();
    return *this;
  }

  // The object in slot i while something else keeps it alive, else nullptr.
  std::shared_ptr<const void> get(size_t i) const {
    return get(i, [](const Hint &) {});
  }
  // The same, calling before(hint) first (with a lock held: keep it short).
  template <class Before>
  std::shared_ptr<const void> get(size_t i, Before &&before) const {
    std::lock_guard<SpinLock> lock(mu_);
    if (i >= slots_.size()) return nullptr;
    before(std::as_const(slots_[i].hint));
    return slots_[i].ref.lock();
  }
  void set(size_t i, const std::shared_ptr<const void> &value, Hint hint = {}) const {
    std::lock_guard<SpinLock> lock(mu_);
    if (i >= slots_.size()) slots_.resize(i + 1);
    slots_[i] = Slot{value, hint};
  }

 private:
  mutable SpinLock mu_;
  mutable std::vector<Slot> slots_;
};

}  // namespace bucketdb
