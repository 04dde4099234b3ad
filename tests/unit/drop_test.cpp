// Dropping tables and indexes (docs/SPEC.md section 3, "Dropping"): gone from the next read,
// the name free again, the objects kept for history until gcGraceMs after the merge that
// folds the drop, then collected; other nodes and reopened handles agree.
#include <gtest/gtest.h>

#include "core/util/error.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

using test::open_db;
using test::quiet_options;
using test::status_of;

const char *kEvents = R"({"name":"events","version":1,"fields":{"id":{"typeId":3},
  "kind":{"typeId":10},"blob":{"typeId":11}},"primaryKey":"id","indexes":["kind"]})";
// Another table under the same name: another key type, other fields.
const char *kEventsAgain = R"({"name":"events","version":1,"fields":{"code":{"typeId":10},
  "n":{"typeId":4}},"primaryKey":"code"})";

void put(Database &db, const std::string &table, const std::string &json) {
  Document d(db.table_schema(table));
  d.set_json_object(nlohmann::json::parse(json));
  Batch b;
  b.stage(StagedOp::kUpdate, d);
  db.commit(b);
}

std::vector<std::string> rows(Database &db, const std::string &table,
                              std::optional<uint64_t> as_of = std::nullopt) {
  QuerySpec q;
  q.schema = db.table_schema(table);
  q.as_of_seq = as_of;
  std::vector<std::string> out;
  auto c = db.query(q);
  while (auto d = c->next()) out.push_back(d->to_json());
  return out;
}

// Keys of every object under a sub-prefix ("data", "indexes", ...).
std::vector<std::string> objects(Database &db, const std::string &sub) {
  return db.storage().list_all(db.options().db_prefix + "/" + sub + "/");
}

class Drop : public ::testing::Test {
 protected:
  void SetUp() override {
    uri_ = test::fresh_memory_uri();
    Options o = quiet_options();
    o.gc_grace_ms = 0;
    db_ = open_db(uri_, o);
    db_->register_schema(kEvents);
    for (int i = 1; i <= 3; i++)
      put(*db_, "events",
          R"({"id":)" + std::to_string(i) + R"(,"kind":"k)" + std::to_string(i) +
              R"(","blob":{"base64":"aGk="}})");
    db_->merge();
    put(*db_, "events", R"({"id":4,"kind":"late"})");  // only in the unmerged log
    before_drop_ = db_->snapshot()->last_seq;
  }
  std::string uri_;
  std::unique_ptr<Database> db_;
  uint64_t before_drop_ = 0;
};

TEST_F(Drop, ATableIsGoneAtOnceAndItsNameIsFree) {
  db_->drop_table("events");
  EXPECT_EQ(status_of([&] { db_->table_schema("events"); }), BDB_E_SCHEMA);
  EXPECT_EQ(status_of([&] { db_->drop_table("events"); }), BDB_E_SCHEMA) << "dropped twice";
  EXPECT_EQ(db_->schemas_json(), "[]");
  // The same name, another table: empty, with its own version 1.
  db_->register_schema(kEventsAgain);
  EXPECT_TRUE(rows(*db_, "events").empty()) << "the old blocks are not the new table's";
  put(*db_, "events", R"({"code":"a","n":1})");
  EXPECT_EQ(rows(*db_, "events"), std::vector<std::string>{R"({"code":"a","n":1})"});
  // Another node, and a reopened handle, agree before and after the merge.
  for (int merged = 0; merged < 2; merged++) {
    auto other = open_db(uri_);
    EXPECT_EQ(rows(*other, "events"), std::vector<std::string>{R"({"code":"a","n":1})"});
    if (!merged) db_->merge();
  }
  EXPECT_EQ(rows(*db_, "events"), std::vector<std::string>{R"({"code":"a","n":1})"});
}

TEST_F(Drop, HistoryReadsTheDroppedTableUntilCollected) {
  auto old = rows(*db_, "events");
  ASSERT_EQ(old.size(), 4u);
  db_->drop_table("events");
  db_->register_schema(kEventsAgain);  // the name taken again, before and after the merge
  for (int merged = 0; merged < 2; merged++) {
    EXPECT_EQ(rows(*db_, "events", before_drop_), old) << "merged " << merged;
    auto other = open_db(uri_);
    EXPECT_EQ(rows(*other, "events", before_drop_), old) << "merged " << merged;
    if (!merged) db_->merge();
  }
  auto b0 = db_->snapshot()->block0;
  ASSERT_EQ(b0->dropped.size(), 1u);
  EXPECT_EQ(b0->dropped[0].name, "events");
  EXPECT_EQ(b0->dropped[0].seq, before_drop_ + 1);
  // The drop's objects are garbage: the blocks, manifest page, index nodes and blobs.
  size_t data = objects(*db_, "data").size(), blobs = objects(*db_, "blobs").size(),
         nodes = objects(*db_, "indexes").size();
  EXPECT_GT(data, 0u);
  EXPECT_EQ(blobs, 3u);
  EXPECT_GT(nodes, 0u);
  EXPECT_GT(db_->gc(false), 0u);  // gcGraceMs 0: due at once, without the orphan sweep
  EXPECT_TRUE(objects(*db_, "data").empty());
  EXPECT_TRUE(objects(*db_, "blobs").empty());
  EXPECT_TRUE(objects(*db_, "indexes").empty());
  EXPECT_TRUE(db_->snapshot()->block0->dropped.empty());
  EXPECT_EQ(status_of([&] { rows(*db_, "events", before_drop_); }), BDB_E_NOT_FOUND);
}

TEST_F(Drop, AWriteStagedBeforeTheDropIsRefused) {
  Document d(db_->table_schema("events"));
  d.set_json_object({{"id", 9}});
  Batch b;
  b.stage(StagedOp::kUpdate, d);
  auto other = open_db(uri_);
  other->drop_table("events");
  try {
    db_->commit(b);
    ADD_FAILURE() << "committed into a dropped table";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), BDB_E_SCHEMA);
    EXPECT_NE(std::string(e.what()).find("dropped"), std::string::npos) << e.what();
  }
}

TEST_F(Drop, AnIndexDropRegistersTheNextVersionAndCollectsItsNodes) {
  EXPECT_EQ(status_of([&] { db_->drop_index("events", "id"); }), BDB_E_SCHEMA) << "not indexed";
  EXPECT_EQ(status_of([&] { db_->drop_index("events", "zz"); }), BDB_E_SCHEMA) << "no field";
  db_->drop_index("events", "kind");
  SchemaPtr s = db_->table_schema("events");
  EXPECT_EQ(s->version(), 2u);
  EXPECT_TRUE(s->indexes().empty());
  QuerySpec q;
  q.schema = s;
  q.add_condition("kind", "=", "\"k2\"");
  EXPECT_EQ(db_->explain(q).rfind("full scan", 0), 0u) << db_->explain(q);
  EXPECT_EQ(rows(*db_, "events").size(), 4u);
  ASSERT_FALSE(objects(*db_, "indexes").empty());
  db_->merge();
  EXPECT_TRUE(db_->snapshot()->block0->tables[0].indexes.empty());
  db_->gc(false);
  EXPECT_TRUE(objects(*db_, "indexes").empty()) << "the dropped index's nodes were collected";
}

}  // namespace
}  // namespace bucketdb
