// "The boring web app's month" (issue 22): two nodes serving 100,000 queries and 500 commits a
// day between them, each restarted (a cold start) every hour, counted end to end by the
// counting layer over the store S3 would bill, and priced at AWS S3 Standard's prices.
//
// Time is compressed: every interval of the engine (readStalenessMs, mergeIntervalMs,
// writeForwardInterval, gcGraceMs) and of the workload is divided by kCompress, so a simulated
// hour takes 3600 / kCompress seconds; the requests of the simulated hours are scaled to 30
// days. Queries and commits arrive at uniformly random times (no quiet night, which would
// only lower the freshness checks).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "bench/latency.h"

namespace bench::latency {

namespace {

constexpr double kCompress = 240;  // a simulated hour in 15 s
// AWS S3 Standard, us-east-1: requests per 1,000 and storage per GB-month. DELETE is free.
constexpr double kPutListPer1000 = 0.005, kGetPer1000 = 0.0004, kStoragePerGbMonth = 0.023;
constexpr uint64_t kTableRows = 10000;
constexpr double kQueriesPerNodeDay = 50000, kCommitsPerNodeDay = 250;

struct Event {
  double at_s;  // simulated seconds from the start
  enum Kind { kQuery, kCommit, kRestart } kind;
  bool operator<(const Event &o) const { return at_s < o.at_s; }
};

std::vector<Event> schedule(uint32_t node, double hours, uint64_t seed) {
  std::mt19937_64 rng(seed * 7 + node);
  std::uniform_real_distribution<double> when(0, hours * 3600);
  std::vector<Event> ev;
  auto count = [&](double per_day) {
    return static_cast<size_t>(std::llround(per_day * hours / 24));
  };
  for (size_t i = 0; i < count(kQueriesPerNodeDay); i++) ev.push_back({when(rng), Event::kQuery});
  for (size_t i = 0; i < count(kCommitsPerNodeDay); i++) ev.push_back({when(rng), Event::kCommit});
  // Each node restarts every hour, the two half an hour apart.
  for (double t = 1800.0 * node + 3600; t < hours * 3600; t += 3600)
    ev.push_back({t, Event::kRestart});
  std::sort(ev.begin(), ev.end());
  return ev;
}

Requests sum_counts(const std::string &file) {
  std::ifstream in(file);
  Requests all;
  std::string line;
  while (std::getline(in, line)) add_count_line(line, &all);
  return all;
}

uint64_t bytes_under(const std::string &dir) {
  uint64_t n = 0;
  for (const auto &e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) n += e.file_size();
  return n;
}

std::string ms(double real_ms) {
  return std::to_string(std::max<uint64_t>(1, static_cast<uint64_t>(real_ms / kCompress)));
}

// One node's simulated hours: its handle, reopened at each restart, runs its events on time.
void run_node(const std::string &uri, const Options &options, const std::vector<Event> &events,
              Clock::time_point go, uint64_t seed) {
  std::mt19937_64 rng(seed);
  bdb_db *db = open_existing(uri, options);
  std::string name;
  for (const Event &e : events) {
    std::this_thread::sleep_until(go + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(e.at_s / kCompress)));
    const uint64_t i = rng() % kTableRows;
    if (e.kind == Event::kRestart) {
      bdb_close(db);
      db = open_existing(uri, options);
    } else if (e.kind == Event::kCommit) {
      bdb_batch *batch = nullptr;
      ok(bdb_batch_new(db, &batch), "batch");
      bdb_doc *d = user_row(db, user_key(i), i + rng() % 1000, kTableRows, seed);
      ok(bdb_batch_update(batch, d), "update");
      bdb_doc_free(d);
      ok(bdb_batch_commit(batch, nullptr), "commit");
      bdb_batch_free(batch);
    } else if (rng() % 10 < 7) {
      get_user(db, user_key(i), &name);
    } else {
      run_query(db, {{"name", "=", "\"" + user_name_of(i, kTableRows, seed) + "\""}});
    }
  }
  bdb_close(db);
}

}  // namespace

