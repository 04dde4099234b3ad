// The benchmark harness: timers, percentiles, and one table of results, each a figure for
// BucketDB beside the same figure for its peer (SQLite, FlatBuffers) from the same run.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace bench {

struct Config {
  bool quick = false;       // CI: small sizes, only checks that everything runs
  uint64_t rows = 1000000;  // rows of the memory-vs-SQLite table
  bool rows_given = false;  // --rows was given (the latency group's default is 100,000)
  uint64_t seed = 42;
  std::string only;          // run one group: codec, memory, file, s3, latency
  std::string s3_uri;        // s3 group: the database URI (else skipped)
  std::string dir = "/tmp";  // where the file and latency groups make their databases
  // latency group: the same bucket as s3_uri through the delay proxy (tests/s3/delay_proxy.py);
  // empty: its S3 rows are skipped
  std::string s3_delayed_uri;
  double s3_delay_ms = 25;  // what the proxy holds each chunk
  std::string cli;          // the bucketdb program (default: beside this one)
  std::string exe;          // this program, which the latency group runs again as writers
};

// One line of the report. A rate is "per second", higher is better; a latency or a count,
// lower is better. ratio = peer / bucketdb for lower-better, bucketdb / peer otherwise: a
// ratio above 1 means BucketDB is ahead.
//
// The latency group's lines measure against a target instead of a peer (peer_name "target":
// a ratio above 1 means the target is met), and add the storage requests the operation sent
// and the bound a design with its requests overlapped reaches, in the figure's unit; a group
// whose lines have them prints them as columns of their own.
struct Result {
  std::string group, name, unit;
  double bucketdb = 0, peer = 0;  // peer 0: no peer figure
  std::string peer_name;
  bool higher_is_better = true;
  std::string note;
  double requests = -1;  // -1: not counted
  double bound = 0;      // 0: none
  double ratio() const;
};

class Report {
 public:
  void add(Result r);
  void print_table(const std::string &machine) const;
  std::string json(const std::string &machine) const;
  const std::vector<Result> &results() const { return results_; }

 private:
  std::vector<Result> results_;
};

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Percentile (0-100) of samples, which it sorts.
double percentile(std::vector<double> &samples, double p);

// A line describing this machine (CPU model and count, memory), for the report.
std::string machine_description();

// Fails loudly: a benchmark on a broken database measures nothing.
[[noreturn]] void die(const std::string &what);

}  // namespace bench
