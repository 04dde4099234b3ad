// The latency group on a real S3 server (the project's Ceph RGW) behind the delay proxy
// (tests/s3/delay_proxy.py, which holds each chunk 25 ms each way): whether the S3 driver keeps
// many GETs in flight over connections it reuses. The table is written straight to the server
// (--s3) and read and merged through the proxy (--s3-delayed) by fresh handles.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "bench/latency.h"

namespace bench::latency {

namespace {

uint64_t connections(bdb_db *db) {
  auto j = nlohmann::json::parse(driver_stats(db));
  return j.value("connections", uint64_t{0});
}

}  // namespace

void s3_rows(const Setup &setup, Report &report) {
  const Config &cfg = *setup.cfg;
  if (cfg.s3_uri.empty() || cfg.s3_delayed_uri.empty()) {
    std::fprintf(stderr,
                 "bucketdb-bench: latency on S3 skipped (needs --s3 URI and --s3-delayed URI)\n");
    return;
  }
  const double rt = cfg.s3_delay_ms;
  char title[160];
  std::snprintf(title, sizeof title, "S3 (%s) behind a delay proxy, a request %.0f ms",
                cfg.s3_uri.substr(0, cfg.s3_uri.find('?')).c_str(), rt);
  const std::string group = setup.group_prefix + title;
  const std::string prefix =
      "latency-" + std::to_string(getpid()) + "-" +
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000000);
  const uint64_t rows = std::min<uint64_t>(setup.rows, 100000);
  const uint64_t entries = cfg.quick ? 50 : 1000;
  const Options where = {{"dbPrefix", prefix}};

  {  // The table, straight to the server, then `entries` one-row commits left unmerged.
    bdb_db *db = open_existing(
        cfg.s3_uri, {{"dbPrefix", prefix}, {"createIfMissing", "1"}, {"autoMerge", "0"}});
    ok(bdb_schema_register_json(db, kUsersSchema), "register users");
    for (uint64_t from = 0; from < rows; from += 10000) {
      bdb_batch *batch = nullptr;
      ok(bdb_batch_new(db, &batch), "batch");
      for (uint64_t i = from; i < std::min(rows, from + 10000); i++) {
        bdb_doc *d = user_row(db, user_key(i), i, rows, cfg.seed);
        ok(bdb_batch_insert(batch, d), "insert");
        bdb_doc_free(d);
      }
      ok(bdb_batch_commit(batch, nullptr), "commit");
      bdb_batch_free(batch);
    }
    ok(bdb_db_merge(db, nullptr), "merge");
    bdb_close(db);
  }

  uint64_t total_requests = 0, total_connections = 0;
  auto add = [&](const std::string &name, bdb_db *db, const Measured &m, uint64_t conns_before,
                 double bound, const std::string &note) {
    const uint64_t conns = connections(db) - conns_before;
    total_requests += m.requests.total();
    total_connections += conns;
    add_rt(report, group, name, m, rt, bound, 0,
           std::to_string(conns) + " connections opened" + (note.empty() ? "" : "; " + note));
  };

  {  // A full scan: the read-ahead window grows to 64 GETs in flight.
    bdb_db *db = open_existing(cfg.s3_delayed_uri, where);
    const uint64_t c0 = connections(db);
    uint64_t n = 0;
    Measured m = measure(db, [&] { n = run_count(db, {{"score", ">=", "5000"}}); });
    add("cold count with a filter (full scan), " + std::to_string(rows) + " rows", db, m, c0,
        rt_bound(1, static_cast<double>(m.requests.gets) - 1), std::to_string(n) + " rows");
    bdb_close(db);
  }

  {  // Log catch-up over entries nobody merged, then their merge: GETs and PUTs in flight.
    bdb_db *writer = open_existing(cfg.s3_uri, {{"dbPrefix", prefix}, {"autoMerge", "0"}});
    for (uint64_t i = 0; i < entries; i++) {
      bdb_batch *batch = nullptr;
      ok(bdb_batch_new(writer, &batch), "batch");
      const uint64_t r = (i * 7919) % rows;
      bdb_doc *d = user_row(writer, user_key(r) + "x", r + rows, rows, cfg.seed);
      ok(bdb_batch_insert(batch, d), "insert");
      bdb_doc_free(d);
      ok(bdb_batch_commit(batch, nullptr), "commit");
      bdb_batch_free(batch);
    }
    bdb_close(writer);
    Options options = where;
    options.push_back({"autoMerge", "0"});
    auto t0 = Clock::now();
    bdb_db *db = open_existing(cfg.s3_delayed_uri, options);
    Measured open{seconds_since(t0) * 1000, requests(db)};
    add("open over " + std::to_string(entries) + " unmerged log entries", db, open, 0,
        rt_bound(1, static_cast<double>(open.requests.gets) - 1), "");
    const uint64_t c0 = connections(db);
    Measured merge = measure(db, [&] { ok(bdb_db_merge(db, nullptr), "merge"); });
    add("merge of those entries", db, merge, c0,
        4 + rt_bound(0, static_cast<double>(merge.requests.gets)) +
            rt_bound(0, static_cast<double>(merge.requests.puts)),
        "");
    bdb_close(db);
  }

  Result r{
      group,
      "connections opened per 1,000 requests (the three above)",
      "connections",
      total_requests
          ? 1000.0 * static_cast<double>(total_connections) / static_cast<double>(total_requests)
          : 0,
      0,
      "",
      false,
      std::to_string(total_connections) + " connections for " + std::to_string(total_requests) +
          " requests; 1,000 would be a connection per request"};
  r.requests = static_cast<double>(total_requests);
  report.add(std::move(r));
}

}  // namespace bench::latency
