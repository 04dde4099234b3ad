#include "core/engine/row_source.h"

#include <algorithm>
#include <cstdint>
#include <functional>

#include "core/codec/index_key.h"
#include "core/codec/key_codec.h"
#include "core/codec/value_check.h"
#include "core/engine/database.h"
#include "core/engine/index_tree.h"
#include "core/engine/table_lookup.h"
#include "core/util/error.h"

namespace bucketdb {

namespace {

// How far a reader reads ahead: a window of blocks past the one being read, doubling with
// every block read from 1 (or from the widest, for a reader that reads every row), capped
// by the requests a database keeps in flight and by a quarter of maxMemoryBytes (blocks
// fetched ahead wait in the cache, which must not evict them before they are read).
class ReadAhead {
 public:
  ReadAhead(Database &db, bool reads_all)
      : max_(std::max<size_t>(
            1, std::min<uint64_t>(db.objects().max_in_flight(),
                                  db.options().max_memory_bytes / 4 /
                                      std::max<uint64_t>(db.options().block_size_bytes, 1)))),
        window_(reads_all ? max_ : 1) {}
  size_t max() const { return max_; }
  // The window for the block being read now; the next one is twice as wide.
  size_t next_window() {
    size_t w = window_;
    window_ = std::min(window_ * 2, max_);
    return w;
  }

 private:
  size_t max_;
  size_t window_;
};

class ScanSource : public RowSource {
 public:
  ScanSource(Database &db, SnapshotPtr snap, SchemaPtr newest, std::vector<KeyRange> ranges,
             RowFilter filter, bool descending, bool reads_all)
      : db_(db),
        snap_(std::move(snap)),
        newest_(std::move(newest)),
        overlay_(snap_->overlay(newest_->name())),
        ranges_(std::move(ranges)),
        filter_(std::move(filter)),
        desc_(descending),
        ahead_(db, reads_all),
        ahead_to_(descending ? SIZE_MAX : 0),
        what_("committed row of " + newest_->name()) {
    if (ranges_.empty()) ranges_.push_back(KeyRange{"", ""});
    const TableRoot *root = snap_->table_root(newest_->name());
    if (root) page_ = db_.load_manifest(*root);
    start_range();
  }

  bool next(Values &values, uint64_t &seq, uint64_t &misc) override {
    return step(values, seq, misc, false);
  }
  bool next_for_count(Values &values) override {
    uint64_t seq, misc;
    return step(values, seq, misc, true);
  }

