// Point lookups by primary key in one table of one snapshot: the committed cache first, then
// the manifest page (read only when a key is not in the committed cache) and one data block.
// A source that looks up many keys keeps one of these, so the table's cache, root and
// manifest page are found once and a block is reused while the keys fall in it.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/engine/database.h"

namespace bucketdb {

class TableLookup {
 public:
  // `snap` must outlive the lookup (a point read's own, or a row source's member).
  TableLookup(Database &db, const SnapshotPtr &snap, const std::string &table);
  std::optional<StoredRow> find(const std::string &key);
  // Finds the block that may hold `key` and starts fetching the key's slot in it, so the
  // caller can do other work before find(key); false when no block may hold it.
  bool prepare(const std::string &key);
  // Whether the committed cache has the key (a row or a deletion): no block is needed.
  bool in_overlay(const std::string &key) const;
  // Blocks this lookup has read so far (a reader ahead of it measures its progress by it).
  size_t blocks_loaded() const { return blocks_loaded_; }

 private:
  Database &db_;
  const SnapshotPtr &snap_;
  std::string table_;
  const Overlay *overlay_;  // owned by snap_
  const TableRoot *root_;   // until its manifest page is needed; owned by snap_
  std::shared_ptr<const ManifestPage> page_;
  const BlockRef *ref_ = nullptr;
  std::shared_ptr<const DataBlock> block_;
  size_t blocks_loaded_ = 0;
  std::string what_;  // names an overlay row in errors
};

}  // namespace bucketdb
