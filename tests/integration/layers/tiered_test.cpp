// tiered: key routing, the mirror, a lost fast store, the merged list, and the request counts
// of a read-heavy workload at readStalenessMs 0 with and without the layer (README).
#include <cstdio>

#include "layer_support.h"

namespace bdblayers {
namespace {

class Tiered : public ::testing::Test {
 protected:
  std::string slow_uri_ = "memory:" + unique("slow");
  std::string fast_uri_ = "memory:" + unique("fast");
  std::unique_ptr<Storage> slow_ = open_store(slow_uri_);
  std::unique_ptr<Storage> fast_ = open_store(fast_uri_);

  std::string uri(const std::string &extra = "") const {
    return "tiered:" + slow_uri_ + "?tiered.fast=" + fast_uri_ + extra;
  }
  static std::vector<std::string> keys(Storage &s) { return s.list_all(""); }
};

TEST_F(Tiered, Block0AndTheLogGoToTheFastStoreEverythingToTheSlowOne) {
  auto t = open_store(uri());
  const std::vector<std::string> fast_keys = {"main/block0", "main/committed/00000000000000000001",
                                              "block0", "x/y/committed/7"};
  const std::vector<std::string> slow_keys = {"main/data/users/1", "main/blobs/b",
                                              "main/committed/not-a-number", "main/block0x",
                                              "main/committedx/1"};
  for (const auto &k : fast_keys) ASSERT_EQ(t->put(k, bytes("f " + k), {}), PutOutcome::kOk);
  for (const auto &k : slow_keys) ASSERT_EQ(t->put(k, bytes("s " + k), {}), PutOutcome::kOk);
  for (const auto &k : fast_keys) {
    EXPECT_EQ(text(fast_->get(k)->data), "f " + k);
    EXPECT_EQ(text(slow_->get(k)->data), "f " + k) << "mirrored";
  }
  for (const auto &k : slow_keys) {
    EXPECT_TRUE(slow_->get(k)) << k;
    EXPECT_FALSE(fast_->get(k)) << k;
  }
  // Reads of fast keys never touch the slow store, whatever the slow store holds.
  slow_->put("main/block0", bytes("stale mirror"), {});
  EXPECT_EQ(text(t->get("main/block0")->data), "f main/block0");
  auto s = stats(*t);
  EXPECT_EQ(at(s, {"slowGets"}), 0u) << s.dump();
  EXPECT_EQ(at(s, {"fastGets"}), 1u);
  EXPECT_EQ(at(s, {"slowPuts"}), fast_keys.size() + slow_keys.size());
  EXPECT_EQ(at(s, {"fastPuts"}), fast_keys.size());
  // The ETag of a fast key is the fast store's, so conditional puts are checked there.
  std::string etag;
  t->put("main/block0", bytes("v2"), {}, &etag);
  EXPECT_EQ(etag, fast_->get("main/block0")->etag);
  PutCondition stale;
  stale.if_match = "nope";
  EXPECT_EQ(t->put("main/block0", bytes("v3"), stale), PutOutcome::kPreconditionFailed);
  // Deletes go to both.
  t->del("main/committed/00000000000000000001");
  EXPECT_FALSE(fast_->get("main/committed/00000000000000000001"));
  EXPECT_FALSE(slow_->get("main/committed/00000000000000000001"));
}

TEST_F(Tiered, WithoutTheMirrorTheSlowStoreHoldsOnlyImmutableObjects) {
  auto t = open_store(uri("&tiered.mirror=0"));
  t->put("main/block0", bytes("b0"), {});
  t->put("main/data/t/1", bytes("d"), {});
  EXPECT_EQ(keys(*slow_), std::vector<std::string>{"main/data/t/1"});
  EXPECT_EQ(keys(*fast_), std::vector<std::string>{"main/block0"});
}

TEST_F(Tiered, ListMergesBothStoresInOrderAcrossPages) {
  // Pages of 1 on the fast store and 2 on the slow one.
  auto t = open_store("tiered:" + slow_uri_ + "?page=2&tiered.fast=" + fast_uri_ + "%3Fpage%3D1");
  std::vector<std::string> want;
  for (int i = 0; i < 7; i++) {
    want.push_back("db/committed/" + std::to_string(100 + i));
    want.push_back("db/data/t/" + std::to_string(i));
  }
  want.push_back("db/block0");
  want.push_back("db/blobs/x");
  for (const auto &k : want) t->put(k, bytes("v"), {});
  std::sort(want.begin(), want.end());
  std::vector<std::string> got;
  std::string token;
  int pages = 0;
  do {
    auto p = t->list("db/", token);
    EXPECT_TRUE(p.next_token.empty() || p.next_token != token);
    got.insert(got.end(), p.keys.begin(), p.keys.end());
    token = p.next_token;
    ASSERT_LT(++pages, 100);
  } while (!token.empty());
  EXPECT_EQ(got, want);
  EXPECT_GT(pages, 5);
  // The mirror's copies of fast keys are not listed twice.
  EXPECT_EQ(t->list_all("db/committed/").size(), 7u);
}

TEST_F(Tiered, ALostFastStoreIsRefusedUnlessSeededFromTheMirror) {
  {
    auto db = open_db(uri());
    create_users(*db);
    for (int i = 0; i < 5; i++) put_user(*db, "u" + std::to_string(i), i);
  }
  // The fast store is lost (a new shared volume).
  const std::string empty_fast = "memory:" + unique("new-fast");
  const std::string lost = "tiered:" + slow_uri_ + "?tiered.fast=" + empty_fast;
  auto e = error_of([&] { open_db(lost); });
  EXPECT_NE(std::string(e.what()).find("tiered.seed=1"), std::string::npos) << e.what();
  auto db = open_db(lost + "&tiered.seed=1");
  EXPECT_EQ(count_users(*db), 5u);
  EXPECT_EQ(get_user(*db, "u3"), R"({"id":"u3","age":3})");
  put_user(*db, "u5", 5);
  EXPECT_EQ(count_users(*open_db(lost)), 6u) << "seeded once, then used as the fast store";
  // The slow store alone is a whole database too (the mirror): a backup.
  EXPECT_EQ(count_users(*open_db(slow_uri_)), 6u);
}

TEST_F(Tiered, OptionsAreChecked) {
  auto message = [&](const std::string &u) {
    auto e = error_of([&] { Storage::open(u); });
    EXPECT_EQ(e.status(), BDB_E_URI) << e.what();
    return std::string(e.what());
  };
  EXPECT_NE(message("tiered:" + slow_uri_).find("tiered.fast"), std::string::npos);
  EXPECT_NE(message(uri("&tiered.mirror=yes")).find("tiered.mirror"), std::string::npos);
  EXPECT_NE(message(uri("&tiered.fats=1")).find("unknown option tiered.fats"), std::string::npos);
  EXPECT_NE(message("tiered:" + slow_uri_ + "?tiered.fast=nosuch:x").find("tiered.fast"),
            std::string::npos);
}

// The README's request counts. One node writes 1000 users (10 commits of 100, then a merge);
// a second node, at readStalenessMs 0, makes 1000 point reads while the first commits one
// more user after every 100 reads. Counted: each node's requests in that phase, per store.
struct Counts {
  uint64_t slow_gets = 0, slow_other = 0, fast_gets = 0, fast_other = 0;
};

// A node's requests so far: per store with tiered (its counters), else the host's counters.
Counts counts_of(bucketdb::Database &db, bool tiered) {
  Counts n;
  if (tiered) {
    auto s = stats(db.storage());
    n.slow_gets = at(s, {"slowGets"});
    n.slow_other = at(s, {"slowPuts"}) + at(s, {"slowDeletes"}) + at(s, {"slowLists"});
    n.fast_gets = at(s, {"fastGets"});
    n.fast_other = at(s, {"fastPuts"}) + at(s, {"fastDeletes"}) + at(s, {"fastLists"});
  } else {
    const auto &c = db.storage().counters();
    n.slow_gets = c.gets + c.not_modified;
    n.slow_other = c.puts + c.deletes + c.lists;
  }
  return n;
}

Counts minus(const Counts &a, const Counts &b) {
  return Counts{a.slow_gets - b.slow_gets, a.slow_other - b.slow_other, a.fast_gets - b.fast_gets,
                a.fast_other - b.fast_other};
}

struct Workload {
  Counts reader, writer;
};

Workload read_heavy(const std::string &uri, bool tiered) {
  auto writer = open_db(uri, 0);
  create_users(*writer);
  for (int c = 0; c < 10; c++) {
    bucketdb::Batch b;
    for (int i = 0; i < 100; i++) {
      bucketdb::Document d(writer->table_schema("users"));
      d.set_json_object(nlohmann::json{{"id", "u" + std::to_string(c * 100 + i)}, {"age", i}});
      b.stage(bucketdb::StagedOp::kUpdate, d);
    }
    writer->commit(b);
  }
  writer->merge();
  auto reader = open_db(uri, 0);
  const Counts reader0 = counts_of(*reader, tiered), writer0 = counts_of(*writer, tiered);
  for (int i = 0; i < 1000; i++) {
    EXPECT_TRUE(get_user(*reader, "u" + std::to_string(i * 7919 % 1000)));
    if (i % 100 == 99) put_user(*writer, "new" + std::to_string(i), 1);
  }
  EXPECT_TRUE(get_user(*reader, "new999"));
  return Workload{minus(counts_of(*reader, tiered), reader0),
                  minus(counts_of(*writer, tiered), writer0)};
}

void print(const char *what, const Workload &w) {
  auto u = [](uint64_t v) { return static_cast<unsigned long long>(v); };
  std::printf(
      "  %-15s reader: slow %llu GET + %llu other, fast %llu GET + %llu other;"
      " writer: slow %llu GET + %llu other, fast %llu GET + %llu other\n",
      what, u(w.reader.slow_gets), u(w.reader.slow_other), u(w.reader.fast_gets),
      u(w.reader.fast_other), u(w.writer.slow_gets), u(w.writer.slow_other), u(w.writer.fast_gets),
      u(w.writer.fast_other));
}

TEST_F(Tiered, StalenessZeroCostsNoSlowStoreRequestsForFreshness) {
  Workload plain_w = read_heavy("memory:" + unique("plain"), false);
  Workload tiered_w = read_heavy(uri(), true);
  Workload unmirrored_w = read_heavy(
      "tiered:memory:" + unique("slow") + "?tiered.mirror=0&tiered.fast=memory:" + unique("fast"),
      true);
  std::printf(
      "read-heavy, readStalenessMs 0: 1000 point reads while another node commits 10 times\n");
  print("without tiered", plain_w);
  print("tiered", tiered_w);
  print("tiered mirror=0", unmirrored_w);
  const Counts &plain = plain_w.reader, &t = tiered_w.reader;
  // Every read looks at the log: at least one request each.
  EXPECT_GE(plain.slow_gets, 1000u);
  // The same requests are made, only the freshness checks and log reads moved to the fast
  // store: what is left on the slow one are the immutable objects the reader loads.
  EXPECT_EQ(t.slow_gets + t.fast_gets, plain.slow_gets);
  EXPECT_GE(t.fast_gets, 1000u);
  EXPECT_LT(t.slow_gets, 50u);
  EXPECT_EQ(t.slow_other, 0u);
  EXPECT_EQ(plain.slow_other, 0u);
  EXPECT_EQ(unmirrored_w.reader.slow_gets, t.slow_gets);
  // The writer: the same requests; with the mirror, each commit's log entry is also written
  // to the slow store, without it the slow store sees none of them.
  EXPECT_EQ(tiered_w.writer.slow_other, tiered_w.writer.fast_other);
  EXPECT_EQ(unmirrored_w.writer.slow_other + unmirrored_w.writer.slow_gets, 0u);
}

}  // namespace
}  // namespace bdblayers
