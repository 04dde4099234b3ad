// What `bucketdb inspect` and `bucketdb stats` show: Block 0, the log, the blocks, counters.
#include <nlohmann/json.hpp>

#include "core/codec/json_values.h"
#include "core/codec/key_codec.h"
#include "core/engine/database.h"
#include "core/util/error.h"

namespace bucketdb {

using ojson = nlohmann::ordered_json;

namespace {

// An encoded primary key shown as the value it encodes, when the schema can tell.
ojson key_json(const SnapshotPtr &s, const std::string &table, const std::string &key) {
  SchemaPtr schema = s->schemas->find_newest(table);
  if (schema) {
    // Decode by searching the value space is not possible in general; show the raw bytes
    // for binary keys and the text for string keys.
    const Field &pk = schema->primary_key_field();
    if (pk.type->kind == Kind::kText && key.size() >= 2) {
      std::string out;
      for (size_t i = 0; i + 2 <= key.size(); i++) {
        if (key[i] == '\0') {
          if (key[i + 1] == '\0') break;
          out += '\0';
          i++;
          continue;
        }
        out += key[i];
      }
      return out;
    }
    if ((pk.type->kind == Kind::kUInt || pk.type->kind == Kind::kInt) &&
        key.size() == static_cast<size_t>(pk.type->width)) {
      uint64_t v = 0;
      for (unsigned char c : key) v = (v << 8) | c;
      if (pk.type->kind == Kind::kUInt) return v;
      v ^= uint64_t{1} << (pk.type->width * 8 - 1);
      if (pk.type->width < 8 && (v >> (pk.type->width * 8 - 1)) & 1)
        v |= ~uint64_t{0} << (pk.type->width * 8);
      return static_cast<int64_t>(v);
    }
  }
  std::string hex;
  static const char *d = "0123456789abcdef";
  for (unsigned char c : key) {
    hex += d[c >> 4];
    hex += d[c & 15];
  }
  return "0x" + hex;
}

}  // namespace

std::string Database::inspect_json(const std::string &what) {
  {
    std::lock_guard<InterruptibleMutex> lock(write_mu_);
    refresh_block0_locked(true);
    catch_up_locked();
  }
  SnapshotPtr s = snapshot();
  const Block0 &b = *s->block0;
  ojson out;
  if (what == "block0") {
    out["key"] = block0_key();
    out["etag"] = s->block0_etag;
    out["format"] = b.format;
    out["generation"] = b.generation;
    out["appliedSeq"] = b.applied_seq;
    out["logFloor"] = b.log_floor;
    out["miscHigh"] = b.misc_high;
    out["mergeId"] = hex_text(b.merge_id);
    out["mergeTimeMs"] = b.merge_time_ms;
    ojson schemas = ojson::array();
    for (const auto &sj : b.schemas) schemas.push_back(ojson::parse(sj));
    out["schemas"] = schemas;
    ojson tables = ojson::array();
    for (const auto &t : b.tables) {
      ojson ixs = ojson::array();
      for (const auto &ix : t.indexes)
        ixs.push_back(
            {{"field", ix.field}, {"typeId", ix.type_id}, {"root", ix.root}, {"built", ix.built}});
      tables.push_back({{"name", t.name},
                        {"manifest", t.manifest_key},
                        {"rows", t.rows},
                        {"blocks", t.blocks},
                        {"bytes", t.bytes},
                        {"oldestVersion", t.oldest_version},
                        {"indexes", ixs}});
    }
    out["tables"] = tables;
    ojson garbage = ojson::array();
    for (const auto &g : b.garbage) garbage.push_back({{"key", g.key}, {"sinceMs", g.since_ms}});
    out["garbage"] = garbage;
    ojson merges = ojson::array();
    for (const auto &m : b.merges)
      merges.push_back({{"appliedSeq", m.applied_seq}, {"timeMs", m.time_ms}});
    out["merges"] = merges;
    ojson dropped = ojson::array();
    for (const auto &d : b.dropped)
      dropped.push_back({{"name", d.name},
                         {"seq", d.seq},
                         {"sinceMs", d.since_ms},
                         {"versions", d.schemas.size()}});
    out["dropped"] = dropped;
  } else if (what == "log") {
    out["appliedSeq"] = b.applied_seq;
    out["logFloor"] = b.log_floor;
    out["lastSeq"] = s->last_seq;
    ojson entries = ojson::array();
    std::string prefix = prefixed(opts_.committed_prefix + "/");
    for (const std::string &key : storage_->list_all(prefix)) {
      ojson e;
      e["key"] = key;
      uint64_t seq = std::strtoull(key.substr(prefix.size()).c_str(), nullptr, 10);
      e["seq"] = seq;
      if (seq <= b.applied_seq) {
        e["merged"] = true;
      } else if (auto obj = storage_->get(key)) {
        LogEntry le = decode_log_entry(obj->data, key);
        e["merged"] = false;
        e["bytes"] = obj->data.size();
        e["nodeId"] = le.node_id;
        e["commitId"] = hex_text(le.commit_id);
        e["misc"] = le.misc;
        uint64_t puts = 0, dels = 0, schemas = 0;
        ojson drops = ojson::array();
        for (const auto &op : le.ops) {
          if (op.type == LogOp::kDropTable)
            drops.push_back(op.table);
          else
            (op.type == LogOp::kPut ? puts : op.type == LogOp::kDelete ? dels : schemas)++;
        }
        e["puts"] = puts;
        e["deletes"] = dels;
        e["schemas"] = schemas;
        if (!drops.empty()) e["drops"] = drops;
      }
      entries.push_back(e);
    }
    out["entries"] = entries;
  } else if (what == "blocks") {
    ojson tables = ojson::array();
    for (const auto &t : b.tables) {
      if (!s->table_root(t.name)) continue;  // dropped since Block 0 (drop.h)
      ojson tj;
      tj["table"] = t.name;
      tj["manifest"] = t.manifest_key;
      ojson blocks = ojson::array();
      if (!t.manifest_key.empty())
        for (const auto &ref : load_manifest(t.manifest_key)->blocks)
          blocks.push_back({{"key", ref.key},
                            {"schemaVersion", ref.schema_version},
                            {"rows", ref.rows},
                            {"bytes", ref.bytes},
                            {"firstKey", key_json(s, t.name, ref.first_key)},
                            {"lastKey", key_json(s, t.name, ref.last_key)}});
      tj["blocks"] = blocks;
      tables.push_back(tj);
    }
    out["tables"] = tables;
  } else {
    fail(BDB_E_INVALID, "inspect: unknown section '" + what + "' (block0, log or blocks)");
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Database::stats_json() {
  SnapshotPtr s = snapshot();
  const StorageCounters &c = storage_->counters();
  ojson out;
  out["storage"] = {{"driver", storage_->driver_name()},
                    {"gets", c.gets.load()},
                    {"getMisses", c.get_misses.load()},
                    {"notModified", c.not_modified.load()},
                    {"puts", c.puts.load()},
                    {"putConflicts", c.put_conflicts.load()},
                    {"deletes", c.deletes.load()},
                    {"lists", c.lists.load()},
                    {"bytesIn", c.bytes_in.load()},
                    {"bytesOut", c.bytes_out.load()},
                    {"retries", c.retries.load()}};
  out["storage"]["driverStats"] = ojson::parse(storage_->driver_stats_json(), nullptr, false);
  if (out["storage"]["driverStats"].is_discarded()) out["storage"]["driverStats"] = ojson::object();
  out["engine"] = {{"commits", counters_.commits.load()},
                   {"commitRetries", counters_.commit_retries.load()},
                   {"contentionSignalled", counters_.contention_signalled.load()},
                   {"contentionSeen", counters_.contention_seen.load()},
                   {"commitLookaheads", counters_.commit_lookaheads.load()},
                   {"logCheckpoints", counters_.log_checkpoints.load()},
                   {"logCheckpointsRead", counters_.log_checkpoints_read.load()},
                   {"entriesApplied", counters_.entries_applied.load()},
                   {"merges", counters_.merges.load()},
                   {"mergesLost", counters_.merges_lost.load()},
                   {"timeshareLateWrites", counters_.timeshare_late_writes.load()},
                   {"timeshareLostCommits", counters_.timeshare_lost_commits.load()},
                   {"mergedEntries", counters_.merged_entries.load()},
                   {"blocksWritten", counters_.blocks_written.load()},
                   {"gcDeleted", counters_.gc_deleted.load()},
                   {"blobsUploaded", counters_.blobs_uploaded.load()},
                   {"sortRunsSpilled", counters_.sort_runs_spilled.load()},
                   {"indexPlansScanned", counters_.index_plans_scanned.load()}};
  out["cache"] = {{"bytes", cache_.bytes()},
                  {"capacity", opts_.max_memory_bytes},
                  {"hits", cache_.hits()},
                  {"misses", cache_.misses()}};
  out["log"] = {{"lastSeq", s->last_seq},
                {"appliedSeq", s->block0->applied_seq},
                {"logFloor", s->block0->log_floor},
                {"unmergedEntries", s->unmerged_entries},
                {"unmergedBytes", s->unmerged_bytes}};
  ojson tables = ojson::array();
  for (const auto &[name, versions] : s->schemas->tables()) {
    const TableRoot *root = s->table_root(name);
    auto ov = s->overlay(name);
    uint32_t newest = versions.rbegin()->first;
    ojson t = {{"name", name},
               {"schemaVersion", newest},
               {"mergedRows", root ? root->rows : 0},
               {"blocks", root ? root->blocks : 0},
               {"bytes", root ? root->bytes : 0},
               {"unmergedRows", ov ? ov->size() : 0}};
    if (root && !root->indexes.empty()) {
      ojson ixs = ojson::array();
      for (const auto &ix : root->indexes)
        ixs.push_back({{"field", ix.field}, {"built", ix.built}});
      t["indexes"] = ixs;
    }
    if (root && root->oldest_version && root->oldest_version < newest) {
      // A migration is under way: the leader rewrites old blocks a few per merge.
      uint64_t pending = 0;
      for (const auto &b : load_manifest(root->manifest_key)->blocks)
        pending += b.schema_version < newest;
      t["migration"] = {{"fromVersion", root->oldest_version},
                        {"toVersion", newest},
                        {"blocksPending", pending},
                        {"blocksDone", root->blocks - pending}};
    }
    tables.push_back(t);
  }
  out["tables"] = tables;
  out["node"] = {{"nodeId", opts_.node_id}, {"ringSize", opts_.ring_size}};
  return out.dump();
}

}  // namespace bucketdb
