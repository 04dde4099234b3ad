// The engine end to end on the memory and file drivers: commits, preconditions, merge,
// reopen, concurrent writers, blobs, schema versions, garbage collection.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <thread>

#include "core/util/error.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

using test::open_db;
using test::quiet_options;
using test::status_of;

// Runs on memory:, file:, crypt:compress:file: and, when BDB_TEST_S3_URI is set (the S3 tests
// do), on S3; each test gets a database of its own (a fresh store, or a fresh dbPrefix in the
// bucket).
class Engine : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = test::fresh_store(GetParam(), dir_);
    if (store_.uri.empty()) GTEST_SKIP() << "set BDB_TEST_S3_URI to run on S3";
  }
  std::unique_ptr<Database> open(Options o = quiet_options()) {
    o.db_prefix = store_.prefix;
    return open_db(store_.uri, o);
  }
  test::TempDir dir_;
  test::Store store_;
};

Document doc_from(Database &db, const std::string &table, const std::string &json) {
  Document d(db.table_schema(table));
  d.set_json_object(nlohmann::json::parse(json));
  return d;
}

uint64_t put(Database &db, const std::string &json, StagedOp::Kind kind = StagedOp::kUpdate) {
  Batch b;
  b.stage(kind, doc_from(db, "users", json));
  return db.commit(b);
}

std::optional<std::string> get(Database &db, const std::string &id) {
  Document k(db.table_schema("users"));
  k.set(0, Value{id});
  auto d = db.get(k);
  if (!d) return std::nullopt;
  return d->to_json();
}

std::vector<std::string> all(Database &db, const std::string &table = "users") {
  QuerySpec q;
  q.schema = db.table_schema(table);
  auto c = db.query(q);
  std::vector<std::string> out;
  while (auto d = c->next()) out.push_back(d->to_json());
  return out;
}

TEST_P(Engine, CommitGetPatchDelete) {
  auto db = open();
  db->register_schema(test::kUsersSchema);
  uint64_t s1 = put(*db, R"({"id":"u1","name":"Alice","age":30})");
  EXPECT_EQ(*get(*db, "u1"), R"({"id":"u1","name":"Alice","age":30})");
  Batch b;
  b.stage(StagedOp::kPatch, doc_from(*db, "users", R"({"id":"u1","age":31,"active":true})"));
  uint64_t s2 = db->commit(b);
  EXPECT_EQ(s2, s1 + 1);
  EXPECT_EQ(*get(*db, "u1"), R"({"id":"u1","name":"Alice","age":31,"active":true})");
  b.stage(StagedOp::kDelete, doc_from(*db, "users", R"({"id":"u1"})"));
  db->commit(b);
  EXPECT_FALSE(get(*db, "u1"));
  // A delete needs no read: it is logged even for a key that is not there (one PUT, no GET).
  b.stage(StagedOp::kDelete, doc_from(*db, "users", R"({"id":"nobody"})"));
  EXPECT_EQ(db->commit(b), s2 + 2);
  EXPECT_FALSE(get(*db, "nobody"));
}

TEST_P(Engine, ACommitCostsOnePutAndNoGetWhenTheNodeIsCurrent) {
  {
    auto db = open();
    db->register_schema(test::kUsersSchema);
    for (int i = 0; i < 300; i++) put(*db, R"({"id":"r)" + std::to_string(i) + R"(","age":1})");
    db->merge();
  }
  auto db = open();  // cold: has read Block 0 and looked at the log, nothing else
  const StorageCounters &c = db->storage().counters();
  uint64_t gets = c.gets, puts = c.puts;
  Batch b;
  for (int i = 0; i < 50; i++)  // upserts and deletes of existing rows: no read needed
    b.stage(i % 5 ? StagedOp::kUpdate : StagedOp::kDelete,
            doc_from(*db, "users", R"({"id":"r)" + std::to_string(i * 3) + R"(","age":2})"));
  db->commit(b);
  EXPECT_EQ(c.puts - puts, 1u);
  EXPECT_EQ(c.gets - gets, 0u);
  EXPECT_EQ(all(*db).size(), 290u);
}

