// History queries: the state after a given log entry, rebuilt from a retained Block 0 state
// (the current one or a history point) plus the retained log entries after it.
#include <algorithm>

#include "core/engine/apply.h"
#include "core/engine/database.h"
#include "core/engine/drop.h"
#include "core/util/error.h"

namespace bucketdb {

namespace {

// A base state: where its blocks are, and the log position and time it stands for.
struct Base {
  uint64_t generation, applied_seq, misc_high;
  std::vector<std::pair<std::string, std::string>> manifests;
};

std::vector<Base> bases(const Block0 &b0) {
  std::vector<Base> out;
  for (const auto &h : b0.history)
    out.push_back(Base{h.generation, h.applied_seq, h.misc_high, h.manifests});
  Base now{b0.generation, b0.applied_seq, b0.misc_high, {}};
  for (const auto &t : b0.tables) now.manifests.emplace_back(t.name, t.manifest_key);
  out.push_back(std::move(now));
  return out;
}

}  // namespace

SnapshotPtr Database::snapshot_as_of_seq(uint64_t seq) {
  ensure_fresh(false);
  SnapshotPtr cur = snapshot();
  if (seq > cur->last_seq) {
    {
      // Another node may have written it a moment ago: look at the log before saying no.
      std::lock_guard<std::mutex> lock(write_mu_);
      catch_up_locked();
    }
    cur = snapshot();
    if (seq > cur->last_seq)
      fail(BDB_E_INVALID, "history: log position " + std::to_string(seq) +
                              " has not been written yet (the newest is " +
                              std::to_string(cur->last_seq) + ")");
  }
  if (seq >= cur->last_seq) return pinned(cur);
  std::vector<Base> all = bases(*cur->block0);
  const Base *base = nullptr;
  for (const Base &b : all)
    if (b.applied_seq <= seq && (!base || b.applied_seq > base->applied_seq)) base = &b;
  uint64_t oldest = all.front().applied_seq;
  for (const Base &b : all) oldest = std::min(oldest, b.applied_seq);
  if (!base)
    fail(BDB_E_NOT_FOUND, "history: log position " + std::to_string(seq) +
                              " is no longer retained (the oldest retained is " +
                              std::to_string(oldest) + "; history lasts gcGraceMs)");
  auto s = std::make_shared<Snapshot>();
  auto b0 = std::make_shared<Block0>();
  b0->generation = base->generation;
  b0->applied_seq = base->applied_seq;
  b0->misc_high = base->misc_high;
  for (const auto &[table, key] : base->manifests) {
    TableRoot t;
    t.name = table;
    t.manifest_key = key;
    b0->tables.push_back(std::move(t));
  }
  s->block0 = b0;
  // The current versions (a superset is fine), with tables dropped since given theirs back.
  s->schemas = schemas_at(*cur, base->applied_seq);
  s->last_seq = base->applied_seq;
  s->misc_high = base->misc_high;
  for (uint64_t q = base->applied_seq + 1; q <= seq; q++) {
    std::string key = log_key(q);
    auto obj = storage_->get(key);
    if (!obj)
      fail(BDB_E_NOT_FOUND,
           "history: log entry " + std::to_string(q) + " (" + key + ") is no longer retained");
    LogEntry e = decode_log_entry(obj->data, key);
    apply_entry(*s, e, key, obj->data.size());
  }
  return pinned(s, base->generation);
}

SnapshotPtr Database::snapshot_as_of_time(uint64_t misc_ms) {
  ensure_fresh(false);
  SnapshotPtr cur = snapshot();
  if (misc_ms >= cur->misc_high) return pinned(cur);
  // The newest base at or before that time, then the entries stamped at or before it.
  const Base *base = nullptr;
  std::vector<Base> all = bases(*cur->block0);
  for (const Base &b : all)
    if (b.misc_high <= misc_ms && (!base || b.applied_seq > base->applied_seq)) base = &b;
  if (!base)
    fail(BDB_E_NOT_FOUND, "history: time " + std::to_string(misc_ms) +
                              " ms is no longer retained (history lasts gcGraceMs)");
  uint64_t seq = base->applied_seq;
  for (uint64_t q = seq + 1; q <= cur->last_seq; q++) {
    std::string key = log_key(q);
    auto obj = storage_->get(key);
    if (!obj) break;
    if (decode_log_entry(obj->data, key).misc > misc_ms) break;
    seq = q;
  }
  return snapshot_as_of_seq(seq);
}

}  // namespace bucketdb
