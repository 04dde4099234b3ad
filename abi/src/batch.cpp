// bdb_batch_*: stage operations, commit them as one log entry.
#include "abi/src/abi_guard.h"
#include "abi/src/handles.h"
#include "core/codec/json_values.h"

using bucketdb::fail;
using bucketdb::StagedOp;
using bucketdb::abi::ChildCall;
using bucketdb::abi::DbCall;
using bucketdb::abi::guard;

namespace {

bdb_status stage(const char *call, bdb_batch *batch, const bdb_doc *doc, StagedOp::Kind kind) {
  return guard(call, [&] {
    ChildCall in(batch, "batch");
    BDB_REQUIRE(doc);
    batch->batch.stage(kind, doc->doc);
  });
}

bdb_status stage_json(const char *call, bdb_batch *batch, const char *table, const char *json,
                      StagedOp::Kind kind) {
  return guard(call, [&] {
    ChildCall in(batch, "batch");
    BDB_REQUIRE(table);
    BDB_REQUIRE(json);
    bucketdb::Document d(in.engine().table_schema(table));
    d.set_json_object(bucketdb::parse_json(json, "a document of table " + std::string(table)));
    batch->batch.stage(kind, d);
  });
}

}  // namespace

extern "C" {

bdb_status bdb_batch_new(bdb_db *db, bdb_batch **out) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    *out = nullptr;
    DbCall in(db);
    *out = new bdb_batch(db);
  });
}

void bdb_batch_free(bdb_batch *batch) {
  bucketdb::abi::free_child(batch);
}

bdb_status bdb_batch_insert(bdb_batch *b, const bdb_doc *d) {
  return stage(__func__, b, d, StagedOp::kInsert);
}
bdb_status bdb_batch_update(bdb_batch *b, const bdb_doc *d) {
  return stage(__func__, b, d, StagedOp::kUpdate);
}
bdb_status bdb_batch_patch(bdb_batch *b, const bdb_doc *d) {
  return stage(__func__, b, d, StagedOp::kPatch);
}
bdb_status bdb_batch_delete(bdb_batch *b, const bdb_doc *d) {
  return stage(__func__, b, d, StagedOp::kDelete);
}

bdb_status bdb_batch_insert_json(bdb_batch *b, const char *table, const char *json) {
  return stage_json(__func__, b, table, json, StagedOp::kInsert);
}
bdb_status bdb_batch_update_json(bdb_batch *b, const char *table, const char *json) {
  return stage_json(__func__, b, table, json, StagedOp::kUpdate);
}
bdb_status bdb_batch_patch_json(bdb_batch *b, const char *table, const char *json) {
  return stage_json(__func__, b, table, json, StagedOp::kPatch);
}

bdb_status bdb_batch_delete_key(bdb_batch *batch, const char *table, const char *key_text) {
  return guard(__func__, [&] {
    ChildCall in(batch, "batch");
    BDB_REQUIRE(table);
    BDB_REQUIRE(key_text);
    batch->batch.stage(StagedOp::kDelete,
                       bucketdb::abi::key_doc_from_text(in.engine(), table, key_text));
  });
}

bdb_status bdb_batch_expect_version(bdb_batch *batch, uint64_t version) {
  return guard(__func__, [&] {
    ChildCall in(batch, "batch");
    if (batch->batch.ops.empty())
      fail(BDB_E_INVALID, "bdb_batch_expect_version: the batch has no operation to apply it to");
    batch->batch.ops.back().has_expected = true;
    batch->batch.ops.back().expected_version = version;
  });
}

bdb_status bdb_batch_expect_exists(bdb_batch *batch) {
  return guard(__func__, [&] {
    ChildCall in(batch, "batch");
    if (batch->batch.ops.empty())
      fail(BDB_E_INVALID, "bdb_batch_expect_exists: the batch has no operation to apply it to");
    batch->batch.ops.back().must_exist = true;
  });
}

size_t bdb_batch_size(const bdb_batch *batch) {
  size_t n = 0;
  guard(__func__, [&] {
    auto *b = const_cast<bdb_batch *>(batch);  // its mutex, not its contents
    ChildCall in(b, "batch");
    n = b->batch.ops.size();
  });
  return n;
}

void bdb_batch_clear(bdb_batch *batch) {
  guard(__func__, [&] {
    ChildCall in(batch, "batch");
    batch->batch.ops.clear();
  });
}

bdb_status bdb_batch_commit(bdb_batch *batch, uint64_t *out_seq) {
  return guard(__func__, [&] {
    ChildCall in(batch, "batch");
    uint64_t seq = in.engine().commit(batch->batch);
    if (out_seq) *out_seq = seq;
  });
}

}  // extern "C"
