// The write-forward merge's fold (merger.h, SPEC section 6).
#include "core/engine/merger.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "core/codec/index_key.h"
#include "core/codec/key_codec.h"
#include "core/codec/row_codec.h"
#include "core/codec/value_check.h"
#include "core/engine/database.h"
#include "core/engine/drop.h"
#include "core/engine/index_tree.h"
#include "core/engine/schema_history.h"
#include "core/util/error.h"
#include "core/util/sort_strings.h"

namespace bucketdb {

namespace {

// Blocks of an older schema version rewritten per merge by the background migration: bounds
// each window's work (and PUTs) however large the table.
constexpr size_t kMigrateBlocks = 16;
// Blocks read per merge to build a new index, for the same reason.
constexpr size_t kBackfillBlocks = 16;
// History points kept in Block 0 at most (Block 0 stays small however often merges run).
constexpr size_t kMaxHistory = 256;

// Blob ids a row holds.
std::vector<Id128> blob_ids(const TableSchema &s, const RowView &v) {
  std::vector<Id128> ids;
  for (size_t i = 0; i < s.fields().size(); i++)
    if (s.field(i).type_id == BDB_TYPE_BLOB && !v.null(i)) ids.push_back(std::get<Id128>(v.get(i)));
  return ids;
}

// Builds the blocks of one table's rewritten key range, splitting near blockSizeBytes.
class BlockWriter {
 public:
  BlockWriter(Database &db, std::string table, SchemaPtr schema, uint64_t block_size,
              std::function<std::string()> new_key, ObjectStore::Writes &writes,
              std::vector<std::string> &written)
      : db_(db),
        table_(std::move(table)),
        schema_(std::move(schema)),
        block_size_(block_size),
        new_key_(std::move(new_key)),
        writes_(writes),
        written_(written) {}

  void add(const std::string &key, uint64_t seq, uint64_t misc, const TableSchema &row_schema,
           std::string_view fixed, std::string_view heap) {
    if (!builder_) {
      builder_.emplace(table_, schema_);
      first_ = key;
    }
    if (&row_schema == schema_.get()) {
      builder_->add(seq, misc, fixed, heap);
    } else {
      // An older version's row is rewritten into the newest layout.
      std::string what = "row of " + table_;
      Values v = RowView(row_schema, reinterpret_cast<const uint8_t *>(fixed.data()), heap, &what)
                     .decode();
      std::string f, h;
      encode_row(*schema_, convert_values(row_schema, v, *schema_), f, h);
      builder_->add(seq, misc, f, h);
    }
    last_ = key;
    if (builder_->estimated_size() >= block_size_) flush();
  }

  void flush() {
    if (!builder_ || builder_->rows() == 0) return;
    Bytes obj = builder_->finish();
    BlockRef ref;
    ref.key = new_key_();
    ref.schema_version = schema_->version();
    ref.rows = builder_->rows();
    ref.bytes = obj.size();
    ref.first_key = first_;
    ref.last_key = last_;
    writes_.put(ref.key, obj);  // in flight while the merge goes on
    db_.cache_block(ref.key, DataBlock::parse(std::move(obj), ref.key, schema_));
    written_.push_back(ref.key);
    out.push_back(std::move(ref));
    builder_.reset();
  }

  std::vector<BlockRef> out;

 private:
  Database &db_;
  std::string table_;
  SchemaPtr schema_;
  uint64_t block_size_;
  std::function<std::string()> new_key_;
  ObjectStore::Writes &writes_;
  std::vector<std::string> &written_;
  std::optional<DataBlockBuilder> builder_;
  std::string first_, last_;
};

// The indexes a table should have: those its newest schema declares, with their types.
std::vector<IndexRoot> wanted_indexes(const TableSchema &newest,
                                      const std::vector<IndexRoot> &have) {
  std::vector<IndexRoot> out;
  for (size_t f : newest.indexes()) {
    const Field &field = newest.field(f);
    auto it = std::find_if(have.begin(), have.end(), [&](const IndexRoot &ix) {
      return ix.field == field.name && ix.type_id == static_cast<uint32_t>(field.type_id);
    });
    out.push_back(it != have.end()
                      ? *it
                      : IndexRoot{field.name, static_cast<uint32_t>(field.type_id), "", false, ""});
  }
  return out;
}

// The index keys a row gives, one per index (the field converted to the newest type).
class IndexKeys {
 public:
  IndexKeys(const TableSchema &newest, const std::vector<IndexRoot> &indexes) {
    for (const auto &ix : indexes)
      fields_.push_back(&newest.field(static_cast<size_t>(newest.field_index(ix.field))));
    removes.resize(indexes.size());
    adds.resize(indexes.size());
  }
  // Appends the row's entry of every index; sorted() orders them once all are in (a
  // million inserts into a tree of strings cost a merge more than all else).
  void collect(const TableSchema &schema, const RowView &row, const std::string &pk,
               std::vector<std::vector<std::string>> &into) const {
    for (size_t i = 0; i < fields_.size(); i++) {
      int j = schema.field_index(fields_[i]->name);
      Value v = j < 0 ? Value{}
                      : convert_value(schema.field(static_cast<size_t>(j)), *fields_[i],
                                      row.get(static_cast<size_t>(j)));
      into[i].push_back(index_key(*fields_[i]->type, v, pk));
    }
  }
  // Index i's removals and additions, sorted and without duplicates; a key both removed and
  // added (a row rewritten with the same value) is only added, which leaves it as it was.
  void sorted(size_t i) {
    sort_unique_strings(adds[i]);
    sort_unique_strings(removes[i]);
    std::vector<std::string> kept;
    std::set_difference(std::make_move_iterator(removes[i].begin()),
                        std::make_move_iterator(removes[i].end()), adds[i].begin(), adds[i].end(),
                        std::back_inserter(kept));
    removes[i] = std::move(kept);
  }
  std::vector<std::vector<std::string>> removes, adds;

