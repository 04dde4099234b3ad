#include "connection.h"

#include <utility>

#include <CLI/CLI.hpp>

#include "errors.h"
#include "output.h"

namespace bdbcli {

void add_global_options(CLI::App &app, GlobalOptions &global) {
  app.add_option("--db", global.uri, "Database URI: file:PATH, memory:, plugin:/path/x.so?...")
      ->type_name("URI")
      ->capture_default_str();
  app.add_option("--prefix", global.prefix, "Database prefix in the bucket (option dbPrefix)")
      ->type_name("NAME")
      ->capture_default_str();
  app.add_option("--node", global.node, "This process's node id, 0-255 (option nodeId)")
      ->type_name("N");
  app.add_option("--ring", global.ring, "Number of nodes taking turns to merge (option ringSize)")
      ->type_name("N");
  app.add_option("--staleness", global.staleness,
                 "How old a read's view of the log may be (option readStalenessMs)")
      ->type_name("MS");
  app.add_option("--log-level", global.log_level,
                 "Which messages reach stderr: debug, info (default), warn, error, silent "
                 "(option logLevel)")
      ->type_name("LEVEL");
  // One value per occurrence, so a later positional is never swallowed.
  app.add_option("--option", global.options,
                 "Any database option, repeatable (e.g. autoMerge=1, gcGraceMs=0)")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false);
}

namespace {

// A bad option is a bad flag: usage error, with the library's message.
void set_option(bdb_options *opts, const std::string &name, const std::string &value) {
  if (bdb_options_set(opts, name.c_str(), value.c_str()) != BDB_OK) usage_error(bdb_errmsg());
}

}  // namespace

Options database_options(const GlobalOptions &global, Access access) {
  bdb_options *raw = nullptr;
  check(bdb_options_new(&raw));
  Options opts(raw);
  // Writes keep autoMerge on: a one-shot process still folds the log at close when a merge
  // is due, so a database driven only from the command line keeps a short log.
  set_option(opts.get(), "readOnly", access == Access::kRead ? "1" : "0");
  set_option(opts.get(), "createIfMissing", access == Access::kCreate ? "1" : "0");
  set_option(opts.get(), "dbPrefix", global.prefix);
  if (!global.node.empty()) set_option(opts.get(), "nodeId", global.node);
  if (!global.ring.empty()) set_option(opts.get(), "ringSize", global.ring);
  if (!global.staleness.empty()) set_option(opts.get(), "readStalenessMs", global.staleness);
  if (!global.log_level.empty()) set_option(opts.get(), "logLevel", global.log_level);
  // Long work (merges, collection, verify, import) shows its progress on a terminal.
  if (stderr_is_terminal())
    check(bdb_options_set_progress(opts.get(), progress_to_terminal, nullptr));
  for (const std::string &item : global.options) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      usage_error("--option '" + item + "': expected NAME=VALUE");
    set_option(opts.get(), item.substr(0, eq), item.substr(eq + 1));
  }
  return opts;
}

bool warnings_wanted(const GlobalOptions &global) {
  std::string level = global.log_level;
  for (const std::string &o : global.options)  // applied last, as the library applies them
    if (o.rfind("logLevel=", 0) == 0) level = o.substr(9);
  return level != "error" && level != "silent";
}

namespace {
std::string g_close_failure;
}  // namespace

void close_database(bdb_db *db) {
  set_interruptible(nullptr);
  if (db && bdb_db_close(db) != BDB_OK) g_close_failure = bdb_errmsg();
}

const std::string &close_failure() {
  return g_close_failure;
}

Db open_database(const GlobalOptions &global, Access access) {
  Options opts = database_options(global, access);
  bdb_db *db = nullptr;
  check(bdb_open(global.uri.c_str(), opts.get(), &db));
  Db owned(db);
  set_interruptible(db);
  check(BDB_OK);  // a signal during the open
  return owned;
}

}  // namespace bdbcli
