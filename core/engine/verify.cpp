// verify: reads and checks every object the current Block 0 reaches (the manifest pages, data
// blocks and index nodes of every table, the blobs their rows and the unmerged log's rows
// hold, the unmerged log entries), straight from storage: the cache is neither used nor
// filled, so what is checked is what the store holds. Damage is reported per object, by key,
// and the check goes on; only a storage failure (I/O, permissions) stops it.
#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/engine/database.h"
#include "core/engine/drop.h"
#include "core/format/envelope.h"
#include "core/format/log_checkpoint.h"
#include "core/util/error.h"

namespace bucketdb {

namespace {

using ojson = nlohmann::ordered_json;

struct Checker {
  explicit Checker(Database &database) : db(database) {}
  Database &db;
  ojson damaged = ojson::array();
  uint64_t objects = 0, bytes = 0, rows = 0;
  std::map<std::string, uint64_t> counts;
  size_t window = 1;
  std::set<std::string> blob_ids;

  void damage(const std::string &key, const char *kind, const std::string &problem) {
    damaged.push_back({{"key", key}, {"kind", kind}, {"problem", problem}});
  }
  void progress() { db.options().progress("verify", objects, 0); }

  // Fetches `keys` a window at a time and calls check(key, bytes) on each present one; a
  // missing one is damage. check's errors are the object's damage.
  template <class Check>
  void each(const std::vector<std::string> &keys, const char *kind, Check &&check) {
    for (size_t i = 0; i < keys.size(); i += window) {
      std::vector<std::string> part(
          keys.begin() + static_cast<long>(i),
          keys.begin() + static_cast<long>(std::min(keys.size(), i + window)));
      auto got = db.objects().get_all(part);
      for (size_t j = 0; j < part.size(); j++) {
        objects++;
        counts[kind]++;
        if (!got[j]) {
          damage(part[j], kind, "missing");
          continue;
        }
        bytes += got[j]->data.size();
        try {
          check(part[j], std::move(got[j]->data));
        } catch (const Error &e) {
          damage(part[j], kind, e.what());
        }
      }
      progress();
    }
  }