// With a staleness of seconds, a read checks freshness by the coarse clock: within the
// staleness it costs no request, and once it has passed the read sees another node's commit.
TEST_P(Engine, ReadsWithinTheStalenessCostNothingAndSeeNewCommitsAfterIt) {
  auto writer = open();
  writer->register_schema(test::kUsersSchema);
  put(*writer, R"({"id":"first"})");
  Options o = quiet_options();
  o.read_staleness_ms = 1000;
  auto opened_at = std::chrono::steady_clock::now();  // the reader looks at the log after this
  auto reader = open(o);
  ASSERT_TRUE(get(*reader, "first"));
  const StorageCounters &c = reader->storage().counters();
  uint64_t gets = c.gets;
  put(*writer, R"({"id":"second"})");
  bool missing = !get(*reader, "second");
  if (std::chrono::steady_clock::now() - opened_at < std::chrono::milliseconds(800)) {
    EXPECT_TRUE(missing) << "read the log within the staleness";
    EXPECT_EQ(c.gets - gets, 0u);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_TRUE(get(*reader, "second"));
}

// A count decodes only the rows its filter cannot decide: rows of an older version, and
// rows past a page token. Each count equals the rows the same query returns.
TEST_P(Engine, CountsEqualTheRowsTheQueryReturns) {
  auto db = open();
  db->register_schema(test::kUsersSchema);
  for (int i = 0; i < 40; i++)
    put(*db, R"({"id":"a)" + std::to_string(10 + i) + R"(","age":)" + std::to_string(i) + "}");
  db->merge();  // version 1 rows in blocks
  // Drops fields: a lossy version, allowed explicitly.
  db->register_schema(R"({"name":"users","version":2,"fields":{"id":{"typeId":10},
      "name":{"typeId":10},"age":{"typeId":2},"email":{"typeId":10}},"primaryKey":"id"})",
                      true);
  for (int i = 0; i < 40; i += 3)  // some block rows replaced or deleted in the cache
    put(*db, R"({"id":"a)" + std::to_string(10 + i) + R"(","age":)" + std::to_string(100 + i) + "}",
        i % 2 ? StagedOp::kDelete : StagedOp::kUpdate);
  for (int i = 0; i < 20; i++)  // version 2 rows in the cache only
    put(*db, R"({"id":"b)" + std::to_string(10 + i) + R"(","age":)" + std::to_string(i * 5) + "}");
  auto rows = [&](const QuerySpec &q) {
    auto c = db->query(q);
    uint64_t n = 0;
    while (c->next()) n++;
    return n;
  };
  auto spec = [&](const char *op, const char *value) {
    QuerySpec q;
    q.schema = db->table_schema("users");
    if (op) q.add_condition("age", op, value);
    return q;
  };
  for (bool merged : {false, true}) {
    std::vector<QuerySpec> specs = {spec(nullptr, nullptr), spec(">=", "30"), spec("<", "7"),
                                    spec("isnull", nullptr)};
    QuerySpec limited = spec(">=", "5");
    limited.offset = 3;
    limited.limit = 11;
    specs.push_back(limited);
    QuerySpec first = spec(">=", "20");
    first.limit = 4;
    auto c = db->query(first);
    while (c->next()) {
    }
    QuerySpec after = spec(">=", "20");
    after.set_after(c->page_token());
    specs.push_back(after);
    uint64_t total = 0;
    for (const QuerySpec &q : specs) {
      uint64_t want = rows(q);
      EXPECT_EQ(db->count(q), want) << "merged " << merged;
      total += want;
    }
    EXPECT_GT(total, 0u);
    db->merge();  // now everything in version 2 blocks
  }
}

TEST_P(Engine, FailingBatchLeavesNothing) {
  auto db = open();
  db->register_schema(test::kUsersSchema);
  put(*db, R"({"id":"u1","name":"Alice"})");
  Batch b;
  b.stage(StagedOp::kUpdate, doc_from(*db, "users", R"({"id":"u2","name":"Bob"})"));
  b.stage(StagedOp::kInsert, doc_from(*db, "users", R"({"id":"u1","name":"Again"})"));
  EXPECT_EQ(status_of([&] { db->commit(b); }), BDB_E_EXISTS);
  EXPECT_FALSE(get(*db, "u2"));
  EXPECT_EQ(*get(*db, "u1"), R"({"id":"u1","name":"Alice"})");
  EXPECT_EQ(b.ops.size(), 2u) << "a failed batch keeps its operations";
  Batch p;
  p.stage(StagedOp::kPatch, doc_from(*db, "users", R"({"id":"zz","age":1})"));
  EXPECT_EQ(status_of([&] { db->commit(p); }), BDB_E_NOT_FOUND);
}

