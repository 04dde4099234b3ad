// Opening a database, its state transitions (apply a log entry, install a Block 0, catch up
// with the log) and the background write-forward service.
#include "core/engine/database.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <exception>

#include <nlohmann/json.hpp>

#include "core/codec/key_codec.h"
#include "core/engine/apply.h"
#include "core/engine/drop.h"
#include "core/engine/gc_plan.h"
#include "core/engine/merger.h"
#include "core/schema/evolution.h"
#include "core/util/error.h"
#include "core/util/json_text.h"
#include "core/util/sole_owner.h"

namespace bucketdb {

std::string Database::prefixed(const std::string &sub) const {
  return opts_.db_prefix + "/" + sub;
}
std::string Database::block0_key() const {
  return prefixed("block0");
}
std::string Database::contention_key() const {
  return prefixed("contended");
}
std::string Database::log_key(uint64_t seq) const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020" PRIu64, seq);
  return prefixed(opts_.committed_prefix + "/" + buf);
}
std::string Database::blob_key(const std::string &uuid) const {
  return prefixed(opts_.blob_prefix + "/" + uuid);
}
std::string Database::data_key(const std::string &table) const {
  return prefixed(opts_.data_prefix + "/" + table + "/" + hex_text(time_id(now_ms())));
}
std::string Database::index_node_key(const std::string &table, const std::string &field) const {
  return prefixed(opts_.index_prefix + "/" + table + "/" + field + "/" +
                  hex_text(time_id(now_ms())));
}
std::string Database::manifest_key(const std::string &table) const {
  return prefixed(opts_.manifest_prefix + "/" + table + "/" + hex_text(time_id(now_ms())));
}

uint64_t Database::now_ms() const {
  int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  return static_cast<uint64_t>(ms + opts_.clock_offset_ms);
}
uint64_t Database::steady_ms() const {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

uint64_t Database::coarse_ms() const {
#ifdef CLOCK_MONOTONIC_COARSE
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
#else
  return steady_ms();
#endif
}

bool Database::fresh_at(uint64_t now) const {
  if (force_refresh_.load(std::memory_order_relaxed)) return false;
  uint64_t checked = last_log_check_ms_.load(), read = block0_read_ms_.load();
  // A coarse reading may be earlier than a stamp the precise clock set (then: not fresh).
  return now >= checked && now - checked < opts_.read_staleness_ms && now >= read &&
         now - read < opts_.gc_grace_ms / 2;
}

Database::Database(std::unique_ptr<Storage> storage, const Options &opts)
    : opts_(opts),
      storage_(std::move(storage)),
      cache_(opts.max_memory_bytes),
      objects_(*storage_, cache_, opts.max_requests_in_flight) {
#ifdef CLOCK_MONOTONIC_COARSE
  timespec res{};
  if (clock_getres(CLOCK_MONOTONIC_COARSE, &res) != 0 || res.tv_sec != 0) return;
  // A tick of at most a twentieth of the staleness allowed, and of the half grace within
  // which Block 0 is read again: each at most 5% later.
  uint64_t ticks20_ms = static_cast<uint64_t>(res.tv_nsec) * 20 / 1000000;
  coarse_clock_ok_ = ticks20_ms <= opts_.read_staleness_ms && ticks20_ms <= opts_.gc_grace_ms / 2;
#endif
}

std::unique_ptr<Database> Database::open(const std::string &uri, const Options &options) {
  options.validate();
  Logger log = options.logger();
  std::unique_ptr<Database> db(new Database(Storage::open(uri, log), options));
  if (options.read_only)
    db->storage_->forbid_writes("the database is open read-only (option readOnly)");
  if (!db->storage_->conditional_put())
    log.log(LogLevel::kWarn, "engine",
            "storage " + uri +
                " has no conditional writes; commits fall back to timesharing and their "
                "safety then rests on clocks agreeing within about a second");
  {
    std::lock_guard<InterruptibleMutex> lock(db->write_mu_);
    db->load_initial_block0();
    db->catch_up_locked(kOpenLogWindow, /*probe_past_tail=*/true, kOpenLogGrowth,
                        /*one_window=*/false, /*with_checkpoint=*/true);
  }
  db->last_sweep_ms_ = db->steady_ms();
  if (options.auto_merge && !options.read_only)
    db->service_ = std::thread([d = db.get()] { d->service_loop(); });
  return db;
}

Database::~Database() {
  try {
    close();
  } catch (const std::exception &e) {
    opts_.logger().log(LogLevel::kError, "merge",
                       std::string("merge at close failed: ") + e.what());
  }
}

void Database::close() {
  if (closed_) return;
  closed_ = true;
  // A short-lived process (the command line, a serverless function) still keeps the log
  // short: its checkpoint PUTs under way land first, and the leader folds the log on the way
  // out when a merge is due.
  wait_for_checkpoints();
  std::exception_ptr failed;
  if (opts_.auto_merge && !opts_.read_only) {
    try {
      SnapshotPtr s = snapshot();
      if (s && is_leader(now_ms()) && merge_due(*s)) merge(true);
    } catch (...) {
      failed = std::current_exception();
    }
  }
  {
    std::lock_guard<std::mutex> lock(service_mu_);
    stopping_ = true;
  }
  service_cv_.notify_all();
  if (service_.joinable()) service_.join();
  if (failed) std::rethrow_exception(failed);
}

SnapshotPtr Database::snapshot() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return snap_;
}