  void collect_blobs(const TableSchema &s, const RowView &row) {
    for (size_t i = 0; i < s.fields().size(); i++)
      if (s.field(i).type_id == BDB_TYPE_BLOB && !row.null(i))
        blob_ids.insert(uuid_text(std::get<Id128>(row.get(i))));
  }
};

// What signal_contention_locked writes: digits and spaces, a few dozen bytes at most.
bool is_contention_hint(const Bytes &text) {
  if (text.empty() || text.size() > 64) return false;
  bool digit = false;
  for (uint8_t ch : text) {
    if (ch >= '0' && ch <= '9')
      digit = true;
    else if (ch != ' ')
      return false;
  }
  return digit;
}

}  // namespace

std::string Database::verify_json() {
  ensure_fresh(false);
  Checker c(*this);
  c.window =
      std::max<size_t>(1, std::min<uint64_t>(objects_.max_in_flight(),
                                             opts_.max_memory_bytes / 4 /
                                                 std::max<uint64_t>(opts_.block_size_bytes, 1)));
  SnapshotPtr s = snapshot();
  const std::string b0_key = block0_key();

  // Block 0 as the store holds it now; nothing else is reachable without it.
  std::shared_ptr<Block0> b0;
  c.each({b0_key}, "block0", [&](const std::string &key, const Bytes &data) {
    b0 = std::make_shared<Block0>(decode_block0(data, key));
  });
  if (b0) {
    auto schemas = schemas_with_block0(nullptr, *b0, b0_key);
    for (const TableRoot &t : b0->tables) {
      // The manifest page, then its blocks.
      std::shared_ptr<const ManifestPage> page;
      if (!t.manifest_key.empty())
        c.each({t.manifest_key}, "manifest page", [&](const std::string &key, const Bytes &data) {
          page = decode_manifest_page(data, key);
          if (page->table != t.name)
            fail(BDB_E_CORRUPT, "corrupt object " + key + ": belongs to table " + page->table +
                                    ", Block 0 names it for " + t.name);
        });
      if (page) {
        std::vector<std::string> keys;
        std::map<std::string, const BlockRef *> refs;
        for (const BlockRef &ref : page->blocks) {
          keys.push_back(ref.key);
          refs[ref.key] = &ref;
        }
        c.each(keys, "data block", [&](const std::string &key, Bytes data) {
          const BlockRef &ref = *refs[key];
          SchemaPtr version = schemas->version(t.name, ref.schema_version);
          if (!version)
            fail(BDB_E_CORRUPT, "corrupt object " + key + ": rows of " + t.name + " version " +
                                    std::to_string(ref.schema_version) +
                                    ", which Block 0 does not hold");
          auto block = DataBlock::parse(std::move(data), key, version);
          if (block->rows() != ref.rows)
            fail(BDB_E_CORRUPT, "corrupt object " + key + ": holds " +
                                    std::to_string(block->rows()) + " rows, its manifest says " +
                                    std::to_string(ref.rows));
          std::string prev;
          for (size_t r = 0; r < block->rows(); r++) {
            std::string k(block->key_of(r));
            if (r > 0 && k <= prev)
              fail(BDB_E_CORRUPT, "corrupt object " + key + ": rows out of primary-key order");
            block->row(r).decode();  // every value, every heap reference
            c.collect_blobs(*version, block->row(r));
            prev = std::move(k);
          }
          if (block->rows() && (block->key_of(0) != ref.first_key ||
                                block->key_of(block->rows() - 1) != ref.last_key))
            fail(BDB_E_CORRUPT, "corrupt object " + key +
                                    ": its first or last key is not the one its manifest names");
          c.rows += block->rows();
        });
      }
      // Index nodes, a level at a time.
      for (const IndexRoot &ix : t.indexes) {
        std::vector<std::string> level;
        if (!ix.root.empty()) level.push_back(ix.root);
        while (!level.empty()) {
          std::vector<std::string> next;
          c.each(level, "index node", [&](const std::string &key, const Bytes &data) {
            auto node = decode_index_node(data, key);
            if (!std::is_sorted(node->keys.begin(), node->keys.end()))
              fail(BDB_E_CORRUPT, "corrupt object " + key + ": keys out of order");
            for (const auto &child : node->children) next.push_back(child);
          });
          level = std::move(next);
        }
      }
    }
  }

  // The unmerged log: each entry after the Block 0 this node reads, up to the newest it knows,
  // its rows read with the schemas as they stood at it (registrations and drops replayed).
  std::vector<std::string> log_keys;
  for (uint64_t seq = s->block0->applied_seq + 1; seq <= s->last_seq; seq++)
    log_keys.push_back(log_key(seq));
  std::shared_ptr<const SchemaSet> at = schemas_with_block0(nullptr, *s->block0, b0_key);
  c.each(log_keys, "log entry", [&](const std::string &key, const Bytes &data) {
    LogEntry e = decode_log_entry(data, key);
    for (const LogOp &op : e.ops) {
      if (op.type == LogOp::kDropTable) at = at->without(op.table);
      if (op.type == LogOp::kSchema) {
        SchemaPtr sp = TableSchema::from_json(op.schema_json);
        bool added = false;
        try {
          auto next = at->with(sp, &added);
          if (added) at = next;
        } catch (const Error &) {
          // A registration that lost a race: the first one stands, as when applying (apply.cpp).
        }
      }
      if (op.type != LogOp::kPut) continue;
      SchemaPtr version = at->version(op.table, op.schema_version);
      if (!version)
        fail(BDB_E_CORRUPT, "corrupt object " + key + ": a row of " + op.table + " version " +
                                std::to_string(op.schema_version) + ", which is not registered");
      RowView row(*version, reinterpret_cast<const uint8_t *>(op.fixed.data()), op.heap, &key);
      row.decode();
      c.collect_blobs(*version, row);
    }
  });

  // The blobs the rows hold.
  std::vector<std::string> blob_keys;
  for (const auto &id : c.blob_ids) blob_keys.push_back(blob_key(id));
  c.each(blob_keys, "blob", [&](const std::string &key, const Bytes &data) {
    open_object(ObjectKind::kBlob, data, key);
  });

  // The contention hint (SPEC section 8) lies outside Block 0's reach: a writer's id and wall
  // time in digits and spaces. Its absence is normal; anything else at its key is damage.
  const std::string hint_key = contention_key();
  auto hint = objects_.get_all({hint_key});
  if (hint[0]) {
    c.objects++;
    c.counts["contention hint"]++;
    const Bytes &text = hint[0]->data;
    c.bytes += text.size();
    if (!is_contention_hint(text))
      c.damage(hint_key, "contention hint",
               "not a contention hint (a writer's id and time: digits and spaces); writers "
               "overwrite it when they contend, and it may be deleted");
  }

  // The log checkpoint of Block 0's position (SPEC section 3), when one was written: a copy
  // of the log's first entries, which opens read instead of them.
  const std::string checkpoint = checkpoint_key(s->block0->applied_seq);
  auto copy = objects_.get_all({checkpoint});
  if (copy[0]) {
    c.objects++;
    c.counts["log checkpoint"]++;
    c.bytes += copy[0]->data.size();
    try {
      LogCheckpoint cp = decode_log_checkpoint(copy[0]->data, checkpoint);
      if (cp.applied_seq != s->block0->applied_seq)
        fail(BDB_E_CORRUPT, "follows sequence " + std::to_string(cp.applied_seq));
      for (size_t i = 0; i < cp.entries.size(); i++) {
        const uint64_t seq = cp.applied_seq + 1 + i;
        if (decode_log_entry(cp.entries[i], checkpoint).seq != seq)
          fail(BDB_E_CORRUPT, "entry " + std::to_string(i + 1) + " is not " + log_key(seq));
      }
    } catch (const Error &e) {
      c.damage(
          checkpoint, "log checkpoint",
          std::string(e.what()) + "; opens read the log entries instead, and it may be deleted");
    }
  }

  ojson out;
  out["ok"] = c.damaged.empty();
  out["objects"] = c.objects;
  out["bytes"] = c.bytes;
  out["rows"] = c.rows;
  ojson kinds = ojson::object();
  for (const auto &[kind, n] : c.counts) kinds[kind] = n;
  out["checked"] = kinds;
  out["damaged"] = c.damaged;
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace bucketdb
