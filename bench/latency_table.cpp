// The latency group's table, its copies, and how a measure becomes a line of the report.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "bench/dataset.h"
#include "bench/latency.h"

namespace bench::latency {

std::string Delay::uri(const std::string &path) const {
  if (delay_ms <= 0 && jitter_ms <= 0) return "file:" + path;
  char q[160];
  std::snprintf(q, sizeof q, "?faulty.every=1&faulty.action=delay&faulty.delay_ms=%.0f", delay_ms);
  std::string out = "faulty:file:" + path + q;
  if (jitter_ms > 0) {
    std::snprintf(q, sizeof q, "&faulty.jitter_ms=%.0f&faulty.seed=17", jitter_ms);
    out += q;
  }
  // BDB_BENCH_TRACE=FILE: every delayed call, with its start and end (README.md, Performance).
  if (const char *trace = std::getenv("BDB_BENCH_TRACE"))
    out = "counting:" + out + "&counting.trace=" + trace;
  return out;
}

std::string Delay::describe() const {
  char buf[96];
  if (delay_ms <= 0) return "no delay";
  if (jitter_ms <= 0)
    std::snprintf(buf, sizeof buf, "every call %.0f ms", delay_ms);
  else
    std::snprintf(buf, sizeof buf, "every call %.0f ms, half of them %.0f ms", delay_ms,
                  delay_ms + jitter_ms);
  return buf;
}

std::string Setup::fresh(const std::string &what) const {
  static int n = 0;
  return dir + "/" + what + "-" + std::to_string(++n);
}

double Setup::seconds(double full) const {
  return cfg->quick ? std::max(0.2, full / 20) : full;
}

const char *const kUsersSchema = R"({"name":"users","version":1,"fields":{
  "id":{"typeId":10,"maxLength":24},"name":{"typeId":10,"maxLength":40},
  "city":{"typeId":10,"maxLength":24},"age":{"typeId":1},"active":{"typeId":6},
  "score":{"typeId":7},"created":{"typeId":8}},
  "primaryKey":"id","indexes":["name","city","age"]})";

namespace {

// A draw that depends only on (seed, row, field): any process makes the same rows.
uint64_t draw(uint64_t seed, uint64_t i, uint64_t field) {
  uint64_t x = seed * 0x9e3779b97f4a7c15ULL + i * 0xbf58476d1ce4e5b9ULL + field;
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::string user_key(uint64_t i) {
  return user_id(i);
}

std::string user_name_of(uint64_t i, uint64_t rows, uint64_t seed) {
  return user_name(draw(seed, i, 1) % std::max<uint64_t>(1, rows / 10));
}

std::string user_city_of(uint64_t i, uint64_t rows, uint64_t seed) {
  return "city-" + std::to_string(draw(seed, i, 2) % std::max<uint64_t>(1, rows / 100));
}

bdb_doc *user_row(bdb_db *db, const std::string &key, uint64_t i, uint64_t rows, uint64_t seed) {
  bdb_doc *d = nullptr;
  ok(bdb_doc_new(db, "users", &d), "users document");
  const std::string name = user_name_of(i, rows, seed), city = user_city_of(i, rows, seed);
  ok(bdb_doc_set_string(d, "id", key.data(), key.size()), "id");
  ok(bdb_doc_set_string(d, "name", name.data(), name.size()), "name");
  ok(bdb_doc_set_string(d, "city", city.data(), city.size()), "city");
  ok(bdb_doc_set_uint(d, "age", draw(seed, i, 3) % 100), "age");
  ok(bdb_doc_set_bool(d, "active", static_cast<int>(draw(seed, i, 4) & 1)), "active");
  ok(bdb_doc_set_double(d, "score", static_cast<double>(draw(seed, i, 5) % 1000000) / 100.0),
     "score");
  ok(bdb_doc_set_int(d, "created", 1700000000000 + static_cast<int64_t>(i) * 1000), "created");
  return d;
}

void build_table(const std::string &path, uint64_t rows, uint64_t seed) {
  bdb_options *opts = nullptr;
  ok(bdb_options_new(&opts), "options");
  ok(bdb_options_set(opts, "logLevel", "error"), "logLevel");
  ok(bdb_options_set(opts, "createIfMissing", "1"), "createIfMissing");
  ok(bdb_options_set(opts, "autoMerge", "0"), "autoMerge");
  bdb_db *db = nullptr;
  bdb_status st = bdb_open(("file:" + path).c_str(), opts, &db);
  bdb_options_free(opts);
  ok(st, ("open file:" + path).c_str());
  ok(bdb_schema_register_json(db, kUsersSchema), "register users");
  for (uint64_t from = 0; from < rows; from += 10000) {
    bdb_batch *batch = nullptr;
    ok(bdb_batch_new(db, &batch), "batch");
    for (uint64_t i = from; i < std::min(rows, from + 10000); i++) {
      bdb_doc *d = user_row(db, user_key(i), i, rows, seed);
      ok(bdb_batch_insert(batch, d), "insert");
      bdb_doc_free(d);
    }
    ok(bdb_batch_commit(batch, nullptr), "commit");
    bdb_batch_free(batch);
  }
  ok(bdb_db_merge(db, nullptr), "merge");
  ok(bdb_db_close(db), "close");
}

void copy_db(const std::string &from, const std::string &to) {
  namespace fs = std::filesystem;
  fs::create_directories(to);
  for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator();
       ++it) {
    const fs::path rel = fs::relative(it->path(), from);
    // The driver's own files (its lock file, temp files) stay with their directory.
    if (it->path().filename().string().rfind('.', 0) == 0) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_directory())
      fs::create_directories(fs::path(to) / rel);
    else
      fs::create_hard_link(it->path(), fs::path(to) / rel);
  }
}