SnapshotPtr Database::pinned(SnapshotPtr s, uint64_t generation) {
  if (generation == ~uint64_t{0}) generation = s->block0->generation;
  auto key = std::make_pair(generation, s->block0->applied_seq);
  {
    std::lock_guard<std::mutex> lock(pins_->mu);
    pins_->held.insert(key);
  }
  // The returned pointer shares ownership with a holder that drops the pin when the last
  // copy goes (the aliasing constructor keeps it pointing at the snapshot itself). The
  // holder owns the pin set too, so a snapshot may outlive this Database.
  struct Holder {
    Holder(SnapshotPtr s2, std::shared_ptr<Pins> p, std::pair<uint64_t, uint64_t> k)
        : snap(std::move(s2)), pins(std::move(p)), key(k) {}
    Holder(const Holder &) = delete;
    Holder &operator=(const Holder &) = delete;
    ~Holder() {
      std::lock_guard<std::mutex> lock(pins->mu);
      pins->held.erase(pins->held.find(key));
    }
    SnapshotPtr snap;
    std::shared_ptr<Pins> pins;
    std::pair<uint64_t, uint64_t> key;
  };
  auto holder = std::make_shared<Holder>(std::move(s), pins_, key);
  return SnapshotPtr(holder, holder->snap.get());
}

std::pair<uint64_t, uint64_t> Database::oldest_pin() const {
  std::lock_guard<std::mutex> lock(pins_->mu);
  if (pins_->held.empty()) return {~uint64_t{0}, ~uint64_t{0}};
  uint64_t seq = ~uint64_t{0};
  for (const auto &p : pins_->held) seq = std::min(seq, p.second);
  return {pins_->held.begin()->first, seq};
}

void Database::publish(SnapshotPtr s) {
  std::lock_guard<std::mutex> lock(state_mu_);
  published_generation_.store(s->block0->generation, std::memory_order_release);
  snap_ = std::move(s);
}

