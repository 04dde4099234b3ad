// Recovery of a damaged database, the counterpart of SQLite's .recover: it works on the
// objects under a database's prefix, not through Database (which needs a sound Block 0).
//
// It reports what is wrong and what it would do; asked to write, it does it:
//  - a lost Block 0 is rebuilt from what remains: for each table the newest manifest page
//    whose blocks all exist and parse; schemas from the log entries that remain and from the
//    caller (a schema version no remaining object holds must be given); the log position from
//    the entries that remain, or else from the rows' own versions; indexes are rebuilt by the
//    next merges (the leader's background work), as for a newly declared index;
//  - with accept_lost_entries, each missing log entry that others follow is replaced by an
//    empty one carrying the lost commit's id, so the log reads on (that commit is lost).
// Everything it writes is created only if absent: it never overwrites an object.
#pragma once

#include <string>

#include "core/engine/options.h"

namespace bucketdb {

struct RecoverRequest {
  std::string uri;
  Options options;           // dbPrefix and the sub-prefixes
  std::string schemas_json;  // "" or one schema or an array of them
  bool write = false;
  bool accept_lost_entries = false;
};

// The report, as JSON: {"block0", "log": {"first", "last", "missing"}, "tables": [...],
// "problems": [...], "actions": [...], "written"}. BDB_E_CORRUPT only when asked to write
// and a problem stands in the way (the report names it).
std::string recover_database(const RecoverRequest &req);

}  // namespace bucketdb
