// A lost Block 0 or log entry is loud, never silent, and recovery rebuilds what remains.
#include <gtest/gtest.h>

#include <functional>

#include "core/engine/recover.h"
#include "core/util/error.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

using test::error_of;

void put_user(Database &db, const std::string &id, int age) {
  Document d(db.table_schema("users"));
  d.set_json_object({{"id", id}, {"name", "N" + id}, {"age", age}});
  Batch b;
  b.stage(StagedOp::kUpdate, d);
  db.commit(b);
}

std::vector<std::string> ids_by_name(Database &db, const std::string &name) {
  QuerySpec q;
  q.schema = db.table_schema("users");
  q.add_condition("name", "=", ("\"" + name + "\"").c_str());
  std::vector<std::string> out;
  auto c = db.query(q);
  while (auto d = c->next()) out.push_back(std::get<std::string>(d->get(0)));
  return out;
}

class Recover : public ::testing::Test {
 protected:
  void SetUp() override {
    uri_ = test::fresh_memory_uri();
    store_ = Storage::open(uri_);
  }
  Options opts() {
    Options o = test::quiet_options();
    o.gc_grace_ms = 0;
    o.block_size_bytes = 600;
    return o;
  }
  nlohmann::json run(bool write, bool accept = false, const std::string &schemas = "") {
    RecoverRequest r;
    r.uri = uri_;
    r.options = opts();
    r.write = write;
    r.accept_lost_entries = accept;
    r.schemas_json = schemas;
    return nlohmann::json::parse(recover_database(r));
  }
  // 40 users merged into blocks (their log entries collected), then 5 more in the log.
  void populate() {
    auto db = test::open_db(uri_, opts());
    db->register_schema(test::kUsersSchema);
    for (int i = 0; i < 40; i++) put_user(*db, "u" + std::to_string(i), i);
    db->merge();
    db->gc();
    for (int i = 40; i < 45; i++) put_user(*db, "u" + std::to_string(i), i);
  }
  std::string uri_;
  std::unique_ptr<Storage> store_;
};

TEST_F(Recover, ALostBlock0IsRebuiltFromWhatRemains) {
  populate();
  store_->del("main/block0");
  std::vector<std::string> before = store_->list_all("");
  // The schema was registered in an entry that was merged and collected: nothing holds it.
  auto dry = run(false);
  EXPECT_EQ(dry["block0"], "missing");
  EXPECT_FALSE(dry["written"].get<bool>());
  EXPECT_EQ(store_->list_all(""), before) << "a dry run writes nothing";
  Error e = error_of([&] { run(true); });
  EXPECT_EQ(e.status(), BDB_E_CORRUPT);
  EXPECT_NE(std::string(e.what()).find("schema version 1 of table users, which no remaining "
                                       "object holds: give that schema"),
            std::string::npos)
      << e.what();
  auto done = run(true, false, test::kUsersSchema);
  EXPECT_TRUE(done["written"].get<bool>()) << done.dump();
  auto db = test::open_db(uri_, opts());
  for (int i = 0; i < 45; i++) {
    Document k(db->table_schema("users"));
    k.set(0, Value{"u" + std::to_string(i)});
    auto row = db->get(k);
    ASSERT_TRUE(row.has_value()) << "u" << i;
    EXPECT_EQ(std::get<uint64_t>(row->get(2)), static_cast<uint64_t>(i));
  }
  db->merge();  // rebuilds the index on name
  EXPECT_EQ(ids_by_name(*db, "Nu7"), std::vector<std::string>{"u7"});
  put_user(*db, "u99", 99);  // commits go on after the last entry that remained
}

TEST_F(Recover, AMissingLogEntryIsAGapUntilItIsGivenUp) {
  {
    auto db = test::open_db(uri_, opts());
    db->register_schema(test::kUsersSchema);
    for (int i = 0; i < 5; i++) put_user(*db, "u" + std::to_string(i), i);  // entries 2..6
  }
  store_->del("main/committed/00000000000000000004");
  Error e = error_of([&] { test::open_db(uri_, opts()); });
  EXPECT_EQ(e.status(), BDB_E_CORRUPT);
  EXPECT_NE(std::string(e.what()).find("gap in the log: main/committed/00000000000000000004 is "
                                       "missing but main/committed/00000000000000000005 exists"),
            std::string::npos)
      << e.what();
  auto dry = run(false);
  EXPECT_EQ(dry["log"]["missing"], nlohmann::json::array({4}));
  EXPECT_EQ(error_of([&] { run(true); }).status(), BDB_E_CORRUPT) << "not without accepting";
  run(true, true);
  auto db = test::open_db(uri_, opts());
  EXPECT_EQ(db->snapshot()->last_seq, 6u);
  Document k(db->table_schema("users"));
  k.set(0, Value{std::string("u2")});
  EXPECT_FALSE(db->get(k).has_value()) << "the lost commit stays lost";
  k.set(0, Value{std::string("u4")});
  EXPECT_TRUE(db->get(k).has_value()) << "the commits after it read on";
  put_user(*db, "u5", 5);
  EXPECT_EQ(db->snapshot()->last_seq, 7u) << "never the lost entry's number";
}

TEST_F(Recover, ANumberTakenAgainAfterALostEntryBreaksTheChainLoudly) {
  auto first = test::open_db(uri_, opts());
  first->register_schema(test::kUsersSchema);
  put_user(*first, "a", 1);  // entry 2; `stale` has seen up to here
  Options o = opts();
  o.read_staleness_ms = 3600000;
  auto stale = test::open_db(uri_, o);
  put_user(*first, "b", 2);  // entry 3
  put_user(*first, "c", 3);  // entry 4, written after 3
  store_->del("main/committed/00000000000000000003");
  put_user(*stale, "d", 4);  // takes number 3 again: the store cannot tell
  Options fresh = opts();
  fresh.read_staleness_ms = 0;
  Error e = error_of([&] { test::open_db(uri_, fresh); });
  EXPECT_EQ(e.status(), BDB_E_CORRUPT);
  EXPECT_NE(std::string(e.what()).find("gap in the log: main/committed/00000000000000000004 was "
                                       "written after commit"),
            std::string::npos)
      << e.what();
}

}  // namespace
}  // namespace bucketdb
