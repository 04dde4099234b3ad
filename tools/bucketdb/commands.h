// The command table: each group adds its CLI11 subcommands and the action each one runs.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "connection.h"

namespace CLI {
class App;
}

namespace bdbcli {

class Commands {
 public:
  using Action = std::function<void(const GlobalOptions &)>;

  // `sub` is a leaf command; its action runs when it is the one parsed.
  void on(CLI::App *sub, Action action) { actions_.emplace_back(sub, std::move(action)); }

  // Runs the parsed command's action; false if no leaf was parsed.
  bool run(const GlobalOptions &global) const;

 private:
  std::vector<std::pair<CLI::App *, Action>> actions_;
};

void add_schema_commands(CLI::App &app, Commands &commands);  // schema add, schema list
// The schemas of a file as `schema add` reads it (.json: one object, an array or one per line;
// .fbs through bucketdb-schemac), as JSON texts.
std::vector<std::string> read_schema_file(const std::string &path,
                                          const std::vector<std::string> &include_dirs);
// One registration text for several schemas: the schema itself, or an array of them.
std::string schemas_as_one(const std::vector<std::string> &schemas);
void add_doc_commands(CLI::App &app, Commands &commands);   // put, patch, get, delete
void add_query_command(CLI::App &app, Commands &commands);  // query
// merge, gc, inspect, stats, recover, verify
void add_admin_commands(CLI::App &app, Commands &commands);
void add_driver_commands(CLI::App &app, Commands &commands);  // driver-check
void add_bench_command(CLI::App &app, Commands &commands);    // bench
void add_blob_commands(CLI::App &app, Commands &commands);    // blob get, blob put
void add_drop_commands(CLI::App &app, Commands &commands);    // drop table, drop index
void add_export_commands(CLI::App &app, Commands &commands);  // export, import

}  // namespace bdbcli
