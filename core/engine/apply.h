// Applies one log entry to a (private, mutable) snapshot copy. The entry must be the next
// one after snap.last_seq, or the pending entry of a group commit being resolved.
#pragma once

#include <string>

#include "core/engine/snapshot.h"
#include "core/format/log_entry.h"

namespace bucketdb {

void apply_entry(Snapshot &snap, const LogEntry &e, const std::string &key, size_t object_bytes);

}  // namespace bucketdb
