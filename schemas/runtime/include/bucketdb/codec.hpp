// BucketDB generated-codec runtime for C++17: RAII owners for the C builder and for rows the
// library hands out, std::string_view conversions, and an exception for callers who prefer
// one. Generated C++ headers (bucketdb-schemac) include this.
#ifndef BUCKETDB_CODEC_HPP
#define BUCKETDB_CODEC_HPP

#include <bucketdb/codec.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace bdbc {

inline std::string_view view(const bdbc_str &s) {
  return s.len ? std::string_view(s.data, s.len) : std::string_view();
}
inline std::string_view view(const bdbc_bytes &b) {
  return b.len ? std::string_view(reinterpret_cast<const char *>(b.data), b.len)
               : std::string_view();
}
inline bdbc_str str(std::string_view v) {
  return bdbc_str_of(v.data(), v.size());
}
inline bdbc_bytes bytes(std::string_view v) {
  return bdbc_bytes_of(v.data(), v.size());
}

// A failed codec or library call, with its status and message.
class Error : public std::runtime_error {
 public:
  Error(bdb_status status, const std::string &message)
      : std::runtime_error(message), status_(status) {}
  bdb_status status() const { return status_; }

 private:
  bdb_status status_;
};

// Throws Error unless status is BDB_OK; the message is err's, or the library's last one.
inline void check(bdb_status status, const bdbc_error *err = nullptr) {
  if (status == BDB_OK) return;
  std::string msg = err && err->message[0] ? err->message : bdb_errmsg();
  throw Error(status, msg.empty() ? bdb_status_str(status) : msg);
}

// Owns a bdbc_builder: rows and heap appended by generated encode() calls.
class RowBuilder {
 public:
  RowBuilder() { bdbc_builder_init(&b_); }
  ~RowBuilder() { bdbc_builder_free(&b_); }
  RowBuilder(const RowBuilder &) = delete;
  RowBuilder &operator=(const RowBuilder &) = delete;
  RowBuilder(RowBuilder &&other) noexcept : b_(other.b_) { bdbc_builder_init(&other.b_); }
  RowBuilder &operator=(RowBuilder &&other) noexcept {
    if (this != &other) {
      bdbc_builder_free(&b_);
      b_ = other.b_;
      bdbc_builder_init(&other.b_);
    }
    return *this;
  }

  void reset() { bdbc_builder_reset(&b_); }
  std::string_view rows() const { return bytes_of(b_.row, b_.row_len); }
  std::string_view heap() const { return bytes_of(b_.heap, b_.heap_len); }
  bdbc_builder *get() { return &b_; }
  const bdbc_builder *get() const { return &b_; }

 private:
  static std::string_view bytes_of(const uint8_t *p, size_t n) {
    return n ? std::string_view(reinterpret_cast<const char *>(p), n) : std::string_view();
  }
  bdbc_builder b_;
};

// Owns a row and heap the library allocated (from_doc), freed with bdb_free.
class RowBuf {
 public:
  RowBuf() : r_() {}
  ~RowBuf() { bdbc_rowbuf_free(&r_); }
  RowBuf(const RowBuf &) = delete;
  RowBuf &operator=(const RowBuf &) = delete;

  // Frees what it holds and gives the empty buffer to fill.
  bdbc_rowbuf *reset() {
    bdbc_rowbuf_free(&r_);
    return &r_;
  }
  const bdbc_rowbuf *get() const { return &r_; }

 private:
  bdbc_rowbuf r_;
};

}  // namespace bdbc

#endif  // BUCKETDB_CODEC_HPP
