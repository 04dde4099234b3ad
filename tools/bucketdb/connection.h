// The global flags (--db, --prefix, ...) and opening the database they describe.
#pragma once

#include <string>
#include <vector>

#include "handles.h"

namespace CLI {
class App;
}

namespace bdbcli {

struct GlobalOptions {
  std::string uri = "file:.bucketdb";
  std::string prefix = "main";
  // Kept as text: the library validates ranges, so its messages are the only ones.
  std::string node, ring, staleness;
  std::vector<std::string> options;  // NAME=VALUE, applied last so they override the flags
};

void add_global_options(CLI::App &app, GlobalOptions &global);

// Opens the database with autoMerge=0 unless overridden: a one-shot process must not start
// background work that its exit would cut short.
Db open_database(const GlobalOptions &global);

}  // namespace bdbcli