// Reads Block 0. A prefix without one is a new database only when it holds nothing else: a
// Block 0 lost beside the objects it named must never be replaced by an empty one, whose
// next garbage collection would delete them all.
void Database::load_initial_block0() {
  std::string key = block0_key();
  auto obj = storage_->get(key);
  if (!obj) {
    size_t held = storage_->list_all(prefixed("")).size();
    // Whoever creates a database writes its Block 0 before anything else: look again.
    if (held) obj = storage_->get(key);
    if (!obj && held)
      fail(BDB_E_CORRUPT, "Block 0 missing: " + key + " is not found, yet the database holds " +
                              std::to_string(held) + " objects under " + prefixed("") +
                              " (storage " + storage_->uri() +
                              "); nothing was changed. `bucketdb recover` rebuilds Block 0 "
                              "from them");
  }
  if (obj) {
    install_block0_locked(std::make_shared<Block0>(decode_block0(obj->data, key)), obj->etag);
    return;
  }
  if (!opts_.create_if_missing)
    fail(BDB_E_NOT_FOUND, "no database at " + storage_->uri() + " (" + key +
                              " not found); open it with createIfMissing to create one");
  // An empty state until the first write puts Block 0 (create_block0_locked).
  auto fresh = std::make_shared<Block0>();
  fresh->merge_time_ms = now_ms();
  install_block0_locked(fresh, "");
  creation_pending_ = true;
}

void Database::create_if_pending() {
  if (!creation_pending_.load()) return;
  std::lock_guard<InterruptibleMutex> lock(write_mu_);
  create_block0_locked();
}

void Database::create_block0_locked() {
  if (!creation_pending_) return;
  const std::string key = block0_key();
  auto install_theirs = [&](const StoredObject &obj) {
    install_block0_locked(std::make_shared<Block0>(decode_block0(obj.data, key)), obj.etag);
    creation_pending_ = false;
    catch_up_locked();
  };
  for (int attempt = 0; attempt < 5; attempt++) {
    if (timeshare()) {
      // Nothing would stop a put from replacing a Block 0 another node wrote while we waited
      // for our window: look again in it, and put only while it lasts.
      const uint64_t window = wait_for_own_window("creating the database");
      if (auto theirs = storage_->get(key)) return install_theirs(*theirs);
      if (!still_in_window(window)) continue;
    }
    auto fresh = std::make_shared<Block0>(*snapshot()->block0);
    std::string etag;
    if (storage_->put(key, encode_block0(*fresh), PutCondition{"", true}, &etag) ==
        PutOutcome::kOk) {
      install_block0_locked(fresh, etag);
      creation_pending_ = false;
      return;
    }
    // Another node created it first: read theirs.
    if (auto theirs = storage_->get(key)) return install_theirs(*theirs);
  }
  fail(BDB_E_IO, "cannot read or create " + key);
}

void Database::require_writable(const char *what) const {
  if (opts_.read_only)
    fail(BDB_E_INVALID, std::string(what) + ": the database is open read-only (option readOnly)");
}

// Makes `b0` the base of the state. Overlay rows it already holds (seq <= applied_seq) are
// dropped; newer ones stay. If it is ahead of our log position, the log position jumps to it.
void Database::install_block0_locked(const std::shared_ptr<const Block0> &b0,
                                     const std::string &etag, bool rewind) {
  SnapshotPtr old = snapshot();
  auto s = std::make_shared<Snapshot>();
  s->block0 = b0;
  s->block0_etag = etag;
  // Tables dropped on either side are not brought back (drop.cpp).
  s->schemas = schemas_with_block0(old.get(), *b0, block0_key());
  s->dropped = drops_after(old.get(), *b0);
  s->misc_high = std::max(old ? old->misc_high : 0, b0->misc_high);
  if (old && !rewind && old->last_seq > b0->applied_seq) {
    s->last_seq = old->last_seq;
    s->last_commit_id = old->last_commit_id;
    for (const auto &[table, ov] : old->overlays) {
      auto kept = std::make_shared<Overlay>();
      for (const auto &[k, row] : *ov)
        if (row->seq > b0->applied_seq) kept->emplace(k, row);
      if (!kept->empty()) s->overlays[table] = kept;
    }
    for (const auto &g : old->blob_garbage)
      if (g.first > b0->applied_seq) s->blob_garbage.push_back(g);
    // Entry counts are approximate after a rebase; they only steer when to merge.
    uint64_t left = old->last_seq - b0->applied_seq;
    s->unmerged_entries = std::min(old->unmerged_entries, left);
    s->unmerged_bytes = old->unmerged_entries
                            ? old->unmerged_bytes / old->unmerged_entries * s->unmerged_entries
                            : 0;
    s->first_unmerged_misc = 0;
    for (const auto &[table, ov] : s->overlays)
      for (const auto &[k, row] : *ov)
        if (!s->first_unmerged_misc || row->misc < s->first_unmerged_misc)
          s->first_unmerged_misc = row->misc;
  } else {
    s->last_seq = b0->applied_seq;
    // A Block 0 of format 1 does not know it; a node that applied that entry itself does.
    bool known = b0->applied_commit_id != Id128{};
    s->last_commit_id = known || !old || old->last_seq != b0->applied_seq ? b0->applied_commit_id
                                                                          : old->last_commit_id;
  }
  publish(s);
  block0_read_ms_ = steady_ms();
  trim_kept_locked();
}