void month_rows(const Setup &setup, Report &report) {
  const std::string group = setup.group_prefix + "the boring web app's month (issue 22)";
  // A day, so that the merges a month holds are counted in proportion (500 commits a day: a
  // quarter of mergeThresholdEntries after 12 hours, older than mergeIntervalMs by then).
  double hours = setup.cfg->quick ? 0.1 : 24;
  if (const char *h = std::getenv("BDB_BENCH_MONTH_HOURS")) hours = std::atof(h);  // analysis aid
  const uint64_t seed = setup.cfg->seed;
  const std::string table = setup.fresh("month-table");
  build_table(table, kTableRows, seed);

  struct Variant {
    std::string name;
    bool tiered;
    double staleness_ms;
    double target;
    std::string slow, counts, uri;  // its store, its counts and the URI its nodes open
  };
  std::vector<Variant> variants = {
      {"default options", false, 1000, 1.35, {}, {}, {}},
      {"tiered: (Block 0, the log on a shared volume)", true, 1000, 0.15, {}, {}, {}},
      {"readStalenessMs 30000", false, 30000, 0.15, {}, {}, {}}};
  // BDB_BENCH_MONTH=WORD runs only the variants whose name holds WORD (an analysis aid).
  if (const char *only = std::getenv("BDB_BENCH_MONTH"))
    variants.erase(
        std::remove_if(variants.begin(), variants.end(),
                       [&](const Variant &v) { return v.name.find(only) == std::string::npos; }),
        variants.end());
  for (size_t i = 0; i < variants.size(); i++) {
    Variant &v = variants[i];
    v.slow = setup.fresh("month");
    v.counts = v.slow + ".counts";
    copy_db(table, v.slow);
    v.uri = "counting:file:" + v.slow + "?counting.file=" + v.counts;
    if (v.tiered) {
      const std::string fast = v.slow + "-fast";
      v.uri = "tiered:counting:file:" + v.slow + "?tiered.fast=file:" + fast +
              "&counting.file=" + v.counts;
      // The shared volume starts as a copy of Block 0 and the log (not counted).
      bdb_close(open_existing(v.uri + "&tiered.seed=1"));
      std::filesystem::remove(v.counts);
    }
    // BDB_BENCH_TRACE=FILE: a line per request of the store S3 would bill, to FILE.N for the
    // Nth variant (README.md, Performance).
    if (const char *trace = std::getenv("BDB_BENCH_TRACE"))
      v.uri += "&counting.trace=" + std::string(trace) + "." + std::to_string(i);
  }
  // The variants run side by side (their nodes mostly sleep), each on its own store.
  const auto go = Clock::now();
  std::vector<std::thread> nodes;
  for (const Variant &v : variants) {
    Options options = {{"readStalenessMs", ms(v.staleness_ms)},
                       {"mergeIntervalMs", ms(6 * 3600 * 1000)},  // the default
                       {"writeForwardInterval", std::to_string(std::max<uint64_t>(
                                                    10, static_cast<uint64_t>(5000 / kCompress)))},
                       {"gcGraceMs", ms(3600000)},
                       {"ringSize", "2"}};
    for (uint32_t n = 0; n < 2; n++) {
      Options mine = options;
      mine.push_back({"nodeId", std::to_string(n)});
      nodes.emplace_back([&, n, mine, uri = v.uri] {
        run_node(uri, mine, schedule(n, hours, seed), go, seed + n);
      });
    }
  }
  for (auto &t : nodes) t.join();
  for (const Variant &v : variants) {
    const Requests r = sum_counts(v.counts);
    const double per_month = 30 * 24 / hours;
    const double gets = static_cast<double>(r.gets) * per_month;
    const double writes = static_cast<double>(r.puts + r.lists) * per_month;
    const double stored_gb = static_cast<double>(bytes_under(v.slow)) / 1e9;
    const double dollars = gets / 1000 * kGetPer1000 + writes / 1000 * kPutListPer1000 +
                           stored_gb * kStoragePerGbMonth;
    char note[400];
    std::snprintf(note, sizeof note,
                  "a month: %.0f GET ($%.3f) + %.0f PUT ($%.3f) + %.0f LIST + %.0f DELETE, "
                  "%.1f MB stored; %.1f simulated hours at 1/%.0f time, scaled to 30 days",
                  gets, gets / 1000 * kGetPer1000, static_cast<double>(r.puts) * per_month,
                  static_cast<double>(r.puts) * per_month / 1000 * kPutListPer1000,
                  static_cast<double>(r.lists) * per_month,
                  static_cast<double>(r.deletes) * per_month, stored_gb * 1000, hours, kCompress);
    Result row{group, v.name + ": $ a month", "$", dollars, v.target, "target", false, note};
    row.requests = static_cast<double>(r.total()) * per_month;
    report.add(std::move(row));
  }
}

}  // namespace bench::latency
