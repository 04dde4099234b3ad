// Point reads: the committed cache first, then the manifest page and one data block.
#include <algorithm>
#include "core/codec/key_codec.h"
#include "core/codec/value_check.h"
#include "core/engine/database.h"
#include "core/engine/table_lookup.h"
#include "core/format/envelope.h"
#include "core/util/error.h"

namespace bucketdb {

ObjectStore::Fetch Database::manifest_fetch(const std::string &key) {
  return [this, key] {
    auto obj = storage_->get(key);
    if (!obj) throw MissingObject("missing object " + key + " (manifest page named by Block 0)");
    auto page = decode_manifest_page(obj->data, key);
    const UseMark *mark = &page->used;
    return Loaded{std::move(page), obj->data.size(), mark};
  };
}

ObjectStore::Fetch Database::index_node_fetch(const std::string &key) {
  return [this, key] {
    auto obj = storage_->get(key);
    if (!obj) throw MissingObject("missing object " + key + " (index node)");
    auto node = decode_index_node(obj->data, key);
    const UseMark *mark = &node->used;
    return Loaded{std::move(node), obj->data.size(), mark};
  };
}

// The schema is looked up now, the bytes fetched later (read-ahead runs on the I/O pool).
ObjectStore::Fetch Database::block_fetch(const SnapshotPtr &snap, const std::string &table,
                                         const BlockRef &ref) {
  SchemaPtr schema = snap->schemas->version(table, ref.schema_version);
  if (!schema)
    fail(BDB_E_CORRUPT, "corrupt object " + ref.key + ": unknown schema " + table + " v" +
                            std::to_string(ref.schema_version));
  return [this, schema, table, ref] {
    auto obj = storage_->get(ref.key);
    if (!obj)
      throw MissingObject("missing object " + ref.key + " (data block of table " + table + ")");
    auto block = DataBlock::parse(std::move(obj->data), ref.key, schema);
    if (block->rows() != ref.rows)
      fail(BDB_E_CORRUPT, "corrupt object " + ref.key + ": holds " + std::to_string(block->rows()) +
                              " rows, its manifest says " + std::to_string(ref.rows));
    // Counted with the keys and search tables it builds at first use, as maxMemoryBytes means.
    uint64_t bytes = block->byte_size();
    const UseMark *mark = &block->used;
    return Loaded{std::move(block), bytes, mark};
  };
}

std::shared_ptr<const ManifestPage> Database::load_manifest(const std::string &key) {
  if (auto hit = cache_.get(key)) return std::static_pointer_cast<const ManifestPage>(hit);
  return std::static_pointer_cast<const ManifestPage>(objects_.load(key, manifest_fetch(key)));
}

std::shared_ptr<const IndexNode> Database::load_index_node(const std::string &key) {
  if (auto hit = cache_.get(key)) return std::static_pointer_cast<const IndexNode>(hit);
  return std::static_pointer_cast<const IndexNode>(objects_.load(key, index_node_fetch(key)));
}

void Database::prefetch_manifest(const std::string &key) {
  objects_.prefetch(key, manifest_fetch(key));
}

void Database::prefetch_index_node(const std::string &key) {
  objects_.prefetch(key, index_node_fetch(key));
}

void Database::prefetch_block(const SnapshotPtr &snap, const std::string &table,
                              const BlockRef &ref) {
  if (cache_.contains(ref.key)) return;
  objects_.prefetch(ref.key, block_fetch(snap, table, ref));
}

// Slot i's object while the cache holds it (a hit, marked used), else load() remembered there.
template <class T, class Load>
static std::shared_ptr<const T> through(const WeakSlots<> &slots, size_t i, ObjectCache &cache,
                                        Load &&load) {
  if (auto held = std::static_pointer_cast<const T>(slots.get(i))) {
    cache.held_hit(held->used);
    return held;
  }
  std::shared_ptr<const T> loaded = load();
  slots.set(i, loaded);
  return loaded;
}

std::shared_ptr<const ManifestPage> Database::load_manifest(const TableRoot &root) {
  if (root.manifest_key.empty()) return nullptr;
  return through<ManifestPage>(root.manifest_page, 0, cache_,
                               [&] { return load_manifest(root.manifest_key); });
}

std::shared_ptr<const IndexNode> Database::load_index_node(const IndexNode &parent, size_t j) {
  return through<IndexNode>(parent.loaded, j, cache_,
                            [&] { return load_index_node(parent.children[j]); });
}

void Database::store_index_node(const std::string &key, std::shared_ptr<IndexNode> node,
                                ObjectStore::Writes &writes) {
  Bytes obj = encode_index_node(*node);
  uint64_t size = obj.size();
  writes.put(key, std::move(obj));
  node->build_probes();
  const UseMark *mark = &node->used;
  cache_.put(key, std::move(node), size, mark);
}

std::shared_ptr<const DataBlock> Database::load_block(const SnapshotPtr &snap,
                                                      const std::string &table,
                                                      const BlockRef &ref) {
  if (auto hit = cache_.get(ref.key)) return std::static_pointer_cast<const DataBlock>(hit);
  return std::static_pointer_cast<const DataBlock>(
      objects_.load(ref.key, block_fetch(snap, table, ref)));
}

std::shared_ptr<const DataBlock> Database::load_block(const SnapshotPtr &snap,
                                                      const std::string &table,
                                                      const ManifestPage &page, size_t i,
                                                      std::string_view key) {
  bool hinted = false;
  auto held = page.loaded.get(i, [&](const BlockHint &h) {
    hinted = h.block != nullptr;
    if (!key.empty()) DataBlock::prefetch(h, key);
  });
  auto block = std::static_pointer_cast<const DataBlock>(held);
  if (block) {
    cache_.held_hit(block->used);
    if (!hinted && !key.empty()) page.loaded.set(i, block, block->hint());  // first lookup
    return block;
  }
  block = load_block(snap, table, page.blocks[i]);
  page.loaded.set(i, block, key.empty() ? BlockHint{} : block->hint());
  return block;
}

TableLookup::TableLookup(Database &db, const SnapshotPtr &snap, const std::string &table)
    : db_(db),
      snap_(snap),
      table_(table),
      overlay_(snap_->overlay_of(table)),
      root_(snap_->table_root(table)) {}

bool TableLookup::in_overlay(const std::string &key) const {
  return overlay_ && overlay_->count(key);
}

bool TableLookup::prepare(const std::string &key) {
  if (root_) {  // the manifest page, read at the first key the committed cache lacks
    page_ = db_.load_manifest(*root_);
    root_ = nullptr;
  }
  if (!page_) return false;
  if (!ref_ || key < ref_->first_key || key > ref_->last_key) {
    const BlockRef *ref = page_->block_for(key);
    if (!ref) return false;
    block_ =
        db_.load_block(snap_, table_, *page_, static_cast<size_t>(ref - page_->blocks.data()), key);
    ref_ = ref;
    blocks_loaded_++;
  }
  return true;
}

std::optional<StoredRow> TableLookup::find(const std::string &key) {
  if (overlay_) {
    auto it = overlay_->find(key);
    if (it != overlay_->end()) {
      const OverlayRow &r = *it->second;
      if (r.deleted) return std::nullopt;
      if (what_.empty()) what_ = "committed row of " + table_;  // only when a row needs it
      RowView v(*r.schema, reinterpret_cast<const uint8_t *>(r.fixed.data()), r.heap, &what_);
      return StoredRow{r.schema, r.seq, r.misc, v.decode()};
    }
  }
  if (!prepare(key)) return std::nullopt;
  auto found = block_->find_record(key);
  if (!found) return std::nullopt;
  return StoredRow{block_->schema(), found->seq, found->misc, found->row.decode()};
}

std::optional<StoredRow> Database::lookup(const SnapshotPtr &snap, const std::string &table,
                                          const std::string &key) {
  return TableLookup(*this, snap, table).find(key);
}

// A point read holds its snapshot for microseconds and starts again when an object it wanted
// was collected meanwhile, so it takes no pin (a cursor does).
std::optional<Document> Database::get(const Document &key_doc) {
  return retry_if_collected([&] {
    ensure_fresh(false);
    return get_in(snapshot(), key_doc);
  });
}

std::optional<Document> Database::get_in(const SnapshotPtr &snap, const Document &key_doc) {
  const TableSchema &ks = key_doc.schema();
  size_t pk = ks.primary_key();
  if (!key_doc.is_set(pk) || is_null(key_doc.get(pk)))
    fail(BDB_E_INVALID, "get from " + ks.name() + ": the primary key '" +
                            ks.primary_key_field().name + "' is not set");
  std::string key = encode_key(*ks.primary_key_field().type, key_doc.get(pk));
  TableLookup table(*this, snap, ks.name());
  if (!table.in_overlay(key)) table.prepare(key);  // starts fetching the key's hash slot...
  SchemaPtr newest = snap->schemas->find_newest(ks.name());  // ...while this runs
  auto row = table.find(key);
  if (!row) return std::nullopt;
  if (!newest) newest = snap->schemas->newest(ks.name());  // the error naming the table
  return Document::from_values(
      newest, convert_values(*row->schema, std::move(row->values), *newest), row->seq, row->misc);
}

Document Database::document_from_row(const std::string &table, uint32_t version,
                                     std::string_view row, std::string_view heap) {
  table_schema(table);  // BDB_E_SCHEMA for an unknown table, after looking at the log
  SchemaPtr s = snapshot()->schemas->version(table, version);
  if (!s) fail(BDB_E_SCHEMA, "table " + table + " has no version " + std::to_string(version));
  if (row.size() != s->row_width())
    fail(BDB_E_TYPE, "a row of " + table + " version " + std::to_string(version) + " is " +
                         std::to_string(s->row_width()) + " bytes, not " +
                         std::to_string(row.size()));
  std::string what = "the row given for " + table;
  Values values;
  try {
    values = RowView(*s, reinterpret_cast<const uint8_t *>(row.data()), heap, &what).decode();
  } catch (const Error &e) {
    fail(BDB_E_TYPE, e.what());  // a bad heap reference in caller's bytes is bad input
  }
  if (values[s->primary_key()].index() == 0)
    fail(BDB_E_TYPE, "a row of " + table + " has a null primary key");
  Document d(s);
  for (size_t i = 0; i < values.size(); i++) d.set(i, std::move(values[i]));
  return d;
}

std::string Database::read_blob(const std::string &blob_id) {
  auto id = parse_uuid(blob_id);
  if (!id) fail(BDB_E_INVALID, "'" + blob_id + "' is not a blob id (a UUID)");
  std::string key = blob_key(uuid_text(*id));
  auto obj = storage_->get(key);
  if (!obj) fail(BDB_E_NOT_FOUND, "no blob " + uuid_text(*id) + " (" + key + ")");
  Reader r(open_object(ObjectKind::kBlob, obj->data, key), key);
  r.u64();  // upload time
  return std::string(r.raw(r.remaining()));
}

}  // namespace bucketdb
