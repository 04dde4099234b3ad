// What a garbage collection may delete, decided from Block 0 alone (SPEC section 6): pure, so
// the rules are tested without a store, and gc.cpp only does the requests.
#pragma once

#include <cstdint>
#include <vector>

#include "core/format/block0.h"

namespace bucketdb {

struct GcPlan {
  std::vector<Garbage> gone;  // superseded objects to delete now (before the swap)
  // The Block 0 to install: the rest of the garbage, the history points, dropped tables and
  // merge marks that are still due, the raised log floor, the next generation. Log entries
  // from the old floor + 1 to next.log_floor go only after it is installed.
  Block0 next;
  // Nothing is due: no object to delete, no entry to drop, no history point to forget.
  bool nothing = false;
};

// The plan at wall time now_ms: an object or history point goes when older than grace_ms, and
// only past what readers of this process still pin (their oldest generation and log position).
GcPlan plan_collection(const Block0 &b0, uint64_t now_ms, uint64_t grace_ms,
                       uint64_t pin_generation, uint64_t pin_seq);

// Whether the write-forward service should collect: a superseded object, or a merged stretch
// of the log above the floor, has outlived the grace (history points and dropped tables alone
// wait for the next collection: they cost nothing kept).
bool collection_due(const Block0 &b0, uint64_t now_ms, uint64_t grace_ms);

}  // namespace bucketdb