TEST_P(Engine, ExpectedVersionIsCompareAndSet) {
  auto db = open();
  db->register_schema(test::kUsersSchema);
  Batch b;
  b.stage(StagedOp::kInsert, doc_from(*db, "users", R"({"id":"c","age":1})"));
  b.ops.back().has_expected = true;  // 0: must not exist
  uint64_t v1 = db->commit(b);
  Document k(db->table_schema("users"));
  k.set(0, Value{std::string("c")});
  EXPECT_EQ(db->get(k)->version, v1);
  b.stage(StagedOp::kUpdate, doc_from(*db, "users", R"({"id":"c","age":2})"));
  b.ops.back().has_expected = true;
  b.ops.back().expected_version = v1 + 5;
  EXPECT_EQ(status_of([&] { db->commit(b); }), BDB_E_CONFLICT);
  b.ops.back().expected_version = v1;
  uint64_t v2 = db->commit(b);
  EXPECT_EQ(db->get(k)->version, v2);
}

TEST_P(Engine, ReopenReproducesStateBeforeAndAfterMerge) {
  std::vector<std::string> before;
  {
    auto db = open();
    db->register_schema(test::kUsersSchema);
    for (int i = 0; i < 50; i++)
      put(*db, R"({"id":"u)" + std::to_string(i) + R"(","age":)" + std::to_string(i) + "}");
    before = all(*db);
  }
  {
    auto db = open();
    EXPECT_EQ(all(*db), before) << "from the log alone";
    EXPECT_EQ(db->merge(), 51u);  // 50 commits + the schema
    EXPECT_EQ(all(*db), before);
    put(*db, R"({"id":"u7","name":"seven"})");
    before = all(*db);
  }
  auto db = open();
  EXPECT_EQ(all(*db), before) << "from blocks plus the log";
  EXPECT_EQ(*get(*db, "u7"), R"({"id":"u7","name":"seven"})");
}

TEST_P(Engine, RandomOperationsMatchAModel) {
  Options o = quiet_options();
  o.block_size_bytes = 512;  // many small blocks: exercises copy-on-write rewrites
  auto db = open(o);
  db->register_schema(test::kUsersSchema);
  std::map<std::string, int> model;
  std::mt19937 rng(7);
  for (int round = 0; round < 40; round++) {
    Batch b;
    std::map<std::string, int> next = model;
    int n = 1 + static_cast<int>(rng() % 20);
    for (int i = 0; i < n; i++) {
      std::string id = "k" + std::to_string(rng() % 120);
      if (rng() % 4 == 0) {
        b.stage(StagedOp::kDelete, doc_from(*db, "users", R"({"id":")" + id + "\"}"));
        next.erase(id);
      } else {
        int age = static_cast<int>(rng() % 200);
        b.stage(
            StagedOp::kUpdate,
            doc_from(*db, "users", R"({"id":")" + id + R"(","age":)" + std::to_string(age) + "}"));
        next[id] = age;
      }
    }
    db->commit(b);
    model = next;
    if (rng() % 5 == 0) db->merge();
    if (rng() % 9 == 0) db = open(o);
    std::vector<std::string> want;
    want.reserve(model.size());
    for (auto &[id, age] : model)
      want.push_back(R"({"id":")" + id + R"(","age":)" + std::to_string(age) + "}");
    ASSERT_EQ(all(*db), want) << "round " << round;
  }
}

TEST_P(Engine, TwoHandlesCommittingConcurrentlyLoseNothing) {
  auto a = open();
  a->register_schema(test::kUsersSchema);
  auto b = open();
  Options fresh = quiet_options();
  fresh.read_staleness_ms = 0;
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; t++)
    threads.emplace_back([&, t] {
      Database &db = t % 2 ? *a : *b;
      for (int i = 0; i < 25; i++)
        put(db, R"({"id":"t)" + std::to_string(t) + "-" + std::to_string(i) + "\"}");
    });
  for (auto &th : threads) th.join();
  auto c = open(fresh);
  EXPECT_EQ(all(*c).size(), 100u);
  // Group commit may put several batches of one handle in one entry, never one in two.
  EXPECT_LE(c->snapshot()->last_seq, 101u);
}

