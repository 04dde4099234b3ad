// Log checkpoints: the unmerged log in one object (core/format/log_checkpoint.h), so that a
// cold open costs Block 0, one GET and a short window of entries however long the tail is,
// while merges, which cost a PUT per block and index node they rewrite, stay rare.
#include <cinttypes>
#include <cstdio>

#include "core/engine/apply.h"
#include "core/engine/database.h"
#include "core/format/log_checkpoint.h"

namespace bucketdb {

std::string Database::checkpoint_key(uint64_t applied_seq) const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020" PRIu64, applied_seq);
  return prefixed(std::string("checkpoint/") + buf);
}

bool Database::checkpoints_enabled() const {
  return storage_->conditional_put();
}

bool Database::writes_checkpoints() const {
  return opts_.auto_merge && !opts_.read_only && checkpoints_enabled();
}

void Database::keep_entry_locked(uint64_t seq, Bytes object) {
  if (!writes_checkpoints()) return;
  kept_entries_[seq] = std::make_shared<const Bytes>(std::move(object));
}

void Database::trim_kept_locked() {
  SnapshotPtr s = snapshot();
  const uint64_t applied = s->block0->applied_seq;
  kept_entries_.erase(kept_entries_.begin(), kept_entries_.upper_bound(applied));
  kept_entries_.erase(kept_entries_.upper_bound(s->last_seq), kept_entries_.end());
  if (checkpoint_of_ != applied) checkpoint_of_ = checkpoint_last_ = 0;
}

bool Database::apply_checkpoint_locked(const StoredObject &obj, const std::string &key,
                                       std::shared_ptr<Snapshot> &next) {
  const uint64_t applied = snapshot()->block0->applied_seq;
  const uint64_t from = (next ? next->last_seq : snapshot()->last_seq) + 1;
  std::vector<LogEntry> entries;
  LogCheckpoint c;
  try {
    c = decode_log_checkpoint(obj.data, key);
    if (c.applied_seq != applied)
      fail(BDB_E_CORRUPT,
           "corrupt object " + key + ": follows sequence " + std::to_string(c.applied_seq));
    for (size_t i = 0; i < c.entries.size(); i++) {
      const uint64_t seq = applied + 1 + i;
      entries.push_back(decode_log_entry(c.entries[i], key + " (" + log_key(seq) + ")"));
      if (entries.back().seq != seq)
        fail(BDB_E_CORRUPT, "corrupt object " + key + ": entry " + std::to_string(i + 1) +
                                " holds sequence " + std::to_string(entries.back().seq));
    }
  } catch (const Error &e) {
    // Redundant by design: the entries it copies are still in the log.
    opts_.logger().log(LogLevel::kWarn, "engine",
                       std::string(e.what()) + "; the log entries are read instead");
    return false;
  }
  for (size_t i = 0; i < entries.size(); i++) {
    const LogEntry &e = entries[i];
    if (e.seq < from) continue;  // applied already
    if (!next) next = std::make_shared<Snapshot>(*snapshot());
    apply_entry(*next, e, log_key(e.seq), c.entries[i].size(), /*in_place=*/true);
    counters_.entries_applied++;
    if (e.writer && e.writer != writer_id_) note_foreign_locked(e.misc);
    keep_entry_locked(e.seq, std::move(c.entries[i]));
  }
  counters_.log_checkpoints_read++;
  if (checkpoint_of_ != applied) checkpoint_last_ = 0;
  checkpoint_of_ = applied;
  checkpoint_last_ = std::max<uint64_t>(checkpoint_last_, applied + entries.size());
  return true;
}

bool Database::checkpoint_due(const Snapshot &s, uint64_t min_new) const {
  if (!writes_checkpoints()) return false;
  const uint64_t applied = s.block0->applied_seq;
  const uint64_t known =
      checkpoint_of_ == applied ? std::max(checkpoint_last_.load(), applied) : applied;
  return s.last_seq > applied && s.last_seq >= known + min_new;
}

void Database::write_checkpoint(uint64_t min_new) {
  if (!writes_checkpoints()) return;
  // One writer of checkpoints and merges at a time on this node; commits go on meanwhile.
  std::lock_guard<std::mutex> merge_lock(merge_mu_);
  uint64_t applied = 0, last = 0;
  std::vector<std::shared_ptr<const Bytes>> held;
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    SnapshotPtr s = snapshot();
    if (!checkpoint_due(*s, min_new)) return;
    applied = s->block0->applied_seq;
    last = s->last_seq;
    for (uint64_t seq = applied + 1; seq <= last; seq++) {
      auto it = kept_entries_.find(seq);
      if (it == kept_entries_.end()) return;  // applied before this node kept entries
      held.push_back(it->second);
    }
  }
  std::vector<const Bytes *> entries;
  entries.reserve(held.size());
  for (const auto &e : held) entries.push_back(e.get());
  // Unconditional: every version holds a prefix of the same immutable entries, so whichever a
  // reader gets is right; a checkpoint of a position a merge passed meanwhile is garbage.
  storage_->put(checkpoint_key(applied), encode_log_checkpoint(applied, entries), PutCondition{});
  counters_.log_checkpoints++;
  std::lock_guard<std::mutex> lock(write_mu_);
  if (snapshot()->block0->applied_seq != applied) return;
  if (checkpoint_of_ != applied) checkpoint_last_ = 0;
  checkpoint_of_ = applied;
  checkpoint_last_ = std::max<uint64_t>(checkpoint_last_, last);
}

}  // namespace bucketdb
