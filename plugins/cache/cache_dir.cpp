#include "cache_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <random>
#include <thread>
#include <vector>

namespace bdbcache {

namespace {

constexpr unsigned char kMagic[4] = {'B', 'D', 'B', 'K'};
constexpr size_t kHead = 24;  // magic, version, 3 spare, key length, etag length, data length
constexpr size_t kTail = 8;   // checksum
// Temporary files of another process older than this are leftovers of a crash.
constexpr int64_t kStaleTempMs = int64_t{10} * 60 * 1000;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void put32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
void put64(unsigned char *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
uint64_t get_le(const unsigned char *p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; i++) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

uint64_t checksum(const void *p, size_t n) {
  bdbdrv::ChunkedHash hash;
  hash.update(p, n);
  return hash.finish();
}

bool make_dir(const std::string &path) {
  return ::mkdir(path.c_str(), 0755) == 0 || errno == EEXIST;
}

bool make_dirs(const std::string &path) {
  for (size_t slash = path.find('/', 1); slash != std::string::npos;
       slash = path.find('/', slash + 1))
    make_dir(path.substr(0, slash));
  return make_dir(path);
}

bool write_all(int fd, const void *data, size_t n) {
  const auto *p = static_cast<const unsigned char *>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

int64_t mtime_ms(const struct stat &st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
}

std::mutex &registry_mutex() {
  static auto *mu = new std::mutex;
  return *mu;
}
std::map<std::string, std::weak_ptr<Dir>> &registry() {
  static auto *dirs = new std::map<std::string, std::weak_ptr<Dir>>;
  return *dirs;
}

}  // namespace

std::shared_ptr<Dir> Dir::open(const std::string &path, uint64_t max_bytes, std::string *why) {
  if (!make_dirs(path + "/v1/tmp")) {
    *why = "cannot create cache.dir " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  char *real = ::realpath(path.c_str(), nullptr);
  if (!real) {
    *why = "cannot resolve cache.dir " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  std::string root = std::string(real) + "/v1";
  std::free(real);
  std::lock_guard<std::mutex> lock(registry_mutex());
  auto &slot = registry()[root];
  if (auto dir = slot.lock()) {
    std::lock_guard<std::mutex> dir_lock(dir->mu_);
    if (max_bytes < dir->max_bytes_) dir->max_bytes_ = max_bytes;
    dir->evict_locked();
    return dir;
  }
  auto dir = std::make_shared<Dir>(root, max_bytes);
  dir->scan();
  slot = dir;
  return dir;
}

std::string Dir::name_for(const std::string &store, const std::string &key) {
  std::string s = store + '\0' + key;
  return bdbdrv::hex64(bdbdrv::hash64(s.data(), s.size(), 0x9e3779b97f4a7c15ULL)) +
         bdbdrv::hex64(bdbdrv::hash64(s.data(), s.size(), 0xc2b2ae3d27d4eb4fULL));
}

std::string Dir::path_of(const std::string &name) const {
  return root_ + "/" + name.substr(0, 2) + "/" + name.substr(2);
}

// Builds the index from the files on disk, and clears stale temporary files.
void Dir::scan() {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = now_ms();
  if (DIR *tmp = ::opendir((root_ + "/tmp").c_str())) {
    while (dirent *e = ::readdir(tmp)) {
      if (e->d_name[0] == '.') continue;
      std::string p = root_ + "/tmp/" + e->d_name;
      struct stat st {};
      if (::stat(p.c_str(), &st) == 0 && now - mtime_ms(st) > kStaleTempMs) ::unlink(p.c_str());
    }
    ::closedir(tmp);
  }
  DIR *top = ::opendir(root_.c_str());
  if (!top) return;
  while (dirent *sub = ::readdir(top)) {
    std::string prefix = sub->d_name;
    if (prefix.size() != 2 || prefix == "..") continue;
    DIR *d = ::opendir((root_ + "/" + prefix).c_str());
    if (!d) continue;
    while (dirent *e = ::readdir(d)) {
      if (e->d_name[0] == '.') continue;
      std::string name = prefix + e->d_name;
      struct stat st {};
      if (::stat(path_of(name).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      index_[name] = Info{static_cast<uint64_t>(st.st_size), mtime_ms(st)};
      total_ += static_cast<uint64_t>(st.st_size);
    }
    ::closedir(d);
  }
  ::closedir(top);
  evict_locked();
}

bool Dir::read(const std::string &name, const std::string &key, bdbdrv::MallocBuffer *data,
               size_t *size, std::string *etag) {
  std::string path = path_of(name);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::lock_guard<std::mutex> lock(mu_);
    forget_locked(name);
    return false;
  }
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0 && static_cast<uint64_t>(st.st_size) >= kHead + kTail;
  size_t n = ok ? static_cast<size_t>(st.st_size) : 0;
  bdbdrv::MallocBuffer buf(n);
  ok = ok && buf.p;
  for (size_t done = 0; ok && done < n;) {
    ssize_t r = ::pread(fd, buf.p + done, n - done, static_cast<off_t>(done));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0)
      ok = false;
    else
      done += static_cast<size_t>(r);
  }
  ::close(fd);
  uint64_t key_len = 0, etag_len = 0, data_len = 0;
  if (ok) {
    key_len = get_le(buf.p + 8, 4);
    etag_len = get_le(buf.p + 12, 4);
    data_len = get_le(buf.p + 16, 8);
    ok = std::memcmp(buf.p, kMagic, 4) == 0 && buf.p[4] == 1 &&
         kHead + key_len + etag_len + data_len + kTail == n &&
         get_le(buf.p + n - kTail, 8) == checksum(buf.p, n - kTail) && key_len == key.size() &&
         std::memcmp(buf.p + kHead, key.data(), key.size()) == 0;
  }
  if (!ok) {
    // Damaged, truncated, or another key's entry under the same name: drop it.
    bad_entries++;
    ::unlink(path.c_str());
    std::lock_guard<std::mutex> lock(mu_);
    forget_locked(name);
    return false;
  }
  etag->assign(reinterpret_cast<const char *>(buf.p + kHead + key_len), etag_len);
  std::memmove(buf.p, buf.p + kHead + key_len + etag_len, data_len);
  *size = static_cast<size_t>(data_len);
  *data = std::move(buf);
  // Recency: in memory now, on disk for the next process (mtime).
  ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(name);
  if (it != index_.end()) {
    it->second.last_use = now_ms();
  } else {
    index_[name] = Info{n, now_ms()};  // written by another process
    total_ += n;
  }
  return true;
}

void Dir::write(const std::string &name, const std::string &key, const void *data, size_t size,
                const std::string &etag) {
  const uint64_t n = kHead + key.size() + etag.size() + size + kTail;
  // One entry may take at most a quarter of the bound: a huge blob must not flush the rest.
  if (n > max_bytes_ / 4) return;
  std::vector<unsigned char> head(kHead + key.size() + etag.size());
  std::memcpy(head.data(), kMagic, 4);
  head[4] = 1;
  put32(head.data() + 8, static_cast<uint32_t>(key.size()));
  put32(head.data() + 12, static_cast<uint32_t>(etag.size()));
  put64(head.data() + 16, size);
  std::memcpy(head.data() + kHead, key.data(), key.size());
  std::memcpy(head.data() + kHead + key.size(), etag.data(), etag.size());
  // The checksum runs over head and data as if they were one buffer.
  bdbdrv::ChunkedHash hash;
  hash.update(head.data(), head.size());
  hash.update(data, size);
  unsigned char tail[kTail];
  put64(tail, hash.finish());

  // Unique among processes sharing the directory (pid, salt) and within this one (counter).
  static const uint64_t salt = std::random_device{}();
  static std::atomic<uint64_t> counter{0};
  std::string tmp = root_ + "/tmp/" + std::to_string(::getpid()) + "." + bdbdrv::hex64(salt) + "." +
                    std::to_string(counter++);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  bool ok = fd >= 0 && write_all(fd, head.data(), head.size()) && write_all(fd, data, size) &&
            write_all(fd, tail, kTail);
  if (fd >= 0) ok = (::close(fd) == 0) && ok;
  std::string path = path_of(name);
  if (ok) {
    make_dir(root_ + "/" + name.substr(0, 2));
    ok = ::rename(tmp.c_str(), path.c_str()) == 0;
  }
  if (!ok) {
    write_errors++;
    ::unlink(tmp.c_str());
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  forget_locked(name);
  index_[name] = Info{n, now_ms()};
  total_ += n;
  evict_locked();
}

void Dir::remove(const std::string &name) {
  ::unlink(path_of(name).c_str());
  std::lock_guard<std::mutex> lock(mu_);
  forget_locked(name);
}

void Dir::forget_locked(const std::string &name) {
  auto it = index_.find(name);
  if (it == index_.end()) return;
  total_ -= it->second.size;
  index_.erase(it);
}

// Least recently used first, down to 90% of the bound so that eviction runs seldom.
void Dir::evict_locked() {
  if (total_ <= max_bytes_) return;
  std::vector<std::pair<int64_t, std::string>> by_age;
  by_age.reserve(index_.size());
  for (const auto &[name, info] : index_) by_age.emplace_back(info.last_use, name);
  std::sort(by_age.begin(), by_age.end());
  const uint64_t target = max_bytes_ / 10 * 9;
  for (const auto &[age, name] : by_age) {
    if (total_ <= target) break;
    ::unlink(path_of(name).c_str());
    forget_locked(name);
    evictions++;
  }
}

uint64_t Dir::bytes() {
  std::lock_guard<std::mutex> lock(mu_);
  return total_;
}

uint64_t Dir::entries() {
  std::lock_guard<std::mutex> lock(mu_);
  return index_.size();
}

}  // namespace bdbcache