TEST_P(Engine, GroupCommitKeepsEachBatchsOwnOutcome) {
  auto db = open();
  db->register_schema(test::kUsersSchema);
  put(*db, R"({"id":"taken"})");
  const int kThreads = 8, kEach = 40;
  std::atomic<int> exists_errors{0}, ok{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; t++)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; i++) {
        Batch b;
        b.stage(StagedOp::kUpdate,
                doc_from(*db, "users",
                         R"({"id":"g)" + std::to_string(t) + "-" + std::to_string(i) + "\"}"));
        if (i % 10 == 0)  // this batch must fail alone, without its group
          b.stage(StagedOp::kInsert, doc_from(*db, "users", R"({"id":"taken"})"));
        if (status_of([&] { db->commit(b); }) == BDB_E_EXISTS)
          exists_errors++;
        else
          ok++;
      }
    });
  for (auto &th : threads) th.join();
  EXPECT_EQ(exists_errors.load(), kThreads * kEach / 10);
  EXPECT_EQ(ok.load(), kThreads * kEach * 9 / 10);
  auto rows = all(*db);
  EXPECT_EQ(rows.size(), static_cast<size_t>(1 + ok.load()));
  uint64_t entries = db->snapshot()->last_seq - 2;  // after the schema and the first put
  EXPECT_LE(entries, static_cast<uint64_t>(ok.load()));
  std::printf("group commit: %d batches in %llu log entries\n", ok.load(),
              static_cast<unsigned long long>(entries));
  auto again = open();
  EXPECT_EQ(all(*again), rows);
}

TEST_P(Engine, BlobsUploadReadAndAreCollected) {
  Options o = quiet_options();
  o.gc_grace_ms = 0;
  auto db = open(o);
  db->register_schema(test::kUsersSchema);
  Document d = doc_from(*db, "users", R"({"id":"b1","avatar":{"base64":"aGVsbG8="}})");
  std::string id = uuid_text(std::get<Id128>(d.get(6)));
  Batch b;
  b.stage(StagedOp::kUpdate, d);
  db->commit(b);
  EXPECT_EQ(db->read_blob(id), "hello");
  EXPECT_NE(get(*db, "b1")->find(id), std::string::npos);
  // Replaced before any merge, then deleted after one: both blobs must go.
  Document d2 = doc_from(*db, "users", R"({"id":"b1","avatar":{"base64":"d29ybGQ="}})");
  std::string id2 = uuid_text(std::get<Id128>(d2.get(6)));
  b.stage(StagedOp::kUpdate, d2);
  db->commit(b);
  db->merge();
  b.stage(StagedOp::kDelete, doc_from(*db, "users", R"({"id":"b1"})"));
  db->commit(b);
  db->merge();
  EXPECT_EQ(db->read_blob(id2), "world");
  EXPECT_GT(db->gc(), 0u);
  EXPECT_EQ(status_of([&] { db->read_blob(id); }), BDB_E_NOT_FOUND);
  EXPECT_EQ(status_of([&] { db->read_blob(id2); }), BDB_E_NOT_FOUND);
  EXPECT_EQ(status_of([&] { db->read_blob("not-a-uuid"); }), BDB_E_INVALID);
}

TEST_P(Engine, GcDeletesMergedLogAndAFreshNodeStillSeesEverything) {
  Options o = quiet_options();
  o.gc_grace_ms = 0;
  auto db = open(o);
  db->register_schema(test::kUsersSchema);
  for (int i = 0; i < 10; i++) put(*db, R"({"id":"g)" + std::to_string(i) + "\"}");
  db->merge();
  put(*db, R"({"id":"after"})");
  uint64_t deleted = db->gc();
  EXPECT_GE(deleted, 11u);  // the 11 merged entries
  EXPECT_FALSE(db->storage().get(db->log_key(1)));
  EXPECT_TRUE(db->storage().get(db->log_key(12)));
  auto fresh = open(o);
  EXPECT_EQ(all(*fresh).size(), 11u);
  EXPECT_EQ(all(*fresh), all(*db));
}

