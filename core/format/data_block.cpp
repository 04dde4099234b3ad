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

namespace {

// Appends the heap values of the row at owner[row_at] (its references relative to `heap`) to
// `out` and points its slots at them, relative to out[base]. A reference outside `heap` is
// corruption; `out` growing past `limit` fails with `over`. `what` names the row in errors.
// `owner` may be `out`: the row is found again after every append.
void move_heap_values(const TableSchema &schema, std::string &owner, size_t row_at,
                      std::string_view heap, std::string &out, size_t base, size_t limit,
                      bdb_status over, const std::string &what) {
  for (size_t i = 0; i < schema.fields().size(); i++) {
    const Field &f = schema.field(i);
    auto *row = reinterpret_cast<uint8_t *>(&owner[row_at]);
    if (!f.type->heap || ((row[i >> 3] >> (i & 7)) & 1)) continue;
    uint64_t off = load_le(row + f.offset, 4), len = load_le(row + f.offset + 4, 4);
    if (off > heap.size() || len > heap.size() - off)
      fail(BDB_E_CORRUPT, what + ": field '" + f.name + "' points outside its heap");
    if (out.size() > limit || len > limit - out.size())
      fail(over, what + ": its rows' heap values add up to more than " + std::to_string(limit) +
                     " bytes");
    uint64_t to = out.size() - base;
    out.append(heap.data() + off, static_cast<size_t>(len));
    row = reinterpret_cast<uint8_t *>(&owner[row_at]);
    store_le(row + f.offset, to, 4);
  }
}

}  // namespace

// By value, though only read: the engine's callers move the fetched bytes in, so they are
// freed with the call rather than kept by the caller.
// NOLINTNEXTLINE(performance-unnecessary-value-param)
std::shared_ptr<const DataBlock> DataBlock::parse(Bytes object, const std::string &key,
                                                  SchemaPtr schema) {
  auto b = std::make_shared<DataBlock>();
  b->key_ = key;
  Reader r(open_object(ObjectKind::kDataBlock, object, key), key);
  std::string table(r.blob());
  if (table != schema->name()) r.corrupt("belongs to table '" + table + "'");
  uint32_t version = r.u32();
  if (version != schema->version())
    r.corrupt("unexpected schema version " + std::to_string(version));
  uint32_t rows = r.u32(), width = r.u32(), heap = r.u32();
  if (width != schema->row_width())
    r.corrupt("row width " + std::to_string(width) + " does not match schema " + table + " v" +
              std::to_string(version));
  size_t stride = 16 + size_t{width};
  if (rows > r.remaining() / stride) r.corrupt("row count out of range");
  auto rows_bytes = r.raw(rows * stride);
  auto heap_bytes = r.raw(heap);
  r.expect_done();
  // Each row's heap values move to just after its record (see records_).
  b->records_.reserve(rows_bytes.size() + heap_bytes.size());
  b->rec_at_.resize(size_t{rows} + 1);
  const std::string what = "corrupt object " + key;
  // A block's heap holds each row's values once: rows sharing values (never written, but
  // possible in a forged object) could otherwise grow the copy without bound.
  size_t limit = rows_bytes.size() + heap_bytes.size();
  if (limit > 0xffffffffu) r.corrupt("over 4 GiB of rows");
  for (size_t i = 0; i < rows; i++) {
    size_t at = b->records_.size();
    b->rec_at_[i] = static_cast<uint32_t>(at);
    b->records_.append(rows_bytes.substr(i * stride, stride));
    move_heap_values(*schema, b->records_, at + 16, heap_bytes, b->records_, at + stride, limit,
                     BDB_E_CORRUPT, what);
  }
  b->rec_at_[rows] = static_cast<uint32_t>(b->records_.size());
  b->schema_ = std::move(schema);
  b->rows_ = rows;
  b->width_ = width;
  return b;
}

void DataBlock::build_keys() const {
  size_t pk = schema_->primary_key();
  std::string bytes;
  std::vector<uint32_t> ends(rows_);
  for (size_t r = 0; r < rows_; r++) {
    RowView v = row(r);
    if (v.null(pk)) fail(BDB_E_CORRUPT, "corrupt object " + key_ + ": row with a null primary key");
    append_key(bytes, *schema_->field(pk).type, v.get(pk));
    if (bytes.size() > 0xffffffffu)
      fail(BDB_E_INTERNAL, "the keys of block " + key_ + " take over 4 GiB");
    ends[r] = static_cast<uint32_t>(bytes.size());
  }
  key_bytes_ = std::move(bytes);
  key_end_ = std::move(ends);
  key_probes_.build(rows_, [this](size_t i) { return key_at(i); });
  row_hash_.build(
      rows_, [this](size_t i) { return key_at(i); }, [this](size_t i) { return rec_at_[i]; });
}