void Database::refresh_block0_locked(bool force) {
  uint64_t age = steady_ms() - block0_read_ms_.load();
  if (!force && age < opts_.gc_grace_ms / 2) return;
  if (creation_pending_) {
    // Not written yet: another node may have created the database meanwhile.
    if (auto theirs = storage_->get(block0_key())) {
      install_block0_locked(std::make_shared<Block0>(decode_block0(theirs->data, block0_key())),
                            theirs->etag);
      creation_pending_ = false;
    }
    block0_read_ms_ = steady_ms();
    return;
  }
  SnapshotPtr s = snapshot();
  bool not_modified = false;
  auto obj = storage_->get_if_changed(block0_key(), s->block0_etag, &not_modified);
  if (not_modified) {
    block0_read_ms_ = steady_ms();
    return;
  }
  if (!obj)
    fail(BDB_E_CORRUPT,
         "Block 0 missing: " + block0_key() +
             " was deleted while the database was open; nothing was written or "
             "collected. `bucketdb recover` rebuilds it from the database's objects");
  auto b0 = std::make_shared<Block0>(decode_block0(obj->data, block0_key()));
  if (b0->generation < s->block0->generation)
    fail(BDB_E_CORRUPT, "object " + block0_key() + " went back from generation " +
                            std::to_string(s->block0->generation) + " to " +
                            std::to_string(b0->generation));
  if (b0->applied_seq < s->block0->applied_seq) {
    // Only a store without conditional writes lets a swap replace a newer one (a write that
    // ended after its writer's window). The entries between the two were dropped from this
    // view when the newer one was installed: read them again, or say they are gone.
    const Block0 &newer = *s->block0;
    if (newer.log_floor > b0->applied_seq)
      fail(BDB_E_CORRUPT,
           "object " + block0_key() + " went back from applied sequence " +
               std::to_string(newer.applied_seq) + " to " + std::to_string(b0->applied_seq) +
               " (another node's late write on a store without conditional writes) and log "
               "entries up to " +
               std::to_string(newer.log_floor) +
               " were already collected; `bucketdb recover` rebuilds Block 0 from the blocks");
    opts_.logger().log(LogLevel::kWarn, "engine",
                       "object " + block0_key() + " went back from applied sequence " +
                           std::to_string(newer.applied_seq) + " to " +
                           std::to_string(b0->applied_seq) + "; the log after it is read again");
    install_block0_locked(b0, obj->etag, /*rewind=*/true);
    catch_up_locked(kOpenLogWindow, /*probe_past_tail=*/true, kOpenLogGrowth);
    return;
  }
  install_block0_locked(b0, obj->etag);
}

bool Database::block0_moved_past_locked(uint64_t generation) {
  refresh_block0_locked(true);
  return snapshot()->block0->generation > generation;
}

bool Database::block0_moved_past(uint64_t generation) {
  std::lock_guard<InterruptibleMutex> lock(write_mu_);
  return block0_moved_past_locked(generation);
}

