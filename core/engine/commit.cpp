// The write path: resolve a batch against exact state, upload its blobs, and write it as one
// log entry with put-if-absent at the next sequence number (SPEC section 4).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <thread>

#include "core/codec/json_values.h"
#include "core/codec/key_codec.h"
#include "core/codec/row_codec.h"
#include "core/codec/value_check.h"
#include "core/engine/database.h"
#include "core/format/envelope.h"
#include "core/util/error.h"

namespace bucketdb {

void Batch::stage(StagedOp::Kind kind, const Document &doc) {
  if (kind == StagedOp::kInsert) {
    // A blob belongs to exactly one row (so deleting the row may delete the blob): a new row
    // brings its blobs' bytes, never another row's blob id.
    const TableSchema &s = doc.schema();
    for (size_t i = 0; i < s.fields().size(); i++)
      if (s.field(i).type_id == BDB_TYPE_BLOB && doc.is_set(i) && !is_null(doc.get(i)) &&
          !doc.pending_blobs().count(i))
        fail(BDB_E_TYPE, "insert into " + s.name() + ", field '" + s.field(i).name +
                             "': a blob belongs to one row; give its bytes ({\"base64\": ...}) "
                             "instead of the id of an existing blob");
  }
  ops.push_back(StagedOp{kind, doc, false, 0, false});
}

namespace {

std::string key_text(const TableSchema &s, const Value &v) {
  return value_to_json(s.primary_key_field(), v)
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Blob ids a document names without bringing bytes must be the ones the row already holds.
void check_blob_ownership(const Document &doc, const PendingRow &cur, const std::string &what) {
  const TableSchema &s = doc.schema();
  for (size_t i = 0; i < s.fields().size(); i++) {
    if (s.field(i).type_id != BDB_TYPE_BLOB || !doc.is_set(i) || is_null(doc.get(i)) ||
        doc.pending_blobs().count(i))
      continue;
    bool owned = false;
    if (cur.exists) {
      int j = cur.schema->field_index(s.field(i).name);
      owned = j >= 0 && cur.values[static_cast<size_t>(j)] == doc.get(i);
    }
    if (!owned)
      fail(BDB_E_TYPE, what + ", field '" + s.field(i).name + "': blob " +
                           uuid_text(std::get<Id128>(doc.get(i))) +
                           " is not this row's; a blob belongs to one row, so give its bytes "
                           "({\"base64\": ...}) to store a copy");
  }
}

// A patch's fields (named in `doc`) laid over the current row, in the newer of the two
// versions so that a writer with an older schema never drops fields it does not know.
Values patched(const PendingRow &cur, const Document &doc, SchemaPtr *out_schema,
               const std::string &what) {
  SchemaPtr target = cur.schema->version() > doc.schema().version() ? cur.schema : doc.schema_ptr();
  Values merged = convert_values(*cur.schema, cur.values, *target);
  const TableSchema &ds = doc.schema();
  for (size_t i = 0; i < ds.fields().size(); i++) {
    if (!doc.is_set(i)) continue;
    const Field &from = ds.field(i);
    int j = target->field_index(from.name);
    if (j < 0)
      fail(BDB_E_SCHEMA, "patch " + what + ": field '" + from.name + "' no longer exists in " +
                             target->name() + " version " + std::to_string(target->version()));
    const Field &to = target->field(static_cast<size_t>(j));
    Value v = convert_value(from, to, doc.get(i));
    if (is_null(v) && !is_null(doc.get(i)))
      fail(BDB_E_TYPE, "patch " + what + ": the value of '" + from.name + "' does not fit " +
                           to.type->name + " in version " + std::to_string(target->version()));
    merged[static_cast<size_t>(j)] = std::move(v);
  }
  *out_schema = target;
  return merged;
}
}  // namespace

std::vector<LogOp> Database::resolve_batch(const SnapshotPtr &s, const Batch &batch,
                                           GroupRows &group, uint64_t seq) {
  GroupRows state;  // this batch's view; merged into `group` only if the batch succeeds
  std::vector<std::pair<std::string, std::string>> order;
  for (const StagedOp &op : batch.ops) {
    const Document &doc = op.doc;
    const SchemaPtr &schema = doc.schema_ptr();
    const std::string &table = schema->name();
    SchemaPtr own = s->schemas->version(table, schema->version());
    if (!s->schemas->find_newest(table))
      fail(BDB_E_SCHEMA, "unknown table '" + table + "' (it was dropped)");
    if (!own || own->canonical_json() != schema->canonical_json())
      fail(BDB_E_SCHEMA, "a document of table " + table + " version " +
                             std::to_string(schema->version()) +
                             " does not match this database's definition of it (was it made "
                             "by another database?)");
    size_t pk = schema->primary_key();
    if (!doc.is_set(pk) || is_null(doc.get(pk)))
      fail(BDB_E_INVALID, "table " + table + ": the primary key '" +
                              schema->primary_key_field().name + "' is missing");
    std::string key = encode_key(*schema->primary_key_field().type, doc.get(pk));
    auto id = std::make_pair(table, key);
    // Whether this operation must know the row as it is: preconditions, inserts, patches,
    // and blob ids the document names without bytes.
    bool names_blobs = false;
    for (size_t i = 0; i < schema->fields().size() && !names_blobs; i++)
      names_blobs = schema->field(i).type_id == BDB_TYPE_BLOB && doc.is_set(i) &&
                    !is_null(doc.get(i)) && !doc.pending_blobs().count(i);
    bool needs_row = op.has_expected || op.must_exist || op.kind == StagedOp::kInsert ||
                     op.kind == StagedOp::kPatch || names_blobs;
    auto it = state.find(id);
    if (it == state.end()) {
      PendingRow p;
      auto g = group.find(id);
      if (g != group.end()) {
        // Written by an earlier batch of this entry: its version will be this entry's seq.
        p = g->second;
        p.before_unknown = false;
        p.existed_before = p.exists;
        p.version_before = p.exists ? seq : 0;
      } else {
        p.known = false;
      }
      it = state.emplace(id, std::move(p)).first;
      order.push_back(id);
    }
    PendingRow &p = it->second;
    if (!p.known && needs_row) {
      // Only the first operation on a key can find it unknown; later ones see its result.
      if (auto row = lookup(s, table, key)) {
        p.exists = p.existed_before = true;
        p.version_before = row->seq;
        p.schema = row->schema;
        p.values = std::move(row->values);
      }
      p.known = true;
    }
    std::string what = table + " " + key_text(*schema, doc.get(pk));
    if (op.has_expected && p.version_before != op.expected_version)
      fail(BDB_E_CONFLICT,
           what + ": expected version " + std::to_string(op.expected_version) + ", found " +
               (p.existed_before ? std::to_string(p.version_before) : std::string("no row")));
    if (op.must_exist && !p.exists)
      fail(BDB_E_NOT_FOUND,
           (op.kind == StagedOp::kDelete ? "delete from " : "") + what + ": no such row");
    switch (op.kind) {
      case StagedOp::kInsert:
        if (p.exists)
          fail(BDB_E_EXISTS, "insert into " + what + ": the primary key already exists");
        [[fallthrough]];
      case StagedOp::kUpdate:
        check_blob_ownership(doc, p, what);
        if (!p.known) p.before_unknown = true;
        p.known = true;
        p.exists = true;
        p.schema = schema;
        p.values = doc.values();
        break;
      case StagedOp::kPatch: {
        if (!p.exists) fail(BDB_E_NOT_FOUND, "patch " + what + ": no such row");
        check_blob_ownership(doc, p, what);
        SchemaPtr target;
        p.values = patched(p, doc, &target, what);
        p.schema = target;
        break;
      }
      case StagedOp::kDelete:
        if (!p.known) p.before_unknown = true;  // log the delete: the row may exist
        p.known = true;
        p.exists = false;
        break;
    }
  }
  std::vector<LogOp> ops;
  for (const auto &id : order) {
    const PendingRow &p = state[id];
    LogOp op;
    op.table = id.first;
    op.key = id.second;
    if (p.exists) {
      op.type = LogOp::kPut;
      op.schema_version = p.schema->version();
      encode_row(*p.schema, p.values, op.fixed, op.heap);
    } else if (p.existed_before || p.before_unknown) {
      op.type = LogOp::kDelete;
    } else {
      continue;
    }
    ops.push_back(std::move(op));
  }
  for (auto &[id, p] : state) group[id] = std::move(p);
  return ops;
}

void Database::upload_blobs(const Batch &batch) {
  for (const StagedOp &op : batch.ops) {
    for (const auto &[field, bytes] : op.doc.pending_blobs()) {
      std::string id = uuid_text(std::get<Id128>(op.doc.get(field)));
      // Put-if-absent: a fresh random id never exists, unless a retried put already landed.
      // The payload starts with the upload time: the orphan sweep reads it.
      Bytes obj = begin_object();
      Writer w(obj);
      w.u64(now_ms());
      w.raw(bytes.data(), bytes.size());
      seal_in_place(ObjectKind::kBlob, obj);
      storage_->put(blob_key(id), obj, PutCondition{"", true});
      counters_.blobs_uploaded++;
    }
  }
}

void Database::delete_uploaded_blobs(const Batch &batch) {
  for (const StagedOp &op : batch.ops)
    for (const auto &[field, bytes] : op.doc.pending_blobs()) {
      try {
        storage_->del(blob_key(uuid_text(std::get<Id128>(op.doc.get(field)))));
      } catch (const Error &) {
        // Left for the orphan sweep of garbage collection.
      }
    }
}

uint64_t Database::commit_entry(
    const std::function<std::vector<LogOp>(const SnapshotPtr &)> &resolve) {
  std::lock_guard<InterruptibleMutex> lock(write_mu_);
  create_block0_locked();
  const Id128 commit_id = random_id();
  const uint64_t started = steady_ms();
  int losses = 0;
  for (int attempt = 0;; attempt++) {
    // A commit that has run longer than gcGraceMs / 2 is abandoned (nothing of it landed):
    // garbage collection relies on no older writer showing up later (SPEC section 6).
    if (attempt > 0 && opts_.gc_grace_ms >= 2000 && steady_ms() - started > opts_.gc_grace_ms / 2)
      fail(BDB_E_BUSY, "commit abandoned after " + std::to_string(steady_ms() - started) +
                           " ms of lost races (over gcGraceMs / 2); nothing was committed");
    if (attempt >= 10000)
      fail(BDB_E_BUSY, "commit gave up after 10000 lost races for the next log position");
    // No conditional writes: write only in our window, after reading the whole log.
    const uint64_t window = timeshare() ? wait_for_own_window("commit") : 0;
    // Never commit from a view of Block 0 older than gcGraceMs / 2 (SPEC section 6): a long
    // run of lost races, or a long wait for our window, re-reads it here. (Read before the
    // wait, a view could miss merged entries that garbage collection removed meanwhile, and
    // the commit would take a collected entry's number.)
    refresh_block0_locked(false);
    if (timeshare()) {
      recheck_first_in_window_locked(window);
      catch_up_locked();
    } else if (attempt == 0) {
      // Entries other writers have most likely added meanwhile: read them first, together.
      if (size_t expected = expected_foreign_locked()) {
        counters_.commit_lookaheads++;
        catch_up_locked(expected, false, 2, /*one_window=*/true);
      }
    }
    SnapshotPtr s = pinned(snapshot());
    std::vector<LogOp> ops;
    try {
      ops = resolve(s);
    } catch (const MissingObject &) {
      if (attempt >= 3 || !block0_moved_past_locked(s->block0->generation)) throw;
      continue;  // another node merged and collected what this view of Block 0 named
    }
    if (ops.empty()) return s->last_seq;
    LogEntry e;
    e.seq = s->last_seq + 1;
    e.node_id = static_cast<uint8_t>(opts_.node_id);
    e.commit_id = commit_id;
    e.prev_commit_id = s->last_commit_id;
    e.writer = writer_id_;
    e.misc = std::max(now_ms(), s->misc_high + 1);
    e.ops = std::move(ops);
    Bytes obj = encode_log_entry(e);
    s.reset();  // resolved: let apply_locked find the snapshot unshared
    // Without conditional writes, a put that starts after our window would race the next
    // node's: when resolving ran late (a slow machine), start again in our next window.
    if (timeshare() && !still_in_window(window)) continue;
    std::string key = log_key(e.seq);
    PutOutcome out;
    const uint64_t put_started = steady_ms();
    // From the PUT until its outcome is known nothing is interrupted (bdb_db_interrupt): an
    // interrupted commit either landed or left its batch intact.
    std::optional<InterruptShield> shield(std::in_place);
    try {
      out = storage_->put(key, obj, PutCondition{"", true});
      // The round trip a commit pays, smoothed: paces groups (pace_group) and backoff.
      uint64_t took = std::max<uint64_t>(steady_ms() - put_started, 1);
      uint64_t was = put_ms_.load(std::memory_order_relaxed);
      put_ms_.store(was ? (was * 7 + took) / 8 : took, std::memory_order_relaxed);
    } catch (const Error &err) {
      if (err.status() != BDB_E_IO) throw;
      // The put's answer was lost: it may have landed. Look before reporting anything.
      std::optional<StoredObject> got;
      try {
        got = storage_->get(key);
      } catch (const Error &) {
        fail(BDB_E_IO, std::string(err.what()) + "; the commit's outcome is unknown: " + key +
                           " could not be read back");
      }
      if (!got)
        fail(BDB_E_IO,
             std::string(err.what()) + "; nothing was committed (" + key + " does not exist)");
      out = PutOutcome::kPreconditionFailedAfterRetry;
    }
    if (out == PutOutcome::kOk && timeshare()) {
      // The store cannot refuse a clash; a node with a wrong clock, or the next node when our
      // put ended late, may have written the same key. Read it back: if it is not ours, ours
      // was overwritten and goes to the next seq.
      const bool late = !landed_in_window(window);
      if (late) late_write_settled("commit");
      auto got = storage_->get(key);
      if (!got && late) refresh_block0_locked(true);
      if (!got && late && snapshot()->block0->log_floor >= e.seq)
        // Merged and collected while we waited: whose entry it was, nothing tells any more.
        fail(BDB_E_IO, "commit outcome unknown: " + key + " (written after this node's window, " +
                           "on a store without conditional writes) was merged and collected " +
                           "before it could be read back; raise gcGraceMs above ringSize x " +
                           "writeForwardInterval");
      if (!got || decode_log_entry(got->data, key).commit_id != commit_id) {
        shield.reset();  // not ours: nothing landed
        counters_.commit_retries++;
        catch_up_locked();
        continue;
      }
    }
    if (out == PutOutcome::kOk) {
      log_complete_ms_ = put_started;  // nobody held e.seq then: this node had every entry
      // ... which is what a freshness check would learn: reads within readStalenessMs of it
      // need none.
      if (put_started > last_log_check_ms_.load()) last_log_check_ms_ = put_started;
      apply_locked(e, std::move(obj), true);
      if (timeshare() && first_in_window_.window != window)
        first_in_window_ = {window, e.seq, commit_id};
      if (losses == 0 && !timeshare()) check_contention_locked();
      return e.seq;
    }
    if (out == PutOutcome::kPreconditionFailedAfterRetry) {
      auto got = storage_->get(key);
      if (got && decode_log_entry(got->data, key).commit_id == commit_id) {
        apply_locked(e, std::move(obj), true);
        return e.seq;
      }
    }
    // Another node took this sequence number: read what we missed and try again at once. The
    // node that won sits out (pace_group), so the nodes that lost take the next positions in
    // turn; a loser that also waited would fall further behind with each loss, and starve.
    shield.reset();  // the race was lost: nothing landed
    counters_.commit_retries++;
    contended_ms_ = steady_ms();
    catch_up_locked(kLostRaceLogWindow);
    if (++losses >= 2) signal_contention_locked();
  }
}

void Database::recheck_first_in_window_locked(uint64_t window) {
  const FirstInWindow f = first_in_window_;
  if (!f.seq || f.window == window) return;
  first_in_window_ = {};
  if (f.seq <= snapshot()->block0->log_floor) return;  // merged and collected: too late to tell
  const std::string key = log_key(f.seq);
  auto got = storage_->get(key);
  if (got && decode_log_entry(got->data, key).commit_id == f.commit_id) return;
  counters_.timeshare_lost_commits++;
  opts_.logger().log(LogLevel::kError, "engine",
                     "commit " + uuid_text(f.commit_id) + " at " + key + " on " + storage_->uri() +
                         " was replaced after it was read back: another node's write, sent "
                         "in its window, landed after ours (a store without conditional "
                         "writes, and a write slower than half a window). Its changes are "
                         "lost; raise writeForwardInterval");
}

void Database::signal_contention_locked() {
  const uint64_t now = steady_ms();
  if (signalled_ms_ && now - signalled_ms_ < kSignalEveryMs) return;
  signalled_ms_ = now;
  try {
    // "WRITER_ID WALL_MS": who is losing, and since when (clocks agree within about a second,
    // as the engine assumes elsewhere).
    std::string body = std::to_string(writer_id_) + " " + std::to_string(now_ms());
    storage_->put(contention_key(), Bytes(body.begin(), body.end()), PutCondition{});
    counters_.contention_signalled++;
  } catch (const Error &) {
    // A hint only: the commit goes on without it.
  }
}

void Database::check_contention_locked() {
  // Only a writer committing back to back can starve another (one that pauses between commits
  // leaves the others room): a writer that commits now and then never pays the look.
  const uint64_t now = steady_ms();
  const uint64_t gap = now - last_win_ms_;
  last_win_ms_ = now;
  const uint64_t rt = put_ms_.load(std::memory_order_relaxed);
  if (gap > std::max<uint64_t>(2 * rt, kBackToBackMs)) {
    wins_unchecked_ = 1;  // this commit starts a new run
    return;
  }
  if (++wins_unchecked_ < kCheckEveryWins) return;
  wins_unchecked_ = 0;
  const uint64_t contended = contended_ms_.load(std::memory_order_relaxed);
  if (contended && steady_ms() - contended < kContendedForMs) return;  // pacing already
  try {
    bool not_modified = false;
    auto got = storage_->get_if_changed(contention_key(), contention_etag_, &not_modified);
    if (not_modified || !got) return;
    contention_etag_ = got->etag;
    // Another writer's, written in the last kContendedForMs: news. Anything else (this
    // handle's own, an old one, text of no known shape) is not.
    unsigned long long who = 0, at = 0;
    std::string body(got->data.begin(), got->data.end());
    const uint64_t wall = now_ms();
    if (std::sscanf(body.c_str(), "%llu %llu", &who, &at) == 2 && who != writer_id_ &&
        at + kContendedForMs >= wall && at <= wall + kContendedForMs) {
      last_foreign_ms_ = steady_ms();
      contended_ms_ = steady_ms();
      note_rival_locked(who, at);
      counters_.contention_seen++;
    }
  } catch (const Error &) {
    // A hint only.
  }
}

struct Database::QueuedCommit {
  Batch *batch = nullptr;
  bool done = false;
  uint64_t seq = 0;
  std::exception_ptr error;
};

// Resolves every queued batch in order against exact state, each seeing the ones before it;
// those that fail get their own error, the rest go out together as one entry and one PUT.
void Database::write_group(std::vector<QueuedCommit *> &group) {
  uint64_t seq = 0;
  bool retry = false;
  try {
    seq = commit_entry([&](const SnapshotPtr &s) {
      // After a lost race, the batches queued meanwhile join the retry: one PUT for all of
      // them instead of one race more each.
      if (retry) {
        std::lock_guard<std::mutex> lock(queue_mu_);
        size_t n = std::min(queue_.size(), kMaxGroup - std::min(kMaxGroup, group.size()));
        group.insert(group.end(), queue_.begin(), queue_.begin() + static_cast<long>(n));
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(n));
      }
      retry = true;
      GroupRows rows;
      std::vector<LogOp> all;
      for (QueuedCommit *q : group) {
        q->error = nullptr;
        try {
          std::vector<LogOp> ops = resolve_batch(s, *q->batch, rows, s->last_seq + 1);
          for (auto &op : ops) all.push_back(std::move(op));
        } catch (const MissingObject &) {
          throw;  // not this batch's fault: commit_entry re-reads Block 0 and tries again
        } catch (const Error &) {
          q->error = std::current_exception();
        }
      }
      return all;
    });
  } catch (...) {
    for (QueuedCommit *q : group)
      if (!q->error) q->error = std::current_exception();
  }
  for (QueuedCommit *q : group) q->seq = seq;
}

// Before a group goes out (queue_mu_ held in `lock`, released while waiting):
//  - on a contended log (this node lost a race, or another writer said it loses, in the last
//    kContendedForMs), this node sits out two to three round trips for each rival (another
//    writer that committed in that time): a node that lost a race needs a round trip to read
//    the entry that beat it and one for its PUT, so without this the node that won would win
//    every race after (one node committed 379 times in 10 s while the other committed once);
//    each rival in turn takes a position meanwhile, and the random third keeps the waiting
//    apart. A log shared with writers that do not race (a commit now and then) is not paced;
//  - a group smaller than the last one waits an eighth of a round trip (5 ms at most) for the
//    writers of the last group, about to queue again: one PUT carries them all.
void Database::pace_group(std::unique_lock<std::mutex> &lock) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const uint64_t rt = put_ms_.load(std::memory_order_relaxed);
  const uint64_t contended = contended_ms_.load(std::memory_order_relaxed);
  const uint64_t rivals = rival_count_.load(std::memory_order_relaxed);
  if (rt && rivals && contended && steady_ms() - contended < kContendedForMs) {
    const uint64_t base_us = std::min<uint64_t>(2 * rt * rivals, kMaxSitOutMs) * 1000;
    std::uniform_int_distribution<uint64_t> pick(base_us, base_us + base_us / 2);
    uint64_t us = pick(rng);
    lock.unlock();
    std::this_thread::sleep_for(std::chrono::microseconds(us));
    lock.lock();
    return;
  }
  if (queue_.size() >= last_group_size_ || !rt) return;
  gathering_ = true;
  queue_cv_.wait_for(lock, std::chrono::microseconds(std::min<uint64_t>(rt * 125, 5000)),
                     [&] { return queue_.size() >= last_group_size_; });
  gathering_ = false;
}

