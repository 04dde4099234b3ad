// The memory driver vs SQLite in memory, on the same table: bulk insert in batches of 10,000,
// point gets, an indexed equality query (~10 rows), a primary-key range with a filter, a
// count. Then the requests each read shape costs on a cold handle (a counting driver: the
// engine's own storage counters), which are what S3 bills.
#include <random>
#include <string>
#include <vector>

#include "bench/bdb_util.h"
#include "bench/dataset.h"
#include "bench/sqlite_peer.h"
#include "bench/workloads.h"

namespace bench {

namespace {

constexpr size_t kBatch = 10000;

template <class Fn>
double rate(size_t n, Fn fn) {
  auto t0 = Clock::now();
  fn();
  return static_cast<double>(n) / seconds_since(t0);
}

std::string quoted(const std::string &s) {
  return "\"" + s + "\"";
}

// A benchmark that returns other answers than its peer measures nothing.
void same_answer(const char *what, uint64_t ours, uint64_t peer) {
  if (ours != peer)
    die(std::string(what) + ": BucketDB read " + std::to_string(ours) + " rows, SQLite " +
        std::to_string(peer));
}

// Replaying the unmerged log: a handle that opens over 300 entries of 1,000 rows each (another
// writer's, not yet merged) applies them before its first get, and a history query halfway
// back replays half of them; beside the same reads after a merge, and a count of the current
// state. Replay grows each table's overlay in place, so these stay near the rows' share of
// the work instead of growing with entries x rows (10 s for one get before).
void replay_rows(const Config &cfg, Report &report) {
  const size_t entries = cfg.quick ? 30 : 300, rows = 1000;
  const std::vector<User> users = make_users(entries * rows, cfg.seed + 1);
  const std::string uri = "memory:bench-replay-" + std::to_string(cfg.seed);
  bdb_db *writer = open_db(uri, {{"autoMerge", "0"}});  // the schema is entry 1
  for (size_t i = 0; i < entries; i++) insert_users(writer, &users[i * rows], rows);
  const std::string group = "replaying the unmerged log, " + std::to_string(entries) +
                            " entries of 1,000 rows (memory driver)";
  std::string name;
  auto open_and_get = [&] {
    auto t0 = Clock::now();
    bdb_db *db = open_db(uri, {{"autoMerge", "0"}});
    if (!get_user(db, users.back().id, &name)) die("replay: the last row is missing");
    double ms = seconds_since(t0) * 1000.0;
    bdb_close(db);
    return ms;
  };
  auto count = [&](uint64_t as_of) {
    bdb_db *db = open_db(uri, {{"autoMerge", "0"}});
    bdb_query *q = nullptr;
    ok(bdb_query_new(db, "users", &q), "query");
    if (as_of) ok(bdb_query_as_of(q, as_of), "as of");
    uint64_t n = 0;
    auto t0 = Clock::now();
    ok(bdb_query_count(q, &n), "count");
    double ms = seconds_since(t0) * 1000.0;
    bdb_query_free(q);
    bdb_close(db);
    if (n != (as_of ? (as_of - 1) * rows : entries * rows))
      die("replay: the count read " + std::to_string(n) + " rows");
    return ms;
  };
  const double unmerged_open = open_and_get();
  const uint64_t halfway = 1 + entries / 2;
  const double history = count(halfway), now = count(0);
  ok(bdb_db_merge(writer, nullptr), "merge");
  const double merged_open = open_and_get();
  report.add({group, "open and get over the unmerged entries", "ms", unmerged_open, merged_open,
              "after a merge", false, ""});
  report.add({group, "count as of the middle entry (history)", "ms", history, now,
              "count of the current state", false,
              std::to_string(entries / 2) + " entries replayed"});
  bdb_close(writer);
}

}  // namespace

void memory_workload(const Config &cfg, Report &report) {
  const uint64_t n = cfg.quick ? 20000 : cfg.rows;
  const std::vector<User> users = make_users(n, cfg.seed);
  const std::string uri = "memory:bench-" + std::to_string(cfg.seed);
  const std::string rows_text = std::to_string(n) + " rows";
  const std::string vs = "memory driver vs SQLite in memory (" + rows_text + ")";
  // Merges only when asked, so the timings below are of the operation alone. SQLite's
  // in-memory database holds the whole table; so does our cache here (the default
  // maxMemoryBytes, 100 MiB, is about the size of the 1,000,000-row table's blocks alone).
  bdb_db *db = open_db(uri, {{"autoMerge", "0"},
                             {"readStalenessMs", "60000"},
                             {"maxMemoryBytes", std::to_string(1ull << 30)}});
  SqlitePeer peer(":memory:", "OFF");

  const size_t batch = std::min<size_t>(kBatch, n);
  double ours_insert = rate(n, [&] {
    for (uint64_t i = 0; i < n; i += batch)
      insert_users(db, &users[i], std::min<uint64_t>(batch, n - i));
  });
  double peer_insert = rate(n, [&] {
    for (uint64_t i = 0; i < n; i += batch)
      peer.insert(&users[i], std::min<uint64_t>(batch, n - i));
  });
  report.add({vs, "bulk insert, batches of 10,000 (commit)", "rows/s", ours_insert, peer_insert,
              "SQLite :memory:", true, ""});
  uint64_t merged = 0;
  auto t0 = Clock::now();
  ok(bdb_db_merge(db, &merged), "merge");
  double merge_s = seconds_since(t0);
  double ours_loaded = static_cast<double>(n) / (static_cast<double>(n) / ours_insert + merge_s);
  report.add({vs, "bulk insert + merge into blocks and index", "rows/s", ours_loaded, peer_insert,
              "SQLite :memory:", true, ""});

  std::mt19937_64 rng(cfg.seed + 1);
  const size_t gets = cfg.quick ? 2000 : 200000;
  std::vector<std::string> ids;
  for (size_t i = 0; i < gets; i++) ids.push_back(user_id(rng() % n));
  std::string name;
  double ours_get = 0;
  {
    UserGets user_gets(db);  // its key document goes before the database
    // Warm first (every block the gets read): the comparison is of warm point gets.
    for (const auto &id : ids) user_gets.get(id, &name);
    // Both sides as a hot loop is written: SQLite steps a prepared statement with its key
    // bound, BucketDB gets with one key document whose key is set each time.
    ours_get = rate(gets, [&] {
      for (const auto &id : ids)
        if (!user_gets.get(id, &name)) die("get: " + id + " not found");
    });
  }
  double peer_get = rate(gets, [&] {
    for (const auto &id : ids)
      if (!peer.get(id, &name)) die("sqlite get: " + id + " not found");
  });
  report.add({vs, "point get by primary key, warm", "gets/s", ours_get, peer_get,
              "SQLite :memory:", true, "one key document, its key set for each get"});
  double ours_get_new = rate(gets, [&] {
    for (const auto &id : ids)
      if (!get_user(db, id, &name)) die("get: " + id + " not found");
  });
  report.add({vs, "point get, a new key document each time", "gets/s", ours_get_new, peer_get,
              "SQLite :memory:", true, "bdb_key_doc_from_text, bdb_get, two frees"});

  const size_t lookups = cfg.quick ? 200 : 20000;
  std::vector<std::string> names;
  for (size_t i = 0; i < lookups; i++) names.push_back(users[rng() % n].name);
  uint64_t ours_rows = 0, peer_rows = 0;
  double ours_ix = rate(lookups, [&] {
    for (const auto &nm : names) ours_rows += run_query(db, {{"name", "=", quoted(nm)}});
  });
  double peer_ix = rate(lookups, [&] {
    for (const auto &nm : names) peer_rows += peer.by_name(nm);
  });
  same_answer("indexed query", ours_rows, peer_rows);
  report.add({vs, "indexed equality query (name = ?)", "queries/s", ours_ix, peer_ix,
              "SQLite :memory:", true,
              std::to_string(ours_rows / lookups) + " rows per query on average"});

  const size_t ranges = cfg.quick ? 20 : 200;
  const uint64_t span = std::min<uint64_t>(10000, n);
  std::vector<uint64_t> starts;
  for (size_t i = 0; i < ranges; i++) starts.push_back(rng() % (n - span + 1));
  ours_rows = peer_rows = 0;
  double ours_range = rate(ranges, [&] {
    for (uint64_t s : starts)
      ours_rows += run_query(db, {{"id", ">=", quoted(user_id(s))},
                                  {"id", "<", quoted(user_id(s + span))},
                                  {"active", "=", "true"}});
  });
  double peer_range = rate(ranges, [&] {
    for (uint64_t s : starts) peer_rows += peer.range_active(user_id(s), user_id(s + span));
  });
  same_answer("range query", ours_rows, peer_rows);
  report.add({vs, "primary-key range of 10,000 with a filter", "queries/s", ours_range, peer_range,
              "SQLite :memory:", true, std::to_string(ours_rows / ranges) + " rows per query"});

  const size_t counts = cfg.quick ? 3 : 10;
  uint64_t ours_count = 0, peer_count = 0;
  double ours_c = rate(counts, [&] {
    for (size_t i = 0; i < counts; i++) ours_count = run_count(db, {{"age", ">=", "50"}});
  });
  double peer_c = rate(counts, [&] {
    for (size_t i = 0; i < counts; i++) peer_count = peer.count_older(50);
  });
  same_answer("count", ours_count, peer_count);
  report.add({vs, "count with a filter on an unindexed field", "counts/s", ours_c, peer_c,
              "SQLite :memory:", true, ""});

  const size_t walks = cfg.quick ? 2 : 20;
  auto keyset_pages = [&](const char *what, const char *detail, auto &&ours_walk,
                          auto &&peer_walk) {
    uint64_t ours_n = 0, peer_n = 0;
    double ours = rate(walks * 50, [&] {
      for (size_t i = 0; i < walks; i++) ours_n += ours_walk();
    });
    double theirs = rate(walks * 50, [&] {
      for (size_t i = 0; i < walks; i++) peer_n += peer_walk();
    });
    same_answer(what, ours_n, peer_n);
    report.add({vs, what, "pages/s", ours, theirs, "SQLite :memory:", true, detail});
  };
  keyset_pages(
      "keyset pages, 50 x 20 rows by name", "each page a query of its own",
      [&] { return walk_pages(db, "name", false, 20, 50); },
      [&] { return peer.walk_pages_by_name(20, 50); });
  keyset_pages(
      "keyset pages, 50 x 20 rows by key, descending", "newest first, as a feed reads",
      [&] { return walk_pages(db, "id", true, 20, 50); },
      [&] { return peer.walk_pages_by_id_desc(20, 50); });

  // Requests per read shape, on a fresh handle of the same store (nothing cached).
  const std::string group = "requests per read, " + rows_text + " (counting driver)";
  bdb_db *cold = open_db(uri, {{"autoMerge", "0"}, {"readStalenessMs", "60000"}});
  Requests before = requests(cold);
  get_user(cold, user_id(n / 2), &name);
  report.add({group, "cold primary-key lookup", "requests",
              static_cast<double>((requests(cold) - before).total()), 0, "", false,
              "GETs after the open (which read Block 0 and the log head)"});
  const std::string some_name = users[n / 3].name;
  before = requests(cold);
  uint64_t got = run_query(cold, {{"name", "=", quoted(some_name)}});
  report.add({group, "cold indexed lookup", "requests",
              static_cast<double>((requests(cold) - before).total()), 0, "", false,
              std::to_string(got) + " rows"});
  before = requests(cold);
  got = walk_pages(cold, "name", true, 10, 1);
  report.add({group, "cold page, by name desc, limit 10", "requests",
              static_cast<double>((requests(cold) - before).total()), 0, "", false,
              std::to_string(got) + " rows, read in the index's order"});
  before = requests(cold);
  run_query(cold, {{"name", "=", quoted(some_name)}});
  get_user(cold, user_id(n / 2), &name);
  report.add({group, "the same lookups, warm", "requests",
              static_cast<double>((requests(cold) - before).total()), 0, "", false, ""});
  bdb_close(cold);
  bdb_db *fresh = open_db(uri, {{"autoMerge", "0"}, {"readStalenessMs", "0"}});
  run_query(fresh, {{"name", "=", quoted(some_name)}});
  before = requests(fresh);
  run_query(fresh, {{"name", "=", quoted(some_name)}});
  report.add({group, "query at readStalenessMs 0, nothing new", "requests",
              static_cast<double>((requests(fresh) - before).total()), 0, "", false,
              "the GET that finds no next log entry"});
  bdb_close(fresh);
  bdb_close(db);
  replay_rows(cfg, report);
}

}  // namespace bench
