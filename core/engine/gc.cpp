// Garbage collection without resurrection (SPEC section 6): superseded objects and merged
// log entries are deleted only once older than gcGraceMs, and log entries only after a
// Block 0 with the raised logFloor is installed.
#include <algorithm>
#include <charconv>
#include <optional>
#include <set>

#include "core/engine/database.h"
#include "core/engine/gc_plan.h"
#include "core/engine/index_tree.h"
#include "core/format/envelope.h"
#include "core/util/error.h"

namespace bucketdb {

uint64_t Database::gc(bool sweep) {
  require_writable("garbage collection");
  if (creation_pending_) return 0;  // nothing written yet: nothing to fold or collect
  std::lock_guard<InterruptibleMutex> merge_lock(merge_mu_);
  const uint64_t window = timeshare() ? wait_for_own_window("garbage collection") : 0;
  std::lock_guard<InterruptibleMutex> lock(write_mu_);
  refresh_block0_locked(true);
  SnapshotPtr s = snapshot();
  const Block0 &b0 = *s->block0;
  // Readers of this process keep what their generation references, and the log after it.
  auto [pin_generation, pin_seq] = oldest_pin();
  GcPlan plan = plan_collection(b0, now_ms(), opts_.gc_grace_ms, pin_generation, pin_seq);
  uint64_t deleted = 0;
  if (plan.nothing) {
    if (sweep) {
      catch_up_locked();
      deleted += sweep_orphans_locked(snapshot());
    }
    counters_.gc_deleted += deleted;
    return deleted;
  }

  // Superseded objects are unreferenced since `since_ms`; deleting them before the swap is
  // safe, and a lost swap only means they are deleted again later (delete is idempotent).
  {
    ObjectStore::Writes deletes(objects_);  // all in flight together
    for (size_t i = 0; i < plan.gone.size(); i++) {
      opts_.progress("gc", i, plan.gone.size());  // del() waits while many are in flight
      deletes.del(plan.gone[i].key);
    }
    deletes.wait();
    opts_.progress("gc", plan.gone.size(), plan.gone.size());
    deleted += plan.gone.size();
  }
  auto nb = std::make_shared<Block0>(std::move(plan.next));
  const uint64_t floor = nb->log_floor;
  std::string etag;
  if (timeshare() && !still_in_window(window)) {
    // Without If-Match, a swap after our window could undo the next node's merge. What was
    // deleted stays listed as garbage and is deleted again later (delete is idempotent).
    counters_.gc_deleted += deleted;
    return deleted;
  }
  const Bytes obj = encode_block0(*nb);
  // As a merge's: Block 0's swap and the reads that learn its outcome are not interrupted.
  std::optional<InterruptShield> shield(std::in_place);
  PutOutcome out = storage_->put(block0_key(), obj, PutCondition{s->block0_etag, false}, &etag);
  if (out == PutOutcome::kOk && timeshare()) {
    // The store cannot refuse a clash: read it back. What is there counts when it keeps our
    // floor (ours, or newer and built on it): the entries below it may go.
    if (!landed_in_window(window)) late_write_settled("garbage collection");
    auto got = storage_->get(block0_key());
    out = PutOutcome::kPreconditionFailed;
    if (got) {
      auto cur = std::make_shared<Block0>(decode_block0(got->data, block0_key()));
      if (cur->generation >= nb->generation && cur->log_floor >= floor) {
        out = PutOutcome::kOk;
        etag = got->etag;
        nb = std::move(cur);
      }
    }
  }
  if (out != PutOutcome::kOk) {
    refresh_block0_locked(true);
    counters_.gc_deleted += deleted;
    return deleted;
  }
  install_block0_locked(nb, etag);
  shield.reset();
  // Only now may merged entries go: every reader either reads them or sees the new floor.
  {
    ObjectStore::Writes deletes(objects_);
    for (uint64_t seq = b0.log_floor + 1; seq <= floor; seq++) deletes.del(log_key(seq));
    deletes.wait();
    deleted += floor - b0.log_floor;
  }
  if (sweep) {
    catch_up_locked();
    deleted += sweep_orphans_locked(snapshot());
  }
  counters_.gc_deleted += deleted;
  return deleted;
}

namespace {

std::string last_segment(const std::string &key) {
  return key.substr(key.rfind('/') + 1);
}

// The sequence number of a log key's last segment (20 digits), or nullopt.
std::optional<uint64_t> parse_log_seq(const std::string &name) {
  uint64_t seq = 0;
  auto r = std::from_chars(name.data(), name.data() + name.size(), seq);
  if (name.size() != 20 || r.ec != std::errc() || r.ptr != name.data() + name.size())
    return std::nullopt;
  return seq;
}

void add_blob_ids(const TableSchema &s, const RowView &row, std::set<std::string> &out) {
  for (size_t i = 0; i < s.fields().size(); i++)
    if (s.field(i).type_id == BDB_TYPE_BLOB && !row.null(i))
      out.insert(uuid_text(std::get<Id128>(row.get(i))));
}

}  // namespace

uint64_t Database::sweep_orphans_locked(const SnapshotPtr &s) {
  const uint64_t now = now_ms();
  auto old = [&](uint64_t t) { return t + opts_.gc_grace_ms <= now; };
  std::set<std::string> referenced;  // object keys
  std::set<std::string> blobs;       // blob ids held by rows
  for (const auto &g : s->block0->garbage) referenced.insert(g.key);
  for (const auto &t : s->block0->tables) {
    for (const auto &ix : t.indexes) index_nodes(*this, ix.root, referenced);
    if (t.manifest_key.empty()) continue;
    referenced.insert(t.manifest_key);
    auto page = load_manifest(t.manifest_key);
    // Only blocks in a schema version with blob fields are read for their blob ids: each
    // such block once, all in flight together (up to the read-ahead bound).
    std::vector<const BlockRef *> with_blobs;
    for (const BlockRef &ref : page->blocks) {
      referenced.insert(ref.key);
      SchemaPtr version = s->schemas->version(t.name, ref.schema_version);
      bool has_blobs = false;
      if (version)
        for (const auto &f : version->fields()) has_blobs |= f.type_id == BDB_TYPE_BLOB;
      if (has_blobs || !version) with_blobs.push_back(&ref);  // unknown: load names the problem
    }
    const size_t ahead =
        std::max<size_t>(1, std::min<uint64_t>(objects_.max_in_flight(),
                                               opts_.max_memory_bytes / 4 /
                                                   std::max<uint64_t>(opts_.block_size_bytes, 1)));
    for (size_t i = 0; i < with_blobs.size(); i++) {
      for (size_t j = i; j < std::min(with_blobs.size(), i + ahead); j++)
        prefetch_block(s, t.name, *with_blobs[j]);
      auto block = load_block(s, t.name, *with_blobs[i]);
      for (size_t r = 0; r < block->rows(); r++)
        add_blob_ids(*block->schema(), block->row(r), blobs);
    }
  }
  for (const auto &[table, ov] : s->overlays)
    for (const auto &[k, row] : *ov) {
      if (row->deleted) continue;
      std::string what = "committed row of " + table;
      add_blob_ids(*row->schema,
                   RowView(*row->schema, reinterpret_cast<const uint8_t *>(row->fixed.data()),
                           row->heap, &what),
                   blobs);
    }

  uint64_t deleted = 0;
  ObjectStore::Writes deletes(objects_);  // every delete of the sweep in flight together
  // Merged log entries at or below the installed floor: a collection interrupted between
  // installing the floor and deleting them left them behind, and nothing else looks below the
  // floor again. (Listing committed/ also lets the store sweep its stale temporary files.)
  for (const std::string &key : storage_->list_all(prefixed(opts_.committed_prefix + "/"))) {
    auto seq = parse_log_seq(last_segment(key));
    if (!seq || *seq > s->block0->log_floor) continue;
    deletes.del(key);
    deleted++;
  }
  // Checkpoints of positions before Block 0's and at or below the floor: no Block 0 a node may
  // still hold follows them (a merge lists only the checkpoint its node knew of as garbage).
  for (const std::string &key : storage_->list_all(prefixed("checkpoint/"))) {
    auto seq = parse_log_seq(last_segment(key));
    if (!seq || *seq >= s->block0->applied_seq || *seq > s->block0->log_floor ||
        referenced.count(key))
      continue;
    deletes.del(key);
    deleted++;
  }
  // Also the states history queries may still read (their objects are in `garbage` anyway).
  for (const auto &h : s->block0->history)
    for (const auto &[table, key] : h.manifests) referenced.insert(key);
  for (const std::string &sub : {opts_.data_prefix, opts_.manifest_prefix, opts_.index_prefix}) {
    for (const std::string &key : storage_->list_all(prefixed(sub + "/"))) {
      if (referenced.count(key)) continue;
      auto id = parse_hex_id(last_segment(key));
      auto t = id ? id_time_ms(*id) : std::nullopt;
      if (!t || !old(*t)) continue;  // never delete what cannot be dated
      deletes.del(key);
      deleted++;
    }
  }
  // Unreferenced blobs: old enough? The upload time is in the object (its id may be older),
  // so each is read, all of them at once.
  std::vector<std::string> unreferenced;
  for (const std::string &key : storage_->list_all(prefixed(opts_.blob_prefix + "/")))
    if (!blobs.count(last_segment(key)) && !referenced.count(key)) unreferenced.push_back(key);
  auto got = objects_.get_all(unreferenced);
  for (size_t i = 0; i < unreferenced.size(); i++) {
    const std::string &key = unreferenced[i];
    if (!got[i]) continue;
    uint64_t uploaded = 0;
    try {
      Reader r(open_object(ObjectKind::kBlob, got[i]->data, key), key);
      uploaded = r.u64();
    } catch (const Error &) {
      continue;  // a damaged object is reported by reads, not silently deleted
    }
    if (!old(uploaded)) continue;
    deletes.del(key);
    deleted++;
  }
  deletes.wait();
  last_sweep_ms_ = steady_ms();
  return deleted;
}

}  // namespace bucketdb
