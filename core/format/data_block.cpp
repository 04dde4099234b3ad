#include "core/format/data_block.h"

#include <algorithm>
#include <cstring>

#include "core/codec/key_codec.h"
#include "core/format/envelope.h"

namespace bucketdb {

uint32_t DataBlock::peek_version(const Bytes &object, const std::string &key) {
  Reader r(open_object(ObjectKind::kDataBlock, object, key), key);
  r.blob();
  return r.u32();
}

std::shared_ptr<const DataBlock> DataBlock::parse(Bytes object, const std::string &key,
                                                  SchemaPtr schema) {
  auto b = std::make_shared<DataBlock>();
  b->object_ = std::move(object);
  b->key_ = key;
  Reader r(open_object(ObjectKind::kDataBlock, b->object_, key), key);
  std::string table(r.blob());
  if (table != schema->name()) r.corrupt("belongs to table '" + table + "'");
  uint32_t version = r.u32();
  if (version != schema->version()) r.corrupt("unexpected schema version " + std::to_string(version));
  uint32_t rows = r.u32(), width = r.u32(), heap = r.u32();
  if (width != schema->row_width())
    r.corrupt("row width " + std::to_string(width) + " does not match schema " + table + " v" +
              std::to_string(version));
  size_t stride = 16 + size_t{width};
  if (rows > r.remaining() / stride) r.corrupt("row count out of range");
  auto rows_bytes = r.raw(rows * stride);
  auto heap_bytes = r.raw(heap);
  r.expect_done();
  b->schema_ = std::move(schema);
  b->rows_ = rows;
  b->stride_ = stride;
  b->rows_base_ = reinterpret_cast<const uint8_t *>(rows_bytes.data());
  b->heap_ = heap_bytes;
  return b;
}

namespace {

// A key's probe word, past the prefix `at` bytes long that it shares with every key of its
// block: the next 7 bytes, big-endian and zero-padded, then how many bytes follow the prefix
// (8 for 8 or more). Words order keys as their bytes do: a smaller word is a smaller key, and
// equal words are equal keys unless both say 8 (then only the whole keys can tell).
constexpr uint64_t kLongTail = 8;

uint64_t probe_word(std::string_view key, size_t at) {
  uint64_t v = 0;
  for (size_t j = 0; j < 7; j++)
    v = (v << 8) | (at + j < key.size() ? static_cast<uint8_t>(key[at + j]) : 0u);
  return (v << 8) | std::min<uint64_t>(key.size() - at, kLongTail);
}

}  // namespace

void DataBlock::build_keys() const {
  size_t pk = schema_->primary_key();
  std::string bytes;
  std::vector<size_t> ends(rows_);
  for (size_t r = 0; r < rows_; r++) {
    RowView v = row(r);
    if (v.null(pk)) fail(BDB_E_CORRUPT, "corrupt object " + key_ + ": row with a null primary key");
    append_key(bytes, *schema_->field(pk).type, v.get(pk));
    ends[r] = bytes.size();
  }
  key_bytes_ = std::move(bytes);
  key_end_ = std::move(ends);
  if (!rows_) return;
  // Sorted keys all share the prefix that the first and the last share.
  std::string_view first = key_at(0), last = key_at(rows_ - 1);
  size_t common = 0;
  while (common < first.size() && common < last.size() && first[common] == last[common]) common++;
  key_common_ = std::string(first.substr(0, common));
  key_probe_.resize(rows_);
  for (size_t r = 0; r < rows_; r++) key_probe_[r] = probe_word(key_at(r), common);
}

std::string_view DataBlock::key_of(size_t i) const {
  std::call_once(keys_once_, [this] { build_keys(); });
  if (i >= rows_)
    fail(BDB_E_INTERNAL, "row " + std::to_string(i) + " of block " + key_ + " out of range");
  return key_at(i);
}

size_t DataBlock::lower_bound(std::string_view key) const {
  if (!rows_) return 0;
  std::call_once(keys_once_, [this] { build_keys(); });
  // Against the shared prefix first: below it or above it, the answer is the first or the end.
  size_t common = key_common_.size();
  int c = key.substr(0, common).compare(key_common_);
  if (c < 0) return 0;  // includes a key that is a proper prefix of the shared one
  if (c > 0) return rows_;
  uint64_t p = probe_word(key, common);
  const uint64_t *probe = key_probe_.data();
  size_t lo = 0, hi = rows_;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    uint64_t w = probe[mid];
    bool less = w < p || (w == p && (w & 0xff) == kLongTail && key_at(mid) < key);
    if (less)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

long DataBlock::find(std::string_view key) const {
  size_t i = lower_bound(key);
  if (i >= rows_ || key.substr(0, key_common_.size()) != key_common_) return -1;
  // Equal probe words with a short tail are equal keys; otherwise compare the bytes.
  uint64_t w = key_probe_[i];
  bool equal =
      (w & 0xff) != kLongTail ? w == probe_word(key, key_common_.size()) : key_at(i) == key;
  return equal ? static_cast<long>(i) : -1;
}

DataBlockBuilder::DataBlockBuilder(std::string table, SchemaPtr schema)
    : table_(std::move(table)), schema_(std::move(schema)) {}

void DataBlockBuilder::add(uint64_t seq, uint64_t misc, std::string_view fixed,
                           std::string_view heap) {
  size_t at = records_.size();
  records_.resize(at + 16);
  auto *p = reinterpret_cast<uint8_t *>(&records_[at]);
  store_le(p, seq, 8);
  store_le(p + 8, misc, 8);
  size_t row_at = records_.size();
  records_.append(fixed.data(), fixed.size());
  auto *row = reinterpret_cast<uint8_t *>(&records_[row_at]);
  // Copy this row's heap values and point the slots at their new place.
  for (size_t i = 0; i < schema_->fields().size(); i++) {
    const Field &f = schema_->field(i);
    if (!f.type->heap || ((row[i >> 3] >> (i & 7)) & 1)) continue;
    uint8_t *slot = row + f.offset;
    uint64_t off = load_le(slot, 4), len = load_le(slot + 4, 4);
    if (off > heap.size() || len > heap.size() - off)
      fail(BDB_E_CORRUPT, "row of table " + table_ + " points outside its heap");
    if (heap_.size() + len > 0xffffffffu)
      fail(BDB_E_INTERNAL, "data block heap of table " + table_ + " over 4 GiB");
    store_le(slot, heap_.size(), 4);
    heap_.append(heap.data() + off, static_cast<size_t>(len));
  }
  rows_++;
}

Bytes DataBlockBuilder::finish() {
  Bytes o = begin_object();
  Writer w(o);
  w.blob(table_);
  w.u32(schema_->version());
  w.u32(static_cast<uint32_t>(rows_));
  w.u32(schema_->row_width());
  w.u32(static_cast<uint32_t>(heap_.size()));
  w.raw(records_.data(), records_.size());
  w.raw(heap_.data(), heap_.size());
  seal_in_place(ObjectKind::kDataBlock, o);
  return o;
}

}  // namespace bucketdb
