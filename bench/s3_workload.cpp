// Requests and bytes per operation on S3 (what users pay), and commit latency. Runs against
// the URI given with --s3 (the project's Ceph RGW on loopback in CI and in the README), in a
// fresh database prefix.
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "bench/bdb_util.h"
#include "bench/dataset.h"
#include "bench/workloads.h"

namespace bench {

namespace {

std::string mix(const Requests &r) {
  return request_mix(r) + "; " + std::to_string(r.bytes_out) + " bytes out, " +
         std::to_string(r.bytes_in) + " in";
}

}  // namespace

void s3_workload(const Config &cfg, Report &report) {
  if (cfg.s3_uri.empty()) {
    std::fprintf(stderr, "bucketdb-bench: s3 group skipped (no --s3 URI)\n");
    return;
  }
  const std::string group =
      "S3 requests per operation (" + cfg.s3_uri.substr(0, cfg.s3_uri.find('?')) + ")";
  const std::string prefix =
      "bench-" + std::to_string(getpid()) + "-" +
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000000);
  const size_t rows = cfg.quick ? 500 : 20000;
  const size_t commits = cfg.quick ? 10 : 100;
  const std::vector<User> users = make_users(rows + commits * 101, cfg.seed);
  std::vector<Result> latency;  // reported after the request counts, as a group of their own
  auto per_op = [&](const std::string &name, const Requests &r, double count,
                    const std::string &extra) {
    report.add(
        {group, name, "requests", static_cast<double>(r.total()) / count, 0, "", false,
         (count == 1 ? mix(r)
                     : "per op: " + mix(r) + " over " + std::to_string(static_cast<int>(count))) +
             extra});
  };

  bdb_db *db =
      open_db(cfg.s3_uri, {{"dbPrefix", prefix}, {"autoMerge", "0"}, {"readStalenessMs", "60000"}});
  for (size_t i = 0; i < rows; i += 1000)
    insert_users(db, &users[i], std::min<size_t>(1000, rows - i));
  uint64_t merged = 0;
  ok(bdb_db_merge(db, &merged), "merge");

  // Commits from a current node: 1-row and 100-row batches.
  for (size_t batch : {size_t{1}, size_t{100}}) {
    const size_t base = rows + (batch == 1 ? 0 : commits);
    std::vector<double> ms;
    Requests before = requests(db);
    for (size_t i = 0; i < commits; i++) {
      auto t0 = Clock::now();
      insert_users(db, &users[base + i * batch], batch);
      ms.push_back(seconds_since(t0) * 1000.0);
    }
    const std::string what = "commit of a " + std::to_string(batch) + "-row batch";
    per_op(what, requests(db) - before, static_cast<double>(commits), "");
    latency.push_back(
        {"S3 commit latency", what + ", p50", "ms", percentile(ms, 50), 0, "", false, ""});
    latency.push_back(
        {"S3 commit latency", what + ", p99", "ms", percentile(ms, 99), 0, "", false, ""});
  }
  Requests before = requests(db);
  ok(bdb_db_merge(db, &merged), "merge");
  per_op("merge of " + std::to_string(merged) + " log entries", requests(db) - before, 1, "");

  // A cold node: open, then reads.
  bdb_options *opts = nullptr;
  ok(bdb_options_new(&opts), "options");
  ok(bdb_options_set(opts, "dbPrefix", prefix.c_str()), "dbPrefix");
  ok(bdb_options_set(opts, "autoMerge", "0"), "autoMerge");
  ok(bdb_options_set(opts, "readStalenessMs", "0"), "readStalenessMs");
  bdb_db *cold = nullptr;
  ok(bdb_open(cfg.s3_uri.c_str(), opts, &cold), "open");
  bdb_options_free(opts);
  per_op("cold open", requests(cold), 1, "");
  std::string name;
  before = requests(cold);
  if (!get_user(cold, user_id(rows / 2), &name)) die("s3 get: not found");
  per_op("cold point get at readStalenessMs 0 (" + std::to_string(rows) + " rows)",
         requests(cold) - before, 1, ", the first GET is the freshness check");
  before = requests(cold);
  get_user(cold, user_id(rows / 2), &name);
  per_op("warm point get at readStalenessMs 0", requests(cold) - before, 1, "");
  before = requests(cold);
  uint64_t got = run_query(cold, {{"name", "=", "\"" + users[rows / 3].name + "\""}});
  per_op("cold indexed query", requests(cold) - before, 1, ", " + std::to_string(got) + " rows");
  before = requests(cold);
  run_query(cold, {{"name", "=", "\"" + users[rows / 3].name + "\""}});
  per_op("fresh query at readStalenessMs 0, nothing new", requests(cold) - before, 1, "");
  bdb_close(cold);
  bdb_close(db);
  for (auto &r : latency) report.add(std::move(r));
}

}  // namespace bench
