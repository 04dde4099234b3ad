// Writers sharing the log share it: handles committing back to back over a store where every
// call takes 10 ms each make a fair part of the commits (SPEC "Sharing the log fairly"). The
// node that wins a race would otherwise win every race after (it needs no read before its
// next PUT, the loser needs one): 379 commits to 1 in 10 s, before the winner sat out.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/engine/database.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

const char *kSchema = R"({"name":"t","version":1,"fields":{"id":{"typeId":10}},"primaryKey":"id"})";

class Fairness : public ::testing::TestWithParam<int> {};

TEST_P(Fairness, EveryWriterMakesItsShareOfTheCommits) {
  const int writers = GetParam();
  test::TempDir dir;
  const std::string uri =
      "faulty:file:" + dir.path() + "/db?faulty.every=1&faulty.action=delay&faulty.delay_ms=10";
  Options o = test::quiet_options();
  test::open_db(uri, o)->register_schema(kSchema);
  std::vector<std::unique_ptr<Database>> dbs;
  dbs.reserve(static_cast<size_t>(writers));
  for (int w = 0; w < writers; w++) dbs.push_back(test::open_db(uri, o));
  std::vector<uint64_t> commits(static_cast<size_t>(writers), 0);
  std::atomic<bool> stop{false};
  std::vector<std::string> errors(static_cast<size_t>(writers));
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(writers));
  for (int w = 0; w < writers; w++)
    threads.emplace_back([&, w] {
      auto &db = *dbs[static_cast<size_t>(w)];
      try {
        while (!stop) {
          Batch b;
          Document d(db.table_schema("t"));
          d.set_json_object(nlohmann::json{
              {"id", std::to_string(w) + "-" + std::to_string(commits[static_cast<size_t>(w)])}});
          b.stage(StagedOp::kInsert, d);
          db.commit(b);
          commits[static_cast<size_t>(w)]++;
        }
      } catch (const std::exception &e) {
        errors[static_cast<size_t>(w)] = e.what();
      }
    });
  std::this_thread::sleep_for(std::chrono::seconds(4));
  stop = true;
  for (auto &t : threads) t.join();
  uint64_t total = 0;
  std::string split;
  for (int w = 0; w < writers; w++) {
    EXPECT_EQ(errors[static_cast<size_t>(w)], "") << "writer " << w;
    total += commits[static_cast<size_t>(w)];
    split += (w ? " / " : "") + std::to_string(commits[static_cast<size_t>(w)]);
  }
  std::printf("%d writers: %s commits\n", writers, split.c_str());
  // A fair share is 1/N; the bound is a third of it, well below what the pacing gives (about
  // 0.45 of 2 writers' commits and 0.23 of 4's here), above what the winner's luck left the
  // others before it sat out (0.05 of 4 writers' commits; 0.04 of 2 nodes' at 25 ms).
  for (int w = 0; w < writers; w++)
    EXPECT_GE(commits[static_cast<size_t>(w)] * 3 * static_cast<uint64_t>(writers), total)
        << "writer " << w << " starved: " << split;
  auto db = test::open_db(uri, o);
  QuerySpec all;
  all.schema = db->table_schema("t");
  EXPECT_EQ(db->count(all), total) << "nothing lost or doubled";
}

INSTANTIATE_TEST_SUITE_P(Writers, Fairness, ::testing::Values(2, 4));

}  // namespace
}  // namespace bucketdb
