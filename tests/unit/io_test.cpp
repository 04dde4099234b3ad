// Requests in flight: the I/O pool, single-flight loads, read-ahead, concurrent writes, and
// the request counts of each read shape (overlapping must never raise the bill).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "core/engine/object_store.h"
#include "core/storage/io_pool.h"
#include "core/util/error.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

using std::chrono::milliseconds;

TEST(IoPool, RunsRequestsTogetherUpToItsLimitAndPassesFailuresOn) {
  IoPool pool(4);
  std::atomic<int> running{0}, most{0};
  std::vector<std::future<int>> results;
  results.reserve(12);
  for (int i = 0; i < 12; i++)
    results.push_back(pool.submit([&, i] {
      int now = ++running;
      for (int m = most; now > m && !most.compare_exchange_weak(m, now);) {
      }
      std::this_thread::sleep_for(milliseconds(30));
      running--;
      if (i == 5) fail(BDB_E_IO, "request 5 failed");
      return i;
    }));
  std::vector<int> got;
  try {
    got = wait_all(results);
    ADD_FAILURE() << "no failure";
  } catch (const Error &e) {
    EXPECT_EQ(std::string(e.what()), "request 5 failed");
  }
  EXPECT_EQ(most.load(), 4) << "four in flight, never more";
  EXPECT_EQ(pool.peak(), 4u);
}

TEST(ObjectStore, OneRequestForManyReadersAndFailuresAreNotKept) {
  auto storage = Storage::open(test::fresh_memory_uri());
  ObjectCache cache(1 << 20);
  ObjectStore store(*storage, cache, 8);
  std::atomic<int> fetches{0};
  std::atomic<bool> fail_next{true};
  auto fetch = [&]() -> Loaded {
    fetches++;
    std::this_thread::sleep_for(milliseconds(50));
    if (fail_next.exchange(false)) fail(BDB_E_IO, "get k: connection reset");
    return Loaded{std::make_shared<const int>(7), 4, nullptr};
  };
  std::vector<std::thread> readers;
  std::atomic<int> errors{0};
  readers.reserve(6);
  for (int i = 0; i < 6; i++)
    readers.emplace_back([&] {
      try {
        store.load("k", fetch);
      } catch (const Error &e) {
        EXPECT_EQ(std::string(e.what()), "get k: connection reset");
        errors++;
      }
    });
  for (auto &t : readers) t.join();
  EXPECT_EQ(fetches.load(), 1) << "six readers, one request";
  EXPECT_EQ(errors.load(), 6) << "every waiter gets the failure";
  EXPECT_FALSE(cache.contains("k")) << "a failure is not cached";
  EXPECT_EQ(*std::static_pointer_cast<const int>(store.load("k", fetch)), 7) << "tried again";
  EXPECT_EQ(fetches.load(), 2);
  store.prefetch("k", fetch);  // cached: nothing to do
  store.prefetch("j", fetch);
  EXPECT_EQ(*std::static_pointer_cast<const int>(store.load("j", fetch)), 7);
  EXPECT_EQ(fetches.load(), 3) << "the load joined the read-ahead's request";
}

// A users table of 40 rows in blocks of a few rows each (a merge), on a store whose requests
// are counted.
class ReadShapes : public ::testing::Test {
 protected:
  void SetUp() override {
    uri_ = test::fresh_memory_uri();
    keep_ = Storage::open(uri_);
    auto w = test::open_db(uri_, options());
    w->register_schema(test::kUsersSchema);
    Batch b;
    for (int i = 0; i < 40; i++) {
      Document d(w->table_schema("users"));
      char id[8];
      std::snprintf(id, sizeof id, "u%02d", i);
      d.set_json_object({{"id", id}, {"name", i % 2 ? "odd" : "even"}, {"age", i}});
      b.stage(StagedOp::kUpdate, d);
    }
    w->commit(b);
    w->merge();
    blocks_ = w->snapshot()->block0->tables[0].blocks;
    ASSERT_GE(blocks_, 5u);
  }
  Options options() {
    Options o = test::quiet_options();
    o.block_size_bytes = 512;
    o.read_staleness_ms = 3600000;
    return o;
  }
  // GETs a read costs on a freshly opened handle (cold cache), after the open's own.
  uint64_t gets_of(const std::function<void(Database &)> &read) {
    auto db = test::open_db(uri_, options());
    uint64_t before = db->storage().counters().gets;
    read(*db);
    return db->storage().counters().gets - before;
  }
  QuerySpec users(Database &db) {
    QuerySpec q;
    q.schema = db.table_schema("users");
    return q;
  }
  std::string uri_;
  std::unique_ptr<Storage> keep_;
  uint64_t blocks_ = 0;
};

