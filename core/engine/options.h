// Database options. Names and defaults follow the Node.js library (SPEC sections 5-7).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/util/log.h"

namespace bucketdb {

// Progress of long work (bdb_options_set_progress): the task ("merge", "gc", "verify"), what
// is done of it and the total (0: unknown). Called on the thread doing the work.
using ProgressSink = std::function<void(const char *task, uint64_t done, uint64_t total)>;

struct Options {
  std::string db_prefix = "main";
  uint32_t node_id = 0;  // 0-255
  uint32_t ring_size = 1;
  uint64_t write_forward_interval_ms = 5000;
  uint64_t read_staleness_ms = 1000;
  uint64_t block_size_bytes = 65536;
  uint64_t max_memory_bytes = 104857600;
  // Storage requests one database keeps in flight at once (read-ahead, merges, collection,
  // log catch-up): each is a thread of the I/O pool while it runs.
  uint32_t max_requests_in_flight = 64;
  // A cold open reads the unmerged log in one GET of its checkpoint, however long: merges,
  // which cost PUTs, are rare by default (README, "The log's length").
  uint64_t merge_interval_ms = uint64_t{6} * 3600 * 1000;
  uint64_t merge_threshold_bytes = 4 << 20;
  // 0: 1,024 where the store has conditional writes (opens read the tail's checkpoint), 128
  // where it has not (opens read the tail an entry a GET).
  uint64_t merge_threshold_entries = 0;
  uint64_t gc_grace_ms = 3600000;
  bool auto_merge = true;
  // Open creates the database when its prefix holds nothing; otherwise a missing Block 0 is
  // BDB_E_NOT_FOUND (nothing there) or BDB_E_CORRUPT (objects there, Block 0 lost).
  bool create_if_missing = false;
  // Only GETs and LISTs: writes, merges and garbage collection are refused.
  bool read_only = false;
  int64_t clock_offset_ms = 0;  // added to the wall clock: for testing clock skew
  std::string log_level = "info";
  std::string data_prefix = "data";
  std::string committed_prefix = "committed";
  std::string blob_prefix = "blobs";
  std::string index_prefix = "indexes";
  std::string manifest_prefix = "manifest";
  LogSink log_sink;            // where log lines go (bdb_options_set_logger); empty: stderr
  ProgressSink progress_sink;  // empty: no progress reported

  // Reports progress when a sink is set (a throwing sink is ignored: progress is advisory).
  void progress(const char *task, uint64_t done, uint64_t total) const {
    if (!progress_sink) return;
    try {
      progress_sink(task, done, total);
    } catch (...) {
    }
  }

  // The log of a database with these options: logLevel and the sink.
  Logger logger() const { return Logger{parse_log_level(log_level), log_sink}; }

  // Sets one option from text; unknown names and bad values are BDB_E_INVALID naming them.
  void set(const std::string &name, const std::string &value);
  // Checks the combination (e.g. nodeId < ringSize).
  void validate() const;
};

}  // namespace bucketdb
