// The write-forward merge (SPEC section 6): catch up with the log, fold it into a new Block 0
// (Merger, merger.h), wait for every object that Block 0 names, then swap Block 0 with If-Match
// on the ETag the merge started from. Another node's swap first makes this one lost: what it
// wrote is deleted, and nothing of the log is.
#include "core/engine/database.h"
#include "core/engine/merger.h"
#include "core/util/error.h"

namespace bucketdb {

void Database::delete_quietly(const std::vector<std::string> &keys) {
  ObjectStore::Writes deletes(objects_);
  for (const auto &k : keys) deletes.del(k);
  try {
    deletes.wait();
  } catch (const Error &) {
    // Left for the orphan sweep of garbage collection.
  }
}

uint64_t Database::merge(bool only_if_leader) {
  require_writable("merge");
  if (creation_pending_) return 0;  // nothing written yet: nothing to fold or collect
  std::lock_guard<InterruptibleMutex> merge_lock(merge_mu_);
  if (only_if_leader && !is_leader(now_ms())) return 0;
  const uint64_t window = timeshare() ? wait_for_own_window("merge") : 0;
  bool checkpoint_known = false;  // of the Block 0 this merge replaces: garbage after it
  {
    std::lock_guard<InterruptibleMutex> lock(write_mu_);
    // Without If-Match nothing stops a swap built on an old Block 0 from replacing a newer
    // one: read the current one after the wait.
    if (timeshare()) refresh_block0_locked(true);
    catch_up_locked();
    const uint64_t applied = snapshot()->block0->applied_seq;
    // Its own, or one whoever committed the kCheckpointEntries-th entry past it wrote.
    checkpoint_known =
        checkpoint_through(applied) > 0 || snapshot()->last_seq >= applied + kCheckpointEntries;
  }
  // Every object the merge writes is in flight while it goes on; only the Block 0 swap waits
  // for all of them, so Block 0 never names an object that was not written.
  SnapshotPtr s = snapshot();
  ObjectStore::Writes writes(objects_);
  Merger merger(*this, s, writes, now_ms());
  if (!merger.has_work()) return 0;
  std::shared_ptr<Block0> nb = merger.fold(checkpoint_known);
  const std::vector<std::string> &written = merger.written();
  const Block0 &b0 = *s->block0;
  const uint64_t upto = nb->applied_seq;
  counters_.blocks_written += written.size();
  try {
    writes.wait();
  } catch (...) {
    delete_quietly(written);  // nothing names them; what is left the orphan sweep takes
    throw;
  }

  std::lock_guard<InterruptibleMutex> lock(write_mu_);
  if (timeshare() && !still_in_window(window)) {
    // Without If-Match, a swap after our window could overwrite the next node's merge (and
    // its garbage collection would then remove log entries our Block 0 still needs).
    counters_.merges_lost++;
    delete_quietly(written);
    return 0;
  }
  Bytes obj = encode_block0(*nb);
  std::string etag;
  // Block 0's swap and the reads that learn its outcome are not interrupted: this handle
  // must know which Block 0 holds.
  InterruptShield shield;
  PutOutcome out = storage_->put(block0_key(), obj, PutCondition{s->block0_etag, false}, &etag);
  if (out == PutOutcome::kOk && timeshare() && !landed_in_window(window))
    late_write_settled("merge");
  if (out == PutOutcome::kPreconditionFailedAfterRetry || (out == PutOutcome::kOk && timeshare())) {
    // Our swap may have landed before its answer was lost: its merge id tells. What is there
    // may be newer than ours and built on it (a garbage collection keeps the merge id): that
    // is what gets installed.
    if (auto got = storage_->get(block0_key())) {
      Block0 cur = decode_block0(got->data, block0_key());
      if (cur.merge_id == nb->merge_id) {
        out = PutOutcome::kOk;
        etag = got->etag;
        nb = std::make_shared<Block0>(std::move(cur));
      } else {
        out = PutOutcome::kPreconditionFailed;
      }
    }
  }
  if (out != PutOutcome::kOk) {
    // Another node installed its merge first. Nothing references what we wrote.
    counters_.merges_lost++;
    delete_quietly(written);
    refresh_block0_locked(true);
    return 0;
  }
  install_block0_locked(nb, etag);
  counters_.merges++;
  counters_.merged_entries += upto - b0.applied_seq;
  return upto - b0.applied_seq;
}

}  // namespace bucketdb
