// An immutable view of the database at one log position: Block 0, the schemas, and the
// committed cache (the overlay of log entries not yet folded into blocks). Readers hold a
// snapshot for as long as they read; writers publish a new one.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/engine/schema_set.h"
#include "core/format/block0.h"

namespace bucketdb {

// The newest version of one row in the unmerged log.
struct OverlayRow {
  uint64_t seq = 0;
  uint64_t misc = 0;
  bool deleted = false;
  SchemaPtr schema;  // the version the row was written with (null for a delete)
  std::string fixed;
  std::string heap;
};
using OverlayRowPtr = std::shared_ptr<const OverlayRow>;
using Overlay = std::map<std::string, OverlayRowPtr>;  // by encoded primary key

struct Snapshot {
  std::shared_ptr<const Block0> block0;
  std::string block0_etag;
  uint64_t last_seq = 0;   // newest log entry applied (>= block0->applied_seq)
  Id128 last_commit_id{};  // that entry's commit id (zero: unknown)
  uint64_t misc_high = 0;  // newest MISC seen
  std::shared_ptr<const SchemaSet> schemas;
  std::map<std::string, std::shared_ptr<const Overlay>> overlays;
  // Blobs of overlay rows that a newer version replaced: (seq that replaced it, blob id text).
  std::vector<std::pair<uint64_t, std::string>> blob_garbage;
  uint64_t unmerged_entries = 0;
  uint64_t unmerged_bytes = 0;
  // MISC stamp of the oldest unmerged entry: its age, by the wall clock, steers when to
  // merge (clock skew only changes when, never what).
  uint64_t first_unmerged_misc = 0;
  // Tables dropped by entries not yet merged (seq > block0->applied_seq), oldest first, with
  // the schema versions they had: Block 0 still names their blocks, which no read may use
  // (the name may be a new table already), and the merge lists them as garbage.
  std::vector<DroppedTable> dropped;

  // The table's blocks and indexes in Block 0; nullptr when it has none, or when the table
  // they belong to was dropped since.
  const TableRoot *table_root(const std::string &table) const {
    for (const auto &d : dropped)
      if (d.name == table) return nullptr;
    for (const auto &t : block0->tables)
      if (t.name == table) return &t;
    return nullptr;
  }
  std::shared_ptr<const Overlay> overlay(const std::string &table) const {
    auto it = overlays.find(table);
    return it == overlays.end() ? nullptr : it->second;
  }
  // The same without taking a reference, for a reader that holds this snapshot.
  const Overlay *overlay_of(const std::string &table) const {
    auto it = overlays.find(table);
    return it == overlays.end() ? nullptr : it->second.get();
  }
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

}  // namespace bucketdb
