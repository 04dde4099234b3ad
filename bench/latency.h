// The latency group (issues 17 and 22): BucketDB over a store whose every call takes a round
// trip (RT). The table is built on file: directly; each measure then opens a fresh handle on
// it through the faulty layer's delay (faulty:file:DIR?faulty.every=1&faulty.action=delay&
// faulty.delay_ms=25, and again with faulty.jitter_ms=25: half the calls 50 ms), and reports
// the requests it sent, its round trips (wall / 25 ms), the bound a design with 64 requests in
// flight reaches for those requests, and the issues' target.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "bench/bdb_util.h"
#include "bench/harness.h"

namespace bench::latency {

using Options = std::vector<std::pair<std::string, std::string>>;

// One delayed store: every call delay_ms, and jitter_ms more on half of them.
struct Delay {
  double delay_ms = 25;
  double jitter_ms = 0;
  // file:PATH through the delay (delay 0: file:PATH itself).
  std::string uri(const std::string &path) const;
  // "every call 25 ms", "every call 25 ms, half of them 50 ms", "no delay"
  std::string describe() const;
};

// What one run works in, and its sizes.
struct Setup {
  const Config *cfg = nullptr;
  std::string dir;    // a directory of this run, removed at the end
  uint64_t rows = 0;  // of the users table
  double delay_ms = 25;
  std::string table;  // the built and merged table (file: path); copy before writing to it
  std::string group_prefix;
  std::string fresh(const std::string &what) const;  // a new path under dir
  double seconds(double full) const;                 // a duration, shortened by --quick
};

// ---- the users table (latency_table.cpp) ----
// id varchar key "u" + 10 digits; name indexed, about 10 rows a name; city indexed, about 100
// rows a city; age uint8 indexed; active bool; score float64; created timestamp.
extern const char *const kUsersSchema;
std::string user_key(uint64_t i);
std::string user_name_of(uint64_t i, uint64_t rows, uint64_t seed);
std::string user_city_of(uint64_t i, uint64_t rows, uint64_t seed);
// A row of the table (keys other than user_key(i) are allowed: writers' own rows).
bdb_doc *user_row(bdb_db *db, const std::string &key, uint64_t i, uint64_t rows, uint64_t seed);
// Creates file:path with `rows` users in commits of 10,000 and merges them into blocks.
void build_table(const std::string &path, uint64_t rows, uint64_t seed);
// A copy of a database directory sharing its immutable files (hard links): a write to the copy
// never changes the original, since the file driver renames new files over old ones.
void copy_db(const std::string &from, const std::string &to);
// Opens an existing database (logLevel error) with these options.
bdb_db *open_existing(const std::string &uri, const Options &options = {});

// ---- measuring (latency_table.cpp) ----
struct Measured {
  double ms = 0;
  Requests requests;
};
template <class Fn>
Measured measure(bdb_db *db, Fn &&fn) {
  Requests before = requests(db);
  auto t0 = Clock::now();
  fn();
  Measured m;
  m.ms = seconds_since(t0) * 1000;
  m.requests = requests(db) - before;
  return m;
}
// A round-trip bound of requests that depend on each other in `depth` steps, then `rest` that
// may all be in flight, 64 at a time.
double rt_bound(double depth, double rest);
// With BDB_BENCH_TRACE=FILE, marks the calls between from and to as those of `what` in the
// trace: "# START_US END_US WHAT", beside the counting layer's line per call.
void trace_mark(const std::string &what, Clock::time_point from, Clock::time_point to);
// Adds a line in round trips: requests, wall / delay, the bound and the target (0: none).
void add_rt(Report &report, const std::string &group, const std::string &name, const Measured &m,
            double delay_ms, double bound, double target, const std::string &note = "");

// Whether the counting layer (bench/counting_driver.cpp, built beside this program) is there:
// an installed bucketdb-bench has none, and skips the rows that count other processes.
bool counting_available();
// One line the counting layer appended at a close ("gets puts lists deletes conflicts"), added
// to *sum; false if the line is not one.
bool add_count_line(const std::string &line, Requests *sum);

// ---- the groups' parts ----
void read_rows(const Setup &setup, const Delay &delay, Report &report);    // latency_reads.cpp
void tail_rows(const Setup &setup, const Delay &delay, Report &report);    // latency_reads.cpp
void commit_rows(const Setup &setup, const Delay &delay, Report &report);  // latency_commits.cpp
void writer_rows(const Setup &setup, Report &report);                      // latency_commits.cpp
void cli_rows(const Setup &setup, Report &report);                         // latency_cli.cpp
void month_rows(const Setup &setup, Report &report);                       // latency_month.cpp
void s3_rows(const Setup &setup, Report &report);                          // latency_s3.cpp

}  // namespace bench::latency
