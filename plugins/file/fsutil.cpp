#include "fsutil.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "drv_util.h"

namespace filedrv {

Fd &Fd::operator=(Fd &&o) noexcept {
  if (this != &o) {
    reset(o.fd_);
    o.fd_ = -1;
  }
  return *this;
}

void Fd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

int open_dir(int dirfd, const std::string &rel, Fd *out) {
  int fd = ::openat(dirfd, at_path(rel), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  out->reset(fd);
  return 0;
}

int make_dirs(int dirfd, const std::string &rel, std::vector<std::string> *created) {
  if (rel.empty()) return 0;
  size_t pos = 0;
  while (true) {
    size_t slash = rel.find('/', pos);
    std::string part = rel.substr(0, slash);
    if (::mkdirat(dirfd, part.c_str(), 0777) == 0) {
      created->push_back(part);
    } else if (errno != EEXIST) {
      return errno;
    }
    if (slash == std::string::npos) return 0;
    pos = slash + 1;
  }
}

int write_all(int fd, const void *data, size_t size) {
  const char *p = static_cast<const char *>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
  return 0;
}

int read_all(int fd, size_t size, void **data, size_t *got, uint64_t *hash) {
  char *buf = static_cast<char *>(std::malloc(size ? size : 1));
  if (!buf) return ENOMEM;
  size_t off = 0;
  while (off < size) {
    ssize_t n = ::pread(fd, buf + off, size - off, static_cast<off_t>(off));
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      std::free(buf);
      return e;
    }
    if (n == 0) break;  // shorter than fstat said: someone truncated it behind our back
    off += static_cast<size_t>(n);
  }
  bdbdrv::ChunkedHash h;
  h.update(buf, off);
  *hash = h.finish();
  *data = buf;
  *got = off;
  return 0;
}

int hash_file(int fd, uint64_t *hash) {
  std::vector<char> buf(bdbdrv::ChunkedHash::kChunk);
  bdbdrv::ChunkedHash h;
  off_t off = 0;
  while (true) {
    ssize_t n = ::pread(fd, buf.data(), buf.size(), off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) break;
    h.update(buf.data(), static_cast<size_t>(n));
    off += n;
  }
  *hash = h.finish();
  return 0;
}

int fsync_dir(int dirfd, const std::string &rel) {
  Fd d;
  if (int e = open_dir(dirfd, rel, &d)) return e;
  return ::fsync(d.get()) == 0 ? 0 : errno;
}

std::string errno_text(int e) {
  char buf[256];
  // GNU strerror_r: returns the message, which may or may not be in buf.
  const char *msg = ::strerror_r(e, buf, sizeof buf);
  return msg ? msg : "unknown error";
}

}  // namespace filedrv