TEST_F(ReadShapes, EachBlockIsReadOnceWhateverIsInFlight) {
  // A count reads the manifest page and every block, once each.
  EXPECT_EQ(gets_of([&](Database &db) { EXPECT_EQ(db.count(users(db)), 40u); }), 1 + blocks_);
  // A point get: the manifest page and one block.
  EXPECT_EQ(gets_of([&](Database &db) {
              Document k(db.table_schema("users"));
              k.set(0, Value{std::string("u07")});
              EXPECT_TRUE(db.get(k).has_value());
            }),
            2u);
  // An indexed equality reads the index and the blocks of its rows, each once.
  uint64_t indexed = gets_of([&](Database &db) {
    QuerySpec q = users(db);
    q.add_condition("name", "=", "\"odd\"");
    EXPECT_EQ(db.count(q), 20u);
  });
  EXPECT_LE(indexed, 1 + blocks_ + 3) << "manifest, blocks, at most 3 index nodes";
}

TEST_F(ReadShapes, ALimitedScanWastesAtMostAFewGets) {
  uint64_t gets = gets_of([&](Database &db) {
    QuerySpec q = users(db);
    q.limit = 2;
    auto c = db.query(q);
    int n = 0;
    while (c->next()) n++;
    EXPECT_EQ(n, 2);
  });
  EXPECT_LE(gets, 1 + 2u) << "the manifest page, the first block and one read ahead";
}

TEST_F(ReadShapes, ACursorClosedEarlyLeavesNothingBehind) {
  auto db = test::open_db(uri_, options());
  {
    auto c = db->query(users(*db));  // reads every block ahead
    EXPECT_TRUE(c->next().has_value());
  }            // closed with requests in flight
  db.reset();  // waits for them; ASan and the leak check say whether anything was left
}

TEST_F(ReadShapes, ReadAheadStaysWithinMaxMemoryBytes) {
  Options o = options();
  o.max_memory_bytes = 4096;  // a few blocks
  auto db = test::open_db(uri_, o);
  uint64_t most = 0;
  auto c = db->query(users(*db));
  int n = 0;
  while (c->next()) {
    n++;
    most =
        std::max(most, nlohmann::json::parse(db->stats_json())["cache"]["bytes"].get<uint64_t>());
  }
  EXPECT_EQ(n, 40);
  EXPECT_LE(most, 4096u);
}

TEST_F(ReadShapes, AFailedReadAheadIsFetchedAgainByTheReadItself) {
  // The open reads Block 0 and 2 log keys; the count then the manifest page and the blocks,
  // many at once: the 7th GET, a block's, fails. The read that needs that block fetches it
  // again (a failure is not kept), so the count is right at the price of one GET.
  auto db =
      test::open_db("faulty:" + uri_ + "?faulty.ops=get&faulty.nth=7&faulty.status=io", options());
  uint64_t before = db->storage().counters().gets;
  EXPECT_EQ(db->count(users(*db)), 40u);
  EXPECT_EQ(db->storage().counters().gets - before, 1 + blocks_ + 1);
}

