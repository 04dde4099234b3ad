// Numbered weak references beside an immutable cached object (a manifest page's blocks), so
// that a reader finds an object another cache already holds without a lookup by key. Weak:
// the owning cache alone decides what stays in memory. Copies start empty and an assignment
// empties, so a changed owner never keeps references to what it used to name.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

namespace bucketdb {

class WeakSlots {
 public:
  WeakSlots() = default;
  WeakSlots(const WeakSlots &) {}
  WeakSlots &operator=(const WeakSlots &) {
    std::lock_guard<std::mutex> lock(mu_);
    slots_.clear();
    return *this;
  }

  // The object in slot i while something else keeps it alive, else nullptr.
  std::shared_ptr<const void> get(size_t i) const {
    std::lock_guard<std::mutex> lock(mu_);
    return i < slots_.size() ? slots_[i].lock() : nullptr;
  }
  void set(size_t i, const std::shared_ptr<const void> &value) const {
    std::lock_guard<std::mutex> lock(mu_);
    if (i >= slots_.size()) slots_.resize(i + 1);
    slots_[i] = value;
  }

 private:
  mutable std::mutex mu_;
  mutable std::vector<std::weak_ptr<const void>> slots_;
};

}  // namespace bucketdb
