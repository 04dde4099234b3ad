// Flipping a byte of any object gives a clear corrupt error naming that object, never a
// crash and never a wrong answer.
#include <gtest/gtest.h>

#include "core/util/error.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

struct State {
  std::vector<std::string> rows;
  std::vector<std::string> blobs;
  bool operator==(const State &o) const { return rows == o.rows && blobs == o.blobs; }
};

State read_everything(const std::string &uri, const std::vector<std::string> &blob_ids) {
  auto db = test::open_db(uri);
  State s;
  QuerySpec q;
  q.schema = db->table_schema("users");
  auto c = db->query(q);
  while (auto d = c->next()) {
    s.rows.push_back(d->to_json());
    Document k(q.schema);
    k.set(0, d->get(0));
    auto g = db->get(k);
    s.rows.push_back(g ? g->to_json() : "missing");
  }
  for (const auto &id : blob_ids) {
    try {
      s.blobs.push_back(db->read_blob(id));
    } catch (const Error &e) {
      if (e.status() != BDB_E_NOT_FOUND) throw;
      s.blobs.push_back("gone");
    }
  }
  return s;
}

class Corruption : public ::testing::TestWithParam<std::string> {};

TEST_P(Corruption, EveryObjectEveryRegion) {
  test::TempDir dir;
  test::Store store = test::fresh_store(GetParam(), dir);
  if (store.uri.empty()) GTEST_SKIP() << "set BDB_TEST_S3_URI to run on S3";
  std::string uri = store.uri;
  std::vector<std::string> blob_ids;
  auto db = test::open_db(uri);  // kept open so a memory: store lives on
  {
    Options o = test::quiet_options();
    o.block_size_bytes = 600;
    auto w = test::open_db(uri, o);
    w->register_schema(test::kUsersSchema);
    for (int round = 0; round < 3; round++) {
      Batch b;
      for (int i = 0; i < 12; i++) {
        Document d(w->table_schema("users"));
        d.set_json_object(nlohmann::json::parse(R"({"id":"u)" + std::to_string(i * 3 + round) +
                                                R"(","name":"n)" + std::to_string(i) +
                                                R"(","age":)" + std::to_string(i) + "}"));
        if (i == 5) {
          d.set_blob_bytes(6, "blob-" + std::to_string(round));
          blob_ids.push_back(uuid_text(std::get<Id128>(d.get(6))));
        }
        b.stage(StagedOp::kUpdate, d);
      }
      w->commit(b);
      if (round < 2) w->merge();
    }
  }
  State want = read_everything(uri, blob_ids);
  ASSERT_EQ(want.rows.size(), 72u);

  Storage &st = db->storage();
  std::vector<std::string> keys = st.list_all("main/");
  ASSERT_GT(keys.size(), 8u);
  size_t flips = 0, detected = 0;
  for (const auto &key : keys) {
    Bytes original = st.get(key)->data;
    std::vector<size_t> positions;
    for (size_t i = 0; i < original.size(); i++)
      if (i < 24 || i + 9 > original.size() || i % std::max<size_t>(1, original.size() / 40) == 0)
        positions.push_back(i);
    for (size_t pos : positions) {
      Bytes bad = original;
      bad[pos] ^= 0x5a;
      st.put(key, bad, PutCondition{});
      flips++;
      try {
        State got = read_everything(uri, blob_ids);
        ASSERT_TRUE(got == want) << "wrong answer after flipping byte " << pos << " of " << key;
      } catch (const Error &e) {
        ASSERT_EQ(e.status(), BDB_E_CORRUPT) << key << " byte " << pos << ": " << e.what();
        ASSERT_NE(std::string(e.what()).find(key), std::string::npos)
            << "error does not name " << key << ": " << e.what();
        detected++;
      }
    }
    st.put(key, original, PutCondition{});
  }
  EXPECT_GT(detected, flips / 2) << "most objects are read by a full read";
  EXPECT_TRUE(read_everything(uri, blob_ids) == want);
}

INSTANTIATE_TEST_SUITE_P(Drivers, Corruption, ::testing::Values("memory", "file"));

}  // namespace
}  // namespace bucketdb
