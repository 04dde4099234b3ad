// The engine: one open database on one storage driver. Thread-safe.
//
// State is an immutable Snapshot published under a mutex; writers (commit, catch-up, merge
// installation, garbage collection) serialise on write_mu_ and publish a new one.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/engine/batch.h"
#include "core/engine/object_cache.h"
#include "core/engine/object_store.h"
#include "core/engine/options.h"
#include "core/engine/query.h"
#include "core/engine/snapshot.h"
#include "core/format/data_block.h"
#include "core/format/index_node.h"
#include "core/format/log_entry.h"
#include "core/format/manifest_page.h"
#include "core/storage/storage.h"
#include "core/util/error.h"
#include "core/util/interrupt.h"

namespace bucketdb {

// A row as stored: the schema version it was written with, its system columns, its bytes.
struct StoredRow {
  SchemaPtr schema;
  uint64_t seq = 0;
  uint64_t misc = 0;
  Values values;  // in `schema`'s layout
};

struct EngineCounters {
  std::atomic<uint64_t> commits{0}, commit_retries{0}, entries_applied{0}, merges{0},
      merges_lost{0}, merged_entries{0}, blocks_written{0}, gc_deleted{0}, blobs_uploaded{0},
      sort_runs_spilled{0}, index_plans_scanned{0}, contention_signalled{0}, contention_seen{0},
      timeshare_late_writes{0}, timeshare_lost_commits{0}, commit_lookaheads{0}, log_checkpoints{0},
      log_checkpoints_read{0};
};

class Database {
 public:
  static std::unique_ptr<Database> open(const std::string &uri, const Options &options);
  ~Database();  // close(), its failure logged
  Database(const Database &) = delete;
  Database &operator=(const Database &) = delete;

  // Stops the background service after the merge a leader runs at close when one is due;
  // throws what that merge threw (the log still holds every commit). Once only: later calls
  // do nothing. No other call may run during or after it.
  void close();

  const Options &options() const { return opts_; }
  // Calls in an InterruptScope of this (the C ABI's) stop at their next wait once interrupt()
  // is called (core/util/interrupt.h). Any thread, any time.
  Interrupter &interrupter() { return interrupter_; }
  void interrupt() { interrupter_.interrupt(); }
  // Sorted runs a query's sort wrote to temporary files (stats: engine.sortRunsSpilled).
  void count_sort_runs_spilled(uint64_t runs) { counters_.sort_runs_spilled += runs; }
  // Index plans whose keys outgrew the sort budget and ran as a scan instead
  // (stats: engine.indexPlansScanned).
  void count_index_plan_scanned() { counters_.index_plans_scanned++; }

  // Schemas.
  // A new version that could lose values of rows written before (a field dropped, narrowed
  // or retyped) is BDB_E_SCHEMA naming each field, unless `allow_lossy` (core/schema/evolution.h).
  void register_schema(const std::string &json, bool allow_lossy = false);
  std::string schemas_json();
  SchemaPtr table_schema(const std::string &table);  // newest; BDB_E_SCHEMA when unknown
  // A document from an encoded row of `version` of `table`, every value checked.
  Document document_from_row(const std::string &table, uint32_t version, std::string_view row,
                             std::string_view heap);

  // Drops (drop.cpp, SPEC section 3): a table, as a log entry of its own (BDB_E_SCHEMA when
  // unknown); an index, by registering the table's next version without it.
  void drop_table(const std::string &table);
  void drop_index(const std::string &table, const std::string &field);

  // Writes. Returns the log sequence number of the entry holding the batch.
  uint64_t commit(Batch &batch);

  // Reads.
  std::optional<Document> get(const Document &key_doc);
  std::unique_ptr<Cursor> query(const QuerySpec &q);  // honours q.as_of_*
  std::string explain(const QuerySpec &q);            // the plan and its estimated reads
  uint64_t count(const QuerySpec &q);
  std::string read_blob(const std::string &blob_id);