TEST_P(Engine, SchemaVersionsConvertOldRows) {
  auto db = open();
  db->register_schema(test::kUsersSchema);
  db->register_schema(test::kUsersSchema);  // same definition: no-op
  put(*db, R"({"id":"old","name":"Ann","age":40})");
  db->merge();
  std::string v1 = test::kUsersSchema;
  std::string conflicting = v1;
  conflicting.replace(conflicting.find("\"maxLength\": 50"), 15, "\"maxLength\": 51");
  EXPECT_EQ(status_of([&] { db->register_schema(conflicting); }), BDB_E_SCHEMA);
  // Drops fields: a lossy version, allowed explicitly.
  db->register_schema(R"({"name":"users","version":2,"fields":{"id":{"typeId":10},
      "name":{"typeId":10},"email":{"typeId":10},"age":{"typeId":2}},"primaryKey":"id"})",
                      true);
  EXPECT_EQ(*get(*db, "old"), R"({"id":"old","name":"Ann","age":40})");
  put(*db, R"({"id":"new","email":"n@x","age":70000})");
  db->merge();  // rewrites the old block into version 2
  auto again = open();
  EXPECT_EQ(all(*again), (std::vector<std::string>{R"({"id":"new","email":"n@x","age":70000})",
                                                   R"({"id":"old","name":"Ann","age":40})"}));
}

TEST_P(Engine, MigrationRewritesOldBlocksInTheBackgroundAndShowsProgress) {
  Options o = quiet_options();
  o.block_size_bytes = 512;
  auto db = open(o);
  db->register_schema(test::kUsersSchema);
  Batch b;
  for (int i = 0; i < 600; i++)
    b.stage(StagedOp::kUpdate, doc_from(*db, "users",
                                        R"({"id":"m)" + std::to_string(1000 + i) + R"(","age":)" +
                                            std::to_string(i % 200) + "}"));
  db->commit(b);
  db->merge();
  auto before = all(*db);
  // Drops fields: a lossy version, allowed explicitly.
  db->register_schema(R"({"name":"users","version":2,"fields":{"id":{"typeId":10},
      "age":{"typeId":2},"email":{"typeId":10}},"primaryKey":"id"})",
                      true);
  auto pending = [&] {
    auto j = nlohmann::json::parse(db->stats_json())["tables"][0];
    return j.contains("migration") ? j["migration"]["blocksPending"].get<uint64_t>() : 0;
  };
  uint64_t start = pending();
  EXPECT_GT(start, 16u) << "enough blocks to need several merges";
  EXPECT_TRUE(db->merge_due_now());
  int merges = 0;
  for (uint64_t last = start; pending() > 0; merges++) {
    db->merge();
    EXPECT_LT(pending(), last) << "each merge migrates some blocks";
    last = pending();
    ASSERT_LT(merges, 100);
  }
  EXPECT_GT(merges, 1) << "the work is spread over several merges";
  EXPECT_FALSE(db->merge_due_now());
  EXPECT_EQ(all(*db), before) << "rows read the same (age fits the new uint32)";
  auto page = db->load_manifest(db->snapshot()->table_root("users")->manifest_key);
  for (const auto &ref : page->blocks) EXPECT_EQ(ref.schema_version, 2u);
}

TEST_P(Engine, HistoryQueriesSeeEveryRetainedPastState) {
  auto db = open();
  db->register_schema(test::kUsersSchema);
  std::map<uint64_t, std::vector<std::string>> past;  // seq -> all rows after it
  std::map<uint64_t, uint64_t> misc_of;
  std::mt19937 rng(3);
  for (int i = 0; i < 30; i++) {
    Batch b;
    std::string id = "h" + std::to_string(rng() % 8);
    if (rng() % 4 == 0)
      b.stage(StagedOp::kDelete, doc_from(*db, "users", R"({"id":")" + id + "\"}"));
    else
      b.stage(StagedOp::kUpdate,
              doc_from(*db, "users", R"({"id":")" + id + R"(","age":)" + std::to_string(i) + "}"));
    uint64_t seq = db->commit(b);
    past[seq] = all(*db);
    misc_of[seq] = db->snapshot()->misc_high;
    if (i % 7 == 6) db->merge();
  }
  for (const auto &[seq, rows] : past) {
    QuerySpec q;
    q.schema = db->table_schema("users");
    q.as_of_seq = seq;
    std::vector<std::string> got;
    auto c = db->query(q);
    while (auto d = c->next()) got.push_back(d->to_json());
    ASSERT_EQ(got, rows) << "as of " << seq;
    q.as_of_seq.reset();
    q.as_of_time = misc_of[seq];
    got.clear();
    c = db->query(q);
    while (auto d = c->next()) got.push_back(d->to_json());
    ASSERT_EQ(got, rows) << "as of the time of " << seq;
  }
  // Once garbage collection has passed, old states are gone, and say so.
  Options o = quiet_options();
  o.gc_grace_ms = 0;
  auto gc = open(o);
  gc->merge();
  gc->gc();
  QuerySpec q;
  q.schema = gc->table_schema("users");
  q.as_of_seq = past.begin()->first;
  EXPECT_EQ(status_of([&] { gc->query(q); }), BDB_E_NOT_FOUND);
}

