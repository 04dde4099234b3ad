#include "core/engine/recover.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "core/engine/schema_set.h"
#include "core/format/block0.h"
#include "core/format/data_block.h"
#include "core/format/log_entry.h"
#include "core/format/manifest_page.h"
#include "core/storage/storage.h"
#include "core/util/error.h"
#include "core/util/json_text.h"

namespace bucketdb {

namespace {

using ojson = nlohmann::ordered_json;

std::string last_segment(const std::string &key) {
  return key.substr(key.rfind('/') + 1);
}

std::optional<uint64_t> parse_seq(const std::string &name) {
  uint64_t seq = 0;
  auto r = std::from_chars(name.data(), name.data() + name.size(), seq);
  if (name.size() != 20 || r.ec != std::errc() || r.ptr != name.data() + name.size())
    return std::nullopt;
  return seq;
}

uint64_t now_ms() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

class Recovery {
 public:
  explicit Recovery(const RecoverRequest &req)
      : req_(req), storage_(Storage::open(req.uri)), prefix_(req.options.db_prefix + "/") {}

  std::string run() {
    const Options &o = req_.options;
    report_["uri"] = req_.uri;
    report_["prefix"] = o.db_prefix;
    read_log();
    auto b0obj = storage_->get(prefix_ + "block0");
    std::shared_ptr<Block0> b0;
    if (b0obj) {
      report_["block0"] = "present";
      b0 = std::make_shared<Block0>(decode_block0(b0obj->data, prefix_ + "block0"));
    } else {
      report_["block0"] = "missing";
      if (objects_held() == 0) {
        problem("no database here: the prefix holds no object");
        return finish();
      }
      problem("Block 0 (" + prefix_ + "block0) is missing");
      b0 = rebuild_block0();
    }
    check_gaps(b0 ? b0->applied_seq : 0);
    if (req_.write && problems_blocking_.empty()) write(b0obj.has_value() ? nullptr : b0);
    return finish();
  }

 private:
  void problem(const std::string &what, bool blocks_writing = false) {
    report_["problems"].push_back(what);
    if (blocks_writing) problems_blocking_.push_back(what);
  }
  void action(const std::string &what) { report_["actions"].push_back(what); }

  std::string finish() {
    if (!report_.contains("problems")) report_["problems"] = ojson::array();
    if (!report_.contains("actions")) report_["actions"] = ojson::array();
    report_["written"] = written_;
    if (req_.write && !problems_blocking_.empty())
      fail(BDB_E_CORRUPT, "recover " + req_.uri + " (" + prefix_ +
                              "): nothing was written: " + problems_blocking_.front());
    return report_.dump();
  }

  size_t objects_held() { return storage_->list_all(prefix_).size(); }

  // Every log entry that remains, decoded (the schemas they register and their chain).
  void read_log() {
    const std::string dir = prefix_ + req_.options.committed_prefix + "/";
    for (const std::string &key : storage_->list_all(dir)) {
      auto seq = parse_seq(last_segment(key));
      if (!seq) continue;
      auto obj = storage_->get(key);
      if (!obj) continue;  // collected meanwhile
      try {
        entries_[*seq] = decode_log_entry(obj->data, key);
      } catch (const Error &e) {
        problem(e.what(), true);
      }
    }
    ojson log;
    log["entries"] = entries_.size();
    if (!entries_.empty()) {
      log["first"] = entries_.begin()->first;
      log["last"] = entries_.rbegin()->first;
    }
    report_["log"] = log;
  }

