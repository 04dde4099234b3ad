// An immutable data block (`data/{table}/{id}`): rows of one schema version sorted by primary
// key, each with its hidden system columns, then the heap they share.
//   payload: table | u32 schema version | u32 rows | u32 row width | u32 heap size |
//            rows x (u64 seq | u64 misc | row) | heap
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/codec/row_codec.h"
#include "core/format/key_probes.h"
#include "core/format/row_hash.h"
#include "core/schema/schema.h"
#include "core/util/bytes.h"
#include "core/util/weak_slots.h"

namespace bucketdb {

// What a manifest page keeps beside its weak reference to a cached block (valid while the
// block lives), so that a point read can start fetching the block's header and a key's hash
// slot before it takes the reference, whose atomic increment stalls on the block's memory.
struct BlockHint {
  const void *block = nullptr;
  const uint64_t *slots = nullptr;  // the RowHash's, or nullptr
  size_t mask = 0;
};

class DataBlock {
 public:
  // Checks the envelope, the header against `schema` (the version the header names must be
  // the one given), every size and every heap reference.
  static std::shared_ptr<const DataBlock> parse(Bytes object, const std::string &key,
                                                SchemaPtr schema);
  // The schema version a block claims, read before parse to pick the schema.
  static uint32_t peek_version(const Bytes &object, const std::string &key);

  size_t rows() const { return rows_; }
  uint64_t seq(size_t i) const { return load_le(rec(i), 8); }
  uint64_t misc(size_t i) const { return load_le(rec(i) + 8, 8); }
  RowView row(size_t i) const { return row_at(rec(i)); }
  // The row's encoded primary key (valid while the block lives). The block's keys are
  // encoded once, at first use, and kept: lookups binary-search them many times over while
  // the block is cached.
  std::string_view key_of(size_t i) const;
  // The row's fixed bytes and its heap values, for copying a row into a new block.
  std::string_view fixed(size_t i) const {
    return {reinterpret_cast<const char *>(rec(i) + 16), width_};
  }
  std::string_view row_heap(size_t i) const {
    return {reinterpret_cast<const char *>(rec(i) + 16 + width_),
            rec_at_[i + 1] - rec_at_[i] - 16 - width_};
  }
  // Index of the row with this encoded primary key, or -1.
  long find(std::string_view key) const;
  // The row with this encoded primary key, read from its record without the block's
  // index of records (one cache miss fewer for a point read).
  struct Record {
    uint64_t seq, misc;
    RowView row;
  };
  std::optional<Record> find_record(std::string_view key) const;
  // This block's hint (builds its keys), and the prefetch a hint allows for a key.
  BlockHint hint() const;
  static void prefetch(const BlockHint &h, std::string_view key);
  UseMark used;  // for the object cache, by readers that come through a manifest page
  // First row whose key is >= key (rows() if none).
  size_t lower_bound(std::string_view key) const;
  const SchemaPtr &schema() const { return schema_; }
  const std::string &object_key() const { return key_; }
  // The rows plus what is built for searching them: encoded keys (~13 bytes for a short
  // text key), where each ends (4), probe words (8), hash slots (8 at a load of a half to a
  // quarter: 16 to 32) and record offsets (4); about 48 bytes a row for short keys.
  size_t byte_size() const { return records_.size() + rows_ * 48; }

 private:
  const uint8_t *rec(size_t i) const {
    return reinterpret_cast<const uint8_t *>(records_.data()) + rec_at_[i];
  }
  // A record's row, whose heap values follow its fixed bytes (checked at parse; the view
  // runs to the end of the records, which a reference cannot pass).
  RowView row_at(const uint8_t *r) const {
    const char *heap = reinterpret_cast<const char *>(r + 16 + width_);
    return RowView(*schema_, r + 16,
                   std::string_view(heap, records_.data() + records_.size() - heap), &key_);
  }
  void ensure_keys() const;
  // The row with this encoded key: its index and where its record starts ({-1, nullptr}).
  std::pair<long, const uint8_t *> locate(std::string_view key) const;
  void build_keys() const;
  bool row_has_key(const uint8_t *r, std::string_view key) const;
  std::string_view key_at(size_t i) const {
    size_t begin = i ? key_end_[i - 1] : 0;
    return std::string_view(key_bytes_).substr(begin, key_end_[i] - begin);
  }
  // What a point lookup reads comes first, within the two cache lines BlockHint prefetches:
  // whether the keys are built, the hash table, the records and their schema.
  mutable std::atomic<bool> keys_ready_{false};
  mutable RowHash row_hash_;
  // In memory each record is seq | misc | fixed row | that row's heap values, with its heap
  // references made relative to where they follow: a point read then finds the row and its
  // values side by side, where the object keeps all heaps after all rows.
  std::string records_;
  size_t width_ = 0;
  SchemaPtr schema_;
  size_t rows_ = 0;
  std::vector<uint32_t> rec_at_;  // where record i starts; one more entry for the end
  std::string key_;
  // The encoded keys, built once: their bytes back to back, where each one ends, and their
  // probe words for the binary search.
  mutable std::once_flag keys_once_;
  mutable std::string key_bytes_;
  mutable std::vector<uint32_t> key_end_;
  mutable KeyProbes key_probes_;
};

class DataBlockBuilder {
 public:
  DataBlockBuilder(std::string table, SchemaPtr schema);
  // Adds a row whose heap references are relative to `heap` (a log entry's row, or a block
  // row's own heap values).
  void add(uint64_t seq, uint64_t misc, std::string_view fixed, std::string_view heap);
  size_t rows() const { return rows_; }
  size_t estimated_size() const { return records_.size() + heap_.size() + 64; }
  Bytes finish();

 private:
  std::string table_;
  SchemaPtr schema_;
  std::string what_;  // names a row in errors
  size_t rows_ = 0;
  std::string records_;
  std::string heap_;
};

}  // namespace bucketdb