void DataBlock::ensure_keys() const {
  if (keys_ready_.load(std::memory_order_acquire)) return;
  std::call_once(keys_once_, [this] {
    build_keys();
    keys_ready_.store(true, std::memory_order_release);
  });
}

BlockHint DataBlock::hint() const {
  ensure_keys();
  return BlockHint{this, row_hash_.slot_array(), row_hash_.slot_mask()};
}

void DataBlock::prefetch(const BlockHint &h, std::string_view key) {
  if (!h.block) return;
  // The members a lookup reads come first in the object (see the class): two lines.
  __builtin_prefetch(h.block);
  __builtin_prefetch(static_cast<const char *>(h.block) + 64);
  if (h.slots) __builtin_prefetch(h.slots + (RowHash::hash(key) & h.mask));
}

std::string_view DataBlock::key_of(size_t i) const {
  ensure_keys();
  if (i >= rows_)
    fail(BDB_E_INTERNAL, "row " + std::to_string(i) + " of block " + key_ + " out of range");
  return key_at(i);
}

size_t DataBlock::lower_bound(std::string_view key) const {
  ensure_keys();
  return key_probes_.lower_bound(key, [this](size_t i) { return key_at(i); });
}

std::pair<long, const uint8_t *> DataBlock::locate(std::string_view key) const {
  ensure_keys();
  if (row_hash_.empty()) {  // too many rows for the table: the binary search
    size_t i = key_probes_.lower_bound(key, [this](size_t j) { return key_at(j); });
    if (i < rows_ && key_at(i) == key) return {static_cast<long>(i), rec(i)};
    return {-1, nullptr};
  }
  const auto *base = reinterpret_cast<const uint8_t *>(records_.data());
  auto hit = row_hash_.find(key, [&](uint32_t at) { return row_has_key(base + at, key); });
  if (hit.row < 0) return {-1, nullptr};
  return {hit.row, base + hit.record};
}

long DataBlock::find(std::string_view key) const {
  return locate(key).first;
}

std::optional<DataBlock::Record> DataBlock::find_record(std::string_view key) const {
  const uint8_t *r = locate(key).second;
  if (!r) return std::nullopt;
  return Record{load_le(r, 8), load_le(r + 8, 8), row_at(r)};
}

// Read from the row, which the caller is about to decode anyway, rather than from the
// encoded keys: that saves a cache miss on every lookup.
bool DataBlock::row_has_key(const uint8_t *r, std::string_view key) const {
  size_t pk = schema_->primary_key();
  RowView v = row_at(r);
  if (v.null(pk)) return false;
  const TypeInfo &type = *schema_->field(pk).type;
  if (type.kind == Kind::kText || type.kind == Kind::kBytes) {
    // Text without 0x00 encodes as its bytes then 0x00 0x00: compare in place.
    std::string_view text = v.heap_value(pk);
    if (text.find('\0') == std::string_view::npos)
      return key.size() == text.size() + 2 && key.compare(0, text.size(), text) == 0 &&
             key[text.size()] == '\0' && key[text.size() + 1] == '\0';
  }
  thread_local std::string encoded;
  encoded.clear();
  append_key(encoded, type, v.get(pk));
  return encoded == key;
}

DataBlockBuilder::DataBlockBuilder(std::string table, SchemaPtr schema)
    : table_(std::move(table)), schema_(std::move(schema)), what_("row of table " + table_) {}

void DataBlockBuilder::add(uint64_t seq, uint64_t misc, std::string_view fixed,
                           std::string_view heap) {
  size_t at = records_.size();
  records_.resize(at + 16);
  auto *p = reinterpret_cast<uint8_t *>(&records_[at]);
  store_le(p, seq, 8);
  store_le(p + 8, misc, 8);
  size_t row_at = records_.size();
  records_.append(fixed.data(), fixed.size());
  // Copy this row's heap values and point the slots at their new place.
  move_heap_values(*schema_, records_, row_at, heap, heap_, 0, 0xffffffffu, BDB_E_INTERNAL, what_);
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
