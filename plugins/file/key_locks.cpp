#include "key_locks.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "drv_util.h"

namespace filedrv {

namespace {

int ofd_lock(int fd, size_t stripe, short type) {
  struct flock fl {};
  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = static_cast<off_t>(stripe);
  fl.l_len = 1;
  while (::fcntl(fd, type == F_UNLCK ? F_OFD_SETLK : F_OFD_SETLKW, &fl) != 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

}  // namespace

int KeyLocks::open(int base_fd) {
  int fd = ::openat(base_fd, kFileName, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) return errno;
  fd_.reset(fd);
  return 0;
}

int KeyLocks::lock(const std::string &key, Guard *guard) {
  size_t stripe = bdbdrv::hash64(key.data(), key.size(), 0) % kStripes;
  std::unique_lock<std::mutex> mine(stripes_[stripe]);
  if (ofd_.load()) {
    int e = ofd_lock(fd_.get(), stripe, F_WRLCK);
    if (e == 0) {
      mine.release();
      guard->locks_ = this;
      guard->stripe_ = stripe;
      return 0;
    }
    if (e != EINVAL) return e;
    ofd_.store(false);
  }
  std::unique_lock<std::mutex> all(whole_);
  while (::flock(fd_.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return errno;
  }
  all.release();
  mine.release();
  guard->locks_ = this;
  guard->stripe_ = stripe;
  guard->whole_ = true;
  return 0;
}

void KeyLocks::unlock(size_t stripe, bool whole) {
  if (whole) {
    ::flock(fd_.get(), LOCK_UN);
    whole_.unlock();
  } else {
    ofd_lock(fd_.get(), stripe, F_UNLCK);
  }
  stripes_[stripe].unlock();
}

}  // namespace filedrv
