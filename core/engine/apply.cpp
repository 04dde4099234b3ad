// Applying a log entry's effects to a snapshot: schemas register, rows enter the committed
// cache (newest version per key), and blobs that a newer row version dropped become garbage.
#include "core/engine/apply.h"

#include "core/codec/row_codec.h"
#include "core/util/error.h"
#include "core/util/sole_owner.h"

namespace bucketdb {

void apply_entry(Snapshot &snap, const LogEntry &e, const std::string &key, size_t object_bytes,
                 bool in_place) {
  Snapshot *s = &snap;
  // The chain (log_entry.h): the entry names the commit it was written after.
  const Id128 kUnknown{};
  if (e.prev_commit_id != kUnknown && s->last_commit_id != kUnknown &&
      e.prev_commit_id != s->last_commit_id)
    fail(BDB_E_CORRUPT,
         "gap in the log: " + key + " was written after commit " + uuid_text(e.prev_commit_id) +
             " at sequence " + std::to_string(e.seq - 1) + ", but that sequence now holds commit " +
             uuid_text(s->last_commit_id) +
             ": the entry was lost and its number taken by another commit. Nothing after it is "
             "applied; `bucketdb recover` tells what is missing");
  std::map<std::string, std::shared_ptr<Overlay>> touched;
  auto overlay_for = [&](const std::string &table) -> Overlay & {
    auto it = touched.find(table);
    if (it != touched.end()) return *it->second;
    auto mine = s->overlays.find(table);
    if (in_place && mine != s->overlays.end() && sole_owner(mine->second)) {
      // No other snapshot shares it: grow it where it is instead of copying every row.
      auto same = std::const_pointer_cast<Overlay>(mine->second);
      touched[table] = same;
      return *same;
    }
    auto cur = s->overlay(table);
    auto copy = cur ? std::make_shared<Overlay>(*cur) : std::make_shared<Overlay>();
    touched[table] = copy;
    return *copy;
  };
  // Blobs the replaced overlay version held and the new one does not are garbage.
  auto drop_blobs = [&](const OverlayRowPtr &prev, const OverlayRow *next) {
    if (!prev || prev->deleted) return;
    const TableSchema &ps = *prev->schema;
    RowView pv(ps, reinterpret_cast<const uint8_t *>(prev->fixed.data()), prev->heap, &key);
    for (size_t i = 0; i < ps.fields().size(); i++) {
      if (ps.field(i).type_id != BDB_TYPE_BLOB || pv.null(i)) continue;
      Value id = pv.get(i);
      bool kept = false;
      if (next && !next->deleted) {
        const TableSchema &ns = *next->schema;
        RowView nv(ns, reinterpret_cast<const uint8_t *>(next->fixed.data()), next->heap, &key);
        for (size_t j = 0; j < ns.fields().size() && !kept; j++)
          kept = ns.field(j).type_id == BDB_TYPE_BLOB && !nv.null(j) && nv.get(j) == id;
      }
      if (!kept) s->blob_garbage.emplace_back(e.seq, uuid_text(std::get<Id128>(id)));
    }
  };

  for (const LogOp &op : e.ops) {
    switch (op.type) {
      case LogOp::kSchema: {
        SchemaPtr sp;
        try {
          sp = TableSchema::from_json(op.schema_json);
        } catch (const Error &err) {
          fail(BDB_E_CORRUPT, "corrupt object " + key + ": bad schema: " + err.what());
        }
        bool added = false;
        try {
          auto next = s->schemas->with(sp, &added);
          if (added) s->schemas = next;
        } catch (const Error &) {
          // A conflicting definition can only lose a race it already lost; first one wins.
        }
        break;
      }
      case LogOp::kPut: {
        SchemaPtr sp = s->schemas->version(op.table, op.schema_version);
        if (!sp)
          fail(BDB_E_CORRUPT, "corrupt object " + key + ": row of unknown schema " + op.table +
                                  " v" + std::to_string(op.schema_version));
        if (op.fixed.size() != sp->row_width())
          fail(BDB_E_CORRUPT, "corrupt object " + key + ": row width does not match " + op.table +
                                  " v" + std::to_string(op.schema_version));
        auto row = std::make_shared<OverlayRow>();
        row->seq = e.seq;
        row->misc = e.misc;
        row->schema = sp;
        row->fixed = op.fixed;
        row->heap = op.heap;
        // Validates every heap reference before the row is trusted.
        RowView(*sp, reinterpret_cast<const uint8_t *>(row->fixed.data()), row->heap, &key)
            .decode();
        Overlay &ov = overlay_for(op.table);
        auto it = ov.find(op.key);
        if (it != ov.end()) drop_blobs(it->second, row.get());
        ov[op.key] = row;
        break;
      }
      case LogOp::kDropTable: {
        // The table and its versions go; the name is free (docs/SPEC.md section 3). Its
        // unmerged rows go with it, their blobs becoming garbage as a delete's would.
        const auto &tables = s->schemas->tables();
        auto versions = tables.find(op.table);
        if (versions == tables.end())
          fail(BDB_E_CORRUPT, "corrupt object " + key + ": drop of unknown table " + op.table);
        DroppedTable d;
        d.name = op.table;
        d.seq = e.seq;
        for (const auto &[v, sp] : versions->second) d.schemas.push_back(sp->canonical_json());
        s->dropped.push_back(std::move(d));
        s->schemas = s->schemas->without(op.table);
        auto cur = s->overlays.find(op.table);
        if (cur != s->overlays.end())
          for (const auto &[k, row] : *cur->second) drop_blobs(row, nullptr);
        touched.erase(op.table);
        s->overlays.erase(op.table);
        break;
      }
      case LogOp::kDelete: {
        if (!s->schemas->find_newest(op.table))
          fail(BDB_E_CORRUPT, "corrupt object " + key + ": delete in unknown table " + op.table);
        auto row = std::make_shared<OverlayRow>();
        row->seq = e.seq;
        row->misc = e.misc;
        row->deleted = true;
        Overlay &ov = overlay_for(op.table);
        auto it = ov.find(op.key);
        if (it != ov.end()) drop_blobs(it->second, nullptr);
        ov[op.key] = row;
        break;
      }
    }
  }
  for (auto &[table, ov] : touched) s->overlays[table] = ov;
  s->last_seq = e.seq;
  s->last_commit_id = e.commit_id;
  s->misc_high = std::max(s->misc_high, e.misc);
  if (s->unmerged_entries == 0) s->first_unmerged_misc = e.misc;
  s->unmerged_entries++;
  s->unmerged_bytes += object_bytes;
}

}  // namespace bucketdb