void Database::apply_locked(const LogEntry &e, Bytes object, bool own) {
  const size_t object_bytes = object.size();
  keep_entry_locked(e.seq, std::move(object));
  if (own) {
    checkpoint_if_owed_locked(e.seq);  // the entry has landed: a checkpoint may copy it
    // This node's own entry, built from rows it validated: when no reader holds the current
    // snapshot, change it where it is (a commit then costs its own rows, not a copy of every
    // unmerged row). Readers wait on state_mu_ meanwhile.
    std::lock_guard<std::mutex> lock(state_mu_);
    if (sole_owner(snap_) && e.seq == snap_->last_seq + 1) {
      apply_entry(const_cast<Snapshot &>(*snap_), e, log_key(e.seq), object_bytes, true);
      counters_.entries_applied++;
      return;
    }
  }
  SnapshotPtr old = snapshot();
  if (e.seq != old->last_seq + 1)
    fail(BDB_E_INTERNAL, "log entry " + std::to_string(e.seq) + " applied out of order after " +
                             std::to_string(old->last_seq));
  auto s = std::make_shared<Snapshot>(*old);
  apply_entry(*s, e, log_key(e.seq), object_bytes);
  counters_.entries_applied++;
  publish(s);
}

// The sequence-guessing loop: GET committed/{last+1}, {last+2}, ... until one is missing,
// `window` GETs in flight at a time, the window growing while every GET finds an entry (a
// reopen over k entries costs about log(k) + k/64 round trips, not k).
void Database::catch_up_locked(size_t window, bool probe_past_tail, size_t growth, bool one_window,
                               bool with_checkpoint) {
  // A node that does not lead merges still learns of the leader's merges when its committed
  // cache grows, so its memory stays bounded (one conditional GET, usually a 304).
  SnapshotPtr before = snapshot();
  bool big = before->unmerged_entries >= merge_threshold_entries();
  refresh_block0_locked(big &&
                        steady_ms() - block0_read_ms_.load() >= opts_.write_forward_interval_ms);
  const size_t widest = std::max<size_t>(objects_.max_in_flight(), 1);
  window = std::clamp<size_t>(window, 1, widest);
  // Every entry found is applied to one private copy of the state, published once: copying the
  // state for each entry would make a catch-up cost entries x rows.
  std::shared_ptr<Snapshot> next;
  auto publish_next = [&] {
    if (next) publish(std::move(next));
  };
  bool looked_once_more = false;
  std::string checkpoint;  // read with the first window only
  if (with_checkpoint && checkpoints_enabled())
    checkpoint = checkpoint_key(snapshot()->block0->applied_seq);
  try {
    for (;;) {
      const uint64_t from = (next ? next->last_seq : snapshot()->last_seq) + 1;
      std::vector<std::string> keys;
      for (size_t i = 0; i < window; i++) keys.push_back(log_key(from + i));
      std::vector<std::optional<StoredObject>> got;
      if (!checkpoint.empty()) {
        keys.push_back(checkpoint);
        got = objects_.get_all(keys);
        keys.pop_back();
        std::optional<StoredObject> c = std::move(got.back());
        got.pop_back();
        const std::string key = std::move(checkpoint);
        checkpoint.clear();
        if (c && apply_checkpoint_locked(*c, key, next)) {
          // The window read entries the checkpoint holds: read on past it. Fewer than
          // kCheckpointEntries follow a current checkpoint; a window one longer ends on two
          // misses, so the log's end is known without a probe past it (one GET more, one
          // round trip less when 7 follow).
          window = std::max<size_t>(window, std::min<size_t>(kCheckpointEntries + 1, widest));
          continue;
        }
      } else if (window == 1) {
        got.push_back(storage_->get(keys[0]));  // a freshness check: no thread hop
      } else {
        got = objects_.get_all(keys);
      }
      size_t found = 0;
      for (; found < got.size() && got[found]; found++) {
        const std::string &key = keys[found];
        LogEntry e = decode_log_entry(got[found]->data, key);
        if (e.seq != from + found)
          fail(BDB_E_CORRUPT,
               "corrupt object " + key + ": holds sequence " + std::to_string(e.seq));
        if (!next) next = std::make_shared<Snapshot>(*snapshot());
        apply_entry(*next, e, key, got[found]->data.size(), /*in_place=*/true);
        counters_.entries_applied++;
        keep_entry_locked(e.seq, std::move(got[found]->data));
        if (e.writer && e.writer != writer_id_) note_foreign_locked(e.writer, e.misc);
      }
      if (found == got.size()) {
        if (one_window) {
          publish_next();
          return;  // where the log ends is not known: no freshness stamp
        }
        // A freshness check that found an entry has usually found the only one: the next
        // look is one GET too (every miss is billed), then the window grows.
        if (window == 1 && !looked_once_more) {
          looked_once_more = true;
          continue;
        }
        window = std::min(window * growth, widest);
        continue;
      }
      // A missing entry followed by one that exists is a gap, not the end of the log. The
      // window shows what follows the miss for free; past the window's end an open looks once
      // more. The missing entry is looked at again: it may have landed between the reads.
      const uint64_t missing = from + found;
      uint64_t later = 0;  // the sequence of an entry found past the missing one
      for (size_t j = found + 1; j < got.size() && !later; j++)
        if (got[j]) later = from + j;
      if (!later && probe_past_tail && found + 1 == got.size() &&
          storage_->get(log_key(missing + 1)))
        later = missing + 1;
      if (!later) break;
      if (storage_->get(log_key(missing))) continue;  // it landed meanwhile: read on
      fail(BDB_E_CORRUPT, "gap in the log: " + log_key(missing) + " is missing but " +
                              log_key(later) +
                              " exists: a committed entry was lost. Nothing after it is "
                              "applied and no commit takes its number; `bucketdb recover` "
                              "tells what is missing");
    }
  } catch (...) {
    publish_next();  // what was applied before the failure stands
    throw;
  }
  publish_next();
  last_log_check_ms_ = steady_ms();
  log_complete_ms_ = last_log_check_ms_;
}

