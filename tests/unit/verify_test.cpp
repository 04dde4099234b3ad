// verify: every object Block 0 reaches is read from storage and checked; each damaged or
// missing one is reported by key and kind, and the rest are still checked.
#include <gtest/gtest.h>

#include "core/util/error.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

using test::open_db;
using test::quiet_options;

class Verify : public ::testing::Test {
 protected:
  void SetUp() override {
    uri_ = test::fresh_memory_uri();
    Options o = quiet_options();
    o.block_size_bytes = 512;
    db_ = open_db(uri_, o);
    db_->register_schema(test::kUsersSchema);
    Batch b;
    for (int i = 0; i < 200; i++) {
      Document d(db_->table_schema("users"));
      nlohmann::json j = {{"id", "u" + std::to_string(1000 + i)},
                          {"name", "n" + std::to_string(i % 7)}};
      if (i % 50 == 0) j["avatar"] = {{"base64", "aGVsbG8="}};
      d.set_json_object(j);
      b.stage(StagedOp::kUpdate, d);
    }
    db_->commit(b);
    db_->merge();
    Document late(db_->table_schema("users"));
    late.set_json_object({{"id", "late"}, {"avatar", {{"base64", "d29ybGQ="}}}});
    b.stage(StagedOp::kUpdate, late);
    db_->commit(b);  // an unmerged entry, with a blob
  }
  // On the handle that wrote everything (it caches much): verify reads from storage all the
  // same. (A damaged log entry would stop a new handle's open, naming the entry.)
  nlohmann::json verify() { return nlohmann::json::parse(db_->verify_json()); }
  // Flips a byte in the middle of the object at `key`.
  void damage(const std::string &key) {
    auto obj = db_->storage().get(key);
    ASSERT_TRUE(obj) << key;
    obj->data[obj->data.size() / 2] ^= 0x40;
    db_->storage().put(key, obj->data, PutCondition{});
  }
  std::string uri_;
  std::unique_ptr<Database> db_;
};

TEST_F(Verify, ASoundDatabaseChecksEveryObject) {
  auto r = verify();
  EXPECT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_EQ(r["rows"].get<uint64_t>(), 200u);
  const auto &checked = r["checked"];
  EXPECT_EQ(checked["block0"].get<int>(), 1);
  EXPECT_EQ(checked["manifest page"].get<int>(), 1);
  EXPECT_GT(checked["data block"].get<int>(), 10);
  EXPECT_GT(checked["index node"].get<int>(), 0);
  EXPECT_EQ(checked["blob"].get<int>(), 5);  // four in blocks, one in the unmerged log
  EXPECT_EQ(checked["log entry"].get<int>(), 1);
}

TEST_F(Verify, EachDamagedObjectIsNamedAndTheRestChecked) {
  auto snap = db_->snapshot();
  const TableRoot &t = *snap->table_root("users");
  auto page = db_->load_manifest(t.manifest_key);
  std::string block = page->blocks[3].key, node = t.indexes[0].root;
  std::vector<std::string> blobs = db_->storage().list_all("main/blobs/");
  ASSERT_EQ(blobs.size(), 5u);
  damage(block);
  damage(node);
  damage(blobs[0]);
  db_->storage().del(blobs[1]);
  damage(db_->log_key(snap->last_seq));
  auto r = verify();
  EXPECT_FALSE(r["ok"].get<bool>());
  std::map<std::string, std::string> found;  // key -> kind
  for (const auto &d : r["damaged"])
    found[d["key"].get<std::string>()] = d["kind"].get<std::string>();
  EXPECT_EQ(found[block], "data block") << r.dump();
  EXPECT_EQ(found[node], "index node");
  EXPECT_EQ(found[blobs[0]], "blob");
  EXPECT_EQ(found[blobs[1]], "blob");
  EXPECT_EQ(found[db_->log_key(snap->last_seq)], "log entry");
  EXPECT_EQ(found.size(), 5u) << r.dump();
  for (const auto &d : r["damaged"]) {
    if (d["key"] == blobs[1]) {
      EXPECT_EQ(d["problem"], "missing");
    }
  }
  EXPECT_GT(r["checked"]["data block"].get<int>(), 10) << "the other blocks were checked";
}

// PREFIX/contended (what writers that lose races write, outside Block 0's reach) is neither
// damage nor unknown: it is checked as a contention hint, and only a foreign body is damage.
TEST_F(Verify, TheContentionHintIsKnownAndSound) {
  const std::string key = "main/contended";
  const std::string hint = "123456789 1765080000000";
  db_->storage().put(key, Bytes(hint.begin(), hint.end()), PutCondition{});
  auto r = verify();
  EXPECT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_EQ(r["checked"]["contention hint"].get<int>(), 1) << r.dump();
  const std::string junk = "{\"not\":\"a hint\"}";
  db_->storage().put(key, Bytes(junk.begin(), junk.end()), PutCondition{});
  r = verify();
  EXPECT_FALSE(r["ok"].get<bool>());
  ASSERT_EQ(r["damaged"].size(), 1u) << r.dump();
  EXPECT_EQ(r["damaged"][0]["key"], key);
  EXPECT_EQ(r["damaged"][0]["kind"], "contention hint");
  db_->storage().del(key);
  r = verify();
  EXPECT_TRUE(r["ok"].get<bool>()) << "no hint is normal: " << r.dump();
  EXPECT_FALSE(r["checked"].contains("contention hint"));
}

}  // namespace
}  // namespace bucketdb