 private:
  // The next row. For a count, a row known to match comes without its values.
  bool step(Values &values, uint64_t &seq, uint64_t &misc, bool counting) {
    for (;;) {
      if (range_ >= ranges_.size()) return false;
      bool have_ov = overlay_row_available();
      bool have_block = block_row_available(have_ov);
      if (!have_block && !have_ov) {
        range_++;
        if (range_ < ranges_.size()) start_range();
        continue;
      }
      int cmp = 0;  // < 0: the cache's row comes first
      if (have_block && have_ov) cmp = overlay_row().first.compare(block_key_);
      if (desc_) cmp = -cmp;
      if (have_ov && (!have_block || cmp <= 0)) {
        if (have_block && cmp == 0) advance_block_row();  // the cache replaces the block's row
        const OverlayRow &r = *overlay_row().second;
        advance_overlay_row();
        if (r.deleted) continue;
        RowView v(*r.schema, reinterpret_cast<const uint8_t *>(r.fixed.data()), r.heap, &what_);
        if (!passes(v, r.schema)) continue;
        if (counting && matched) return true;
        values = convert_values(*r.schema, v.decode(), *newest_);
        seq = r.seq;
        misc = r.misc;
        return true;
      }
      size_t row = block_row();
      RowView v = block_->row(row);
      if (!passes(v, block_->schema())) {
        advance_block_row();
        continue;
      }
      if (!(counting && matched)) {
        values = convert_values(*block_->schema(), v.decode(), *newest_);
        seq = block_->seq(row);
        misc = block_->misc(row);
      }
      advance_block_row();
      return true;
    }
  }
  // False when the filter rules the stored row out; sets `matched` when it (or the absence
  // of conditions) decides that the row matches.
  bool passes(const RowView &v, const SchemaPtr &schema) {
    bool testable = schema == newest_;  // the filter reads the newest version's layout
    if (filter_ && testable && !filter_(v)) return false;
    matched = !filter_ || testable;
    return true;
  }
  // Ranges are read from the first or, descending, from the last.
  const KeyRange &range() const { return ranges_[desc_ ? ranges_.size() - 1 - range_ : range_]; }
  void start_range() {
    const KeyRange &r = range();
    block_.reset();
    have_key_ = false;
    next_block_ = 0;
    if (desc_) {  // from the last block whose first key is below hi, and the cache's last row
      if (page_)
        next_block_ = r.hi.empty()
                          ? page_->blocks.size()
                          : static_cast<size_t>(
                                std::lower_bound(page_->blocks.begin(), page_->blocks.end(), r.hi,
                                                 [](const BlockRef &b, const std::string &k) {
                                                   return b.first_key < k;
                                                 }) -
                                page_->blocks.begin());
      if (overlay_) ov_it_ = r.hi.empty() ? overlay_->end() : overlay_->lower_bound(r.hi);
      return;
    }
    // The first block whose last key is >= lo.
    if (page_)
      next_block_ = static_cast<size_t>(
          std::lower_bound(page_->blocks.begin(), page_->blocks.end(), r.lo,
                           [](const BlockRef &b, const std::string &k) { return b.last_key < k; }) -
          page_->blocks.begin());
    if (overlay_) ov_it_ = overlay_->lower_bound(r.lo);
  }
  // The cache's next row in the range: at ov_it_, or descending just before it.
  bool overlay_row_available() const {
    if (!overlay_) return false;
    const KeyRange &r = range();
    if (desc_) return ov_it_ != overlay_->begin() && std::prev(ov_it_)->first >= r.lo;
    return ov_it_ != overlay_->end() && ov_it_->first >= r.lo &&
           (r.hi.empty() || ov_it_->first < r.hi);
  }
  const Overlay::value_type &overlay_row() const { return desc_ ? *std::prev(ov_it_) : *ov_it_; }
  void advance_overlay_row() {
    if (desc_)
      --ov_it_;
    else
      ++ov_it_;
  }
  // The current block row; descending, row_ is one past it (0: the block is done).
  size_t block_row() const { return desc_ ? row_ - 1 : row_; }
  void advance_block_row() {
    if (desc_)
      row_--;
    else
      row_++;
    have_key_ = false;
  }
  // Starts fetching the blocks after block b in reading order, up to the window, within the
  // range that ends at `end` (its far end: "" for none). With a window wider than one, block b
  // itself goes out with them: every fetch is then a read-ahead, whose failure the read of
  // that block retries once, whatever order the requests reach the store in.
  void read_ahead(size_t b, const std::string &end) {
    size_t n = page_->blocks.size();
    size_t want = ahead_.next_window();
    for (size_t k = want > 1 ? 0 : 1; k <= want; k++) {
      if (desc_ ? k > b : b + k >= n) break;
      size_t j = desc_ ? b - k : b + k;
      const BlockRef &ref = page_->blocks[j];
      if (!end.empty() && (desc_ ? ref.last_key < end : ref.first_key >= end)) break;
      if (desc_ ? j >= ahead_to_ : j < ahead_to_) continue;  // asked already
      db_.prefetch_block(snap_, newest_->name(), ref);
      ahead_to_ = desc_ ? j : j + 1;
    }
  }
  // Positions on the next block row in the current range; false when there is none. Its key
  // is read when needed: to compare with the committed cache's next row, or with the range's
  // far end.
  bool block_row_available(bool need_key) {
    const KeyRange &r = range();
    const std::string &end = desc_ ? r.lo : r.hi;
    for (;;) {
      if (block_ && (desc_ ? row_ > 0 : row_ < block_->rows())) {
        if (!have_key_ && (need_key || !end.empty())) {
          block_key_ = block_->key_of(block_row());
          have_key_ = true;
        }
        if (!end.empty() && (desc_ ? block_key_ < end : block_key_ >= end)) return false;
        return true;
      }
      if (!page_ || (desc_ ? next_block_ == 0 : next_block_ >= page_->blocks.size())) return false;
      size_t b = desc_ ? next_block_ - 1 : next_block_;
      const BlockRef &ref = page_->blocks[b];
      if (!end.empty() && (desc_ ? ref.last_key < end : ref.first_key >= end)) return false;
      read_ahead(b, end);
      block_ = db_.load_block(snap_, newest_->name(), *page_, b);
      blocks_read++;
      next_block_ = desc_ ? b : b + 1;
      if (desc_)
        row_ = r.hi.empty() ? block_->rows() : block_->lower_bound(r.hi);
      else
        row_ = r.lo.empty() ? 0 : block_->lower_bound(r.lo);
      have_key_ = false;
    }
  }

