// Faults: storage calls that fail, lose their reply or return damaged bytes (the faulty:
// driver), and writers killed with SIGKILL at random points of commit and merge. No
// committed write is lost, no uncommitted write appears, every object passes its checks.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <set>
#include <thread>

#include "core/format/block0.h"
#include "core/format/data_block.h"
#include "core/format/log_entry.h"
#include "core/format/manifest_page.h"
#include "core/util/error.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

using test::status_of;

const char *kSchema = R"({"name":"t","version":1,"fields":{"id":{"typeId":10},
  "n":{"typeId":5}},"primaryKey":"id"})";

Document doc(Database &db, const nlohmann::json &j) {
  Document d(db.table_schema("t"));
  d.set_json_object(j);
  return d;
}

std::set<std::string> ids(Database &db) {
  QuerySpec q;
  q.schema = db.table_schema("t");
  std::set<std::string> out;
  auto c = db.query(q);
  while (auto d = c->next()) out.insert(std::get<std::string>(d->get(0)));
  return out;
}

// Every object of the database decodes and passes its checksum.
void check_objects(Database &db, const std::string &prefix) {
  EXPECT_GT(test::check_every_object(db, prefix, "t"), 0u);
}

class Faults : public ::testing::Test {
 protected:
  std::string uri(const std::string &query) {
    return "faulty:file:" + dir_.path() + "/db" + (query.empty() ? "" : "?" + query);
  }
  std::string plain() { return "file:" + dir_.path() + "/db"; }
  test::TempDir dir_;
};

TEST_F(Faults, TransientFailuresAreRetriedAndLoseNothing) {
  auto db = test::open_db(uri("faulty.rate=0.25&faulty.seed=11"));
  db->storage().base_delay_ms = 1;
  db->register_schema(kSchema);
  std::set<std::string> want;
  for (int i = 0; i < 60; i++) {
    Batch b;
    b.stage(StagedOp::kUpdate, doc(*db, {{"id", "k" + std::to_string(i)}, {"n", i}}));
    db->commit(b);
    want.insert("k" + std::to_string(i));
    if (i % 15 == 14) db->merge();
  }
  EXPECT_EQ(ids(*db), want);
  auto stats = nlohmann::json::parse(db->stats_json());
  std::printf("transient: %llu storage retries, %llu faults injected\n",
              stats["storage"]["retries"].get<unsigned long long>(),
              stats["storage"]["driverStats"]["faultyInjected"].get<unsigned long long>());
  EXPECT_GT(stats["storage"]["retries"].get<uint64_t>(), 10u);
  auto again = test::open_db(plain());
  EXPECT_EQ(ids(*again), want);
  check_objects(*again, "main");
}

TEST_F(Faults, LostRepliesNeitherLoseNorDuplicateCommits) {
  // Every second put lands but its answer is lost: the commit retries, finds the entry taken,
  // reads it back and recognises its own commit id; a lost Block 0 swap is recognised by its
  // merge id.
  auto db = test::open_db(uri("faulty.ops=put&faulty.every=2&faulty.action=lose_reply"));
  db->storage().base_delay_ms = 1;
  db->register_schema(kSchema);
  uint64_t first = 0, last = 0;
  for (int i = 0; i < 40; i++) {
    Batch b;
    b.stage(StagedOp::kInsert, doc(*db, {{"id", "k" + std::to_string(i)}, {"n", i}}));
    uint64_t seq = db->commit(b);
    if (i == 0) first = seq;
    EXPECT_EQ(seq, last ? last + 1 : seq) << "one entry per commit, none twice";
    last = seq;
    if (i % 10 == 9) {
      EXPECT_GT(db->merge(), 0u);
    }
  }
  EXPECT_EQ(last - first, 39u);
  auto again = test::open_db(plain());
  EXPECT_EQ(ids(*again).size(), 40u);
  EXPECT_EQ(again->snapshot()->last_seq, last);
  check_objects(*again, "main");
}

TEST_F(Faults, PersistentFailureSurfacesAndTheBatchIsNotVisible) {
  {
    auto db = test::open_db(plain());
    db->register_schema(kSchema);
    Batch b;
    b.stage(StagedOp::kUpdate, doc(*db, {{"id", "before"}, {"n", 1}}));
    db->commit(b);
  }
  // The 3rd put from now fails for good (disk full); the 1st and 2nd work.
  auto db = test::open_db(uri("faulty.ops=put&faulty.nth=3&faulty.status=no_space"));
  for (int i = 0; i < 2; i++) {
    Batch b;
    b.stage(StagedOp::kUpdate, doc(*db, {{"id", "ok" + std::to_string(i)}, {"n", i}}));
    db->commit(b);
  }
  Batch b;
  b.stage(StagedOp::kUpdate, doc(*db, {{"id", "lost"}, {"n", 3}}));
  try {
    db->commit(b);
    FAIL() << "the commit should fail";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), BDB_E_NO_SPACE);
    EXPECT_NE(std::string(e.what()).find("committed/"), std::string::npos) << e.what();
  }
  EXPECT_EQ(b.ops.size(), 1u);
  db->commit(b);  // the fault was one-off: the same batch commits now
  auto again = test::open_db(plain());
  EXPECT_EQ(ids(*again), (std::set<std::string>{"before", "lost", "ok0", "ok1"}));
}

