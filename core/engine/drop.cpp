// Dropping tables and indexes (docs/SPEC.md section 3, "Dropping"). A table drop is a log
// entry of its own, ordered with the writes like a registration; an index drop registers the
// table's next version without the index. Merges turn what a drop frees into garbage, which
// collection deletes only after gcGraceMs, so history reads before the drop keep working.
#include "core/engine/drop.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "core/engine/database.h"
#include "core/engine/index_tree.h"
#include "core/util/error.h"
#include "core/util/json_text.h"

namespace bucketdb {

namespace {

SchemaPtr parse_stored_schema(const std::string &json, const std::string &from) {
  try {
    return TableSchema::from_json(json);
  } catch (const Error &e) {
    fail(BDB_E_CORRUPT, "corrupt object " + from + ": bad schema: " + e.what());
  }
}

std::shared_ptr<const SchemaSet> add_schema(const std::shared_ptr<const SchemaSet> &set,
                                            SchemaPtr sp) {
  bool added = false;
  auto next = set->with(std::move(sp), &added);
  return added ? next : set;
}

bool has_blob_field(const TableSchema &s) {
  for (const Field &f : s.fields())
    if (f.type_id == BDB_TYPE_BLOB) return true;
  return false;
}

}  // namespace

std::shared_ptr<const SchemaSet> schemas_with_block0(const Snapshot *old, const Block0 &b0,
                                                     const std::string &block0_key) {
  std::vector<SchemaPtr> given;
  for (const auto &json : b0.schemas) given.push_back(parse_stored_schema(json, block0_key));
  std::shared_ptr<const SchemaSet> set = old ? old->schemas : std::make_shared<const SchemaSet>();
  std::set<std::string> skip;  // tables whose versions in b0 were dropped since
  if (old && old->last_seq < b0.applied_seq) {
    // b0 is ahead: a table old holds that b0 does not hold the same way was dropped meanwhile.
    std::map<std::string, std::map<uint32_t, const std::string *>> in_b0;
    for (const SchemaPtr &sp : given) in_b0[sp->name()][sp->version()] = &sp->canonical_json();
    std::vector<std::string> gone;
    for (const auto &[table, versions] : set->tables()) {
      auto t = in_b0.find(table);
      bool same = t != in_b0.end();
      for (auto v = versions.begin(); same && v != versions.end(); ++v) {
        auto there = t->second.find(v->first);
        same = there != t->second.end() && *there->second == v->second->canonical_json();
      }
      if (!same) gone.push_back(table);
    }
    for (const auto &table : gone) set = set->without(table);
  } else if (old) {
    for (const DroppedTable &d : old->dropped)
      if (d.seq > b0.applied_seq) skip.insert(d.name);
  }
  for (SchemaPtr &sp : given)
    if (!skip.count(sp->name())) set = add_schema(set, std::move(sp));
  return set;
}

std::vector<DroppedTable> drops_after(const Snapshot *old, const Block0 &b0) {
  std::vector<DroppedTable> out;
  if (!old || old->last_seq <= b0.applied_seq) return out;
  for (const DroppedTable &d : old->dropped)
    if (d.seq > b0.applied_seq) out.push_back(d);
  return out;
}

std::shared_ptr<const SchemaSet> schemas_at(const Snapshot &cur, uint64_t seq) {
  std::vector<const DroppedTable *> later;
  for (const auto &d : cur.block0->dropped)
    if (d.seq > seq) later.push_back(&d);
  for (const auto &d : cur.dropped)
    if (d.seq > seq) later.push_back(&d);
  std::stable_sort(later.begin(), later.end(),
                   [](const DroppedTable *a, const DroppedTable *b) { return a->seq < b->seq; });
  // The first drop after `seq` of each name removed the incarnation that stood at `seq`.
  std::set<std::string> done;
  std::shared_ptr<const SchemaSet> set = cur.schemas;
  for (const DroppedTable *d : later) {
    if (!done.insert(d->name).second) continue;
    set = set->without(d->name);
    for (const auto &json : d->schemas)
      set = add_schema(set, parse_stored_schema(json, "block0 (dropped table " + d->name + ")"));
  }
  return set;
}

void fold_drops(Database &db, const SnapshotPtr &s, Block0 &nb, uint64_t now, uint64_t generation) {
  auto garbage = [&](const std::string &key) {
    nb.garbage.push_back(Garbage{key, now, generation});
  };
  for (const DroppedTable &d : s->dropped) {
    DroppedTable kept = d;
    kept.since_ms = now;
    nb.dropped.push_back(std::move(kept));
    auto it = std::find_if(nb.tables.begin(), nb.tables.end(),
                           [&](const TableRoot &t) { return t.name == d.name; });
    if (it == nb.tables.end()) continue;  // dropped before any of its rows were merged
    TableRoot root = std::move(*it);
    nb.tables.erase(it);
    for (const IndexRoot &ix : root.indexes) {
      std::set<std::string> nodes;
      index_nodes(db, ix.root, nodes);
      for (const auto &k : nodes) garbage(k);
    }
    if (root.manifest_key.empty()) continue;
    garbage(root.manifest_key);
    // Its blocks are read with the versions it had (the name may be another table now).
    auto own = std::make_shared<Snapshot>(*s);
    own->dropped.clear();
    own->schemas = std::make_shared<const SchemaSet>();
    for (const auto &json : d.schemas)
      own->schemas = add_schema(own->schemas, parse_stored_schema(json, db.block0_key()));
    SnapshotPtr reader = own;
    auto page = db.load_manifest(root.manifest_key);
    for (const BlockRef &ref : page->blocks) {
      garbage(ref.key);
      SchemaPtr version = reader->schemas->version(d.name, ref.schema_version);
      if (version && !has_blob_field(*version)) continue;  // only blobs need the rows read
      auto block = db.load_block(reader, d.name, ref);
      const TableSchema &bs = *block->schema();
      for (size_t r = 0; r < block->rows(); r++) {
        RowView row = block->row(r);
        for (size_t i = 0; i < bs.fields().size(); i++)
          if (bs.field(i).type_id == BDB_TYPE_BLOB && !row.null(i))
            garbage(db.blob_key(uuid_text(std::get<Id128>(row.get(i)))));
      }
    }
  }
}

void drop_index_nodes(Database &db, const std::vector<IndexRoot> &had,
                      const std::vector<IndexRoot> &kept, Block0 &nb, uint64_t now,
                      uint64_t generation) {
  for (const IndexRoot &ix : had) {
    bool still = std::any_of(kept.begin(), kept.end(), [&](const IndexRoot &k) {
      return k.field == ix.field && k.type_id == ix.type_id;
    });
    if (still || ix.root.empty()) continue;
    std::set<std::string> nodes;
    index_nodes(db, ix.root, nodes);
    for (const auto &k : nodes) nb.garbage.push_back(Garbage{k, now, generation});
  }
}

void Database::drop_table(const std::string &table) {
  require_writable("drop table");
  ensure_fresh(false);
  commit_entry([&](const SnapshotPtr &s) {
    if (!s->schemas->find_newest(table))
      fail(BDB_E_SCHEMA, "drop table: unknown table '" + table + "'");
    LogOp op;
    op.type = LogOp::kDropTable;
    op.table = table;
    return std::vector<LogOp>{std::move(op)};
  });
}

void Database::drop_index(const std::string &table, const std::string &field) {
  require_writable("drop index");
  SchemaPtr newest = table_schema(table);
  int fi = newest->field_index(field);
  if (fi < 0) fail(BDB_E_SCHEMA, "drop index: table " + table + " has no field '" + field + "'");
  const auto &ixs = newest->indexes();
  if (std::find(ixs.begin(), ixs.end(), static_cast<size_t>(fi)) == ixs.end())
    fail(BDB_E_SCHEMA, "drop index: table " + table + " has no index on '" + field + "'");
  if (newest->version() == UINT32_MAX)
    fail(BDB_E_SCHEMA, "drop index: table " + table + " is at the last version number");
  // The next version: the same fields without the index (a registration like any other).
  auto json = parse_json_text<nlohmann::ordered_json>(newest->canonical_json(), "schema");
  auto &indexes = json["indexes"];
  for (auto it = indexes.begin(); it != indexes.end(); ++it)
    if (*it == field) {
      indexes.erase(it);
      break;
    }
  json["version"] = newest->version() + 1;
  register_schema(json.dump());
}

}  // namespace bucketdb
