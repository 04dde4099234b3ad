// Writers for the latency group: handles committing one-row batches, in threads of this
// process or in processes of their own (this program re-executed with --writer SPEC), and the
// check that every commit they report is in the database once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/latency.h"

namespace bench::latency {

struct WriterSpec {
  std::string uri;
  Options options;
  std::string key_prefix;       // its rows are PREFIX-000001, PREFIX-000002, ...
  uint64_t commits = 0;         // stop after this many (0: only the deadline stops it)
  double seconds = 0;           // stop after this long (0: only `commits` stops it)
  double interval_ms = 0;       // from the start of one commit to the next (0: back to back)
  double phase_ms = 0;          // with interval_ms: when the first commit starts
  uint64_t rows = 0, seed = 0;  // of the table, to draw the rows' fields
};

struct WriterResult {
  uint64_t commits = 0;
  std::vector<double> latency_ms;  // of each commit
  std::vector<double> end_s;       // when each commit returned, in seconds from go
  std::vector<uint64_t> seqs;      // the log entry of each commit
  Requests requests;               // sent while committing (not the open, not the close)
  double seconds = 0;              // from go to the last commit's end
  std::string error;               // the first failed commit's message (it stops there)
};

// The writers each on a handle of their own, in threads of this process: all open, then all
// start together.
std::vector<WriterResult> run_in_threads(const std::vector<WriterSpec> &specs);
// The same in processes of their own (exe: this program).
std::vector<WriterResult> run_in_processes(const std::string &exe,
                                           const std::vector<WriterSpec> &specs);
// `threads` threads committing through one handle, each with a spec of its own (uri and
// options of the first); the requests are the handle's.
WriterResult run_on_one_handle(const std::vector<WriterSpec> &specs);

// The child's side of run_in_processes: bucketdb-bench --writer SPEC.
int writer_main(const std::string &spec_json);

// Whether the database at uri holds exactly the rows the writers reported and, with
// own_entries (writers committing one batch at a time), each commit in a log entry of its own:
// "nothing lost or doubled", or what is lost or doubled (also printed on stderr).
std::string check_nothing_lost(const std::string &uri, const std::vector<WriterSpec> &specs,
                               const std::vector<WriterResult> &results, bool own_entries);

// Runs a program and waits for it; its exit status (-1 if it could not start or was killed).
int run_program(const std::vector<std::string> &argv);

}  // namespace bench::latency
