// A committed log entry (`committed/{seq}`): the resolved effects of one or more batches.
// Puts carry the full row in the schema version it was written with; deletes carry the
// primary key; schema ops carry a schema's canonical JSON; a table drop names the table
// (docs/SPEC.md section 3, "Dropping"). An entry holding a drop is written in format 3, so a
// build that does not know drops says a newer BucketDB wrote it instead of misreading it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/util/bytes.h"
#include "core/util/ids.h"

namespace bucketdb {

struct LogOp {
  enum Type : uint8_t { kPut = 1, kDelete = 2, kSchema = 3, kDropTable = 4 };
  Type type = kPut;
  std::string table;
  uint32_t schema_version = 0;  // kPut
  std::string key;              // encoded primary key (kPut, kDelete)
  std::string fixed;            // kPut: the row
  std::string heap;             // kPut: its heap values
  std::string schema_json;      // kSchema
};

struct LogEntry {
  uint64_t seq = 0;
  uint8_t node_id = 0;
  Id128 commit_id{};
  // The commit id of entry seq - 1 as its writer applied it (zero: unknown, e.g. written by
  // format 1). A reader whose entry seq - 1 has another id knows that entry was lost and its
  // number taken again: the chain makes a gap in the log loud instead of silent.
  Id128 prev_commit_id{};
  // A random id of the handle that wrote it (format 2; 0: unknown): a node that sees entries
  // of other writers knows it shares the log (commits then take turns, docs/SPEC.md 4).
  uint64_t writer = 0;
  uint64_t misc = 0;  // monotonically increasing system clock stamp, ms
  std::vector<LogOp> ops;
};

Bytes encode_log_entry(const LogEntry &e);
LogEntry decode_log_entry(const Bytes &object, const std::string &key);

}  // namespace bucketdb
