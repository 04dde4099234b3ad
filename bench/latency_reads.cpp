// The latency group's reads and opens: cold and warm reads of the merged table (issue 17),
// opens over an unmerged log and its merge (issue 17), and cold opens after other nodes'
// commits (issue 22).
#include <functional>
#include <random>
#include <set>

#include "bench/latency.h"

namespace bench::latency {

namespace {

std::string quoted(const std::string &s) {
  return "\"" + s + "\"";
}

std::string rows_note(uint64_t n) {
  return std::to_string(n) + " rows";
}

// Commits `count` one-row inserts, each in a batch of its own, keyed just after random rows
// of the table so that they land in blocks all over it.
void commit_scattered(bdb_db *db, uint64_t count, uint64_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed * 31 + count);
  std::set<uint64_t> picked;
  while (picked.size() < std::min(count, rows)) picked.insert(rng() % rows);
  for (uint64_t r : picked) {
    bdb_batch *batch = nullptr;
    ok(bdb_batch_new(db, &batch), "batch");
    bdb_doc *d = user_row(db, user_key(r) + "x", r + rows, rows, seed);
    ok(bdb_batch_insert(batch, d), "insert");
    bdb_doc_free(d);
    ok(bdb_batch_commit(batch, nullptr), "commit");
    bdb_batch_free(batch);
  }
}

// Opens uri as a new node would; the measure covers bdb_open alone.
bdb_db *timed_open(const std::string &uri, const Options &options, Measured *m) {
  auto t0 = Clock::now();
  bdb_db *db = open_existing(uri, options);
  m->ms = seconds_since(t0) * 1000;
  m->requests = requests(db);
  return db;
}

}  // namespace

void read_rows(const Setup &setup, const Delay &delay, Report &report) {
  const std::string group = setup.group_prefix + delay.describe();
  const std::string uri = delay.uri(setup.table);
  const double d = setup.delay_ms;
  const uint64_t rows = setup.rows, seed = setup.cfg->seed;
  std::string name;

  {
    Measured open;
    bdb_db *db = timed_open(uri, {}, &open);
    add_rt(report, group, "cold open", open, d, 2, 4, "target of issue 22: <= 66 GETs");
    const std::string key = user_key(rows * 2 / 3);
    auto get = [&] {
      if (!get_user(db, key, &name)) die("latency: point get found nothing");
    };
    add_rt(report, group, "cold point get", measure(db, get), d, 2, 0, "budget 2 GETs");
    add_rt(report, group, "  warm repeat", measure(db, get), d, 0, 0);
    bdb_close(db);
  }

  // Each query on a handle of its own, opened (not measured) just before: a cold cache.
  struct Query {
    std::string name;
    double depth;  // requests that depend on each other before the blocks can all go out
    double target;
    std::function<uint64_t(bdb_db *)> run;
  };
  const std::string by_name = user_name_of(rows / 3, rows, seed);
  const std::string by_city = user_city_of(rows / 5, rows, seed);
  const std::vector<Query> queries = {
      {"cold indexed equality, ~10 rows", 2, 0,
       [&](bdb_db *db) {
         return run_query(db, {{"name", "=", quoted(by_name)}});
       }},
      {"cold indexed equality, ~100 rows", 2, 8,
       [&](bdb_db *db) {
         return run_query(db, {{"city", "=", quoted(by_city)}});
       }},
      {"cold count with a filter (full scan)", 1, rows >= 1000000 ? 25.0 : 6.0,
       [&](bdb_db *db) {
         return run_count(db, {{"score", ">=", "5000"}});
       }},
      {"cold first page ordered by an index, limit 20", 2, 6,
       [&](bdb_db *db) { return walk_pages(db, "name", false, 20, 1); }},
  };
  for (const Query &q : queries) {
    bdb_db *db = open_existing(uri);
    uint64_t n = 0;
    Measured cold = measure(db, [&] { n = q.run(db); });
    add_rt(report, group, q.name, cold, d,
           rt_bound(q.depth, static_cast<double>(cold.requests.gets) - q.depth), q.target,
           rows_note(n));
    add_rt(report, group, "  warm repeat", measure(db, [&] { q.run(db); }), d, 0, 0);
    bdb_close(db);
  }
}

void tail_rows(const Setup &setup, const Delay &delay, Report &report) {
  const std::string group = setup.group_prefix + delay.describe();
  const double d = setup.delay_ms;
  const uint64_t rows = setup.rows, seed = setup.cfg->seed;
  const uint64_t entries = setup.cfg->quick ? 100 : 1000;

  // Issue 17: an open over 1,000 entries nobody merged, then their merge by that node.
  {
    const std::string path = setup.fresh("unmerged");
    copy_db(setup.table, path);
    bdb_db *writer = open_existing("file:" + path, {{"autoMerge", "0"}});
    commit_scattered(writer, entries, rows, seed);
    ok(bdb_db_close(writer), "close");
    Measured open;
    bdb_db *db = timed_open(delay.uri(path), {{"autoMerge", "0"}}, &open);
    const std::string n = std::to_string(entries);
    add_rt(report, group, "open over " + n + " unmerged log entries", open, d,
           rt_bound(1, static_cast<double>(open.requests.gets) - 1), 40);
    uint64_t merged = 0;
    Measured merge = measure(db, [&] { ok(bdb_db_merge(db, &merged), "merge"); });
    // Reads of what it rewrites, then its writes, each 64 at a time; before them the manifest
    // and index levels, after them the Block 0 swap.
    const double bound = 4 + rt_bound(0, static_cast<double>(merge.requests.gets)) +
                         rt_bound(0, static_cast<double>(merge.requests.puts));
    add_rt(report, group, "merge of " + n + " one-row entries scattered over the table", merge, d,
           bound, rows >= 1000000 ? 150 : 0, std::to_string(merged) + " entries folded");
    bdb_close(db);
  }

  // Issue 22: what a new node pays to open after others' single-row commits, the writer
  // still running with default options (it merges as its policy says), and after it closed.
  const uint64_t scale = setup.cfg->quick ? 10 : 1;
  for (uint64_t n : {uint64_t{10}, uint64_t{100}, uint64_t{1000}, uint64_t{0}}) {
    const bool clean_close = n == 0;
    const uint64_t commits = (clean_close ? 999 : n) / scale;
    const std::string path = setup.fresh("tail");
    copy_db(setup.table, path);
    bdb_db *writer = open_existing("file:" + path);
    commit_scattered(writer, commits, rows, seed + n);
    if (clean_close) ok(bdb_db_close(writer), "close");
    Measured open;
    bdb_db *db = timed_open(delay.uri(path), {}, &open);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(commits));
    const std::string name =
        clean_close
            ? std::string("cold open after ") + buf + " commits and the writer's clean close"
            : std::string("cold open after ") + buf + " single-row commits by another node";
    add_rt(report, group, name, open, d, 2, 4, "target <= 66 GETs");
    bdb_close(db);
    if (!clean_close) bdb_close(writer);
  }
}

}  // namespace bench::latency