  // History (SPEC: immutable data gives an audit trail): the database as it was after log
  // entry `seq`, or after the last entry stamped at or before `misc_ms`, while the objects
  // that state needs are retained (gcGraceMs). BDB_E_NOT_FOUND when no longer retained.
  SnapshotPtr snapshot_as_of_seq(uint64_t seq);
  SnapshotPtr snapshot_as_of_time(uint64_t misc_ms);

  // Maintenance.
  uint64_t merge(bool only_if_leader = false);
  // sweep: also list the bucket for orphans (explicit calls do; the background rarely).
  uint64_t gc(bool sweep = true);
  void refresh();  // next read looks at the log
  std::string inspect_json(const std::string &what);
  std::string stats_json();
  // Reads and checks every object the current Block 0 reaches, and the unmerged log, straight
  // from storage; a JSON report naming each damaged object (verify.cpp).
  std::string verify_json();
  // The whole database as NDJSON: a header, every schema version, every row (export.cpp).
  // Returns the rows written.
  uint64_t export_ndjson(std::ostream &out);
  // Reads what export_ndjson wrote (`name` names it in messages): registers its schemas, then
  // inserts (or, with upsert, upserts) its rows, committing every batch_rows rows (0: all in
  // one batch). Returns the rows imported.
  uint64_t import_ndjson(std::istream &in, const std::string &name, uint64_t batch_rows,
                         bool upsert);

  // Keys of this database's objects.
  std::string block0_key() const;
  std::string log_key(uint64_t seq) const;
  // A writer losing races says so here (see signal_contention_locked).
  std::string contention_key() const;
  std::string blob_key(const std::string &uuid) const;
  // New (random) keys of a table's data block and manifest page (the merger's).
  std::string data_key(const std::string &table) const;
  std::string manifest_key(const std::string &table) const;
  // The log checkpoint of Block 0 position applied_seq (checkpoint.cpp).
  std::string checkpoint_key(uint64_t applied_seq) const;

  // For the read path (read.cpp) and tests.
  SnapshotPtr snapshot() const;
  // A snapshot for a reader: while any copy of it lives, garbage collection in this process
  // keeps every object its Block 0 generation references, whatever gcGraceMs says (other
  // processes are protected by the grace alone).
  SnapshotPtr pinned(SnapshotPtr s, uint64_t generation = ~uint64_t{0});
  // The oldest generation and log position a live reader of this process uses.
  std::pair<uint64_t, uint64_t> oldest_pin() const;
  std::shared_ptr<const DataBlock> load_block(const SnapshotPtr &snap, const std::string &table,
                                              const BlockRef &ref);
  // Block i of a cached manifest page: through the page's weak reference when the cache
  // still holds the block, which spares a lookup by key in the cache on every point read.
  // With `key` (a point lookup), its hash slot is fetched ahead.
  std::shared_ptr<const DataBlock> load_block(const SnapshotPtr &snap, const std::string &table,
                                              const ManifestPage &page, size_t i,
                                              std::string_view key = {});
  std::shared_ptr<const ManifestPage> load_manifest(const std::string &key);
  // Read-ahead: starts loading an object into the cache on the I/O pool without waiting;
  // a load of it meanwhile joins that request (ObjectStore).
  void prefetch_block(const SnapshotPtr &snap, const std::string &table, const BlockRef &ref);
  void prefetch_manifest(const std::string &key);
  void prefetch_index_node(const std::string &key);
  ObjectStore &objects() { return objects_; }
  // A table's manifest page (nullptr when it has no blocks), through the root's weak
  // reference while the cache holds the page.
  std::shared_ptr<const ManifestPage> load_manifest(const TableRoot &root);
  std::shared_ptr<const IndexNode> load_index_node(const std::string &key);
  // Child j of a cached internal node, through the parent's weak reference when cached.
  std::shared_ptr<const IndexNode> load_index_node(const IndexNode &parent, size_t j);
  void cache_block(const std::string &key, const std::shared_ptr<const DataBlock> &block) {
    cache_.put(key, block, block->byte_size(), &block->used);
  }
  // Writes a new (immutable) index node through `writes` and keeps it in the cache.
  void store_index_node(const std::string &key, std::shared_ptr<IndexNode> node,
                        ObjectStore::Writes &writes);
  std::string index_node_key(const std::string &table, const std::string &field) const;
  std::optional<StoredRow> lookup(const SnapshotPtr &snap, const std::string &table,
                                  const std::string &key);
  Storage &storage() { return *storage_; }
  bool is_leader(uint64_t misc_ms) const;
  bool merge_due_now() const { return merge_due(*snapshot()); }
  // Without conditional writes (SPEC section 4), only the node whose window it is may write
  // the log or Block 0: this waits for the start of this node's next usable window and
  // returns its number. A write checks that it goes out in the same window as the reads it
  // was built from (a slow merge must not write in this node's next window, a whole ring of
  // other nodes' writes later).
  bool timeshare() const { return !storage_->conditional_put(); }
  uint64_t wait_for_own_window(const char *what);
  bool still_in_window(uint64_t window) const;
  // Whether a write that started in `window` has ended in time: in the same window, before
  // its last quarter (the margin for clock skew). A later one may have crossed the next node's
  // reads; its writer looks again in its next window (late_write_settled).
  bool landed_in_window(uint64_t window) const;
  uint64_t late_write_settled(const char *what);
  // The first commit of a window is the one a late write of the node before may replace
  // after it was read back: in its next window the node reads it once more, and says so
  // loudly (log error, stats timeshareLostCommits) when it is gone.
  struct FirstInWindow {
    uint64_t window = 0, seq = 0;
    Id128 commit_id{};
  };
  FirstInWindow first_in_window_;  // write_mu_
  void recheck_first_in_window_locked(uint64_t window);
  bool in_own_window(uint64_t misc_ms) const;

