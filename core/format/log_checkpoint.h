// A log checkpoint (`checkpoint/{applied_seq}`): the log entries after one Block 0's
// applied_seq, each exactly as its writer stored it, in one object, so that a cold open reads
// the unmerged log in one GET instead of one per entry (docs/SPEC.md section 3). Redundant by
// design: the entries stay in the log until a merge folds them, so a lost or damaged
// checkpoint costs GETs, never data. It is rewritten in place as the log grows; every version
// holds a prefix of the same immutable entries, so any one a reader gets is right.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/util/bytes.h"

namespace bucketdb {

struct LogCheckpoint {
  uint64_t applied_seq = 0;    // the Block 0 position it follows
  std::vector<Bytes> entries;  // entries applied_seq + 1, + 2, ... (sealed log entry objects)
};

Bytes encode_log_checkpoint(uint64_t applied_seq, const std::vector<const Bytes *> &entries);
LogCheckpoint decode_log_checkpoint(const Bytes &object, const std::string &key);

}  // namespace bucketdb
