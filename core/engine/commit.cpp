// The write path: resolve a batch against exact state, upload its blobs, and write it as one
// log entry with put-if-absent at the next sequence number (SPEC section 4).
#include <map>

#include "core/codec/json_values.h"
#include "core/codec/key_codec.h"
#include "core/codec/row_codec.h"
#include "core/codec/value_check.h"
#include "core/engine/database.h"
#include "core/format/envelope.h"
#include "core/util/error.h"

namespace bucketdb {

void Batch::stage(StagedOp::Kind kind, const Document &doc) {
  ops.push_back(StagedOp{kind, doc, false, 0});
}

namespace {

std::string key_text(const TableSchema &s, const Value &v) {
  return value_to_json(s.primary_key_field(), v).dump(-1, ' ', false,
                                                      nlohmann::json::error_handler_t::replace);
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
    size_t pk = schema->primary_key();
    if (!doc.is_set(pk) || is_null(doc.get(pk)))
      fail(BDB_E_INVALID, "table " + table + ": the primary key '" +
                              schema->primary_key_field().name + "' is missing");
    std::string key = encode_key(*schema->primary_key_field().type, doc.get(pk));
    auto id = std::make_pair(table, key);
    auto it = state.find(id);
    if (it == state.end()) {
      PendingRow p;
      auto g = group.find(id);
      if (g != group.end()) {
        // Written by an earlier batch of this entry: its version will be this entry's seq.
        p = g->second;
        p.existed_before = p.exists;
        p.version_before = p.exists ? seq : 0;
      } else if (auto row = lookup(s, table, key)) {
        p.exists = p.existed_before = true;
        p.version_before = row->seq;
        p.schema = row->schema;
        p.values = std::move(row->values);
      }
      it = state.emplace(id, std::move(p)).first;
      order.push_back(id);
    }
    PendingRow &p = it->second;
    std::string what = table + " " + key_text(*schema, doc.get(pk));
    if (op.has_expected && p.version_before != op.expected_version)
      fail(BDB_E_CONFLICT, what + ": expected version " + std::to_string(op.expected_version) +
                               ", found " +
                               (p.existed_before ? std::to_string(p.version_before)
                                                 : std::string("no row")));
    switch (op.kind) {
      case StagedOp::kInsert:
        if (p.exists)
          fail(BDB_E_EXISTS, "insert into " + what + ": the primary key already exists");
        [[fallthrough]];
      case StagedOp::kUpdate:
        p.exists = true;
        p.schema = schema;
        p.values = doc.values();
        break;
      case StagedOp::kPatch: {
        if (!p.exists) fail(BDB_E_NOT_FOUND, "patch " + what + ": no such row");
        Values merged = convert_values(*p.schema, p.values, *schema);
        for (size_t i = 0; i < merged.size(); i++)
          if (doc.is_set(i)) merged[i] = doc.get(i);
        p.schema = schema;
        p.values = std::move(merged);
        break;
      }
      case StagedOp::kDelete:
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
    } else if (p.existed_before) {
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
      storage_->put(blob_key(id), seal(ObjectKind::kBlob, bytes), PutCondition{"", true});
      counters_.blobs_uploaded++;
    }
  }
}

uint64_t Database::commit_entry(
    const std::function<std::vector<LogOp>(const SnapshotPtr &)> &resolve) {
  std::lock_guard<std::mutex> lock(write_mu_);
  const Id128 commit_id = random_id();
  for (int attempt = 0;; attempt++) {
    // Never commit from a view of Block 0 older than gcGraceMs / 2 (SPEC section 6): a long
    // run of lost races re-reads it here.
    refresh_block0_locked(false);
    if (attempt >= 10000)
      fail(BDB_E_BUSY, "commit gave up after 10000 lost races for the next log position");
    SnapshotPtr s = snapshot();
    std::vector<LogOp> ops = resolve(s);
    if (ops.empty()) return s->last_seq;
    LogEntry e;
    e.seq = s->last_seq + 1;
    e.node_id = static_cast<uint8_t>(opts_.node_id);
    e.commit_id = commit_id;
    e.misc = std::max(now_ms(), s->misc_high + 1);
    e.ops = std::move(ops);
    Bytes obj = encode_log_entry(e);
    std::string key = log_key(e.seq);
    PutOutcome out;
    try {
      out = storage_->put(key, obj, PutCondition{"", true});
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
        fail(BDB_E_IO, std::string(err.what()) + "; nothing was committed (" + key +
                           " does not exist)");
      out = PutOutcome::kPreconditionFailedAfterRetry;
    }
    if (out == PutOutcome::kOk) {
      apply_locked(e, obj.size());
      return e.seq;
    }
    if (out == PutOutcome::kPreconditionFailedAfterRetry) {
      auto got = storage_->get(key);
      if (got && decode_log_entry(got->data, key).commit_id == commit_id) {
        apply_locked(e, obj.size());
        return e.seq;
      }
    }
    // Another node took this sequence number: read what we missed and re-check.
    counters_.commit_retries++;
    catch_up_locked();
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
void Database::write_group(const std::vector<QueuedCommit *> &group) {
  uint64_t seq = 0;
  try {
    seq = commit_entry([&](const SnapshotPtr &s) {
      GroupRows rows;
      std::vector<LogOp> all;
      for (QueuedCommit *q : group) {
        q->error = nullptr;
        try {
          std::vector<LogOp> ops = resolve_batch(s, *q->batch, rows, s->last_seq + 1);
          for (auto &op : ops) all.push_back(std::move(op));
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

uint64_t Database::commit(Batch &batch) {
  if (batch.ops.empty()) return snapshot()->last_seq;
  upload_blobs(batch);  // before the entry that references them, in the caller's thread
  QueuedCommit me;
  me.batch = &batch;
  std::unique_lock<std::mutex> lock(queue_mu_);
  queue_.push_back(&me);
  while (!me.done) {
    if (group_writer_active_) {
      queue_cv_.wait(lock);
      continue;
    }
    // Become the writer for everything queued so far (at most 1024 batches per entry).
    group_writer_active_ = true;
    size_t n = std::min<size_t>(queue_.size(), 1024);
    std::vector<QueuedCommit *> group(queue_.begin(), queue_.begin() + static_cast<long>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(n));
    lock.unlock();
    write_group(group);
    lock.lock();
    for (QueuedCommit *q : group) q->done = true;
    group_writer_active_ = false;
    queue_cv_.notify_all();
  }
  lock.unlock();
  if (me.error) std::rethrow_exception(me.error);
  counters_.commits++;
  batch.ops.clear();
  if (merge_due(*snapshot())) service_cv_.notify_all();
  return me.seq;
}

}  // namespace bucketdb