 private:
  Database(std::unique_ptr<Storage> storage, const Options &opts);
  void load_initial_block0();
  // A database opened with createIfMissing where none exists gets its Block 0 with its first
  // write (commit, schema, drop): a read of a mistyped path writes nothing.
  void create_if_pending();
  void create_block0_locked();
  ObjectStore::Fetch manifest_fetch(const std::string &key);
  ObjectStore::Fetch index_node_fetch(const std::string &key);
  ObjectStore::Fetch block_fetch(const SnapshotPtr &snap, const std::string &table,
                                 const BlockRef &ref);
  // BDB_E_INVALID naming `what` when the database is open read-only.
  void require_writable(const char *what) const;
  std::optional<Document> get_in(const SnapshotPtr &snap, const Document &key_doc);
  std::unique_ptr<Cursor> query_once(const QuerySpec &q);
  void publish(SnapshotPtr s);
  // Writers, with write_mu_ held.
  // Reads the log past what this node has applied, `window` GETs in flight at first (1 for a
  // freshness check, where the log usually has nothing new). probe_past_tail: also look one
  // entry past the first missing one when the window does not, which tells a lost entry from
  // the end of the log (an open pays that GET).
  // The window grows `growth` times while every GET finds an entry.
  // one_window: read one window only; when every GET finds an entry, stop there without
  // learning where the log ends (a commit's put-if-absent then tells).
  // with_checkpoint: the first window also reads the log checkpoint of Block 0's position
  // (an open: the tail in one GET instead of one per entry).
  void catch_up_locked(size_t window = 1, bool probe_past_tail = false, size_t growth = 2,
                       bool one_window = false, bool with_checkpoint = false);
  // An open reads the next entry and the one after (the probe) together, then 8, 32, 64 at a
  // time: a quiet log costs Block 0 and 2 GETs in 2 round trips, a tail of 32 entries
  // without a checkpoint 43 GETs in 4. Every miss is a GET billed, so the first window is small.
  static constexpr size_t kOpenLogWindow = 2;
  static constexpr size_t kOpenLogGrowth = 4;
  // After a lost race the entry that won is there, and usually little more.
  static constexpr size_t kLostRaceLogWindow = 2;
  // Other writers' entries this node expects to have landed since it last knew the whole log,
  // from the gaps between their commit times: a commit reads that many first (one window, in
  // flight together) instead of losing a race for each (a lost race is a refused PUT, billed,
  // and a round trip more). 0 when nobody else writes.
  size_t expected_foreign_locked() const;
  // An entry of another writer, committed at wall time `misc`.
  void note_foreign_locked(uint64_t writer, uint64_t misc);
  // Another writer committed, or said it loses races, at wall time `at` (rivals_).
  void note_rival_locked(uint64_t writer, uint64_t at);
  void refresh_block0_locked(bool force);
  // `rewind`: forget the log past b0 (it is read again), for a Block 0 behind the last one.
  void install_block0_locked(const std::shared_ptr<const Block0> &b0, const std::string &etag,
                             bool rewind = false);
  void apply_locked(const LogEntry &e, Bytes object, bool own = false);
  // Log checkpoints (checkpoint.cpp; docs/SPEC.md section 3): the unmerged log in one object
  // that a cold open reads in one GET. Only on stores with conditional writes (an entry a
  // timeshare store let another node overwrite must not be copied); written by a writable
  // handle with autoMerge, read by every open.
  bool checkpoints_enabled() const;
  bool writes_checkpoints() const;
  // Keeps an unmerged entry's bytes for the next checkpoint; trim drops what Block 0 folded.
  void keep_entry_locked(uint64_t seq, Bytes object);
  void trim_kept_locked();
  // Applies a checkpoint read with the log's first window to `next`; false (logged) when it
  // cannot be used, and the log entries are read instead.
  bool apply_checkpoint_locked(const StoredObject &obj, const std::string &key,
                               std::shared_ptr<Snapshot> &next);
  // After this node's own entry `seq` landed: when it is a multiple of kCheckpointEntries past
  // Block 0's position, starts the checkpoint through it on the I/O pool.
  void checkpoint_if_owed_locked(uint64_t seq);
  // One checkpoint PUT (on the I/O pool; a failure is logged: the entries stay in the log).
  void write_checkpoint(uint64_t applied_seq, uint64_t last,
                        const std::vector<std::shared_ptr<const Bytes>> &held);
  // Waits for the checkpoint PUTs under way (a close).
  void wait_for_checkpoints();
  // The newest entry a checkpoint of `applied_seq` this node wrote or read holds (0: none).
  uint64_t checkpoint_through(uint64_t applied_seq) const;
  void note_checkpoint(uint64_t applied_seq, uint64_t last);
  // Wakes the write-forward service (a merge is due).
  void poke_service();
  // A cold open over a tail of fewer entries than this reads them in the window after the
  // checkpoint; a checkpoint (one PUT, 12.5 GETs' price) is written by whoever commits each
  // kCheckpointEntries-th entry past Block 0's position.
  static constexpr uint64_t kCheckpointEntries = 8;
  void ensure_fresh(bool for_commit);
  // Whether the store's Block 0 is newer than `generation` (re-reading it). An object missing
  // under an older Block 0 was merged and collected by another node, not lost.
  bool block0_moved_past_locked(uint64_t generation);
  bool block0_moved_past(uint64_t generation);
  // Runs a read again, on a fresh Block 0, when what its snapshot named was collected by
  // another process while it ran (possible when a read outlasts gcGraceMs).
  template <class Read>
  auto retry_if_collected(Read &&read) -> decltype(read()) {
    for (int attempt = 0;; attempt++) {
      uint64_t generation = published_generation_.load(std::memory_order_acquire);
      try {
        return read();
      } catch (const MissingObject &) {
        if (attempt >= 3 || !block0_moved_past(generation)) throw;
      }
    }
  }
  // Writes one log entry with put-if-absent at the next sequence number. `resolve` computes
  // the entry's effects against exact state; on a lost race the node catches up and calls it
  // again. An empty result commits nothing. Returns the entry's sequence number (or the
  // current one when nothing was written).
  uint64_t commit_entry(const std::function<std::vector<LogOp>(const SnapshotPtr &)> &resolve);
  // The resolved effects of one batch against `s` plus the rows earlier batches of the same
  // group changed (`group`, updated on success). `seq` is the entry's sequence number.
  std::vector<LogOp> resolve_batch(const SnapshotPtr &s, const Batch &batch, GroupRows &group,
                                   uint64_t seq);
  struct QueuedCommit;
  // Batches one log entry carries at most.
  static constexpr size_t kMaxGroup = 1024;
  // Writes the group as one entry; batches queued while it loses races join it.
  void write_group(std::vector<QueuedCommit *> &group);
  void pace_group(std::unique_lock<std::mutex> &lock);
  // Queued (queue_mu_ held in `lock`): waits until `me` was written by a group, writing the
  // group itself when no other thread does. BDB_E_INTERRUPTED (and `me` out of the queue)
  // when interrupted before a group writer took it.
  void wait_for_group(std::unique_lock<std::mutex> &lock, QueuedCommit &me);
  void upload_blobs(const Batch &batch);
  void delete_uploaded_blobs(const Batch &batch);
  // Deletes objects no Block 0 references that are older than the grace: orphans of lost
  // merges, of crashed writers, of commits that never landed. Lists the bucket: run rarely.
  uint64_t sweep_orphans_locked(const SnapshotPtr &s);
  // Deletes objects concurrently; failures are left for the orphan sweep.
  void delete_quietly(const std::vector<std::string> &keys);
  uint64_t now_ms() const;     // wall clock
  uint64_t steady_ms() const;  // monotonic
  // The monotonic clock's coarse reading: no clock read of its own, up to a tick behind; used
  // only when the staleness allowed is long enough that a tick more does not matter
  // (coarse_clock_ok_).
  uint64_t coarse_ms() const;
  // Whether a read at `now` may go on without looking at the log or Block 0.
  bool fresh_at(uint64_t now) const;
  void service_loop();
  bool merge_due(const Snapshot &s) const;
  // mergeThresholdEntries, or its default for this store.
  uint64_t merge_threshold_entries() const {
    if (opts_.merge_threshold_entries) return opts_.merge_threshold_entries;
    return checkpoints_enabled() ? kMergeThresholdWithCheckpoints : kMergeThresholdWithout;
  }
  static constexpr uint64_t kMergeThresholdWithCheckpoints = 1024, kMergeThresholdWithout = 128;
  // The shortest tail worth a merge's PUTs: a quarter of mergeThresholdEntries.
  uint64_t worth_folding() const { return std::max<uint64_t>(1, merge_threshold_entries() / 4); }
  std::string prefixed(const std::string &sub) const;

