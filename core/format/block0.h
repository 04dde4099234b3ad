// Block 0, the manifest root: everything a node needs to find the database's state. Small by
// design (every node re-reads it): per table only the key of its manifest page.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/util/bytes.h"
#include "core/util/weak_slots.h"
#include "core/util/ids.h"

namespace bucketdb {

// A secondary index of a table: a copy-on-write B+Tree. Until `built`, the leader backfills it
// from the table's blocks a few at a time (keys up to `backfill_after` are in), and queries
// do not use it.
struct IndexRoot {
  std::string field;
  uint32_t type_id = 0;  // the field's type when built: a retyped field is a new index
  std::string root;      // object key of the root node; "" for an empty tree
  bool built = false;
  std::string backfill_after;  // encoded primary key; "" before the first block
};

struct TableRoot {
  std::string name;
  std::string manifest_key;  // empty: no blocks yet
  uint64_t rows = 0;
  uint64_t blocks = 0;
  uint64_t bytes = 0;
  uint32_t oldest_version = 0;  // the lowest schema version among its blocks (0: no blocks)
  std::vector<IndexRoot> indexes;
  WeakSlots<> manifest_page;  // runtime only: the engine's cached manifest page, in slot 0
};

// An object no longer referenced, deleted by garbage collection once `since_ms` is older than
// the grace period.
struct Garbage {
  std::string key;
  uint64_t since_ms = 0;
  uint64_t generation = 0;  // the Block 0 generation that stopped referencing it
};

// A merge that raised applied_seq, kept until the log floor passes it.
struct MergeMark {
  uint64_t applied_seq = 0;
  uint64_t time_ms = 0;
};

// The state before a merge, readable for history queries until garbage collection deletes
// what it references (superseded_ms + gcGraceMs).
struct HistoryPoint {
  uint64_t generation = 0;
  uint64_t applied_seq = 0;
  uint64_t misc_high = 0;
  uint64_t superseded_ms = 0;
  std::vector<std::pair<std::string, std::string>> manifests;  // table, manifest key
  // Format 4: the newest schema version of each table then, for the tables a newer version
  // came to since (a history read shows rows as they were, not through a narrowing version).
  std::vector<std::pair<std::string, uint32_t>> versions;
};

// A table dropped by log entry `seq` (docs/SPEC.md section 3, "Dropping"): its schema
// versions, kept while history may read its blocks (until since_ms + gcGraceMs, like its
// objects in `garbage`). since_ms is the merge that folded the drop (0 while unmerged).
struct DroppedTable {
  std::string name;
  uint64_t seq = 0;
  uint64_t since_ms = 0;
  std::vector<std::string> schemas;  // canonical JSON, as in Block0::schemas
};

struct Block0 {
  uint32_t format = 2;  // 3 when `dropped` is not empty, 4 when a history point has versions
  uint64_t generation = 0;
  uint64_t applied_seq = 0;  // newest log entry folded into blocks
  uint64_t log_floor = 0;    // entries at or below may be deleted
  uint64_t misc_high = 0;    // newest MISC stamp folded
  Id128 merge_id{};
  uint64_t merge_time_ms = 0;
  Id128 applied_commit_id{};         // of log entry applied_seq (zero: unknown; format 2 keeps it)
  std::vector<std::string> schemas;  // canonical JSON of every registered version
  std::vector<TableRoot> tables;
  std::vector<Garbage> garbage;
  std::vector<MergeMark> merges;
  std::vector<HistoryPoint> history;  // oldest first
  std::vector<DroppedTable> dropped;  // format 3
};

Bytes encode_block0(const Block0 &b);
Block0 decode_block0(const Bytes &object, const std::string &key);

}  // namespace bucketdb