// History over the unmerged tail: the entries a node keeps for its checkpoints cost no GET; a
// node that keeps none reads them in windows, and a time reads one entry past it, no more.
TEST(EngineHistory, TheTailIsReadFromWhatTheNodeKeepsOrInSmallWindows) {
  std::string uri = test::fresh_memory_uri();
  Options o = test::quiet_options();
  o.auto_merge = true;  // keeps the entries (checkpoints); 1,024 entries before a merge is due
  o.read_staleness_ms = 3600000;
  auto db = test::open_db(uri, o);
  db->register_schema(test::kUsersSchema);
  std::map<uint64_t, uint64_t> misc_of;
  for (int i = 0; i < 40; i++) {
    Batch b;
    b.stage(StagedOp::kUpdate,
            doc_from(*db, "users", R"({"id":"u)" + std::to_string(i) + R"(","age":1})"));
    uint64_t seq = db->commit(b);
    misc_of[seq] = db->snapshot()->misc_high;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // a time of its own each
  }
  auto count_rows = [](Database &d, QuerySpec q) {
    q.schema = d.table_schema("users");
    size_t n = 0;
    auto c = d.query(q);
    while (c->next()) n++;
    return n;
  };
  QuerySpec at;
  at.as_of_seq = 21;  // 20 users
  uint64_t before = db->storage().counters().gets;
  EXPECT_EQ(count_rows(*db, at), 20u);
  EXPECT_EQ(db->storage().counters().gets - before, 0u) << "every entry was kept in memory";

  Options cold = test::quiet_options();
  cold.read_staleness_ms = 3600000;
  auto other = test::open_db(uri, cold);
  before = other->storage().counters().gets;
  EXPECT_EQ(count_rows(*other, at), 20u);
  EXPECT_LE(other->storage().counters().gets - before, 21u) << "each entry at most once";
  QuerySpec early;
  early.as_of_time = misc_of[3];  // 2 users
  before = other->storage().counters().gets;
  EXPECT_EQ(count_rows(*other, early), 2u);
  EXPECT_LE(other->storage().counters().gets - before, 4u) << "the 3 entries and one past";
}

TEST_P(Engine, BadInputGetsClearErrors) {
  auto db = open();
  EXPECT_EQ(status_of([&] { db->table_schema("nope"); }), BDB_E_SCHEMA);
  db->register_schema(test::kUsersSchema);
  EXPECT_EQ(status_of([&] { doc_from(*db, "users", R"({"id":"x","nope":1})"); }), BDB_E_SCHEMA);
  EXPECT_EQ(status_of([&] { doc_from(*db, "users", R"({"id":"x","age":"old"})"); }), BDB_E_TYPE);
  EXPECT_EQ(status_of([&] { doc_from(*db, "users", R"({"id":"x","age":300})"); }), BDB_E_TYPE);
  Batch b;
  b.stage(StagedOp::kUpdate, doc_from(*db, "users", R"({"name":"no key"})"));
  EXPECT_EQ(status_of([&] { db->commit(b); }), BDB_E_INVALID);
}

// "s3" stays index 2: tests/s3 runs */2. Index 3 runs the suite through two layered drivers.
INSTANTIATE_TEST_SUITE_P(Drivers, Engine,
                         ::testing::Values("memory", "file", "s3", "crypt:compress:file"));

TEST(EngineOpen, BadUrisAreClearErrors) {
  EXPECT_EQ(status_of([] { open_db("nocolon"); }), BDB_E_URI);
  EXPECT_EQ(status_of([] { open_db("nosuchdriver:x"); }), BDB_E_URI);
  EXPECT_EQ(status_of([] { open_db("plugin:/nonexistent/x.so"); }), BDB_E_URI);
  EXPECT_EQ(status_of([] { open_db("Bad Scheme:x"); }), BDB_E_URI);
  try {
    open_db("nosuchdriver:x");
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("bucketdb-driver-nosuchdriver.so"), std::string::npos);
  }
}

}  // namespace
}  // namespace bucketdb