  Database &db_;
  SnapshotPtr snap_;
  SchemaPtr newest_;
  std::shared_ptr<const Overlay> overlay_;
  Overlay::const_iterator ov_it_;
  std::vector<KeyRange> ranges_;
  RowFilter filter_;
  bool desc_;
  size_t range_ = 0;  // ranges done
  std::shared_ptr<const ManifestPage> page_;
  size_t next_block_ = 0;  // the next block to read; descending, one past it
  ReadAhead ahead_;
  size_t ahead_to_ = 0;  // blocks before it (descending: from it on) were asked for
  std::shared_ptr<const DataBlock> block_;
  size_t row_ = 0;
  std::string_view block_key_;  // row_'s, in block_, when have_key_
  bool have_key_ = false;
  std::string what_;
};

class KeysSource : public RowSource {
 public:
  KeysSource(Database &db, SnapshotPtr snap, SchemaPtr newest, std::vector<std::string> keys)
      : db_(db),
        snap_(std::move(snap)),
        lookup_(db, snap_, newest->name()),
        newest_(std::move(newest)),
        keys_(std::move(keys)),
        ahead_(db, true) {
    // The blocks the keys fall in, in key order, each once: fetched together, not one by one.
    const TableRoot *root = snap_->table_root(newest_->name());
    const Overlay *ov = snap_->overlay_of(newest_->name());
    if (!root || keys_.empty()) return;
    page_ = db_.load_manifest(*root);
    if (!page_) return;
    for (const std::string &k : keys_) {
      if (ov && ov->count(k)) continue;
      const BlockRef *ref = page_->block_for(k);
      if (ref && (blocks_.empty() || blocks_.back() != ref)) blocks_.push_back(ref);
    }
    read_ahead(0);
  }
  bool next(Values &values, uint64_t &seq, uint64_t &misc) override {
    while (pos_ < keys_.size()) {
      if (!blocks_.empty() && (pos_ & 15) == 0) read_ahead(lookup_.blocks_loaded());
      auto row = lookup_.find(keys_[pos_++]);
      if (!row) continue;
      values = convert_values(*row->schema, std::move(row->values), *newest_);
      seq = row->seq;
      misc = row->misc;
      return true;
    }
    return false;
  }

 private:
  // Keeps the blocks up to `ahead_.max()` past the `done`-th in flight or cached.
  void read_ahead(size_t done) {
    size_t until = std::min(blocks_.size(), done + ahead_.max());
    for (; asked_ < until; asked_++) db_.prefetch_block(snap_, newest_->name(), *blocks_[asked_]);
  }

  Database &db_;
  SnapshotPtr snap_;  // before lookup_, which uses it
  TableLookup lookup_;
  SchemaPtr newest_;
  std::vector<std::string> keys_;
  size_t pos_ = 0;
  ReadAhead ahead_;
  std::shared_ptr<const ManifestPage> page_;
  std::vector<const BlockRef *> blocks_;  // in the order the keys need them
  size_t asked_ = 0;                      // blocks_[0, asked_) were asked for
};

// Index entries within sorted ranges, ascending, or descending by value with each value's
// entries still ascending (a probe for the greatest value below the position, then a forward
// scan of that value's entries): streamed in small batches.
class IndexWalk {
 public:
  IndexWalk(Database &db, std::string root, const TypeInfo &type, std::vector<KeyRange> ranges,
            bool descending)
      : db_(db),
        root_(std::move(root)),
        type_(type),
        ranges_(std::move(ranges)),
        desc_(descending) {
    if (desc_) {
      r_ = ranges_.size();
      if (r_) hi_ = ranges_[r_ - 1].hi;
    } else if (!ranges_.empty()) {
      pos_ = ranges_[0].lo;
    }
  }
  // The next entry, or nullptr at the end; valid until the next call.
  const std::string *next() {
    if (at_ >= batch_.size()) {
      if (!fill()) return nullptr;
      if (on_batch_) on_batch_(batch_);
    }
    return &batch_[at_++];
  }
  // Called with each batch of entries as it is read, before they are handed out.
  void on_batch(std::function<void(const std::vector<std::string> &)> fn) {
    on_batch_ = std::move(fn);
  }
  // Length of an entry's value part (the rest is the primary key).
  size_t value_length(const std::string &entry) const {
    auto n = index_field_length(type_, entry);
    if (!n) fail(BDB_E_CORRUPT, "corrupt index entry: malformed key");
    return *n;
  }
  const std::vector<KeyRange> &ranges() const { return ranges_; }