TEST_F(ReadShapes, ADamagedBlockAmongManyFailsTheQueryNamingItAndIsNotCached) {
  auto db = test::open_db(uri_, options());
  auto page = db->load_manifest(db->snapshot()->block0->tables[0].manifest_key);
  const std::string victim = page->blocks[page->blocks.size() / 2].key;
  auto obj = keep_->get(victim);
  Bytes damaged = obj->data;
  damaged[damaged.size() / 2] ^= 0x40;
  keep_->put(victim, damaged, PutCondition{});
  for (int i = 0; i < 2; i++) {
    try {
      db->count(users(*db));
      ADD_FAILURE() << "counted";
    } catch (const Error &e) {
      EXPECT_EQ(e.status(), BDB_E_CORRUPT) << e.what();
      EXPECT_NE(std::string(e.what()).find(victim), std::string::npos) << e.what();
    }
  }
  keep_->put(victim, obj->data, PutCondition{});  // repaired: nothing bad was kept
  EXPECT_EQ(db->count(users(*db)), 40u);
}

TEST_F(ReadShapes, AMergeWhoseWritesPartlyFailNamesNothingMissing) {
  // 200 more rows over the table, then a merge through a store that refuses every third PUT:
  // the merge fails, and Block 0 still names only objects that exist.
  std::string flaky = "faulty:" + uri_ + "?faulty.ops=put&faulty.every=3&faulty.status=io";
  {
    Options o = options();
    o.auto_merge = false;
    auto db = test::open_db(uri_, o);
    Batch b;
    for (int i = 0; i < 200; i++) {
      Document d(db->table_schema("users"));
      d.set_json_object({{"id", "v" + std::to_string(i)}, {"name", "n"}, {"age", i % 100}});
      b.stage(StagedOp::kUpdate, d);
    }
    db->commit(b);
  }
  {
    auto db = test::open_db(flaky, options());
    try {
      db->merge();
      ADD_FAILURE() << "merged through a store refusing writes";
    } catch (const Error &e) {
      EXPECT_EQ(e.status(), BDB_E_IO) << e.what();
    }
  }
  auto db = test::open_db(uri_, options());
  const Block0 &b0 = *db->snapshot()->block0;
  for (const TableRoot &t : b0.tables) {
    if (t.manifest_key.empty()) continue;
    ASSERT_TRUE(keep_->get(t.manifest_key).has_value()) << t.manifest_key;
    for (const BlockRef &ref : db->load_manifest(t.manifest_key)->blocks)
      EXPECT_TRUE(keep_->get(ref.key).has_value()) << ref.key;
  }
  EXPECT_EQ(db->count(users(*db)), 240u) << "every row still reads, from blocks or the log";
  db->merge();  // a sound store: the merge goes through
  EXPECT_EQ(db->count(users(*db)), 240u);
}

// The writer that wins every race sees no entry of the others: it learns of them from the
// object a losing writer writes, looked at every 16th commit (a conditional GET), and paces.
TEST_F(ReadShapes, AWriterThatKeepsWinningLearnsThatAnotherIsLosing) {
  auto db = test::open_db(uri_, options());
  auto commit_one = [&](int i) {
    Batch b;
    Document d(db->table_schema("users"));
    d.set_json_object({{"id", "w" + std::to_string(i)}, {"name", "w"}, {"age", 1}});
    b.stage(StagedOp::kUpdate, d);
    db->commit(b);
  };
  auto seen = [&] {
    return nlohmann::json::parse(db->stats_json())["engine"]["contentionSeen"].get<uint64_t>();
  };
  uint64_t gets = db->storage().counters().gets;
  for (int i = 0; i < 16; i++) commit_one(i);
  EXPECT_EQ(db->storage().counters().gets - gets, 1u) << "one look in 16 commits";
  EXPECT_EQ(seen(), 0u) << "nothing there yet";
  const std::string key = db->contention_key();
  auto hint = [&](uint64_t age_ms) {  // a losing writer's, written age_ms ago
    auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
    std::string body = "12345 " + std::to_string(static_cast<uint64_t>(wall) - age_ms);
    keep_->put(key, Bytes(body.begin(), body.end()), PutCondition{});
  };
  hint(0);
  for (int i = 16; i < 32; i++) commit_one(i);
  EXPECT_EQ(seen(), 1u);
  // A writer that pauses between commits cannot starve another, and never pays the look.
  gets = db->storage().counters().gets;
  for (int i = 100; i < 120; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    commit_one(i);
  }
  EXPECT_EQ(db->storage().counters().gets - gets, 0u);
  // A hint written long ago is old news.
  hint(60000);
  auto fresh = test::open_db(uri_, options());
  db = std::move(fresh);
  for (int i = 32; i < 64; i++) commit_one(i);
  EXPECT_EQ(seen(), 0u);
}

