// Chooses how to find a query's rows (SPEC section 7): primary-key points or ranges (blocks
// pruned by their first/last keys), else a built secondary index (point, IN, range, prefix),
// else a full scan. Every plan yields a superset; the conditions are checked on each row.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/engine/query.h"
#include "core/engine/row_source.h"
#include "core/engine/snapshot.h"

namespace bucketdb {

class Database;

struct Plan {
  // kUnion: OR between groups, each found by its own plan (parts: index or key-point plans).
  enum Kind { kScan, kPrimaryKey, kIndex, kUnion } kind = kScan;
  std::vector<Plan> parts;
  std::vector<KeyRange> ranges;  // primary-key ranges, or index-key ranges
  std::string index_field;
  std::string index_root;
  // An index plan on the order field whose rows come in the query's order (no sort): chosen
  // for a limited query that would otherwise scan, or whose index plan is on that field.
  bool ordered = false;
  // A primary-key plan of single keys (= and in): each range holds at most its low key.
  bool key_points = false;
  // The ranges start past the page token: no row before it can come (an ordered plan).
  bool past_token = false;
  // A scan or primary-key plan read from the greatest key down: descending primary-key
  // order without a sort (then `ordered` too).
  bool reverse = false;
  std::string describe() const;
  uint64_t blocks_total = 0;    // data blocks of the table
  uint64_t blocks_touched = 0;  // primary-key plans: blocks overlapping the ranges
};

Plan plan_query(Database &db, const Snapshot &snap, const QuerySpec &q);

// The plan as text, with the estimated object reads: `bucketdb query --explain`.
std::string explain_plan(const Plan &p, const QuerySpec &q);

}  // namespace bucketdb