  Options opts_;
  Interrupter interrupter_;
  std::unique_ptr<Storage> storage_;
  ObjectCache cache_;
  ObjectStore objects_;  // after storage_ and cache_, which its I/O threads use
  EngineCounters counters_;

  mutable std::mutex state_mu_;
  SnapshotPtr snap_;
  // snap_'s Block 0 generation, for retry_if_collected to read without state_mu_ (a point
  // read's hot path).
  std::atomic<uint64_t> published_generation_{0};
  // Interruptible: a call behind a slow merge or commit gives up when interrupted.
  InterruptibleMutex write_mu_;
  InterruptibleMutex merge_mu_;
  std::atomic<uint64_t> last_log_check_ms_{0};  // steady
  std::atomic<uint64_t> block0_read_ms_{0};     // steady
  std::atomic<bool> force_refresh_{false};
  std::atomic<bool> creation_pending_{false};  // Block 0 not yet written (set under write_mu_)
  bool coarse_clock_ok_ = false;               // see coarse_ms

  // Group commit: batches committed concurrently wait here; one thread writes them all.
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::vector<QueuedCommit *> queue_;
  bool group_writer_active_ = false;
  bool gathering_ = false;           // a group writer waits for the queue to fill (pace_group)
  size_t last_group_size_ = 0;       // batches in the last group
  std::atomic<uint64_t> put_ms_{0};  // a commit PUT's round trip, smoothed (0: none yet)
  // When this node last applied an entry another writer wrote, or learnt from the contention
  // object that one is losing races (steady ms; 0: never).
  std::atomic<uint64_t> last_foreign_ms_{0};
  // Rivals: the other writers that committed (or said they lose races) in the last
  // kContendedForMs by their commit times (write_mu_: writer -> wall ms), how many (read by
  // pace_group), and when this node last knew the log contended: it lost a race, or the
  // contention object said another writer loses (steady ms; 0: never).
  std::map<uint64_t, uint64_t> rivals_;
  std::atomic<size_t> rival_count_{0};
  std::atomic<uint64_t> contended_ms_{0};
  // The writer that wins every race sees no entry of the others, so it would never pace its
  // groups (pace_group): a writer that lost two races in a row says so in one small object
  // (contention_key, at most once per kSignalEveryMs), and a writer that keeps winning looks
  // at that object every kCheckEveryWins commits made back to back (a conditional GET,
  // usually a 304; a writer that pauses between commits never looks).
  static constexpr uint64_t kSignalEveryMs = 2000;
  static constexpr uint64_t kMaxSitOutMs = 2000;  // pace_group's wait on a contended log
  static constexpr uint64_t kCheckEveryWins = 16;
  void signal_contention_locked();
  void check_contention_locked();
  uint64_t signalled_ms_ = 0;  // write_mu_: when this handle last wrote the object
  static constexpr uint64_t kBackToBackMs = 20;  // or two round trips, the longer
  uint64_t last_win_ms_ = 0;                     // write_mu_: when this handle's last commit landed
  uint64_t wins_unchecked_ = 0;  // write_mu_: commits since the object was last looked at
  std::string contention_etag_;  // write_mu_: its ETag when last looked at
  // write_mu_: the commit time (misc) of the last entry another writer wrote that this node
  // applied, the gaps between such entries (smoothed), and when this node last knew it had
  // every entry of the log (steady ms: a catch-up that met the end, or its own commit).
  uint64_t foreign_misc_ = 0, foreign_gap_ms_ = 0, log_complete_ms_ = 0;
  // write_mu_: the bytes of every unmerged entry applied (seq -> object), for checkpoints.
  std::map<uint64_t, std::shared_ptr<const Bytes>> kept_entries_;
  // checkpoint_mu_: the newest checkpoint this node wrote or read (of Block 0 position
  // checkpoint_of_, through entry checkpoint_last_), and the checkpoint PUTs under way.
  mutable std::mutex checkpoint_mu_;
  uint64_t checkpoint_of_ = 0, checkpoint_last_ = 0;
  std::vector<std::future<void>> checkpoint_writes_;
  std::mutex checkpoint_put_mu_;                      // held across a checkpoint PUT
  static constexpr uint64_t kContendedForMs = 10000;  // how long a hint stays news
  const uint64_t writer_id_ = random_u64() | 1;       // names this handle in its log entries

  struct Pins {
    std::mutex mu;
    std::multiset<std::pair<uint64_t, uint64_t>> held;  // (generation, applied_seq)
  };
  std::shared_ptr<Pins> pins_ = std::make_shared<Pins>();

  std::thread service_;
  std::mutex service_mu_;
  std::condition_variable service_cv_;
  bool stopping_ = false;
  bool poked_ = false;  // service_mu_
  bool closed_ = false;
  uint64_t last_gc_ms_ = 0;
  uint64_t last_sweep_ms_ = 0;
};

}  // namespace bucketdb
