// Per-key write locks that hold across threads and processes.
//
// A key hashes to one of kStripes stripes. A stripe is a std::mutex (threads of this instance)
// plus an open-file-description lock on byte <stripe> of BASE/.bucketdb-lock (other instances
// and other processes: OFD locks belong to the open file, not to the process, so two instances
// in one process exclude each other too). Where the filesystem has no OFD locks, a flock() of
// the whole file, serialised within the instance, takes its place.
#pragma once

#include <atomic>
#include <mutex>
#include <string>

#include "fsutil.h"

namespace filedrv {

class KeyLocks {
 public:
  static constexpr size_t kStripes = 64;
  static constexpr const char *kFileName = ".bucketdb-lock";

  // Opens (creating) the lock file; returns errno on failure (e.g. a read-only store).
  int open(int base_fd);

  // Releases the stripe it holds, if any, when it goes away.
  class Guard {
   public:
    Guard() = default;
    ~Guard() {
      if (locks_) locks_->unlock(stripe_, whole_);
    }
    Guard(const Guard &) = delete;
    Guard &operator=(const Guard &) = delete;

   private:
    friend class KeyLocks;
    KeyLocks *locks_ = nullptr;
    size_t stripe_ = 0;
    bool whole_ = false;
  };

  // Locks the key's stripe into *guard (which must be empty); returns 0 or errno.
  int lock(const std::string &key, Guard *guard);

 private:
  void unlock(size_t stripe, bool whole);
  Fd fd_;
  std::mutex stripes_[kStripes];
  std::mutex whole_;  // serialises flock() users when OFD locks are unavailable
  std::atomic<bool> ofd_{true};
};

}  // namespace filedrv