void Database::note_foreign_locked(uint64_t writer, uint64_t misc) {
  last_foreign_ms_ = steady_ms();
  note_rival_locked(writer, misc);
  if (foreign_misc_ && misc > foreign_misc_) {
    const uint64_t gap = misc - foreign_misc_;
    foreign_gap_ms_ = foreign_gap_ms_ ? (foreign_gap_ms_ * 3 + gap) / 4 : gap;
  }
  foreign_misc_ = std::max(foreign_misc_, misc);
}

void Database::note_rival_locked(uint64_t writer, uint64_t at) {
  uint64_t &newest = rivals_[writer];
  newest = std::max(newest, at);
  const uint64_t wall = now_ms();
  for (auto it = rivals_.begin(); it != rivals_.end();)
    it = it->second + kContendedForMs < wall ? rivals_.erase(it) : std::next(it);
  rival_count_ = rivals_.size();
}

size_t Database::expected_foreign_locked() const {
  const uint64_t seen = last_foreign_ms_.load(std::memory_order_relaxed);
  if (!foreign_gap_ms_ || !seen || !log_complete_ms_) return 0;
  const uint64_t now = steady_ms();
  // Writers that stopped stop counting: the gap is at least the time since the last entry.
  const uint64_t gap = std::max<uint64_t>({foreign_gap_ms_, now - seen, 1});
  const uint64_t since = now - std::min(now, log_complete_ms_);
  const uint64_t expected = (since + gap / 2) / gap;  // rounded
  return static_cast<size_t>(std::min<uint64_t>(expected, objects_.max_in_flight()));
}

void Database::ensure_fresh(bool for_commit) {
  // A read goes on when its view is fresh by the coarse clock, else by the precise one.
  if (!for_commit && ((coarse_clock_ok_ && fresh_at(coarse_ms())) || fresh_at(steady_ms()))) return;
  std::lock_guard<InterruptibleMutex> lock(write_mu_);
  if (for_commit) {
    refresh_block0_locked(false);
    return;
  }
  force_refresh_ = false;
  catch_up_locked();
}