// Two writers taking turns (a boring web app's two nodes): each expects the other's entry
// since its last commit and reads it before its PUT, so no race is lost: 1 GET + 1 PUT a
// commit, where a lost race cost a refused PUT, 2 GETs and the PUT. A writer alone reads
// nothing first.
TEST_F(ReadShapes, WritersTakingTurnsReadEachOthersEntryBeforeTheirPut) {
  Options o = options();
  o.auto_merge = false;
  auto a = test::open_db(uri_, o), b = test::open_db(uri_, o);
  int next = 0;
  auto commit_one = [&](Database &db) {
    Batch batch;
    Document d(db.table_schema("users"));
    d.set_json_object({{"id", "t" + std::to_string(next++)}, {"name", "t"}, {"age", 1}});
    batch.stage(StagedOp::kUpdate, d);
    db.commit(batch);
    // Apart by more than back to back (the contention object is then never looked at).
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  };
  auto engine = [](Database &db, const char *name) {
    return nlohmann::json::parse(db.stats_json())["engine"][name].get<uint64_t>();
  };
  auto requests = [](Database &db) {
    const auto &c = db.storage().counters();
    return c.gets.load() + c.puts.load();
  };
  for (int i = 0; i < 4; i++) {  // each learns how often the other commits
    commit_one(*a);
    commit_one(*b);
  }
  const uint64_t a_req = requests(*a), b_req = requests(*b);
  const uint64_t a_lost = engine(*a, "commitRetries"), b_lost = engine(*b, "commitRetries");
  for (int i = 0; i < 10; i++) {
    commit_one(*a);
    commit_one(*b);
  }
  // Each would lose a race every commit without the look (40 requests each); a loaded machine
  // may stretch one turn enough to read a key too many or too few.
  EXPECT_LE(engine(*a, "commitRetries") - a_lost, 2u);
  EXPECT_LE(engine(*b, "commitRetries") - b_lost, 2u);
  EXPECT_LE(requests(*a) - a_req, 24u) << "a GET of the other's entry and a PUT, each commit";
  EXPECT_LE(requests(*b) - b_req, 24u);
  EXPECT_GE(engine(*a, "commitLookaheads"), 10u);
  // The other writer stopped: after a look or two that finds nothing, a commit is one PUT.
  for (int i = 0; i < 4; i++) commit_one(*a);
  const uint64_t before = requests(*a);
  for (int i = 0; i < 5; i++) commit_one(*a);
  EXPECT_EQ(requests(*a) - before, 5u);
}

// Whoever commits each kCheckpointEntries-th (8th) entry past Block 0's position writes a
// checkpoint of the tail (one PUT), so whoever opens next reads Block 0, the checkpoint and one
// short window, not a GET per entry. Merges (tens of PUTs) wait for mergeThresholdEntries.
class Checkpoints : public ReadShapes {
 protected:
  Options writer() {
    Options o = options();
    o.auto_merge = true;  // mergeThresholdEntries 1,024, mergeIntervalMs 6 hours
    return o;
  }
  void commit_rows(Database &db, int n, const std::string &prefix) {
    for (int i = 0; i < n; i++) {
      Batch b;
      Document d(db.table_schema("users"));
      d.set_json_object({{"id", prefix + std::to_string(i)}, {"name", "c"}, {"age", i}});
      b.stage(StagedOp::kUpdate, d);
      db.commit(b);
    }
  }
  // GETs and puts a cold open costs, and the rows it sees.
  struct Open {
    uint64_t gets, unmerged, rows;
  };
  Open open_cold() {
    auto db = test::open_db(uri_, options());
    uint64_t gets = db->storage().counters().gets;
    return {gets, db->snapshot()->unmerged_entries, db->count(users(*db))};
  }
};

