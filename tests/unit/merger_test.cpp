// The merge's fold on its own (core/engine/merger.h): what it writes, what it keeps, and that it
// installs nothing; Database::merge's swap is tested with the engine (engine_test.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "core/engine/database.h"
#include "core/engine/merger.h"
#include "core/format/block0.h"
#include "core/format/manifest_page.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

// 40 users merged into blocks of a few rows each.
class Fold : public ::testing::Test {
 protected:
  void SetUp() override {
    uri_ = test::fresh_memory_uri();
    keep_ = Storage::open(uri_);
    Options o = test::quiet_options();
    o.block_size_bytes = 512;
    o.auto_merge = false;
    db_ = test::open_db(uri_, o);
    db_->register_schema(test::kUsersSchema);
    Batch b;
    for (int i = 0; i < 40; i++) b.stage(StagedOp::kUpdate, user(i, "first"));
    db_->commit(b);
    db_->merge();
    ASSERT_GE(blocks().size(), 5u);
  }
  Document user(int i, const std::string &name) {
    Document d(db_->table_schema("users"));
    char id[8];
    std::snprintf(id, sizeof id, "u%02d", i);
    d.set_json_object({{"id", id}, {"name", name}, {"age", i}});
    return d;
  }
  std::vector<BlockRef> blocks() {
    const Block0 &b0 = *db_->snapshot()->block0;
    return db_->load_manifest(b0.tables.at(0).manifest_key)->blocks;
  }
  uint64_t stored_generation() {
    auto got = keep_->get(db_->block0_key());
    return decode_block0(got->data, db_->block0_key()).generation;
  }
  std::string uri_;
  std::unique_ptr<Storage> keep_;
  std::unique_ptr<Database> db_;
};

TEST_F(Fold, NothingToDoWithoutEntriesOrBackgroundWork) {
  ObjectStore::Writes writes(db_->objects());
  EXPECT_FALSE(Merger(*db_, db_->snapshot(), writes, 1000).has_work());
}

// One changed row rewrites the block holding it; every other block is kept by reference,
// and the new objects are written while the store's Block 0 stays as it was.
TEST_F(Fold, RewritesOnlyTheBlockOfAChangedRowAndInstallsNothing) {
  const std::vector<BlockRef> before = blocks();
  const uint64_t generation = stored_generation();
  Batch b;
  b.stage(StagedOp::kUpdate, user(17, "second"));
  const uint64_t seq = db_->commit(b);

  SnapshotPtr s = db_->snapshot();
  ObjectStore::Writes writes(db_->objects());
  Merger merger(*db_, s, writes, 1000);
  ASSERT_TRUE(merger.has_work());
  std::shared_ptr<Block0> next = merger.fold(/*checkpoint_known=*/false);
  writes.wait();
  EXPECT_EQ(next->generation, s->block0->generation + 1);
  EXPECT_EQ(next->applied_seq, seq);
  EXPECT_EQ(stored_generation(), generation) << "the fold swaps nothing";

  // Written: the rewritten block, the table's index nodes on the changed path, the manifest.
  for (const std::string &key : merger.written()) EXPECT_TRUE(keep_->get(key)) << key;
  auto page = decode_manifest_page(keep_->get(next->tables.at(0).manifest_key)->data, "page");
  std::set<std::string> old_keys;
  for (const BlockRef &r : before) old_keys.insert(r.key);
  size_t kept = 0, rewritten = 0;
  for (const BlockRef &r : page->blocks) (old_keys.count(r.key) ? kept : rewritten)++;
  EXPECT_EQ(rewritten, 1u);
  EXPECT_EQ(kept, before.size() - 1);
  // The replaced block and manifest page become garbage of the next generation.
  size_t garbage_blocks = 0;
  for (const Garbage &g : next->garbage)
    if (old_keys.count(g.key)) {
      garbage_blocks++;
      EXPECT_EQ(g.generation, next->generation);
    }
  EXPECT_EQ(garbage_blocks, 1u);
}

// A fold whose Block 0 is never installed leaves every object the store's Block 0 names in
// place: the merge that follows folds the same entry again, and reads find each row.
TEST_F(Fold, AFoldNotInstalledLeavesTheDatabaseAsItWas) {
  Batch b;
  b.stage(StagedOp::kUpdate, user(3, "second"));
  db_->commit(b);
  {
    ObjectStore::Writes writes(db_->objects());
    Merger merger(*db_, db_->snapshot(), writes, 1000);
    merger.fold(false);
    writes.wait();
  }
  EXPECT_EQ(db_->merge(), 1u) << "the entry is still unmerged";
  Document key(db_->table_schema("users"));
  key.set_json_object({{"id", "u03"}});
  auto got = db_->get(key);
  ASSERT_TRUE(got);
  EXPECT_NE(got->to_json().find("second"), std::string::npos);
}

}  // namespace
}  // namespace bucketdb