void Database::refresh() {
  force_refresh_ = true;
}

namespace {

// The schemas a registration names: one JSON object, or an array of them.
std::vector<SchemaPtr> parse_schemas(const std::string &json) {
  std::vector<SchemaPtr> out;
  size_t first = json.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || json[first] != '[') {
    out.push_back(TableSchema::from_json(json));
    return out;
  }
  // Strict: nlohmann's own parser would keep the last of a duplicated key, silently.
  auto list = parse_json_text<nlohmann::ordered_json>(json, "schema");
  for (const auto &item : list) out.push_back(TableSchema::from_json(item.dump()));
  if (out.empty()) fail(BDB_E_SCHEMA, "schema: an empty array registers nothing");
  return out;
}

}  // namespace

void Database::register_schema(const std::string &json, bool allow_lossy) {
  require_writable("register schema");
  check_json_depth(json, "schema");
  std::vector<SchemaPtr> schemas = parse_schemas(json);
  ensure_fresh(false);
  // A registration is a log entry of its own, ordered with the writes, re-checked against
  // exact state at every attempt: every schema of it or none.
  commit_entry([&](const SnapshotPtr &s) {
    std::vector<LogOp> ops;
    std::shared_ptr<const SchemaSet> set = s->schemas;
    for (const SchemaPtr &sp : schemas) {
      SchemaPtr newest = set->find_newest(sp->name());
      if (newest && !set->version(sp->name(), sp->version())) {
        if (sp->version() < newest->version())
          fail(BDB_E_SCHEMA, "table " + sp->name() + " version " + std::to_string(sp->version()) +
                                 " is older than the registered version " +
                                 std::to_string(newest->version()) +
                                 "; reads use the newest version, so a new definition needs "
                                 "version " +
                                 std::to_string(newest->version() + 1));
        std::string refused = evolution_problem(*newest, *sp, allow_lossy);
        if (!refused.empty()) fail(BDB_E_SCHEMA, refused);
      }
      bool added = false;
      auto next = set->with(sp, &added);
      if (!added) continue;
      set = next;
      LogOp op;
      op.type = LogOp::kSchema;
      op.table = sp->name();
      op.schema_json = sp->canonical_json();
      ops.push_back(std::move(op));
    }
    return ops;
  });
}

std::string Database::schemas_json() {
  ensure_fresh(false);
  std::string out = "[";
  bool first = true;
  for (const auto &[table, versions] : snapshot()->schemas->tables())
    for (const auto &[v, s] : versions) {
      out += (first ? "" : ",") + s->canonical_json();
      first = false;
    }
  return out + "]";
}

SchemaPtr Database::table_schema(const std::string &table) {
  SchemaPtr s = snapshot()->schemas->find_newest(table);
  if (s) return s;
  {
    // Another node may have registered it a moment ago: look at the log before saying no.
    std::lock_guard<InterruptibleMutex> lock(write_mu_);
    catch_up_locked();
  }
  return snapshot()->schemas->newest(table);
}

bool Database::is_leader(uint64_t misc_ms) const {
  uint64_t window = misc_ms / opts_.write_forward_interval_ms;
  return window % opts_.ring_size == opts_.node_id;
}

bool Database::in_own_window(uint64_t now) const {
  const uint64_t interval = opts_.write_forward_interval_ms;
  // Usable: the first half of our window, so that a write delayed by a busy machine still
  // ends in it (the other half is the margin for delays and clock skew).
  return (now / interval) % opts_.ring_size == opts_.node_id && now % interval < interval / 2;
}

bool Database::still_in_window(uint64_t window) const {
  const uint64_t now = now_ms();
  return now / opts_.write_forward_interval_ms == window && in_own_window(now);
}