TEST_F(Checkpoints, AClosedWritersTailIsReadInOneGetByTheNextOpen) {
  {
    auto db = test::open_db(uri_, writer());
    commit_rows(*db, 5, "short");
    uint64_t puts = db->storage().counters().puts;
    db->close();
    EXPECT_EQ(db->storage().counters().puts, puts) << "5 entries: no checkpoint, no merge";
  }
  Open o = open_cold();
  EXPECT_EQ(o.unmerged, 5u);
  EXPECT_EQ(o.rows, 45u);
  EXPECT_LE(o.gets, 1u + 1 + 2 + 8) << "Block 0, the checkpoint (missing), windows of 2 and 8";
  {
    auto db = test::open_db(uri_, writer());
    uint64_t puts = db->storage().counters().puts;
    commit_rows(*db, 20, "more");
    db->close();
    // At the 8th, 16th and 24th entries past Block 0's position.
    EXPECT_EQ(db->storage().counters().puts - puts - 20, 3u);
  }
  o = open_cold();
  EXPECT_EQ(o.unmerged, 25u) << "not merged: 25 entries are below mergeThresholdEntries";
  EXPECT_EQ(o.rows, 65u);
  EXPECT_LE(o.gets, 1u + 1 + 2 + 9) << "Block 0, the checkpoint with a window of 2, then 9; "
                                       "without it 43 (2, 8 and 32 entries)";
}

TEST_F(Checkpoints, ADamagedCheckpointCostsGetsNotRows) {
  {
    auto db = test::open_db(uri_, writer());
    commit_rows(*db, 12, "w");
  }
  std::string key;
  for (const auto &k : keep_->list_all(""))
    if (k.find("/checkpoint/") != std::string::npos) key = k;
  ASSERT_FALSE(key.empty()) << "the 8th commit wrote a checkpoint";
  auto obj = keep_->get(key);
  ASSERT_TRUE(obj);
  obj->data[obj->data.size() / 2] ^= 0x40;
  keep_->put(key, obj->data, PutCondition{});
  std::vector<std::string> logged;
  Options o = options();
  o.log_level = "warn";
  o.log_sink = [&](LogLevel, const char *, const char *msg) { logged.push_back(msg); };
  auto db = test::open_db(uri_, o);
  EXPECT_EQ(db->count(users(*db)), 52u) << "every entry read from the log instead";
  bool named = false;
  for (const auto &m : logged) named |= m.find(key) != std::string::npos;
  EXPECT_TRUE(named) << "the warning names the damaged checkpoint";
}

TEST_F(Checkpoints, AMergeListsItsNodesCheckpointAsGarbageAndCollectionDeletesIt) {
  Options o = writer();
  o.gc_grace_ms = 1;
  auto db = test::open_db(uri_, o);
  commit_rows(*db, 9, "g");
  db->close();
  db = test::open_db(uri_, o);  // reads the checkpoint
  auto checkpoints = [&] {
    size_t n = 0;
    for (const auto &k : keep_->list_all("")) n += k.find("/checkpoint/") != std::string::npos;
    return n;
  };
  EXPECT_EQ(checkpoints(), 1u);
  db->merge();
  std::this_thread::sleep_for(milliseconds(5));
  db->gc(false);
  EXPECT_EQ(checkpoints(), 0u);
  EXPECT_EQ(db->count(users(*db)), 49u);
}

