// The file driver vs SQLite on disk (WAL, synchronous=NORMAL): the latency of committing a
// 1-row and a 100-row batch, p50 and p99.
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "bench/bdb_util.h"
#include "bench/dataset.h"
#include "bench/sqlite_peer.h"
#include "bench/workloads.h"

namespace bench {

namespace {

// Milliseconds each call of fn(i) took, for i in [0, n).
template <class Fn>
std::vector<double> latencies(size_t n, Fn fn) {
  std::vector<double> ms;
  ms.reserve(n);
  for (size_t i = 0; i < n; i++) {
    auto t0 = Clock::now();
    fn(i);
    ms.push_back(seconds_since(t0) * 1000.0);
  }
  return ms;
}

}  // namespace

void file_workload(const Config &cfg, Report &report) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(cfg.dir) / ("bucketdb-bench-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const size_t commits = cfg.quick ? 20 : 300;
  const std::vector<User> users = make_users(commits * 101, cfg.seed);
  {
    bdb_db *db = open_db("file:" + (dir / "bucketdb").string(), {{"autoMerge", "1"}});
    SqlitePeer peer((dir / "sqlite.db").string(), "NORMAL");
    const std::string group = "file driver vs SQLite on disk (WAL, synchronous=NORMAL)";
    for (size_t rows : {size_t{1}, size_t{100}}) {
      // Each commit inserts new rows: commits of 1 use users [0, commits), of 100 the rest.
      const size_t base = rows == 1 ? 0 : commits;
      auto ours =
          latencies(commits, [&](size_t i) { insert_users(db, &users[base + i * rows], rows); });
      auto theirs =
          latencies(commits, [&](size_t i) { peer.insert(&users[base + i * rows], rows); });
      const std::string what = "commit of a " + std::to_string(rows) + "-row batch";
      report.add({group, what + ", p50", "ms", percentile(ours, 50), percentile(theirs, 50),
                  "SQLite WAL", false, ""});
      report.add({group, what + ", p99", "ms", percentile(ours, 99), percentile(theirs, 99),
                  "SQLite WAL", false, ""});
    }
    bdb_close(db);
  }
  fs::remove_all(dir);
}

}  // namespace bench