TEST_F(Faults, DamagedReadsAreCorruptErrorsNamingTheObject) {
  {
    auto db = test::open_db(plain());
    db->register_schema(kSchema);
    Batch b;
    for (int i = 0; i < 20; i++)
      b.stage(StagedOp::kUpdate, doc(*db, {{"id", "k" + std::to_string(i)}, {"n", i}}));
    db->commit(b);
    db->merge();
  }
  // Reads go out together (Block 0, a window of log keys that are mostly misses, the manifest
  // page beside the index root, the data block), so their order is not fixed: damage each of
  // the first reads in turn and expect either a loud error naming the object or, when the
  // damaged read was a miss with no bytes, the full answer.
  int loud = 0;
  for (int nth = 1; nth <= 16; nth++) {
    std::string u = uri("faulty.ops=get&faulty.action=corrupt&faulty.nth=" + std::to_string(nth));
    bdb_status st = BDB_OK;
    std::string msg;
    size_t rows = 0;
    try {
      auto db = test::open_db(u);
      rows = ids(*db).size();
    } catch (const Error &e) {
      st = e.status();
      msg = e.what();
    }
    if (st == BDB_OK) {
      EXPECT_EQ(rows, 20u) << "get #" << nth << " damaged silently";
      continue;
    }
    loud++;
    EXPECT_EQ(st, BDB_E_CORRUPT) << "get #" << nth << ": " << msg;
    EXPECT_NE(msg.find("main/"), std::string::npos) << msg;
  }
  // Block 0 and the manifest page are read once each; the data block is read ahead, and a
  // read-ahead that fails (damaged bytes included) is fetched once more by its reader, which
  // then gets the clean bytes: the full answer, checked above.
  EXPECT_GE(loud, 2) << "Block 0 and the manifest page";
}

// Reads lines "i" from fd until EOF; returns the acknowledged indexes.
std::vector<long> read_acks(int fd) {
  std::vector<long> acks;
  std::string buf;
  char tmp[4096];
  ssize_t n;
  while ((n = read(fd, tmp, sizeof tmp)) > 0) buf.append(tmp, static_cast<size_t>(n));
  size_t start = 0, nl;
  while ((nl = buf.find('\n', start)) != std::string::npos) {
    acks.push_back(std::atol(buf.substr(start, nl - start).c_str()));
    start = nl + 1;
  }
  return acks;
}

TEST_F(Faults, WritersKilledAtRandomPointsLoseNothing) {
  std::string u = plain();
  test::open_db(u)->register_schema(kSchema);
  std::mt19937 rng(5);
  std::set<long> acked;
  long next = 0;
  int kills = 0;
  for (int round = 0; round < 12; round++) {
    int out[2];
    ASSERT_EQ(pipe(out), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      execl(BDB_CRASH_NODE, BDB_CRASH_NODE, u.c_str(), "main", std::to_string(next).c_str(),
            static_cast<char *>(nullptr));
      _exit(127);
    }
    close(out[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 400));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer died on its own: status " << status;
    kills++;
    for (long i : read_acks(out[0])) acked.insert(i);
    close(out[0]);

    // Restart: every acknowledged commit is there, each batch whole or absent.
    auto db = test::open_db(u);
    std::set<std::string> have = ids(*db);
    for (long i : acked) {
      ASSERT_TRUE(have.count("a" + std::to_string(i))) << "acknowledged commit " << i << " lost";
    }
    long max_seen = next - 1;
    for (const auto &id : have) {
      long i = std::atol(id.c_str() + 1);
      std::string twin = (id[0] == 'a' ? "b" : "a") + std::to_string(i);
      ASSERT_TRUE(have.count(twin)) << id << " without " << twin << ": a torn batch";
      max_seen = std::max(max_seen, i);
    }
    next = max_seen + 1;
    check_objects(*db, "main");
  }
  std::printf("crash: %d kills, %zu acknowledged commits, all present\n", kills, acked.size());
  EXPECT_GT(acked.size(), 20u);
}

}  // namespace
}  // namespace bucketdb
