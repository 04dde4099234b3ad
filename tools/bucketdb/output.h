// Everything the shell writes: results on stdout, progress and errors on stderr.
#pragma once

#include <cstdint>
#include <string>

namespace bdbcli {

// One result line on stdout (NDJSON rows, counts, numbers).
void print_line(const char *text);
void print_line(const std::string &text);

// A JSON document from the library: indented on a terminal, as one line otherwise so that
// pipes get something line-oriented tools can read.
void print_json(const char *json);

// Flushes stdout; a failed write (full disk, closed pipe) must not look like success.
void finish_output();

bool stderr_is_terminal();

// The library's progress of long work (bdb_options_set_progress), for a terminal: one line on
// stderr ("bucketdb: merge users: 12/340"), rewritten in place at most ten times a second.
void progress_to_terminal(void *ctx, const char *task, uint64_t done, uint64_t total);
// Clears a progress line left on stderr, so that what follows (a result on the same
// terminal, an error) starts on a clean line.
void end_progress();

// A running count on stderr ("bucketdb: put: 5000 documents"), shown only when stderr is a
// terminal (scripts see nothing).
class Progress {
 public:
  Progress(std::string what, std::string unit);
  // Ends a half-written progress line, so an error message that follows starts on its own.
  ~Progress();
  Progress(const Progress &) = delete;
  Progress &operator=(const Progress &) = delete;
  void update(uint64_t count);
  // Prints the final count and ends the line.
  void done(uint64_t count);

 private:
  std::string what_, unit_;
  bool enabled_;
  bool shown_ = false;
};

}  // namespace bdbcli