namespace {
bool is_interrupted(const std::exception_ptr &error) {
  if (!error) return false;
  try {
    std::rethrow_exception(error);
  } catch (const Error &e) {
    return e.status() == BDB_E_INTERRUPTED;
  } catch (...) {
    return false;
  }
}
}  // namespace

void Database::wait_for_group(std::unique_lock<std::mutex> &lock, QueuedCommit &me) {
  while (!me.done) {
    if (group_writer_active_) {
      if (!current_interrupt_watch().by) {
        queue_cv_.wait(lock);
        continue;
      }
      // An interrupt does not wake this wait: look now and then. A batch a group writer took
      // waits for that writer's outcome.
      queue_cv_.wait_for(lock, std::chrono::milliseconds(10));
      if (interrupted()) {
        auto it = std::find(queue_.begin(), queue_.end(), &me);
        if (it != queue_.end()) {
          queue_.erase(it);
          fail_interrupted("waiting for its turn to commit");
        }
      }
      continue;
    }
    // Become the writer for everything queued so far (at most kMaxGroup batches per entry).
    group_writer_active_ = true;
    pace_group(lock);
    size_t n = std::min(queue_.size(), kMaxGroup);
    last_group_size_ = n;
    std::vector<QueuedCommit *> group(queue_.begin(), queue_.begin() + static_cast<long>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(n));
    lock.unlock();
    write_group(group);
    lock.lock();
    for (QueuedCommit *q : group) q->done = true;
    group_writer_active_ = false;
    queue_cv_.notify_all();
  }
}

