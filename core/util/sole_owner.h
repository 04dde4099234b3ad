// Whether a shared_ptr is the only owner of its object, so the object may change in place
// (copy-on-write skipped).
#pragma once

#include <atomic>
#include <memory>

namespace bucketdb {

// use_count() is a relaxed load: the acquire fence orders the change after the last other
// owner's release of its copy (an acq_rel decrement). ThreadSanitizer does not model fences
// (GCC refuses them under -fsanitize=thread) and would report that owner's last reads as
// racing with the change, so its builds always answer false and copy.
template <class T>
bool sole_owner(const std::shared_ptr<T> &p) {
#if defined(__SANITIZE_THREAD__)
  (void)p;
  return false;
#else
  if (p.use_count() != 1) return false;
  std::atomic_thread_fence(std::memory_order_acquire);
  return true;
#endif
}

}  // namespace bucketdb