 private:
  std::vector<const Field *> fields_;
};

bool index_work_pending(const TableRoot &t, const TableSchema &newest) {
  std::vector<IndexRoot> want = wanted_indexes(newest, t.indexes);
  if (want.size() != t.indexes.size()) return true;
  for (const auto &ix : want)
    if (!ix.built) return true;
  return false;
}

}  // namespace

bool table_needs_background_work(const TableRoot &t, const TableSchema &newest) {
  return (t.oldest_version && t.oldest_version < newest.version()) || index_work_pending(t, newest);
}

Merger::Merger(Database &db, SnapshotPtr s, ObjectStore::Writes &writes, uint64_t now_ms)
    : db_(db), s_(std::move(s)), writes_(writes), now_(now_ms) {}

bool background_work_pending(const Snapshot &s) {
  for (const auto &t : s.block0->tables) {
    SchemaPtr newest = s.schemas->find_newest(t.name);
    if (newest && table_needs_background_work(t, *newest)) return true;
  }
  return false;
}

bool Merger::has_work() const {
  return s_->last_seq > s_->block0->applied_seq || background_work_pending(*s_);
}

// Starts reading every block the merge will rewrite (those holding a change or followed by
// one while small, and the first old-version blocks a migration rewrites), all at once, so
// the fold finds them cached: the same test the fold makes, block by block.
void Merger::prefetch_rewrites(const std::string &table, const TableSchema &newest,
                               const std::vector<BlockRef> &old_blocks, const Overlay &changes) {
  const Options &opts = db_.options();
  size_t migrate_budget = kMigrateBlocks;
  uint64_t budget = opts.max_memory_bytes / 2;
  for (size_t i = 0; i < old_blocks.size(); i++) {
    const BlockRef &ref = old_blocks[i];
    auto change = changes.lower_bound(ref.first_key);
    bool inside = change != changes.end() && change->first <= ref.last_key;
    bool after = change != changes.end() &&
                 (i + 1 == old_blocks.size() || change->first < old_blocks[i + 1].first_key);
    bool small = ref.bytes < opts.block_size_bytes / 2;
    bool migrate = ref.schema_version < newest.version() && migrate_budget > 0;
    if (migrate) migrate_budget--;
    if (!inside && !(after && small) && !migrate) continue;
    if (ref.bytes > budget) break;  // the rest are read as the merge reaches them
    budget -= ref.bytes;
    db_.prefetch_block(s_, table, ref);
  }
}

std::shared_ptr<Block0> Merger::fold(bool checkpoint_known) {
  const SnapshotPtr &s = s_;
  const Block0 &b0 = *s->block0;
  const Options &opts = db_.options();
  const uint64_t upto = s->last_seq;
  const uint64_t now = now_;
  auto next = std::make_shared<Block0>(b0);
  Block0 &nb = *next;

  // Tables with unmerged changes, and tables whose blocks are not all in the newest schema
  // version (a migration: at most kMigrateBlocks old blocks rewritten per merge).
  const auto no_changes = std::make_shared<const Overlay>();
  std::map<std::string, std::shared_ptr<const Overlay>> work(s->overlays.begin(),
                                                             s->overlays.end());
  for (const auto &t : b0.tables) {
    SchemaPtr newest = s->schemas->find_newest(t.name);
    if (newest && table_needs_background_work(t, *newest) && !work.count(t.name))
      work[t.name] = no_changes;
  }
  fold_drops(db_, s, nb, now, b0.generation + 1);  // before the work finds roots by name
  for (const auto &work_item : work) {
    // Named references, not a structured binding: lambdas below capture them (C++17).
    const auto &table = work_item.first;
    const auto &ov = work_item.second;
    SchemaPtr newest = s->schemas->newest(table);
    size_t migrate_budget = kMigrateBlocks;
    auto root_it = std::find_if(nb.tables.begin(), nb.tables.end(),
                                [&](const TableRoot &t) { return t.name == table; });
    if (root_it == nb.tables.end()) {
      nb.tables.push_back(TableRoot{table, "", 0, 0, 0, 0, {}, {}});
      root_it = nb.tables.end() - 1;
    }
    TableRoot &root = *root_it;
    std::vector<BlockRef> old_blocks;
    if (!root.manifest_key.empty()) old_blocks = db_.load_manifest(root.manifest_key)->blocks;

    prefetch_rewrites(table, *newest, old_blocks, *ov);
    BlockWriter writer(
        db_, table, newest, opts.block_size_bytes, [&] { return db_.data_key(table); }, writes_,
        written_);
    std::vector<IndexRoot> indexes = wanted_indexes(*newest, root.indexes);
    IndexKeys ixk(*newest, indexes);
    std::string row_what = "committed row of " + table;
    auto overlay_view = [&](const OverlayRow &r) {
      return RowView(*r.schema, reinterpret_cast<const uint8_t *>(r.fixed.data()), r.heap,
                     &row_what);
    };
    std::vector<BlockRef> blocks;
    auto change = ov->begin();
    auto take_changes_below = [&](const std::string *limit, auto &&emit) {
      // Overlay rows with key < *limit (all of them when limit is null), in key order.
      for (; change != ov->end() && (!limit || change->first < *limit); ++change) emit(*change);
    };
    auto emit_overlay = [&](const std::pair<const std::string, OverlayRowPtr> &c) {
      const OverlayRow &r = *c.second;
      if (r.deleted) return;
      writer.add(c.first, r.seq, r.misc, *r.schema, r.fixed, r.heap);
      ixk.collect(*r.schema, overlay_view(r), c.first, ixk.adds);
    };

    auto move_out = [&] {
      writer.flush();
      for (auto &b : writer.out) blocks.push_back(std::move(b));
      writer.out.clear();
    };
    const std::string task = "merge " + table;  // progress: blocks of the table looked at
    for (size_t i = 0; i < old_blocks.size(); i++) {
      opts.progress(task.c_str(), i, old_blocks.size());
      const BlockRef &ref = old_blocks[i];
      const std::string *next_first =
          i + 1 < old_blocks.size() ? &old_blocks[i + 1].first_key : nullptr;
      take_changes_below(&ref.first_key, emit_overlay);  // only before the first block
      bool inside = change != ov->end() && change->first <= ref.last_key;
      bool after = change != ov->end() && (!next_first || change->first < *next_first);
      bool small = ref.bytes < opts.block_size_bytes / 2;
      bool migrate = ref.schema_version < newest->version() && migrate_budget > 0;
      if (migrate) migrate_budget--;
      if (!inside && !(after && small) && !migrate) {
        // Untouched: keep the block; keys that fall between it and the next one form new
        // blocks (the usual append pattern costs no rewrite).
        move_out();
        blocks.push_back(ref);
        take_changes_below(next_first, emit_overlay);
        continue;
      }
      // Rewrite this block with the changes that fall in its range.
      auto block = db_.load_block(s, table, ref);
      for (size_t r = 0; r < block->rows(); r++) {
        std::string key(block->key_of(r));
        take_changes_below(&key, emit_overlay);
        if (change != ov->end() && change->first == key) {
          const OverlayRow &nr = *change->second;
          std::vector<Id128> keep;
          if (!nr.deleted) {
            std::string what = "committed row of " + table;
            keep = blob_ids(*nr.schema,
                            RowView(*nr.schema, reinterpret_cast<const uint8_t *>(nr.fixed.data()),
                                    nr.heap, &what));
          }
          for (const Id128 &id : blob_ids(*block->schema(), block->row(r)))
            if (std::find(keep.begin(), keep.end(), id) == keep.end())
              nb.garbage.push_back(Garbage{db_.blob_key(uuid_text(id)), now, b0.generation + 1});
          ixk.collect(*block->schema(), block->row(r), key, ixk.removes);  // the old version
          emit_overlay(*change);
          ++change;
          continue;
        }
        writer.add(key, block->seq(r), block->misc(r), *block->schema(), block->fixed(r),
                   block->row_heap(r));
      }
      take_changes_below(next_first, emit_overlay);
      nb.garbage.push_back(Garbage{ref.key, now, b0.generation + 1});
    }
    take_changes_below(nullptr, emit_overlay);
    move_out();

    if (!root.manifest_key.empty())
      nb.garbage.push_back(Garbage{root.manifest_key, now, b0.generation + 1});
    root.rows = root.blocks = root.bytes = 0;
    root.oldest_version = 0;
    for (const auto &b : blocks) {
      root.rows += b.rows;
      root.bytes += b.bytes;
      if (!root.oldest_version || b.schema_version < root.oldest_version)
        root.oldest_version = b.schema_version;
    }
    root.blocks = blocks.size();

    // Indexes: apply this merge's changes, and backfill those still being built from the
    // new blocks, a few blocks per merge.
    for (size_t i = 0; i < indexes.size(); i++) {
      IndexRoot &ix = indexes[i];
      // With no blocks before this merge, every row came through as a change: complete.
      if (old_blocks.empty()) ix.built = true;
      // The backfill reads new blocks too: written first (a small cache may have let go of
      // them already, and a read must not find them missing).
      if (!ix.built) writes_.wait();
      size_t budget = kBackfillBlocks;
      for (size_t n = 0, b = 0; !ix.built && b < blocks.size() && n < budget; b++)
        if (ix.backfill_after.empty() || blocks[b].last_key > ix.backfill_after) {
          db_.prefetch_block(s, table, blocks[b]);  // the blocks the backfill reads, together
          n++;
        }
      for (const BlockRef &ref : blocks) {
        if (ix.built || budget == 0) break;
        if (!ix.backfill_after.empty() && ref.last_key <= ix.backfill_after) continue;
        auto block = db_.load_block(s, table, ref);
        std::vector<std::vector<std::string>> one(indexes.size());
        for (size_t r = 0; r < block->rows(); r++) {
          std::string key(block->key_of(r));
          if (!ix.backfill_after.empty() && key <= ix.backfill_after) continue;
          ixk.collect(*block->schema(), block->row(r), key, one);
        }
        ixk.adds[i].insert(ixk.adds[i].end(), std::make_move_iterator(one[i].begin()),
                           std::make_move_iterator(one[i].end()));
        ix.backfill_after = ref.last_key;
        budget--;
      }
      if (!ix.built && (blocks.empty() || ix.backfill_after >= blocks.back().last_key))
        ix.built = true;
      ixk.sorted(i);
      std::vector<std::string> replaced;
      IndexTreeWriter tree(
          db_, opts.block_size_bytes, [&] { return db_.index_node_key(table, ix.field); }, writes_,
          written_, replaced);
      ix.root = tree.apply(ix.root, ixk.removes[i], std::move(ixk.adds[i]));
      for (const auto &k : replaced) nb.garbage.push_back(Garbage{k, now, b0.generation + 1});
    }
    drop_index_nodes(db_, root.indexes, indexes, nb, now, b0.generation + 1);
    root.indexes = indexes;
    root.manifest_page = {};

    if (blocks.empty()) {
      root.manifest_key.clear();
    } else {
      ManifestPage page;
      page.table = table;
      page.blocks = std::move(blocks);
      root.manifest_key = db_.manifest_key(table);
      writes_.put(root.manifest_key, encode_manifest_page(page));
      written_.push_back(root.manifest_key);
    }
  }
  for (const auto &g : s->blob_garbage)
    if (g.first <= upto)
      nb.garbage.push_back(Garbage{db_.blob_key(g.second), now, b0.generation + 1});
  // A checkpoint of this position written after the merge read the log is left to the sweep.
  if (checkpoint_known && upto > b0.applied_seq)
    nb.garbage.push_back(Garbage{db_.checkpoint_key(b0.applied_seq), now, b0.generation + 1});
  nb.schemas.clear();
  for (const auto &[t, versions] : s->schemas->tables())
    for (const auto &[v, sp] : versions) nb.schemas.push_back(sp->canonical_json());
  // The state this merge replaces stays readable (history queries) while its objects last.
  HistoryPoint before{b0.generation, b0.applied_seq, b0.misc_high, now, {}, {}};
  before.versions = versions_superseded(b0, *s->schemas, db_.block0_key());
  for (const auto &t : b0.tables) before.manifests.emplace_back(t.name, t.manifest_key);
  nb.history.push_back(std::move(before));
  if (nb.history.size() > kMaxHistory)
    nb.history.erase(nb.history.begin(),
                     nb.history.begin() + static_cast<long>(nb.history.size() - kMaxHistory));
  nb.generation = b0.generation + 1;
  nb.applied_seq = upto;
  nb.applied_commit_id = s->last_commit_id;
  nb.misc_high = s->misc_high;
  nb.merge_id = random_id();
  nb.merge_time_ms = now;
  nb.merges.push_back(MergeMark{upto, now});
  return next;
}

}  // namespace bucketdb
