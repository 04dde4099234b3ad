// The external sort of query rows (see row_sorter.h).
//
// A record, in memory and in a run: u32 key length, u32 body length (little-endian), the key,
// then the body: u64 seq, u64 misc, the row's fixed part (schema.row_width() bytes), its heap.
#include "core/engine/row_sorter.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/codec/key_codec.h"
#include "core/codec/row_codec.h"
#include "core/util/error.h"

namespace bucketdb {

namespace {

constexpr size_t kHeader = 8;      // u32 key length, u32 body length
constexpr size_t kBodyFixed = 16;  // seq, misc
constexpr size_t kMinKey = 1 + 8;  // a null's key byte + the arrival number
constexpr size_t kMaxFanIn = 128;

void put_le(char *p, uint64_t v, int n) {
  for (int i = 0; i < n; i++) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

uint64_t get_le(const char *p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; i++)
    v |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

uint64_t get_be64(const char *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

size_t key_len(const char *rec) {
  return static_cast<size_t>(get_le(rec, 4));
}
size_t record_size(const char *rec) {
  return kHeader + static_cast<size_t>(get_le(rec, 4)) + static_cast<size_t>(get_le(rec + 4, 4));
}

int compare_keys(const char *a, size_t alen, const char *b, size_t blen) {
  int c = std::memcmp(a, b, std::min(alen, blen));
  if (c != 0) return c;
  return alen < blen ? -1 : alen > blen;
}

std::string reason(int err) {
  return std::generic_category().message(err);
}

std::string pick_temp_dir() {
  if (const char *t = std::getenv("TMPDIR"); t && *t) return t;
  std::error_code ec;
  std::filesystem::path p = std::filesystem::temp_directory_path(ec);
  return ec || p.empty() ? std::string("/tmp") : p.string();
}

// An anonymous temporary file: created, then unlinked at once. Appends at the end, reads at
// any offset.
class TempFile {
 public:
  explicit TempFile(const std::string &dir) : dir_(dir) {
    std::string path = dir + "/bucketdb-sort-XXXXXX";
    fd_ = ::mkstemp(path.data());
    if (fd_ < 0) io_fail("cannot create a temporary file in", errno);
    int unlinked = ::unlink(path.c_str()) == 0 ? 0 : errno;
    if (unlinked != 0) {
      ::close(fd_);
      fd_ = -1;
      io_fail("cannot unlink its temporary file " + path + " in", unlinked);
    }
    ::fcntl(fd_, F_SETFD, FD_CLOEXEC);
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  TempFile(const TempFile &) = delete;
  TempFile &operator=(const TempFile &) = delete;

  uint64_t size() const { return size_; }

  void append(const char *p, size_t n) {
    while (n > 0) {
      ssize_t w = ::pwrite(fd_, p, n, static_cast<off_t>(size_));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) io_fail("cannot write its temporary file in", w < 0 ? errno : ENOSPC);
      p += w;
      n -= static_cast<size_t>(w);
      size_ += static_cast<uint64_t>(w);
    }
  }

  void read_at(char *p, size_t n, uint64_t offset) {
    while (n > 0) {
      ssize_t r = ::pread(fd_, p, n, static_cast<off_t>(offset));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) io_fail("cannot read its temporary file in", errno);
      if (r == 0)
        fail(BDB_E_IO, "sorting rows: its temporary file in " + dir_ + " ended early (" +
                           std::to_string(n) + " bytes missing at offset " +
                           std::to_string(offset) + ")");
      p += r;
      n -= static_cast<size_t>(r);
      offset += static_cast<uint64_t>(r);
    }
  }

  // Empties the file, giving its space back.
  void truncate() {
    if (::ftruncate(fd_, 0) != 0) io_fail("cannot truncate its temporary file in", errno);
    size_ = 0;
  }

  [[noreturn]] void io_fail(const std::string &what, int err) const {
    fail(BDB_E_IO, "sorting rows: " + what + " " + dir_ + ": " + reason(err) +
                       " (a sort beyond its memory budget spills there; set TMPDIR to a "
                       "directory with room)");
  }

 private:
  std::string dir_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

// A run: a sorted stretch of records in one temporary file.
struct Run {
  int file = 0;
  uint64_t offset = 0, bytes = 0;
};

// Appends records to a file through a buffer; finish() flushes and returns the run written.
class RunWriter {
 public:
  RunWriter(TempFile &file, int index, size_t buffer) : file_(file), cap_(buffer) {
    run_.file = index;
    run_.offset = file.size();
    buf_.reserve(cap_);
  }
  void put(const char *p, size_t n) {
    if (buf_.size() + n > cap_) flush();
    if (n >= cap_) {
      file_.append(p, n);
    } else {
      buf_.insert(buf_.end(), p, p + n);
    }
    run_.bytes += n;
  }
  Run finish() {
    flush();
    return run_;
  }

 private:
  void flush() {
    if (!buf_.empty()) file_.append(buf_.data(), buf_.size());
    buf_.clear();
  }
  TempFile &file_;
  size_t cap_;
  std::vector<char> buf_;
  Run run_;
};

// Reads a run's records one at a time through a buffer.
class RunReader {
 public:
  RunReader(TempFile &file, const Run &run, size_t buffer, size_t min_body)
      : file_(file), offset_(run.offset), left_(run.bytes), min_body_(min_body) {
    buf_.resize(static_cast<size_t>(std::min<uint64_t>(buffer, run.bytes)));
  }
  // The next record into record(); false at the end of the run.
  bool advance() {
    if (pos_ == len_ && left_ == 0) return false;
    char h[kHeader];
    read_exact(h, kHeader);
    uint64_t klen = get_le(h, 4), blen = get_le(h + 4, 4);
    if (klen < kMinKey || blen < min_body_ || klen + blen > (len_ - pos_) + left_)
      fail(BDB_E_IO, "sorting rows: a record of its temporary file is malformed (key " +
                         std::to_string(klen) + " bytes, body " + std::to_string(blen) + ")");
    rec_.resize(static_cast<size_t>(kHeader + klen + blen));
    std::memcpy(&rec_[0], h, kHeader);
    read_exact(&rec_[kHeader], static_cast<size_t>(klen + blen));
    return true;
  }
  const std::string &record() const { return rec_; }
  std::string_view key() const { return {rec_.data() + kHeader, key_len(rec_.data())}; }

 private:
  void read_exact(char *dst, size_t n) {
    while (n > 0) {
      if (pos_ == len_) {
        if (left_ == 0)
          fail(BDB_E_IO, "sorting rows: a run of its temporary file ended inside a record");
        if (n >= buf_.size() && n <= left_) {  // large: straight into place
          file_.read_at(dst, n, offset_);
          offset_ += n;
          left_ -= n;
          return;
        }
        size_t k = static_cast<size_t>(std::min<uint64_t>(buf_.size(), left_));
        file_.read_at(buf_.data(), k, offset_);
        offset_ += k;
        left_ -= k;
        pos_ = 0;
        len_ = k;
      }
      size_t k = std::min(n, len_ - pos_);
      std::memcpy(dst, buf_.data() + pos_, k);
      pos_ += k;
      dst += k;
      n -= k;
    }
  }

  TempFile &file_;
  uint64_t offset_, left_;
  size_t min_body_;
  std::vector<char> buf_;
  size_t pos_ = 0, len_ = 0;
  std::string rec_;
};

// Merges runs of one file through a heap of their current records, smallest key first.
class Merger {
 public:
  Merger(TempFile &file, const std::vector<Run> &runs, size_t buffer, size_t min_body) {
    readers_.reserve(runs.size());
    for (const Run &r : runs) {
      readers_.push_back(std::make_unique<RunReader>(file, r, buffer, min_body));
      if (readers_.back()->advance()) heap_.push_back(readers_.back().get());
    }
    std::make_heap(heap_.begin(), heap_.end(), later);
  }
  // The next record in order, valid until the next call; nullptr at the end.
  const std::string *next() {
    if (last_) {
      if (last_->advance()) {
        heap_.push_back(last_);
        std::push_heap(heap_.begin(), heap_.end(), later);
      }
      last_ = nullptr;
    }
    if (heap_.empty()) return nullptr;
    std::pop_heap(heap_.begin(), heap_.end(), later);
    last_ = heap_.back();
    heap_.pop_back();
    return &last_->record();
  }

 private:
  static bool later(const RunReader *a, const RunReader *b) {  // a min-heap on keys
    std::string_view x = a->key(), y = b->key();
    return compare_keys(x.data(), x.size(), y.data(), y.size()) > 0;
  }
  std::vector<std::unique_ptr<RunReader>> readers_;
  std::vector<RunReader *> heap_;
  RunReader *last_ = nullptr;
};

// In-memory sort index of one record.
struct Entry {
  uint64_t prefix;  // the key's first 8 bytes, big-endian (every key has at least 9)
  const char *rec;
};

bool entry_before(const Entry &a, const Entry &b) {
  if (a.prefix != b.prefix) return a.prefix < b.prefix;
  return compare_keys(a.rec + kHeader, key_len(a.rec), b.rec + kHeader, key_len(b.rec)) < 0;
}

struct Block {
  std::unique_ptr<char[]> data;
  size_t size = 0, used = 0;
};

}  // namespace

struct RowSorter::State {
  SchemaPtr schema;
  std::vector<OrderKey> keys;
  uint64_t budget = 0, capacity = 0;
  size_t io = 0, block = 0, fan_in = 2, min_body = 0;
  std::string dir;
  std::string what;  // names the temporary files in errors of the row codec

  // Rows in memory.
  std::vector<Block> blocks;
  size_t current = SIZE_MAX;  // the block new small records go to
  uint64_t counted = 0;       // bytes counted against `capacity`
  uint64_t in_memory = 0;     // records in memory
  std::vector<Entry> sorted;  // after finish() without runs: the records in order
  size_t served = 0;

  // Spilled runs.
  std::unique_ptr<TempFile> files[2];
  int runs_file = 0;  // the file holding `runs`
  std::vector<Run> runs;
  std::unique_ptr<Merger> merger;

  uint64_t rows = 0, runs_spilled = 0, passes = 0, bytes_spilled = 0;
  bool finished = false;
  std::string key, fixed, heap;  // scratch

  TempFile &file(int i) {
    if (!files[i]) files[i] = std::make_unique<TempFile>(dir);
    return *files[i];
  }

  // Room for a record of n bytes in memory, spilling first when it would not fit.
  char *reserve(size_t n) {
    bool own = n > block / 2;  // large records get a block of their own, exactly sized
    bool fits = !own && current != SIZE_MAX && blocks[current].size - blocks[current].used >= n;
    uint64_t waste =
        !own && !fits && current != SIZE_MAX ? blocks[current].size - blocks[current].used : 0;
    if (in_memory > 0 && counted + waste + n + sizeof(Entry) > capacity) {
      spill();
      return reserve(n);
    }
    counted += waste + n + sizeof(Entry);
    in_memory++;
    if (own) {
      blocks.push_back(Block{std::unique_ptr<char[]>(new char[n]), n, n});
      return blocks.back().data.get();
    }
    if (!fits) {
      blocks.push_back(Block{std::unique_ptr<char[]>(new char[block]), block, 0});
      current = blocks.size() - 1;
    }
    Block &b = blocks[current];
    char *p = b.data.get() + b.used;
    b.used += n;
    return p;
  }

  // The records in memory, in order.
  std::vector<Entry> sort_memory() const {
    std::vector<Entry> out;
    out.reserve(static_cast<size_t>(in_memory));
    for (const Block &b : blocks)
      for (size_t at = 0; at < b.used; at += record_size(b.data.get() + at)) {
        const char *rec = b.data.get() + at;
        out.push_back(Entry{get_be64(rec + kHeader), rec});
      }
    std::sort(out.begin(), out.end(), entry_before);
    return out;
  }

  void release_memory() {
    blocks.clear();
    blocks.shrink_to_fit();
    current = SIZE_MAX;
    counted = 0;
    in_memory = 0;
  }

  // Writes the rows in memory as one sorted run.
  void spill() {
    {
      std::vector<Entry> order = sort_memory();
      RunWriter w(file(0), 0, io);
      for (const Entry &e : order) w.put(e.rec, record_size(e.rec));
      runs.push_back(w.finish());
    }
    runs_spilled++;
    bytes_spilled += runs.back().bytes;
    release_memory();
  }

  // One whole pass: every fan_in runs become one, in the other file.
  void merge_pass() {
    int from = runs_file, to = 1 - runs_file;
    TempFile &src = file(from), &dst = file(to);
    std::vector<Run> out;
    for (size_t i = 0; i < runs.size(); i += fan_in) {
      std::vector<Run> group(
          runs.begin() + static_cast<std::ptrdiff_t>(i),
          runs.begin() + static_cast<std::ptrdiff_t>(std::min(runs.size(), i + fan_in)));
      Merger m(src, group, io, min_body);
      RunWriter w(dst, to, io);
      while (const std::string *rec = m.next()) w.put(rec->data(), rec->size());
      out.push_back(w.finish());
    }
    src.truncate();
    runs = std::move(out);
    runs_file = to;
    passes++;
  }

  void decode(const char *rec, Values &values, uint64_t &seq, uint64_t &misc) const {
    const char *body = rec + kHeader + key_len(rec);
    size_t blen = static_cast<size_t>(get_le(rec + 4, 4));
    seq = get_le(body, 8);
    misc = get_le(body + 8, 8);
    size_t width = schema->row_width();
    std::string_view heap_bytes(body + kBodyFixed + width, blen - kBodyFixed - width);
    values =
        RowView(*schema, reinterpret_cast<const uint8_t *>(body + kBodyFixed), heap_bytes, &what)
            .decode();
  }

  // The next record in order, or nullptr.
  const char *next_record() {
    if (!finished) fail(BDB_E_INTERNAL, "RowSorter: rows read before finish()");
    if (merger) {
      const std::string *rec = merger->next();
      return rec ? rec->data() : nullptr;
    }
    if (served >= sorted.size()) return nullptr;
    return sorted[served++].rec;
  }
};

RowSorter::RowSorter(SchemaPtr schema, size_t field, bool descending, uint64_t budget_bytes,
                     size_t io_buffer_bytes)
    : RowSorter(std::move(schema), {OrderKey{field, descending}}, budget_bytes, io_buffer_bytes) {}

RowSorter::RowSorter(SchemaPtr schema, std::vector<OrderKey> keys, uint64_t budget_bytes,
                     size_t io_buffer_bytes)
    : s_(std::make_unique<State>()) {
  State &s = *s_;
  s.schema = std::move(schema);
  s.keys = std::move(keys);
  s.budget = budget_bytes;
  s.io = io_buffer_bytes
             ? io_buffer_bytes
             : static_cast<size_t>(std::clamp<uint64_t>(budget_bytes / 32, 4 << 10, 256 << 10));
  // Rows share the budget with the spill's write buffer; a merge's buffers (fan-in readers
  // and a writer) use all of it once the rows are gone.
  s.capacity = budget_bytes >= 2 * s.io ? budget_bytes - s.io : budget_bytes / 2;
  s.block = static_cast<size_t>(std::clamp<uint64_t>(s.capacity / 8, 4 << 10, 1 << 20));
  uint64_t readers = budget_bytes / s.io;
  s.fan_in = static_cast<size_t>(std::clamp<uint64_t>(readers > 0 ? readers - 1 : 0, 2, kMaxFanIn));
  s.min_body = kBodyFixed + s.schema->row_width();
  s.dir = pick_temp_dir();
  s.what = "temporary sort file in " + s.dir;
}

RowSorter::~RowSorter() = default;

void RowSorter::add(const Values &values, uint64_t seq, uint64_t misc) {
  State &s = *s_;
  if (s.finished) fail(BDB_E_INTERNAL, "RowSorter: a row added after finish()");
  s.key.clear();
  for (const OrderKey &k : s.keys) {
    size_t from = s.key.size();
    append_nullable_key(s.key, *s.schema->field(k.field).type, values[k.field]);
    if (k.descending)  // the encodings are prefix-free: complemented, they sort in reverse
      for (size_t i = from; i < s.key.size(); i++)
        s.key[i] = static_cast<char>(~static_cast<unsigned char>(s.key[i]));
  }
  for (int i = 7; i >= 0; i--) s.key += static_cast<char>((s.rows >> (8 * i)) & 0xff);
  s.fixed.clear();
  s.heap.clear();
  encode_row(*s.schema, values, s.fixed, s.heap);
  uint64_t body = kBodyFixed + s.fixed.size() + s.heap.size();
  if (s.key.size() > 0xffffffffu || body > 0xffffffffu)
    fail(BDB_E_INVALID, "sorting rows of " + s.schema->name() + ": a row is larger than 4 GiB");
  size_t n = kHeader + s.key.size() + static_cast<size_t>(body);
  char *p = s.reserve(n);
  put_le(p, s.key.size(), 4);
  put_le(p + 4, body, 4);
  p += kHeader;
  std::memcpy(p, s.key.data(), s.key.size());
  p += s.key.size();
  put_le(p, seq, 8);
  put_le(p + 8, misc, 8);
  p += kBodyFixed;
  std::memcpy(p, s.fixed.data(), s.fixed.size());
  if (!s.heap.empty()) std::memcpy(p + s.fixed.size(), s.heap.data(), s.heap.size());
  s.rows++;
}

void RowSorter::finish() {
  State &s = *s_;
  if (s.finished) return;
  s.finished = true;
  if (s.runs.empty()) {
    s.sorted = s.sort_memory();
    return;
  }
  if (s.in_memory > 0) s.spill();
  std::string().swap(s.key);
  std::string().swap(s.fixed);
  std::string().swap(s.heap);
  while (s.runs.size() > s.fan_in) s.merge_pass();
  s.merger = std::make_unique<Merger>(s.file(s.runs_file), s.runs, s.io, s.min_body);
}

bool RowSorter::next(Values &values, uint64_t &seq, uint64_t &misc) {
  const char *rec = s_->next_record();
  if (!rec) return false;
  s_->decode(rec, values, seq, misc);
  return true;
}

bool RowSorter::skip() {
  return s_->next_record() != nullptr;
}

uint64_t RowSorter::rows() const {
  return s_->rows;
}
uint64_t RowSorter::runs_spilled() const {
  return s_->runs_spilled;
}
uint64_t RowSorter::merge_passes() const {
  return s_->passes;
}
uint64_t RowSorter::bytes_spilled() const {
  return s_->bytes_spilled;
}
uint64_t RowSorter::memory_bytes() const {
  return s_->counted;
}
uint64_t RowSorter::row_capacity() const {
  return s_->capacity;
}
size_t RowSorter::fan_in() const {
  return s_->fan_in;
}
const std::string &RowSorter::temp_dir() const {
  return s_->dir;
}

}  // namespace bucketdb
