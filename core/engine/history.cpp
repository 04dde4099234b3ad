// History queries: the state after a given log entry, rebuilt from a retained Block 0 state
// (the current one or a history point) plus the retained log entries after it.
#include <algorithm>
#include <functional>
#include <map>
#include <mutex>

#include "core/engine/apply.h"
#include "core/engine/database.h"
#include "core/engine/drop.h"
#include "core/engine/schema_history.h"
#include "core/util/error.h"

namespace bucketdb {

namespace {

struct Retained {
  std::string key;
  LogEntry entry;
  size_t bytes;
};
using Entries = std::vector<Retained>;
using KeptEntries = std::map<uint64_t, std::shared_ptr<const Bytes>>;

// A base state: where its blocks are, and the log position and time it stands for.
struct Base {
  uint64_t generation, applied_seq, misc_high;
  std::vector<std::pair<std::string, std::string>> manifests;
  TableVersions in_force;  // the newest version of each table at applied_seq
};

std::vector<Base> bases(const Block0 &b0, const std::string &block0_key) {
  std::vector<Base> out;
  for (const auto &h : b0.history)
    out.push_back(Base{h.generation, h.applied_seq, h.misc_high, h.manifests, {}});
  Base now{b0.generation, b0.applied_seq, b0.misc_high, {}, versions_of(b0, block0_key)};
  for (const auto &t : b0.tables) now.manifests.emplace_back(t.name, t.manifest_key);
  out.push_back(std::move(now));
  // A history point lists only the tables a newer version came to by the next merge; the
  // others had the version the next state has.
  std::map<std::string, uint32_t> versions(out.back().in_force.begin(), out.back().in_force.end());
  for (size_t i = b0.history.size(); i-- > 0;) {
    for (const auto &[table, version] : b0.history[i].versions) versions[table] = version;
    out[i].in_force.assign(versions.begin(), versions.end());
  }
  return out;
}

// The log entries after `after` up to `last`, or up to the last one stamped at or before
// `misc_limit` (a missing entry then ends them too): those this node keeps in memory, the rest
// read in windows with every GET of a window in flight together. When only a time marks the
// end, one GET at a time: never more requests than the entries up to it and one past.
Entries retained_entries(InterruptibleMutex &kept_mu, const KeptEntries &kept_all,
                         ObjectStore &objects, const std::function<std::string(uint64_t)> &log_key,
                         uint64_t after, uint64_t last, uint64_t misc_limit = ~uint64_t{0}) {
  const bool by_time = misc_limit != ~uint64_t{0};
  Entries out;
  KeptEntries kept;
  {
    // Not behind a merge or commit that holds the lock: then every entry is read instead.
    std::unique_lock<InterruptibleMutex> lock(kept_mu, std::try_to_lock);
    if (lock.owns_lock()) kept.insert(kept_all.lower_bound(after + 1), kept_all.upper_bound(last));
  }
  constexpr uint64_t kWidest = 256;  // bounds the bytes held at once
  const uint64_t window = by_time ? 1 : kWidest;
  for (uint64_t from = after + 1; from <= last; from += window) {
    const uint64_t to = std::min(last, from + window - 1);
    std::vector<std::string> wanted;
    for (uint64_t q = from; q <= to; q++)
      if (!kept.count(q)) wanted.push_back(log_key(q));
    std::vector<std::optional<StoredObject>> got = objects.get_all(wanted);
    size_t next = 0;
    for (uint64_t q = from; q <= to; q++) {
      std::string key = log_key(q);
      auto it = kept.find(q);
      std::shared_ptr<const Bytes> bytes;
      if (it != kept.end()) {
        bytes = it->second;
      } else if (std::optional<StoredObject> &obj = got[next++]) {
        bytes = std::make_shared<const Bytes>(std::move(obj->data));
      } else {
        if (by_time) return out;
        fail(BDB_E_NOT_FOUND,
             "history: log entry " + std::to_string(q) + " (" + key + ") is no longer retained");
      }
      LogEntry e = decode_log_entry(*bytes, key);
      if (e.misc > misc_limit) return out;
      out.push_back(Retained{std::move(key), std::move(e), bytes->size()});
    }
  }
  return out;
}

std::shared_ptr<Snapshot> replay_from(const Snapshot &cur, const Base &base,
                                      const Entries &entries) {
  auto s = std::make_shared<Snapshot>();
  auto b0 = std::make_shared<Block0>();
  b0->generation = base.generation;
  b0->applied_seq = base.applied_seq;
  b0->misc_high = base.misc_high;
  for (const auto &[table, key] : base.manifests) {
    TableRoot t;
    t.name = table;
    t.manifest_key = key;
    b0->tables.push_back(std::move(t));
  }
  s->block0 = b0;
  // The versions in force then (with tables dropped since given theirs back); the entries
  // replayed add those registered after the base.
  TableVersions in_force;  // not for a table dropped since: schemas_at gave it its own back
  for (const auto &tv : base.in_force) {
    bool dropped = false;
    for (const auto *drops : {&cur.block0->dropped, &cur.dropped})
      for (const DroppedTable &d : *drops)
        dropped |= d.name == tv.first && d.seq > base.applied_seq;
    if (!dropped) in_force.push_back(tv);
  }
  s->schemas = schemas_in_force(schemas_at(cur, base.applied_seq), in_force);
  s->last_seq = base.applied_seq;
  s->misc_high = base.misc_high;
  // In place: the snapshot is this call's alone, so each entry grows its overlays instead of
  // copying them (a copy per entry made 300 entries of 1,000 rows take seconds).
  for (const Retained &r : entries) apply_entry(*s, r.entry, r.key, r.bytes, /*in_place=*/true);
  return s;
}

}  // namespace

SnapshotPtr Database::snapshot_as_of_seq(uint64_t seq) {
  ensure_fresh(false);
  SnapshotPtr cur = snapshot();
  if (seq > cur->last_seq) {
    {
      // Another node may have written it a moment ago: look at the log before saying no.
      std::lock_guard<InterruptibleMutex> lock(write_mu_);
      catch_up_locked();
    }
    cur = snapshot();
    if (seq > cur->last_seq)
      fail(BDB_E_INVALID, "history: log position " + std::to_string(seq) +
                              " has not been written yet (the newest is " +
                              std::to_string(cur->last_seq) + ")");
  }
  if (seq >= cur->last_seq) return pinned(cur);
  std::vector<Base> all = bases(*cur->block0, block0_key());
  const Base *base = nullptr;
  for (const Base &b : all)
    if (b.applied_seq <= seq && (!base || b.applied_seq > base->applied_seq)) base = &b;
  uint64_t oldest = all.front().applied_seq;
  for (const Base &b : all) oldest = std::min(oldest, b.applied_seq);
  if (!base)
    fail(BDB_E_NOT_FOUND, "history: log position " + std::to_string(seq) +
                              " is no longer retained (the oldest retained is " +
                              std::to_string(oldest) + "; history lasts gcGraceMs)");
  auto key_of = [this](uint64_t q) { return log_key(q); };
  return pinned(replay_from(*cur, *base,
                            retained_entries(write_mu_, kept_entries_, objects_, key_of,
                                             base->applied_seq, seq)),
                base->generation);
}

SnapshotPtr Database::snapshot_as_of_time(uint64_t misc_ms) {
  ensure_fresh(false);
  SnapshotPtr cur = snapshot();
  if (misc_ms >= cur->misc_high) return pinned(cur);
  // The newest base at or before that time, then the entries stamped at or before it.
  const Base *base = nullptr;
  std::vector<Base> all = bases(*cur->block0, block0_key());
  for (const Base &b : all)
    if (b.misc_high <= misc_ms && (!base || b.applied_seq > base->applied_seq)) base = &b;
  if (!base)
    fail(BDB_E_NOT_FOUND, "history: time " + std::to_string(misc_ms) +
                              " ms is no longer retained (history lasts gcGraceMs)");
  auto key_of = [this](uint64_t q) { return log_key(q); };
  return pinned(replay_from(*cur, *base,
                            retained_entries(write_mu_, kept_entries_, objects_, key_of,
                                             base->applied_seq, cur->last_seq, misc_ms)),
                base->generation);
}

}  // namespace bucketdb