uint64_t Database::commit(Batch &batch) {
  require_writable("commit");
  if (batch.ops.empty()) return snapshot()->last_seq;
  create_if_pending();  // Block 0 before any other object (a blob), as at every creation
  upload_blobs(batch);  // before the entry that references them, in the caller's thread
  QueuedCommit me;
  me.batch = &batch;
  std::unique_lock<std::mutex> lock(queue_mu_);
  for (;;) {
    queue_.push_back(&me);
    if (gathering_) queue_cv_.notify_all();  // a writer waits for the group to fill
    wait_for_group(lock, me);
    // The group writer's call was interrupted before the entry landed; this call was not:
    // the batch goes out again.
    if (!is_interrupted(me.error) || interrupted()) break;
    me.done = false;
    me.error = nullptr;
  }
  lock.unlock();
  if (me.error) {
    try {
      std::rethrow_exception(me.error);
    } catch (const Error &e) {
      // The batch was refused before any entry held it: its blobs are nobody's. (After a
      // storage failure the entry may have landed, so they stay for the orphan sweep.)
      bdb_status st = e.status();
      if (st == BDB_E_EXISTS || st == BDB_E_CONFLICT || st == BDB_E_NOT_FOUND ||
          st == BDB_E_SCHEMA || st == BDB_E_TYPE || st == BDB_E_INVALID)
        delete_uploaded_blobs(batch);
      throw;
    }
  }
  counters_.commits++;
  batch.ops.clear();
  SnapshotPtr now = snapshot();
  if (merge_due(*now)) poke_service();
  return me.seq;
}

}  // namespace bucketdb
