// A batch: operations staged in memory; commit is the only step that touches storage.
#pragma once

#include <cstdint>
#include <vector>

#include "core/engine/document.h"

namespace bucketdb {

struct StagedOp {
  enum Kind { kInsert, kUpdate, kPatch, kDelete };
  Kind kind;
  Document doc;
  bool has_expected = false;
  uint64_t expected_version = 0;  // 0: the row must not exist
};

struct Batch {
  std::vector<StagedOp> ops;
  void stage(StagedOp::Kind kind, const Document &doc);
};

}  // namespace bucketdb
