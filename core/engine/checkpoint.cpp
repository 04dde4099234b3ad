// Log checkpoints: the unmerged log in one object (core/format/log_checkpoint.h), so that a
// cold open costs Block 0, one GET and a short window of entries however long the tail is,
// while merges, which cost a PUT per block and index node they rewrite, stay rare.
#include <algorithm>
#include <chrono>
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
    if (e.writer && e.writer != writer_id_) note_foreign_locked(e.writer, e.misc);
    keep_entry_locked(e.seq, std::move(c.entries[i]));
  }
  counters_.log_checkpoints_read++;
  note_checkpoint(applied, applied + entries.size());
  return true;
}

uint64_t Database::checkpoint_through(uint64_t applied_seq) const {
  std::lock_guard<std::mutex> lock(checkpoint_mu_);
  return checkpoint_of_ == applied_seq ? checkpoint_last_ : 0;
}

void Database::note_checkpoint(uint64_t applied_seq, uint64_t last) {
  std::lock_guard<std::mutex> lock(checkpoint_mu_);
  if (checkpoint_of_ != applied_seq) checkpoint_last_ = 0;
  checkpoint_of_ = applied_seq;
  checkpoint_last_ = std::max(checkpoint_last_, last);
}

void Database::checkpoint_if_owed_locked(uint64_t seq) {
  // Whoever commits every kCheckpointEntries-th entry past Block 0's position owes the
  // checkpoint through it: one writer per position whichever node commits (a node writing
  // on a timer would repeat what the others wrote, knowing nothing of theirs). An owner that
  // dies leaves the next one to cover twice as many entries.
  if (!writes_checkpoints()) return;
  const uint64_t applied = snapshot()->block0->applied_seq;
  if (seq <= applied || (seq - applied) % kCheckpointEntries != 0) return;
  std::vector<std::shared_ptr<const Bytes>> held;
  held.reserve(seq - applied);
  for (uint64_t q = applied + 1; q <= seq; q++) {
    auto it = kept_entries_.find(q);
    if (it == kept_entries_.end()) return;  // applied before this node kept entries
    held.push_back(it->second);
  }
  // On the I/O pool: the commit returns now, and a merge under way on this node does not hold
  // it back (the entries committed meanwhile are what a cold open would otherwise read).
  std::lock_guard<std::mutex> lock(checkpoint_mu_);
  checkpoint_writes_.erase(std::remove_if(checkpoint_writes_.begin(), checkpoint_writes_.end(),
                                          [](const std::future<void> &f) {
                                            return f.wait_for(std::chrono::seconds(0)) ==
                                                   std::future_status::ready;
                                          }),
                           checkpoint_writes_.end());
  checkpoint_writes_.push_back(objects_.io().submit(
      [this, applied, seq, held = std::move(held)] { write_checkpoint(applied, seq, held); }));
}

void Database::write_checkpoint(uint64_t applied_seq, uint64_t last,
                                const std::vector<std::shared_ptr<const Bytes>> &held) {
  const std::string key = checkpoint_key(applied_seq);
  try {
    // One PUT at a time, so an older version never lands after a newer one.
    std::lock_guard<std::mutex> put_lock(checkpoint_put_mu_);
    if (checkpoint_through(applied_seq) >= last) return;
    std::vector<const Bytes *> entries;
    entries.reserve(held.size());
    for (const auto &e : held) entries.push_back(e.get());
    // Unconditional: every version holds a prefix of the same immutable entries, so whichever
    // a reader gets is right; a checkpoint of a position a merge passed meanwhile is garbage.
    storage_->put(key, encode_log_checkpoint(applied_seq, entries), PutCondition{});
    counters_.log_checkpoints++;
    note_checkpoint(applied_seq, last);
  } catch (const std::exception &e) {
    opts_.logger().log(LogLevel::kWarn, "engine",
                       "log checkpoint " + key + " not written: " + e.what() +
                           " (a cold open reads the log entries instead)");
  }
}

void Database::wait_for_checkpoints() {
  std::vector<std::future<void>> writes;
  {
    std::lock_guard<std::mutex> lock(checkpoint_mu_);
    writes.swap(checkpoint_writes_);
  }
  for (auto &f : writes) f.wait();
}

}  // namespace bucketdb
