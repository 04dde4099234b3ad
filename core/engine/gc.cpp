// Garbage collection without resurrection (SPEC section 6): superseded objects and merged
// log entries are deleted only once older than gcGraceMs, and log entries only after a
// Block 0 with the raised logFloor is installed.
#include <algorithm>

#include "core/engine/database.h"
#include "core/util/error.h"

namespace bucketdb {

uint64_t Database::gc() {
  std::lock_guard<std::mutex> merge_lock(merge_mu_);
  std::lock_guard<std::mutex> lock(write_mu_);
  refresh_block0_locked(true);
  SnapshotPtr s = snapshot();
  const Block0 &b0 = *s->block0;
  const uint64_t now = now_ms();
  auto due = [&](uint64_t since) { return since + opts_.gc_grace_ms <= now; };

  uint64_t floor = b0.log_floor;
  for (const auto &m : b0.merges)
    if (due(m.time_ms)) floor = std::max(floor, m.applied_seq);
  std::vector<Garbage> keep, gone;
  for (const auto &g : b0.garbage) (due(g.since_ms) ? gone : keep).push_back(g);
  if (floor == b0.log_floor && gone.empty()) return 0;

  uint64_t deleted = 0;
  // Superseded objects are unreferenced since `since_ms`; deleting them before the swap is
  // safe, and a lost swap only means they are deleted again later (delete is idempotent).
  for (const auto &g : gone) {
    storage_->del(g.key);
    deleted++;
  }
  auto nb = std::make_shared<Block0>(b0);
  nb->generation++;
  nb->garbage = keep;
  nb->log_floor = floor;
  nb->merges.erase(std::remove_if(nb->merges.begin(), nb->merges.end(),
                                  [&](const MergeMark &m) { return m.applied_seq <= floor; }),
                   nb->merges.end());
  std::string etag;
  PutOutcome out = storage_->put(block0_key(), encode_block0(*nb),
                                 PutCondition{s->block0_etag, false}, &etag);
  if (out != PutOutcome::kOk) {
    refresh_block0_locked(true);
    counters_.gc_deleted += deleted;
    return deleted;
  }
  install_block0_locked(nb, etag);
  // Only now may merged entries go: every reader either reads them or sees the new floor.
  for (uint64_t seq = b0.log_floor + 1; seq <= floor; seq++) {
    storage_->del(log_key(seq));
    deleted++;
  }
  counters_.gc_deleted += deleted;
  return deleted;
}

}  // namespace bucketdb
