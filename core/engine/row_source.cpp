#include "core/engine/row_source.h"

#include <algorithm>

#include "core/codec/value_check.h"
#include "core/engine/database.h"

namespace bucketdb {

namespace {

class ScanSource : public RowSource {
 public:
  ScanSource(Database &db, SnapshotPtr snap, SchemaPtr newest, std::vector<KeyRange> ranges,
             RowFilter filter)
      : db_(db),
        snap_(std::move(snap)),
        newest_(std::move(newest)),
        overlay_(snap_->overlay(newest_->name())),
        ranges_(std::move(ranges)),
        filter_(std::move(filter)),
        what_("committed row of " + newest_->name()) {
    if (ranges_.empty()) ranges_.push_back(KeyRange{"", ""});
    const TableRoot *root = snap_->table_root(newest_->name());
    if (root && !root->manifest_key.empty()) page_ = db_.load_manifest(root->manifest_key);
    start_range();
  }

  bool next(Values &values, uint64_t &seq, uint64_t &misc) override {
    for (;;) {
      if (range_ >= ranges_.size()) return false;
      bool have_block = block_row_available();
      bool have_ov = overlay_ && ov_it_ != overlay_->end() && in_range(ov_it_->first);
      if (!have_block && !have_ov) {
        range_++;
        if (range_ < ranges_.size()) start_range();
        continue;
      }
      int cmp = 0;
      if (have_block && have_ov) cmp = ov_it_->first.compare(block_key_);
      if (have_ov && (!have_block || cmp <= 0)) {
        if (have_block && cmp == 0) advance_block_row();  // the cache replaces the block's row
        const OverlayRow &r = *(ov_it_++)->second;
        if (r.deleted) continue;
        RowView v(*r.schema, reinterpret_cast<const uint8_t *>(r.fixed.data()), r.heap, &what_);
        if (filter_ && r.schema == newest_ && !filter_(v)) continue;
        values = convert_values(*r.schema, v.decode(), *newest_);
        seq = r.seq;
        misc = r.misc;
        return true;
      }
      if (filter_ && block_->schema() == newest_ && !filter_(block_->row(row_))) {
        advance_block_row();
        continue;
      }
      values = convert_values(*block_->schema(), block_->row(row_).decode(), *newest_);
      seq = block_->seq(row_);
      misc = block_->misc(row_);
      advance_block_row();
      return true;
    }
  }

 private:
  bool in_range(const std::string &key) const {
    const KeyRange &r = ranges_[range_];
    return key >= r.lo && (r.hi.empty() || key < r.hi);
  }
  void start_range() {
    const KeyRange &r = ranges_[range_];
    block_.reset();
    // The first block whose last key is >= lo.
    next_block_ = 0;
    if (page_)
      next_block_ = static_cast<size_t>(
          std::lower_bound(page_->blocks.begin(), page_->blocks.end(), r.lo,
                           [](const BlockRef &b, const std::string &k) { return b.last_key < k; }) -
          page_->blocks.begin());
    if (overlay_) ov_it_ = overlay_->lower_bound(r.lo);
  }
  void advance_block_row() {
    row_++;
    block_key_.clear();
  }
  // Positions on the next block row in the current range; false when there is none.
  bool block_row_available() {
    const KeyRange &r = ranges_[range_];
    for (;;) {
      if (block_ && row_ < block_->rows()) {
        if (block_key_.empty()) block_key_ = block_->key_of(row_);
        if (!r.hi.empty() && block_key_ >= r.hi) return false;
        return true;
      }
      if (!page_ || next_block_ >= page_->blocks.size()) return false;
      const BlockRef &ref = page_->blocks[next_block_];
      if (!r.hi.empty() && ref.first_key >= r.hi) return false;
      block_ = db_.load_block(snap_, newest_->name(), ref);
      blocks_read++;
      next_block_++;
      row_ = r.lo.empty() ? 0 : block_->lower_bound(r.lo);
      block_key_.clear();
    }
  }

  Database &db_;
  SnapshotPtr snap_;
  SchemaPtr newest_;
  std::shared_ptr<const Overlay> overlay_;
  Overlay::const_iterator ov_it_;
  std::vector<KeyRange> ranges_;
  RowFilter filter_;
  size_t range_ = 0;
  std::shared_ptr<const ManifestPage> page_;
  size_t next_block_ = 0;
  std::shared_ptr<const DataBlock> block_;
  size_t row_ = 0;
  std::string block_key_;
  std::string what_;
};

class KeysSource : public RowSource {
 public:
  KeysSource(Database &db, SnapshotPtr snap, SchemaPtr newest, std::vector<std::string> keys)
      : db_(db), snap_(std::move(snap)), newest_(std::move(newest)), keys_(std::move(keys)) {}
  bool next(Values &values, uint64_t &seq, uint64_t &misc) override {
    while (pos_ < keys_.size()) {
      auto row = db_.lookup(snap_, newest_->name(), keys_[pos_++]);
      if (!row) continue;
      values = convert_values(*row->schema, std::move(row->values), *newest_);
      seq = row->seq;
      misc = row->misc;
      return true;
    }
    return false;
  }

 private:
  Database &db_;
  SnapshotPtr snap_;
  SchemaPtr newest_;
  std::vector<std::string> keys_;
  size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<RowSource> scan_source(Database &db, SnapshotPtr snap, SchemaPtr newest,
                                       std::vector<KeyRange> ranges, RowFilter filter) {
  return std::make_unique<ScanSource>(db, std::move(snap), std::move(newest), std::move(ranges),
                                      std::move(filter));
}

std::unique_ptr<RowSource> keys_source(Database &db, SnapshotPtr snap, SchemaPtr newest,
                                       std::vector<std::string> keys) {
  return std::make_unique<KeysSource>(db, std::move(snap), std::move(newest), std::move(keys));
}

}  // namespace bucketdb
