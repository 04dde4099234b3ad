// cache: which keys it keeps, hits without inner requests, the size bound, damaged entries,
// and a restarted node reading its warm set from the cache.
#include <dirent.h>

#include <filesystem>
#include <fstream>

#include "layer_support.h"

namespace bdblayers {
namespace {

// Every file under dir (the cache's entries), recursively, without the tmp/ directory.
std::vector<std::string> entry_files(const std::string &dir) {
  std::vector<std::string> out;
  for (const auto &e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().parent_path().filename() != "tmp")
      out.push_back(e.path().string());
  return out;
}

class Cache : public ::testing::Test {
 protected:
  // The inner store is counted by a pass-through faulty: layer (faultyCalls).
  std::string raw_uri_ = "memory:" + unique("cache");
  TempDir dir_;
  std::unique_ptr<Storage> raw_ = open_store(raw_uri_);

  std::unique_ptr<Storage> cache(const std::string &extra = "") {
    return open_store("cache:faulty:" + raw_uri_ + "?cache.dir=" + dir_.path() + "/c" + extra);
  }
  static uint64_t inner_calls(const Storage &s) { return at(stats(s), {"inner", "faultyCalls"}); }
};

TEST_F(Cache, ImmutableObjectsAreServedFromDiskWithoutInnerRequests) {
  for (int i = 0; i < 10; i++)
    raw_->put("main/data/users/" + std::to_string(i), random_bytes(1000, i), {});
  auto c = cache();
  for (int i = 0; i < 10; i++)
    EXPECT_EQ(c->get("main/data/users/" + std::to_string(i))->data, random_bytes(1000, i));
  EXPECT_EQ(inner_calls(*c), 10u);
  for (int round = 0; round < 3; round++)
    for (int i = 0; i < 10; i++)
      EXPECT_EQ(c->get("main/data/users/" + std::to_string(i))->data, random_bytes(1000, i));
  auto s = stats(*c);
  EXPECT_EQ(inner_calls(*c), 10u) << s.dump();
  EXPECT_EQ(at(s, {"hits"}), 30u);
  EXPECT_EQ(at(s, {"misses"}), 10u);
  EXPECT_EQ(at(s, {"entries"}), 10u);
  // The ETag comes from the cache too, and answers If-None-Match without a request.
  bool not_modified = false;
  std::string etag = raw_->get("main/data/users/3")->etag;
  EXPECT_EQ(c->get("main/data/users/3")->etag, etag);
  EXPECT_FALSE(c->get_if_changed("main/data/users/3", etag, &not_modified));
  EXPECT_TRUE(not_modified);
  EXPECT_EQ(inner_calls(*c), 10u);
}

TEST_F(Cache, EveryImmutableShapeIsCachedAndNothingMutable) {
  const std::vector<std::string> immutable = {"main/data/users/0001", "main/manifest/users/0002",
                                              "main/indexes/users/age/0003", "main/blobs/7d3c",
                                              "other/prefix/data/t/x"};
  const std::vector<std::string> mutable_keys = {
      "main/block0", "main/committed/00000000000000000007", "main/schemas", "loose"};
  auto c = cache();
  for (const auto &k : immutable) raw_->put(k, bytes("v " + k), {});
  for (const auto &k : mutable_keys) raw_->put(k, bytes("v " + k), {});
  for (int round = 0; round < 2; round++) {
    for (const auto &k : immutable) EXPECT_EQ(text(c->get(k)->data), "v " + k);
    for (const auto &k : mutable_keys) EXPECT_EQ(text(c->get(k)->data), "v " + k);
  }
  auto s = stats(*c);
  EXPECT_EQ(at(s, {"hits"}), immutable.size()) << s.dump();
  EXPECT_EQ(at(s, {"passthrough"}), 2 * mutable_keys.size());
  EXPECT_EQ(at(s, {"entries"}), immutable.size());
  // A changed Block 0 is seen at once.
  raw_->put("main/block0", bytes("new"), {});
  EXPECT_EQ(text(c->get("main/block0")->data), "new");
}

TEST_F(Cache, ARestartedNodeReadsItsWarmSetFromTheCache) {
  for (int i = 0; i < 20; i++)
    raw_->put("main/data/t/" + std::to_string(i), random_bytes(2000, i), {});
  {
    auto first = cache();
    for (int i = 0; i < 20; i++) first->get("main/data/t/" + std::to_string(i));
    EXPECT_EQ(inner_calls(*first), 20u);
  }
  // A new process would find the same files; in this one the directory is re-scanned once
  // the last instance using it has closed.
  auto again = cache();
  auto s = stats(*again);
  EXPECT_EQ(at(s, {"entries"}), 20u) << s.dump();
  for (int i = 0; i < 20; i++)
    EXPECT_EQ(again->get("main/data/t/" + std::to_string(i))->data, random_bytes(2000, i));
  EXPECT_EQ(inner_calls(*again), 0u);
  EXPECT_EQ(at(stats(*again), {"hits"}), 20u);
}

TEST_F(Cache, ADatabaseNodeRestartedPaysOnlyForBlock0AndTheLog) {
  const std::string uri = "cache:faulty:" + raw_uri_ + "?cache.dir=" + dir_.path() + "/db";
  const uint64_t hour = 3600000;  // no freshness checks after open: the same reads each time
  {
    // Written by another node, without the cache, in small blocks: many objects to read.
    bucketdb::Options o;
    o.auto_merge = false;
    o.log_level = "silent";
    o.create_if_missing = true;
    o.block_size_bytes = 1024;
    auto db = bucketdb::Database::open(raw_uri_, o);
    create_users(*db);
    for (int c = 0; c < 6; c++) {
      bucketdb::Batch b;
      for (int i = c * 50; i < c * 50 + 50; i++) {
        bucketdb::Document d(db->table_schema("users"));
        d.set_json_object(nlohmann::json{{"id", "u" + std::to_string(i)}, {"age", i % 100}});
        b.stage(bucketdb::StagedOp::kUpdate, d);
      }
      db->commit(b);
    }
    db->merge();
  }
  // A cold node: every object it reads is a miss, then stored.
  uint64_t cold_calls = 0, cold_misses = 0;
  {
    auto db = open_db(uri, hour);
    EXPECT_EQ(count_users(*db), 300u);
    for (int i = 0; i < 300; i += 7) EXPECT_TRUE(get_user(*db, "u" + std::to_string(i)));
    auto s = nlohmann::json::parse(db->storage().driver_stats_json());
    cold_calls = at(s, {"inner", "faultyCalls"});
    cold_misses = at(s, {"misses"});
  }
  // Restarted: the same reads, its warm set now on local disk.
  auto db = open_db(uri, hour);
  EXPECT_EQ(count_users(*db), 300u);
  for (int i = 0; i < 300; i += 7) EXPECT_TRUE(get_user(*db, "u" + std::to_string(i)));
  auto s = nlohmann::json::parse(db->storage().driver_stats_json());
  std::cout << "cache: cold node " << cold_calls << " store requests (" << cold_misses
            << " cacheable), restarted node " << at(s, {"inner", "faultyCalls"}) << " ("
            << at(s, {"hits"}) << " served from the cache)\n";
  EXPECT_GT(cold_misses, 5u);
  EXPECT_EQ(at(s, {"misses"}), 0u) << s.dump();
  EXPECT_EQ(at(s, {"hits"}), cold_misses);
  EXPECT_EQ(at(s, {"inner", "faultyCalls"}), cold_calls - cold_misses);
}

TEST_F(Cache, StaysWithinItsSizeBoundDroppingTheLeastRecentlyUsed) {
  auto c = cache("&cache.max_bytes=64K");
  for (int i = 0; i < 60; i++) {
    std::string k = "main/data/t/" + std::to_string(i);
    raw_->put(k, random_bytes(4000, i), {});
    c->get(k);
    c->get("main/data/t/0");  // kept in use
  }
  auto s = stats(*c);
  EXPECT_LE(at(s, {"bytes"}), 64u * 1024) << s.dump();
  EXPECT_GT(at(s, {"evictions"}), 0u);
  EXPECT_GE(at(s, {"entries"}), 10u);
  uint64_t on_disk = 0;
  for (const auto &f : entry_files(dir_.path() + "/c")) on_disk += std::filesystem::file_size(f);
  EXPECT_LE(on_disk, 64u * 1024);
  const uint64_t before = inner_calls(*c);
  c->get("main/data/t/0");
  c->get("main/data/t/59");
  EXPECT_EQ(inner_calls(*c), before) << "the most recently used stay cached";
  c->get("main/data/t/1");
  EXPECT_EQ(inner_calls(*c), before + 1) << "an old one was evicted";
  // An object larger than a quarter of the bound is never cached.
  raw_->put("main/blobs/huge", random_bytes(20000, 99), {});
  c->get("main/blobs/huge");
  c->get("main/blobs/huge");
  EXPECT_EQ(inner_calls(*c), before + 3);
}

TEST_F(Cache, WritesAndDeletesThroughTheLayerKeepItRight) {
  auto c = cache();
  std::string etag;
  ASSERT_EQ(c->put("main/blobs/b1", bytes("first"), {}, &etag), PutOutcome::kOk);
  const uint64_t calls = inner_calls(*c);
  EXPECT_EQ(text(c->get("main/blobs/b1")->data), "first");
  EXPECT_EQ(c->get("main/blobs/b1")->etag, etag);
  EXPECT_EQ(inner_calls(*c), calls) << "written through";
  c->put("main/blobs/b1", bytes("second"), {});
  EXPECT_EQ(text(c->get("main/blobs/b1")->data), "second");
  // A failed create-only put leaves what is cached alone.
  PutCondition create;
  create.if_none_match = true;
  EXPECT_EQ(c->put("main/blobs/b1", bytes("third"), create), PutOutcome::kPreconditionFailed);
  EXPECT_EQ(text(c->get("main/blobs/b1")->data), "second");
  c->del("main/blobs/b1");
  EXPECT_FALSE(c->get("main/blobs/b1"));
  EXPECT_FALSE(raw_->get("main/blobs/b1"));
  // write_through=0: what this node writes is cached only when read.
  auto lazy = cache("&cache.write_through=0");
  lazy->put("main/blobs/b2", bytes("x"), {});
  const uint64_t lazy_calls = inner_calls(*lazy);
  lazy->get("main/blobs/b2");
  EXPECT_EQ(inner_calls(*lazy), lazy_calls + 1);
}

TEST_F(Cache, DamagedEntriesReadAsMisses) {
  raw_->put("main/data/t/1", bytes("the real bytes"), {});
  auto c = cache();
  c->get("main/data/t/1");
  c.reset();
  auto files = entry_files(dir_.path() + "/c");
  ASSERT_EQ(files.size(), 1u);
  {
    std::fstream f(files[0], std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(30);
    f.put('#');
  }
  c = cache();
  EXPECT_EQ(text(c->get("main/data/t/1")->data), "the real bytes");
  auto s = stats(*c);
  EXPECT_EQ(at(s, {"badEntries"}), 1u) << s.dump();
  EXPECT_EQ(inner_calls(*c), 1u);
  // Cut short, as by a crash: a miss again, never wrong bytes.
  c.reset();
  std::filesystem::resize_file(entry_files(dir_.path() + "/c")[0], 10);
  c = cache();
  EXPECT_EQ(text(c->get("main/data/t/1")->data), "the real bytes");
}

TEST_F(Cache, OptionsAreChecked) {
  auto message = [&](const std::string &uri) {
    auto e = error_of([&] { Storage::open(uri); });
    EXPECT_EQ(e.status(), BDB_E_URI) << e.what();
    return std::string(e.what());
  };
  EXPECT_NE(message("cache:" + raw_uri_).find("cache.dir"), std::string::npos);
  EXPECT_NE(message("cache:" + raw_uri_ + "?cache.dir=" + dir_.path() + "&cache.max_bytes=lots")
                .find("cache.max_bytes"),
            std::string::npos);
  EXPECT_NE(message("cache:" + raw_uri_ + "?cache.dir=" + dir_.path() + "&cache.size=1G")
                .find("unknown option cache.size"),
            std::string::npos);
}

}  // namespace
}  // namespace bdblayers