  // Missing entries between the ones that remain, above `applied` (below it they were merged
  // and may be collected).
  void check_gaps(uint64_t applied) {
    ojson missing = ojson::array();
    if (!entries_.empty())
      for (uint64_t seq = applied + 1; seq < entries_.rbegin()->first; seq++)
        if (!entries_.count(seq)) missing.push_back(seq);
    report_["log"]["missing"] = missing;
    for (const auto &m : missing) {
      uint64_t seq = m.get<uint64_t>();
      std::string key = log_key(seq);
      if (req_.accept_lost_entries) {
        problem("log entry " + key + " is missing; its commit is lost");
        action("write an empty entry at " + key + " so the log reads on past it");
        lost_.push_back(seq);
      } else {
        problem("log entry " + key +
                    " is missing; entries after it are not applied until it "
                    "is restored from a backup, or given up with accept-lost-entries",
                true);
      }
    }
  }

  std::string log_key(uint64_t seq) const {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%020" PRIu64, seq);
    return prefix_ + req_.options.committed_prefix + "/" + buf;
  }

  // Schemas from the caller, then from the log (a registration the log still holds).
  std::shared_ptr<const SchemaSet> known_schemas() {
    auto set = std::make_shared<const SchemaSet>();
    auto add = [&](SchemaPtr sp, const std::string &from) {
      bool added = false;
      try {
        auto next = set->with(std::move(sp), &added);
        if (added) set = next;
      } catch (const Error &e) {
        problem(from + ": " + e.what(), true);
      }
    };
    if (!req_.schemas_json.empty()) {
      auto given = parse_json_text<ojson>(req_.schemas_json, "the schemas given");
      for (const auto &s : given.is_array() ? given : ojson::array({given}))
        add(TableSchema::from_json(s.dump()), "a schema given");
    }
    for (const auto &[seq, e] : entries_)
      for (const LogOp &op : e.ops) {
        if (op.type == LogOp::kSchema) add(TableSchema::from_json(op.schema_json), log_key(seq));
        // A drop frees the name: a later registration of it is another table.
        if (op.type == LogOp::kDropTable) set = set->without(op.table);
      }
    return set;
  }

  std::shared_ptr<Block0> rebuild_block0() {
    const Options &o = req_.options;
    auto schemas = known_schemas();
    auto b0 = std::make_shared<Block0>();
    uint64_t max_row_seq = 0, misc_high = 0;
    // Manifest pages by table, newest first (their ids are time ids).
    std::map<std::string, std::vector<std::string>> pages;
    for (const std::string &key : storage_->list_all(prefix_ + o.manifest_prefix + "/")) {
      std::string rest = key.substr(prefix_.size() + o.manifest_prefix.size() + 1);
      size_t slash = rest.find('/');
      if (slash == std::string::npos) continue;
      pages[rest.substr(0, slash)].push_back(key);
    }
    for (auto &[table, keys] : pages) {
      std::sort(keys.rbegin(), keys.rend());
      ojson t;
      t["name"] = table;
      TableRoot root;
      root.name = table;
      std::string why_not;
      for (const std::string &key : keys) {
        why_not = use_page(key, *schemas, &root, &max_row_seq, &misc_high);
        if (why_not.empty()) break;
        t["skipped"].push_back(std::string(key).append(": ").append(why_not));
      }
      if (!why_not.empty()) {
        problem(("table " + table)
                    .append(": no manifest page whose blocks all remain and parse (")
                    .append(why_not)
                    .append(")"),
                true);
        report_["tables"].push_back(t);
        continue;
      }
      t["manifest"] = root.manifest_key;
      t["blocks"] = root.blocks;
      t["rows"] = root.rows;
      report_["tables"].push_back(t);
      b0->tables.push_back(std::move(root));
    }
    for (const auto &[seq, e] : entries_) misc_high = std::max(misc_high, e.misc);
    for (const auto &[table, versions] : schemas->tables())
      for (const auto &[v, s] : versions) b0->schemas.push_back(s->canonical_json());
    // Entries that remain are replayed on top of the blocks (replaying one a block already
    // holds changes nothing: entries hold resolved rows); without any, the rows' versions
    // tell where the log stood.
    b0->applied_seq = entries_.empty() ? max_row_seq : entries_.begin()->first - 1;
    b0->log_floor = b0->applied_seq;
    if (!entries_.empty()) b0->applied_commit_id = entries_.begin()->second.prev_commit_id;
    b0->misc_high = misc_high;
    // Higher than any generation the lost Block 0 had: nodes that still hold it take this one.
    b0->generation = now_ms();
    b0->merge_time_ms = now_ms();
    action("write a new Block 0 at " + prefix_ + "block0: " + std::to_string(b0->tables.size()) +
           " tables, log position " + std::to_string(b0->applied_seq) +
           ", indexes rebuilt by the next merges");
    return b0;
  }

