// The write-forward merge's fold (SPEC section 6): from one snapshot, the Block 0 that folds
// its unmerged log entries into new immutable data blocks, index nodes and manifest pages,
// copy-on-write (only blocks whose key ranges changed are rewritten), with the background
// migration of old-version blocks and the backfill of new indexes a few blocks at a time.
// It only writes new objects, all in flight together through `writes`; installing its
// Block 0 (the swap with If-Match, and what a lost swap leaves) is Database::merge's
// (merge.cpp). A fold is a pure function of the snapshot's Block 0 and entries, so a lost or
// repeated one wastes PUTs and never loses or reorders a commit.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/engine/object_store.h"
#include "core/engine/snapshot.h"
#include "core/format/block0.h"
#include "core/format/manifest_page.h"

namespace bucketdb {

class Database;

// Whether a table has background work: blocks in an older schema version to rewrite, or
// indexes to build or drop.
bool table_needs_background_work(const TableRoot &t, const TableSchema &newest);
// Whether any table of the snapshot has (the write-forward service merges for it too).
bool background_work_pending(const Snapshot &s);

class Merger {
 public:
  // now_ms: the wall time the garbage it lists is stamped with.
  Merger(Database &db, SnapshotPtr s, ObjectStore::Writes &writes, uint64_t now_ms);

  // Unmerged entries, or background work on a table.
  bool has_work() const;
  // The next Block 0: generation + 1, appliedSeq the snapshot's last entry, every object it
  // names written or in flight through `writes`. checkpoint_known: the log checkpoint of the
  // position it leaves exists (written or read), so it is listed as garbage.
  std::shared_ptr<Block0> fold(bool checkpoint_known);
  // Every object the fold wrote: what a lost swap deletes.
  const std::vector<std::string> &written() const { return written_; }

 private:
  // Starts reading every block the fold of `table` will rewrite, all at once.
  void prefetch_rewrites(const std::string &table, const TableSchema &newest,
                         const std::vector<BlockRef> &old_blocks, const Overlay &changes);

  Database &db_;
  const SnapshotPtr s_;
  ObjectStore::Writes &writes_;
  const uint64_t now_;
  std::vector<std::string> written_;
};

}  // namespace bucketdb
