// The global flags (--db, --prefix, ...) and opening the database they describe.
#pragma once

#include <cstdlib>
#include <string>
#include <vector>

#include "handles.h"

namespace CLI {
class App;
}

namespace bdbcli {

inline std::string default_uri() {
  const char *bucket = std::getenv("BUCKETDB_S3_BUCKET");
  return bucket && *bucket ? std::string("s3://") + bucket : "file:.bucketdb";
}

struct GlobalOptions {
  // file:.bucketdb, or s3://$BUCKETDB_S3_BUCKET when that is set (as in the Node.js library).
  std::string uri = default_uri();
  std::string prefix = "main";
  // Kept as text: the library validates ranges, so its messages are the only ones.
  std::string node, ring, staleness, log_level;
  std::vector<std::string> options;  // NAME=VALUE, applied last so they override the flags
};

void add_global_options(CLI::App &app, GlobalOptions &global);
// Whether --log-level (or --option logLevel=) lets warnings reach stderr.
bool warnings_wanted(const GlobalOptions &global);

// What a command does to the database. Reads open it read-only (they send only GETs and
// LISTs, and never create anything); writes may merge at close; kCreate also creates a
// database that does not exist yet (schema add, put, import).
enum class Access { kRead, kWrite, kCreate };

// The options for `access`: the flags, then --option NAME=VALUE (which wins).
Options database_options(const GlobalOptions &global, Access access);
// Opens the database for `access`.
Db open_database(const GlobalOptions &global, Access access);

}  // namespace bdbcli
