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

// Opens the database. autoMerge stays on: a due merge runs when the process closes it.
Db open_database(const GlobalOptions &global);

}  // namespace bdbcli