 private:
  // Batches start small and double: a limited page (the common use) reads few entries past
  // its last row, a long walk few batches.
  static constexpr size_t kFirstBatch = 8, kMaxBatch = 64;
  // Reads up to one batch of entries of [from, to); false when that finishes the interval.
  bool forward(std::string &from, const std::string &to) {
    batch_.clear();
    at_ = 0;
    size_t want = want_;
    want_ = std::min(want_ * 2, kMaxBatch);
    index_scan(db_, root_, from, to, [&](const std::string &k) {
      batch_.push_back(k);
      return batch_.size() < want;
    });
    if (batch_.size() < want) return false;
    from = batch_.back() + std::string(1, '\0');
    return true;
  }
  bool fill() {
    if (!desc_) {
      while (r_ < ranges_.size()) {
        bool more = forward(pos_, ranges_[r_].hi);
        if (!more && ++r_ < ranges_.size()) pos_ = ranges_[r_].lo;
        if (!batch_.empty()) return true;
      }
      return false;
    }
    while (r_ > 0) {
      const KeyRange &r = ranges_[r_ - 1];
      if (in_group_) {
        in_group_ = forward(pos_, group_hi_);
        if (!in_group_) hi_ = group_value_;
        if (!batch_.empty()) return true;
        continue;
      }
      auto probe = index_last_before(db_, root_, r.lo, hi_);
      if (!probe) {
        if (--r_ > 0) hi_ = ranges_[r_ - 1].hi;
        continue;
      }
      group_value_ = probe->substr(0, value_length(*probe));
      std::string succ = prefix_successor(group_value_);
      group_hi_ = hi_.empty() ? succ : (succ.empty() ? hi_ : std::min(succ, hi_));
      pos_ = std::max(group_value_, r.lo);
      in_group_ = true;
    }
    batch_.clear();
    at_ = 0;
    return false;
  }

  Database &db_;
  std::string root_;
  const TypeInfo &type_;
  std::vector<KeyRange> ranges_;
  bool desc_;
  size_t r_ = 0;  // ascending: the range read; descending: one past it
  std::string pos_, hi_;
  bool in_group_ = false;
  std::string group_value_, group_hi_;
  std::vector<std::string> batch_;
  size_t want_ = kFirstBatch;
  size_t at_ = 0;
  std::function<void(const std::vector<std::string> &)> on_batch_;
};

class IndexOrderSource : public RowSource {
 public:
  IndexOrderSource(Database &db, SnapshotPtr snap, SchemaPtr newest, std::string root, size_t field,
                   std::vector<KeyRange> ranges, bool descending)
      : snap_(std::move(snap)),
        newest_(std::move(newest)),
        overlay_(snap_->overlay(newest_->name())),
        walk_(db, std::move(root), *newest_->field(field).type, std::move(ranges), descending),
        lookup_(db, snap_, newest_->name()),
        desc_(descending) {
    // Each batch of entries the walk reads: the blocks of their rows fetched together.
    walk_.on_batch([this, &db](const std::vector<std::string> &batch) {
      const TableRoot *table = snap_->table_root(newest_->name());
      if (!table) return;
      if (!page_) page_ = db.load_manifest(*table);
      if (!page_) return;
      const BlockRef *last = nullptr;
      for (const std::string &entry : batch) {
        size_t n = walk_.value_length(entry);
        std::string pk = entry.substr(n);
        if (lookup_.in_overlay(pk)) continue;
        const BlockRef *ref = page_->block_for(pk);
        if (ref && ref != last) db.prefetch_block(snap_, newest_->name(), *ref);
        last = ref;
      }
    });
    if (!overlay_) return;
    std::string what = "committed row of " + newest_->name();
    for (const auto &[key, row] : *overlay_) {
      if (row->deleted) continue;
      RowView v(*row->schema, reinterpret_cast<const uint8_t *>(row->fixed.data()), row->heap,
                &what);
      // Only the order field decides whether the row is in range: decode the rest after.
      bool same = row->schema == newest_;
      Values converted = same ? Values{} : convert_values(*row->schema, v.decode(), *newest_);
      std::string vkey;
      append_nullable_key(vkey, *newest_->field(field).type,
                          same ? v.get(field) : converted[field]);
      std::string entry = vkey + key;
      bool in_range = false;
      for (const KeyRange &r : walk_.ranges())
        in_range = in_range || (entry >= r.lo && (r.hi.empty() || entry < r.hi));
      if (!in_range) continue;
      cache_.push_back(Pending{std::move(vkey), key, same ? v.decode() : std::move(converted),
                               row->seq, row->misc});
    }
    std::sort(cache_.begin(), cache_.end(), [&](const Pending &a, const Pending &b) {
      return before(a.vkey, a.pk, b.vkey, b.pk);
    });
  }

