// Thin POSIX helpers for the file driver. They return 0 or an errno value.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace filedrv {

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  Fd(Fd &&o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd &operator=(Fd &&o) noexcept;
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// "." for the base directory itself, so that *at() calls take one form.
inline const char *at_path(const std::string &rel) {
  return rel.empty() ? "." : rel.c_str();
}

// Opens a directory under dirfd for reading, fsync and *at() calls.
int open_dir(int dirfd, const std::string &rel, Fd *out);

// mkdir -p of rel under dirfd; the directories it made are appended to *created.
int make_dirs(int dirfd, const std::string &rel, std::vector<std::string> *created);

int write_all(int fd, const void *data, size_t size);

// Reads the whole file (size from fstat) into a malloc'd buffer and hashes it.
int read_all(int fd, size_t size, void **data, size_t *got, uint64_t *hash);

// Hashes the file's contents without keeping them.
int hash_file(int fd, uint64_t *hash);

int fsync_dir(int dirfd, const std::string &rel);

// strerror, thread-safe.
std::string errno_text(int e);

}  // namespace filedrv
