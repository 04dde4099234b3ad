// A batch: operations staged in memory; commit is the only step that touches storage.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/engine/document.h"

namespace bucketdb {

struct StagedOp {
  enum Kind { kInsert, kUpdate, kPatch, kDelete };
  Kind kind;
  Document doc;
  bool has_expected = false;
  uint64_t expected_version = 0;  // 0: the row must not exist
  // The row must exist when the operation applies, else BDB_E_NOT_FOUND (bdb_batch_expect_exists).
  bool must_exist = false;
};

struct Batch {
  std::vector<StagedOp> ops;
  void stage(StagedOp::Kind kind, const Document &doc);
};

// A primary key's state while batches are resolved: what exists now, and what existed before
// the batch (for preconditions and to know whether a delete must be logged).
struct PendingRow {
  // Whether the state before the batch has been looked up: a blind upsert or delete (no
  // precondition) does not need it, so a commit of those costs one PUT and no GET.
  bool known = true;
  bool before_unknown = false;  // made known by a blind write: may have existed before
  bool exists = false;
  bool existed_before = false;
  uint64_t version_before = 0;
  SchemaPtr schema;
  Values values;
};

// Rows already changed by earlier batches of the same group commit, by (table, key).
using GroupRows = std::map<std::pair<std::string, std::string>, PendingRow>;

}  // namespace bucketdb