  // Takes a manifest page into `root` when every block it names remains and parses under a
  // known schema; otherwise says why not.
  std::string use_page(const std::string &key, const SchemaSet &schemas, TableRoot *root,
                       uint64_t *max_row_seq, uint64_t *misc_high) {
    try {
      auto obj = storage_->get(key);
      if (!obj) return "gone";
      auto page = decode_manifest_page(obj->data, key);
      uint64_t rows = 0, bytes = 0, seq = 0, misc = 0;
      uint32_t oldest = 0;
      for (const BlockRef &ref : page->blocks) {
        SchemaPtr sp = schemas.version(page->table, ref.schema_version);
        if (!sp)
          return "its blocks are in schema version " + std::to_string(ref.schema_version) +
                 " of table " + page->table + ", which no remaining object holds: give that schema";
        auto block_obj = storage_->get(ref.key);
        if (!block_obj) return "block " + ref.key + " is missing";
        auto block = DataBlock::parse(std::move(block_obj->data), ref.key, sp);
        for (size_t i = 0; i < block->rows(); i++) {
          seq = std::max(seq, block->seq(i));
          misc = std::max(misc, block->misc(i));
        }
        rows += block->rows();
        bytes += ref.bytes;
        if (!oldest || ref.schema_version < oldest) oldest = ref.schema_version;
      }
      root->manifest_key = key;
      root->rows = rows;
      root->blocks = page->blocks.size();
      root->bytes = bytes;
      root->oldest_version = oldest;
      root->indexes.clear();  // rebuilt from the blocks by the next merges
      *max_row_seq = std::max(*max_row_seq, seq);
      *misc_high = std::max(*misc_high, misc);
      return "";
    } catch (const Error &e) {
      return e.what();
    }
  }

  void write(const std::shared_ptr<Block0> &rebuilt) {
    if (rebuilt) {
      std::string key = prefix_ + "block0";
      if (storage_->put(key, encode_block0(*rebuilt), PutCondition{"", true}) != PutOutcome::kOk)
        fail(BDB_E_CONFLICT, "recover: " + key + " appeared meanwhile; nothing was written");
      written_ = true;
    }
    // Lost entries, lowest first: each names the one before it and carries the id the next
    // entry expects, so the chain reads on.
    for (uint64_t seq : lost_) {
      LogEntry fill;
      fill.seq = seq;
      fill.node_id = 255;
      auto before = entries_.find(seq - 1);
      auto after = entries_.find(seq + 1);
      if (before != entries_.end()) fill.prev_commit_id = before->second.commit_id;
      fill.commit_id = after != entries_.end() && after->second.prev_commit_id != Id128{}
                           ? after->second.prev_commit_id
                           : random_id();
      fill.misc = before != entries_.end() ? before->second.misc : 0;
      if (storage_->put(log_key(seq), encode_log_entry(fill), PutCondition{"", true}) ==
          PutOutcome::kOk)
        written_ = true;
      entries_[seq] = fill;
    }
  }

  const RecoverRequest &req_;
  std::unique_ptr<Storage> storage_;
  std::string prefix_;
  std::map<uint64_t, LogEntry> entries_;
  std::vector<uint64_t> lost_;
  std::vector<std::string> problems_blocking_;
  ojson report_;
  bool written_ = false;
};

}  // namespace

std::string recover_database(const RecoverRequest &req) {
  req.options.validate();
  return Recovery(req).run();
}

}  // namespace bucketdb
