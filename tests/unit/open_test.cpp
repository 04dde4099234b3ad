// Opening: a database exists once its Block 0 does. Reads never create one nor write to it;
// a prefix whose Block 0 was lost beside its objects is corruption, never a new database.
#include <gtest/gtest.h>

#include <functional>

#include "core/util/error.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

Options plain() {
  Options o = test::quiet_options();
  o.create_if_missing = false;
  return o;
}

using test::error_of;

// The keys of a store, seen through a handle of its own.
std::vector<std::string> keys_of(const std::string &uri) {
  return Storage::open(uri)->list_all("");
}

void add_user(Database &db, const std::string &id) {
  Document d(db.table_schema("users"));
  d.set_json_object({{"id", id}, {"name", "N" + id}});
  Batch b;
  b.stage(StagedOp::kUpdate, d);
  db.commit(b);
}

TEST(Open, APrefixWithoutADatabaseIsNotFoundAndStaysEmpty) {
  std::string uri = test::fresh_memory_uri();
  auto keep = Storage::open(uri);  // keeps the named memory store alive between opens
  Error e = error_of([&] { test::open_db(uri, plain()); });
  EXPECT_EQ(e.status(), BDB_E_NOT_FOUND);
  EXPECT_NE(std::string(e.what()).find("no database at " + uri + " (main/block0 not found)"),
            std::string::npos)
      << e.what();
  Options ro = plain();
  ro.read_only = true;
  EXPECT_EQ(error_of([&] { test::open_db(uri, ro); }).status(), BDB_E_NOT_FOUND);
  EXPECT_TRUE(keys_of(uri).empty()) << "nothing was written";
  {
    auto db = test::open_db(uri);  // createIfMissing
    db->register_schema(test::kUsersSchema);
  }
  EXPECT_EQ(keys_of(uri),
            (std::vector<std::string>{"main/block0", "main/committed/00000000000000000001"}));
  test::open_db(uri, plain());  // exists now
}

// A binding opens with createIfMissing by default: a read of a mistyped path must still write
// nothing. Block 0 goes out with the first write, before anything else.
TEST(Open, ACreatingOpenWritesNothingUntilItsFirstWrite) {
  std::string uri = test::fresh_memory_uri();
  auto keep = Storage::open(uri);
  {
    auto db = test::open_db(uri);
    EXPECT_EQ(error_of([&] { db->table_schema("users"); }).status(), BDB_E_SCHEMA);
    EXPECT_EQ(db->merge(), 0u);
    EXPECT_EQ(db->gc(true), 0u);
  }
  EXPECT_TRUE(keys_of(uri).empty()) << "a read, a merge and a gc wrote nothing";
  EXPECT_EQ(error_of([&] { test::open_db(uri, plain()); }).status(), BDB_E_NOT_FOUND);

  // Two handles that found nothing both write: one creates, the other reads what it created.
  auto a = test::open_db(uri), b = test::open_db(uri);
  a->register_schema(test::kUsersSchema);
  b->register_schema(test::kUsersSchema);
  add_user(*b, "u1");
  add_user(*a, "u2");
  std::vector<std::string> keys = keys_of(uri);
  EXPECT_EQ(keys.front(), "main/block0");
  EXPECT_EQ(keys.size(), 4u) << "Block 0 and three entries (b's schema was already there)";
  for (Database *db : {a.get(), b.get()}) {
    db->refresh();
    for (const char *id : {"u1", "u2"}) {
      Document k(db->table_schema("users"));
      k.set(0, Value{std::string(id)});
      EXPECT_TRUE(db->get(k)) << id;
    }
  }
}

TEST(Open, ALostBlock0IsCorruptionAndNothingIsReplacedOrCollected) {
  std::string uri = test::fresh_memory_uri();
  auto store = Storage::open(uri);
  {
    auto db = test::open_db(uri);
    db->register_schema(test::kUsersSchema);
    add_user(*db, "u1");
    db->merge();
    add_user(*db, "u2");
  }
  std::vector<std::string> before = keys_of(uri);
  store->del("main/block0");
  for (bool create : {false, true}) {
    Options o = plain();
    o.create_if_missing = create;
    Error e = error_of([&] { test::open_db(uri, o); });
    EXPECT_EQ(e.status(), BDB_E_CORRUPT);
    EXPECT_NE(std::string(e.what()).find("Block 0 missing: main/block0 is not found, yet the "
                                         "database holds " +
                                         std::to_string(before.size() - 1) + " objects"),
              std::string::npos)
        << e.what();
  }
  std::vector<std::string> after = keys_of(uri);
  before.erase(std::find(before.begin(), before.end(), "main/block0"));
  EXPECT_EQ(after, before) << "no new Block 0, nothing deleted";
}

TEST(Open, GarbageCollectionRefusesToRunWhenBlock0WasDeletedUnderIt) {
  std::string uri = test::fresh_memory_uri();
  auto store = Storage::open(uri);
  Options o = test::quiet_options();
  o.gc_grace_ms = 0;
  auto db = test::open_db(uri, o);
  db->register_schema(test::kUsersSchema);
  add_user(*db, "u1");
  db->merge();
  store->del("main/block0");
  std::vector<std::string> before = keys_of(uri);
  Error e = error_of([&] { db->gc(); });
  EXPECT_EQ(e.status(), BDB_E_CORRUPT);
  EXPECT_NE(std::string(e.what()).find("Block 0 missing"), std::string::npos) << e.what();
  EXPECT_EQ(keys_of(uri), before);
}

TEST(Open, AReadOnlyHandleSendsOnlyGetsAndLists) {
  std::string uri = test::fresh_memory_uri();
  auto keep = Storage::open(uri);
  {
    auto db = test::open_db(uri);
    db->register_schema(test::kUsersSchema);
    add_user(*db, "u1");
  }
  Options o = plain();
  o.read_only = true;
  o.auto_merge = true;
  o.merge_threshold_entries = 1;  // a merge is due: a writable handle would merge at close
  {
    auto db = test::open_db(uri, o);
    Document k(db->table_schema("users"));
    k.set(0, Value{std::string("u1")});
    EXPECT_TRUE(db->get(k).has_value());
    for (auto &[what, call] : std::vector<std::pair<std::string, std::function<void()>>>{
             {"commit", [&] { add_user(*db, "u2"); }},
             {"register schema", [&] { db->register_schema(test::kUsersSchema); }},
             {"merge", [&] { db->merge(); }},
             {"garbage collection", [&] { db->gc(); }}}) {
      Error e = error_of(call);
      EXPECT_EQ(e.status(), BDB_E_INVALID) << what;
      EXPECT_EQ(std::string(e.what()), what + ": the database is open read-only (option readOnly)");
    }
    EXPECT_EQ(db->storage().counters().puts.load(), 0u);
    EXPECT_EQ(db->storage().counters().deletes.load(), 0u);
  }
  auto again = test::open_db(uri, plain());
  EXPECT_EQ(again->snapshot()->block0->applied_seq, 0u) << "nothing merged at close";
  EXPECT_EQ(error_of([] {
              Options bad = plain();
              bad.read_only = bad.create_if_missing = true;
              bad.validate();
            }).status(),
            BDB_E_INVALID);
}

}  // namespace
}  // namespace bucketdb