bool Database::landed_in_window(uint64_t window) const {
  const uint64_t now = now_ms(), interval = opts_.write_forward_interval_ms;
  return now / interval == window && now % interval < interval - interval / 4;
}

uint64_t Database::late_write_settled(const char *what) {
  counters_.timeshare_late_writes++;
  opts_.logger().log(
      LogLevel::kWarn, "engine",
      std::string(what) + " on " + storage_->uri() +
          " (no conditional writes) ended after this node's window; it is read back in the "
          "node's next window, once the node after it has had its turn");
  return wait_for_own_window(what);
}

uint64_t Database::wait_for_own_window(const char *what) {
  const uint64_t interval = opts_.write_forward_interval_ms, ring = opts_.ring_size;
  if (opts_.node_id >= ring)
    fail(BDB_E_INVALID, std::string(what) + ": storage " + storage_->uri() +
                            " has no conditional writes, so only nodes 0 to ringSize-1 may "
                            "write, each in its own window; this node (nodeId " +
                            std::to_string(opts_.node_id) + ", ringSize " + std::to_string(ring) +
                            ") has none");
  for (;;) {
    uint64_t now = now_ms(), window = now / interval, into = now % interval;
    if (in_own_window(now)) return window;
    uint64_t ahead = (opts_.node_id + ring - window % ring) % ring;
    if (ahead == 0) ahead = ring;
    uint64_t wait = ahead * interval - into;
    interruptible_sleep(std::chrono::milliseconds(wait),
                        (std::string("waiting for this node's window: ") + what).c_str());
  }
}

void Database::poke_service() {
  {
    std::lock_guard<std::mutex> lock(service_mu_);
    poked_ = true;
  }
  service_cv_.notify_all();
}

bool Database::merge_due(const Snapshot &s) const {
  if (background_work_pending(s)) return true;
  if (s.unmerged_entries == 0) return false;
  // An old tail is folded only when it is worth a merge's PUTs (about 75 GETs' price): a
  // tail of a few entries costs a cold open a few GETs, and folding it every
  // mergeIntervalMs was most of a quiet app's bill (README, "The log's length").
  return s.unmerged_entries >= merge_threshold_entries() ||
         s.unmerged_bytes >= opts_.merge_threshold_bytes ||
         (s.unmerged_entries >= worth_folding() &&
          now_ms() >= s.first_unmerged_misc + opts_.merge_interval_ms);
}

// The write-forward service. It looks only at local state, so an idle node sends nothing.
void Database::service_loop() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(service_mu_);
      uint64_t wait = std::min<uint64_t>(opts_.write_forward_interval_ms, 1000);
      service_cv_.wait_for(lock, std::chrono::milliseconds(wait),
                           [&] { return stopping_ || poked_; });
      if (stopping_) return;
      poked_ = false;
    }
    try {
      SnapshotPtr s = snapshot();
      // A leader starts no merge in the last quarter of its window: the next leader's work
      // would race with it (harmless, If-Match decides, but wasted requests).
      uint64_t now = now_ms(), interval = opts_.write_forward_interval_ms;
      bool early_in_window = now % interval < interval - interval / 4;
      if (merge_due(*s) && is_leader(now) && early_in_window) merge(true);
      s = snapshot();
      now = now_ms();
      const bool gc_due = collection_due(*s->block0, now, opts_.gc_grace_ms);
      // The orphan sweep lists the bucket: at most once a day per process.
      bool sweep_due = steady_ms() - last_sweep_ms_ >= 24ull * 3600 * 1000;
      if (gc_due && is_leader(now) &&
          steady_ms() - last_gc_ms_ >= opts_.write_forward_interval_ms) {
        last_gc_ms_ = steady_ms();
        gc(sweep_due);
      }
    } catch (const std::exception &e) {
      opts_.logger().log(LogLevel::kWarn, "merge",
                         std::string("write-forward service: ") + e.what() +
                             " (every commit is in the log: nothing is lost; tried again later)");
    }
  }
}

}  // namespace bucketdb
