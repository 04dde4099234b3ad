// Dropping tables and indexes (docs/SPEC.md section 3, "Dropping"): what the rest of the
// engine asks when a drop is in the log, in Block 0, or in a table's indexes.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/engine/schema_set.h"
#include "core/engine/snapshot.h"
#include "core/format/block0.h"

namespace bucketdb {

class Database;

// The schema set a node has once it installs `b0` in place of `old` (null at open): old's
// set (schemas keep their identity), without the tables b0 says were dropped after what old
// saw and without the incarnations old saw dropped after b0, then b0's versions added.
std::shared_ptr<const SchemaSet> schemas_with_block0(const Snapshot *old, const Block0 &b0,
                                                     const std::string &block0_key);
// The drops of `old` that `b0` has not folded yet (seq > b0.applied_seq).
std::vector<DroppedTable> drops_after(const Snapshot *old, const Block0 &b0);
// The schema set as it stood at log position `seq`, for a history read that starts there:
// the tables dropped after it are given back their versions (from Block 0 or `cur`).
std::shared_ptr<const SchemaSet> schemas_at(const Snapshot &cur, uint64_t seq);

// Merge: the tables dropped by the entries folded into `nb` leave it; their data blocks,
// manifest page, index nodes and the blobs their rows hold become garbage since `now`, and
// nb->dropped keeps their versions for history as long (SPEC section 3).
void fold_drops(Database &db, const SnapshotPtr &s, Block0 &nb, uint64_t now, uint64_t generation);
// Merge: the indexes of `had` that `kept` no longer has (a version without them, or a
// retyped field): their nodes become garbage since `now`.
void drop_index_nodes(Database &db, const std::vector<IndexRoot> &had,
                      const std::vector<IndexRoot> &kept, Block0 &nb, uint64_t now,
                      uint64_t generation);

}  // namespace bucketdb