// A checkpoint of a position written after the merge that passed it (a slow PUT) is named by
// nothing: the orphan sweep deletes it once the log floor passes its position, and never the
// checkpoint of Block 0's own.
TEST_F(Checkpoints, TheSweepDeletesACheckpointNoMergeListed) {
  Options o = options();
  o.gc_grace_ms = 1;
  auto other = test::open_db(uri_, o);  // opened before the checkpoint: reads entries later
  {
    auto db = test::open_db(uri_, writer());
    commit_rows(*db, 9, "s");
  }
  auto checkpoints = [&] {
    std::vector<std::string> keys;
    for (const auto &k : keep_->list_all(""))
      if (k.find("/checkpoint/") != std::string::npos) keys.push_back(k);
    return keys;
  };
  ASSERT_EQ(checkpoints().size(), 1u);
  const std::string late = checkpoints()[0];
  const Bytes copy = keep_->get(late)->data;
  other->merge();  // lists it: whoever committed the 8th entry past Block 0 wrote one
  std::this_thread::sleep_for(milliseconds(5));
  other->gc(true);  // raises the floor past the merge
  EXPECT_TRUE(checkpoints().empty());
  keep_->put(late, copy, PutCondition{});  // the slow PUT lands
  std::this_thread::sleep_for(milliseconds(5));
  other->gc(true);
  EXPECT_TRUE(checkpoints().empty());
  {
    auto db = test::open_db(uri_, writer());
    commit_rows(*db, 8, "t");
  }
  ASSERT_EQ(checkpoints().size(), 1u) << "the checkpoint of the new position";
  std::this_thread::sleep_for(milliseconds(5));
  other->gc(true);
  EXPECT_EQ(checkpoints().size(), 1u) << "Block 0's own position is kept";
  EXPECT_EQ(test::open_db(uri_, options())->count(users(*other)), 57u);
}

// A collection interrupted between installing the raised log floor and deleting the entries
// below it leaves them behind, and nothing reads below the floor again: the sweep deletes
// every log key at or below the floor, whoever left it.
TEST_F(ReadShapes, TheSweepDeletesLogEntriesBelowTheFloorAnInterruptedCollectionLeft) {
  Options o = options();
  o.gc_grace_ms = 1;
  auto db = test::open_db(uri_, o);
  std::vector<std::pair<std::string, Bytes>> log;  // what the merge folded (the seeded entries)
  for (const auto &k : keep_->list_all(""))
    if (k.find("/committed/") != std::string::npos) log.emplace_back(k, keep_->get(k)->data);
  ASSERT_FALSE(log.empty());
  std::this_thread::sleep_for(milliseconds(5));
  db->gc(true);
  ASSERT_GE(db->snapshot()->block0->log_floor, log.size()) << "the floor passed them";
  for (const auto &[key, bytes] : log) EXPECT_FALSE(keep_->get(key)) << key << " deleted";
  for (const auto &[key, bytes] : log) keep_->put(key, bytes, PutCondition{});  // left behind
  std::this_thread::sleep_for(milliseconds(5));
  EXPECT_GE(db->gc(true), log.size());
  for (const auto &[key, bytes] : log) EXPECT_FALSE(keep_->get(key)) << key << " swept";
  EXPECT_EQ(db->count(users(*db)), 40u) << "nothing else was touched";
}

// Whoever commits the 8th, 16th, ... entry past Block 0's position writes the checkpoint:
// two writers taking turns write one each 8 entries between them, not one each.
TEST_F(Checkpoints, OnePerEightEntriesWhicheverNodeCommitsThem) {
  auto a = test::open_db(uri_, writer());
  auto b = test::open_db(uri_, writer());
  for (int i = 0; i < 8; i++) {
    commit_rows(*a, 1, "a" + std::to_string(i) + "-");
    commit_rows(*b, 1, "b" + std::to_string(i) + "-");
  }
  auto written = [](Database &db) {
    db.close();
    return nlohmann::json::parse(db.stats_json())["engine"]["logCheckpoints"].get<uint64_t>();
  };
  EXPECT_EQ(written(*a) + written(*b), 2u) << "16 entries: 2 checkpoints";
  Open o = open_cold();
  EXPECT_EQ(o.unmerged, 16u);
  EXPECT_EQ(o.rows, 56u);
  EXPECT_LE(o.gets, 1u + 1 + 2 + 9) << "Block 0, the checkpoint with a window of 2, then 9";
}

}  // namespace
}  // namespace bucketdb
