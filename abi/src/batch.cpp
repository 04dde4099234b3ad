// bdb_batch_*: stage operations, commit them as one log entry.
#include "abi/src/abi_guard.h"
#include "abi/src/handles.h"
#include "core/codec/json_values.h"

using bucketdb::StagedOp;
using bucketdb::abi::guard;
using bucketdb::fail;

namespace {

bdb_status stage(bdb_batch *batch, const bdb_doc *doc, StagedOp::Kind kind) {
  return guard([&] {
    BDB_REQUIRE(batch);
    BDB_REQUIRE(doc);
    batch->batch.stage(kind, doc->doc);
  });
}

bdb_status stage_json(bdb_batch *batch, const char *table, const char *json,
                      StagedOp::Kind kind) {
  return guard([&] {
    BDB_REQUIRE(batch);
    BDB_REQUIRE(table);
    BDB_REQUIRE(json);
    bucketdb::Document d(batch->db->engine->table_schema(table));
    d.set_json_object(bucketdb::parse_json(json, "a document of table " + std::string(table)));
    batch->batch.stage(kind, d);
  });
}

}  // namespace

extern "C" {

bdb_status bdb_batch_new(bdb_db *db, bdb_batch **out) {
  return guard([&] {
    BDB_REQUIRE(out);
    *out = nullptr;
    BDB_REQUIRE(db);
    *out = new bdb_batch{db, {}};
  });
}

void bdb_batch_free(bdb_batch *batch) { delete batch; }

bdb_status bdb_batch_insert(bdb_batch *b, const bdb_doc *d) { return stage(b, d, StagedOp::kInsert); }
bdb_status bdb_batch_update(bdb_batch *b, const bdb_doc *d) { return stage(b, d, StagedOp::kUpdate); }
bdb_status bdb_batch_patch(bdb_batch *b, const bdb_doc *d) { return stage(b, d, StagedOp::kPatch); }
bdb_status bdb_batch_delete(bdb_batch *b, const bdb_doc *d) { return stage(b, d, StagedOp::kDelete); }

bdb_status bdb_batch_insert_json(bdb_batch *b, const char *table, const char *json) {
  return stage_json(b, table, json, StagedOp::kInsert);
}
bdb_status bdb_batch_update_json(bdb_batch *b, const char *table, const char *json) {
  return stage_json(b, table, json, StagedOp::kUpdate);
}
bdb_status bdb_batch_patch_json(bdb_batch *b, const char *table, const char *json) {
  return stage_json(b, table, json, StagedOp::kPatch);
}

bdb_status bdb_batch_delete_key(bdb_batch *batch, const char *table, const char *key_text) {
  bdb_doc *key = nullptr;
  bdb_status st = bdb_key_doc_from_text(batch ? batch->db : nullptr, table, key_text, &key);
  if (st != BDB_OK) return st;
  st = stage(batch, key, StagedOp::kDelete);
  bdb_doc_free(key);
  return st;
}

bdb_status bdb_batch_expect_version(bdb_batch *batch, uint64_t version) {
  return guard([&] {
    BDB_REQUIRE(batch);
    if (batch->batch.ops.empty())
      fail(BDB_E_INVALID, "bdb_batch_expect_version: the batch has no operation to apply it to");
    batch->batch.ops.back().has_expected = true;
    batch->batch.ops.back().expected_version = version;
  });
}

size_t bdb_batch_size(const bdb_batch *batch) { return batch ? batch->batch.ops.size() : 0; }

void bdb_batch_clear(bdb_batch *batch) {
  if (batch) batch->batch.ops.clear();
}

bdb_status bdb_batch_commit(bdb_batch *batch, uint64_t *out_seq) {
  return guard([&] {
    BDB_REQUIRE(batch);
    uint64_t seq = batch->db->engine->commit(batch->batch);
    if (out_seq) *out_seq = seq;
  });
}

}  // extern "C"
