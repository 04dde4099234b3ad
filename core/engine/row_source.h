// Where a query's rows come from, in primary-key order (or its reverse): a scan of the data blocks
// merged with the committed cache (optionally limited to primary-key ranges), or a sorted list of
// primary keys found through an index. Each row arrives converted to the table's newest version.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/codec/row_codec.h"
#include "core/codec/value.h"
#include "core/engine/snapshot.h"
#include "core/format/data_block.h"
#include "core/format/manifest_page.h"

namespace bucketdb {

class Database;

// [lo, hi) over encoded keys; hi "" means no upper bound.
struct KeyRange {
  std::string lo, hi;
};

class RowSource {
 public:
  virtual ~RowSource() = default;
  // The next live row, or false at the end.
  virtual bool next(Values &values, uint64_t &seq, uint64_t &misc) = 0;
  // For a count: the same, but a row known to match may come without its values.
  virtual bool next_for_count(Values &values) {
    uint64_t seq, misc;
    return next(values, seq, misc);
  }
  // Whether the last row is known to match the query's conditions: the source tested them on
  // the stored row (see scan_source).
  bool matched = false;
  // Objects read so far (for explain's estimates and tests).
  uint64_t blocks_read = 0;
};

// A test on a stored row of the newest version before it is decoded: false skips the row.
// The query's conditions (none: no filter), so that rows that cannot match cost a few field
// reads, not a whole decode (rows of older versions are always decoded and checked after),
// and a count decodes no row that the filter passes.
using RowFilter = std::function<bool(const RowView &)>;

// Blocks merged with the committed cache; `ranges` sorted and disjoint (empty: everything).
// Descending: from the greatest key down, reading blocks and rows backwards.
// Blocks are read ahead: a window of requests in flight that doubles with every block read,
// from one block (a limited query wastes at most a few GETs), or from the widest when the
// caller will read every row (`reads_all`: a count, a sort, no limit).
std::unique_ptr<RowSource> scan_source(Database &db, SnapshotPtr snap, SchemaPtr newest,
                                       std::vector<KeyRange> ranges, RowFilter filter = nullptr,
                                       bool descending = false, bool reads_all = false);
// Rows in the order of an indexed field (descending: from the greatest value, ties still in
// primary-key order): the index entries within `ranges` (sorted, disjoint, index-key space),
// each row looked up by its key, merged in the same order with the committed cache's rows,
// which the index does not cover yet. A limited query reads only the index nodes and the
// blocks of the rows it takes.
std::unique_ptr<RowSource> index_order_source(Database &db, SnapshotPtr snap, SchemaPtr newest,
                                              std::string index_root, size_t field,
                                              std::vector<KeyRange> ranges, bool descending);
// The rows of these primary keys (sorted, unique) that exist. The blocks they fall in are
// fetched together at the start (as many as the read-ahead bound allows).
std::unique_ptr<RowSource> keys_source(Database &db, SnapshotPtr snap, SchemaPtr newest,
                                       std::vector<std::string> keys);

}  // namespace bucketdb