bdb_db *open_existing(const std::string &uri, const Options &options) {
  bdb_options *opts = nullptr;
  ok(bdb_options_new(&opts), "options");
  ok(bdb_options_set(opts, "logLevel", "error"), "logLevel");
  for (const auto &[name, value] : options)
    ok(bdb_options_set(opts, name.c_str(), value.c_str()), name.c_str());
  bdb_db *db = nullptr;
  bdb_status st = bdb_open(uri.c_str(), opts, &db);
  bdb_options_free(opts);
  ok(st, ("open " + uri).c_str());
  return db;
}

bool counting_available() {
#ifdef BDB_BENCH_PLUGIN_DIR
  return std::filesystem::exists(BDB_BENCH_PLUGIN_DIR "/bucketdb-driver-counting.so");
#else
  return false;
#endif
}

bool add_count_line(const std::string &line, Requests *sum) {
  unsigned long long g = 0, p = 0, l = 0, d = 0, c = 0;
  if (std::sscanf(line.c_str(), "%llu %llu %llu %llu %llu", &g, &p, &l, &d, &c) != 5) return false;
  sum->gets += g;
  sum->puts += p;
  sum->lists += l;
  sum->deletes += d;
  sum->put_conflicts += c;
  return true;
}

double rt_bound(double depth, double rest) {
  return depth + std::ceil(std::max(0.0, rest) / 64);
}

void trace_mark(const std::string &what, Clock::time_point from, Clock::time_point to) {
  const char *trace = std::getenv("BDB_BENCH_TRACE");
  if (!trace) return;
  // steady_clock is CLOCK_MONOTONIC on Linux, the counting layer's clock.
  auto us = [](Clock::time_point t) {
    return static_cast<long long>(
        std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count());
  };
  if (FILE *f = std::fopen(trace, "a")) {
    std::fprintf(f, "# %lld %lld %s\n", us(from), us(to), what.c_str());
    std::fclose(f);
  }
}

void add_rt(Report &report, const std::string &group, const std::string &name, const Measured &m,
            double delay_ms, double bound, double target, const std::string &note) {
  const auto now = Clock::now();
  trace_mark(group + ": " + name,
             now - std::chrono::duration_cast<Clock::duration>(
                       std::chrono::duration<double, std::milli>(m.ms)),
             now);
  char wall[64];
  std::snprintf(wall, sizeof wall, "%.0f ms", m.ms);
  Result r{group,  name,
           "RT",   m.ms / delay_ms,
           target, "target",
           false,  request_mix(m.requests) + ", " + wall + (note.empty() ? "" : "; " + note)};
  r.requests = static_cast<double>(m.requests.total());
  r.bound = bound;
  report.add(std::move(r));
}

}  // namespace bench::latency
