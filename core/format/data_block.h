// An immutable data block (`data/{table}/{id}`): rows of one schema version sorted by primary
// key, each with its hidden system columns, then the heap they share.
//   payload: table | u32 schema version | u32 rows | u32 row width | u32 heap size |
//            rows x (u64 seq | u64 misc | row) | heap
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/codec/row_codec.h"
#include "core/format/key_probes.h"
#include "core/schema/schema.h"
#include "core/util/bytes.h"

namespace bucketdb {

class DataBlock {
 public:
  // Checks the envelope, the header against `schema` (the version the header names must be
  // the one given) and every size.
  static std::shared_ptr<const DataBlock> parse(Bytes object, const std::string &key,
                                                SchemaPtr schema);
  // The schema version a block claims, read before parse to pick the schema.
  static uint32_t peek_version(const Bytes &object, const std::string &key);

  size_t rows() const { return rows_; }
  uint64_t seq(size_t i) const { return load_le(rec(i), 8); }
  uint64_t misc(size_t i) const { return load_le(rec(i) + 8, 8); }
  RowView row(size_t i) const { return RowView(*schema_, rec(i) + 16, heap_, &key_); }
  // The row's encoded primary key (valid while the block lives). The block's keys are
  // encoded once, at first use, and kept: lookups binary-search them many times over while
  // the block is cached.
  std::string_view key_of(size_t i) const;
  // The row's fixed bytes and the block's heap, for copying a row into a new block.
  std::string_view fixed(size_t i) const {
    return {reinterpret_cast<const char *>(rec(i) + 16), stride_ - 16};
  }
  std::string_view heap() const { return heap_; }
  // Index of the row with this encoded primary key, or -1.
  long find(std::string_view key) const;
  // First row whose key is >= key (rows() if none).
  size_t lower_bound(std::string_view key) const;
  const SchemaPtr &schema() const { return schema_; }
  const std::string &object_key() const { return key_; }
  // The object's size plus its encoded keys and their search tables (which cost about as much
  // again for short rows).
  size_t byte_size() const { return object_.size() + rows_ * 48; }

 private:
  const uint8_t *rec(size_t i) const { return rows_base_ + i * stride_; }
  void build_keys() const;
  bool row_has_key(size_t i, std::string_view key) const;
  std::string_view key_at(size_t i) const {
    size_t begin = i ? key_end_[i - 1] : 0;
    return std::string_view(key_bytes_).substr(begin, key_end_[i] - begin);
  }
  Bytes object_;
  std::string key_;
  SchemaPtr schema_;
  size_t rows_ = 0;
  size_t stride_ = 0;
  const uint8_t *rows_base_ = nullptr;
  std::string_view heap_;
  // The encoded keys, built once: their bytes back to back, where each one ends, and their
  // probe words for the binary search.
  mutable std::once_flag keys_once_;
  mutable std::string key_bytes_;
  mutable std::vector<size_t> key_end_;
  mutable KeyProbes key_probes_;
};

class DataBlockBuilder {
 public:
  DataBlockBuilder(std::string table, SchemaPtr schema);
  // Adds a row whose heap references are relative to `heap` (a log entry's row), or to a
  // block's heap (`heap` is then that whole heap).
  void add(uint64_t seq, uint64_t misc, std::string_view fixed, std::string_view heap);
  size_t rows() const { return rows_; }
  size_t estimated_size() const { return records_.size() + heap_.size() + 64; }
  Bytes finish();

 private:
  std::string table_;
  SchemaPtr schema_;
  size_t rows_ = 0;
  std::string records_;
  std::string heap_;
};

}  // namespace bucketdb
