// Applies one log entry to a (private, mutable) snapshot copy. The entry must be the next
// one after snap.last_seq, or the pending entry of a group commit being resolved.
#pragma once

#include <string>

#include "core/engine/snapshot.h"
#include "core/format/log_entry.h"

namespace bucketdb {

// in_place: the caller owns `snap` alone, and the entry is its own (already valid): overlays
// no other snapshot shares are changed where they are rather than copied.
void apply_entry(Snapshot &snap, const LogEntry &e, const std::string &key, size_t object_bytes,
                 bool in_place = false);

}  // namespace bucketdb