  bool next(Values &values, uint64_t &seq, uint64_t &misc) override {
    for (;;) {
      if (!entry_) entry_ = walk_.next();
      bool have_cache = at_ < cache_.size();
      if (!entry_ && !have_cache) return false;
      if (entry_) {
        size_t n = walk_.value_length(*entry_);
        std::string_view vkey(entry_->data(), n), pk(entry_->data() + n, entry_->size() - n);
        if (!have_cache || before(vkey, pk, cache_[at_].vkey, cache_[at_].pk)) {
          std::string key(pk);
          entry_ = nullptr;
          if (lookup_.in_overlay(key)) continue;  // the cache has its newer version
          auto row = lookup_.find(key);
          if (!row) continue;
          values = convert_values(*row->schema, std::move(row->values), *newest_);
          seq = row->seq;
          misc = row->misc;
          return true;
        }
      }
      Pending &p = cache_[at_++];
      values = std::move(p.values);
      seq = p.seq;
      misc = p.misc;
      return true;
    }
  }

 private:
  struct Pending {
    std::string vkey, pk;
    Values values;
    uint64_t seq, misc;
  };
  bool before(std::string_view av, std::string_view ak, std::string_view bv,
              std::string_view bk) const {
    int c = av.compare(bv);
    if (c != 0) return desc_ ? c > 0 : c < 0;
    return ak < bk;
  }

  SnapshotPtr snap_;
  SchemaPtr newest_;
  std::shared_ptr<const Overlay> overlay_;
  IndexWalk walk_;
  TableLookup lookup_;
  bool desc_;
  std::shared_ptr<const ManifestPage> page_;  // for read-ahead, at the first batch
  const std::string *entry_ = nullptr;
  std::vector<Pending> cache_;
  size_t at_ = 0;
};

}  // namespace

std::unique_ptr<RowSource> index_order_source(Database &db, SnapshotPtr snap, SchemaPtr newest,
                                              std::string index_root, size_t field,
                                              std::vector<KeyRange> ranges, bool descending) {
  return std::make_unique<IndexOrderSource>(db, std::move(snap), std::move(newest),
                                            std::move(index_root), field, std::move(ranges),
                                            descending);
}

std::unique_ptr<RowSource> scan_source(Database &db, SnapshotPtr snap, SchemaPtr newest,
                                       std::vector<KeyRange> ranges, RowFilter filter,
                                       bool descending, bool reads_all) {
  return std::make_unique<ScanSource>(db, std::move(snap), std::move(newest), std::move(ranges),
                                      std::move(filter), descending, reads_all);
}

std::unique_ptr<RowSource> keys_source(Database &db, SnapshotPtr snap, SchemaPtr newest,
                                       std::vector<std::string> keys) {
  return std::make_unique<KeysSource>(db, std::move(snap), std::move(newest), std::move(keys));
}

}  // namespace bucketdb
