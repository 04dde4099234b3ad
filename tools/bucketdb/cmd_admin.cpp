// merge, gc, inspect, stats: maintenance and introspection.
#include <cstdint>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "errors.h"
#include "output.h"

namespace bdbcli {

namespace {

void merge(const GlobalOptions &global) {
  Db db = open_database(global);
  uint64_t merged = 0;
  check(bdb_db_merge(db.get(), &merged));
  print_line(std::to_string(merged));
}

void gc(const GlobalOptions &global) {
  Db db = open_database(global);
  uint64_t deleted = 0;
  check(bdb_db_gc(db.get(), &deleted));
  print_line(std::to_string(deleted));
}

void inspect(const GlobalOptions &global, const std::string &what) {
  Db db = open_database(global);
  char *raw = nullptr;
  check(bdb_db_inspect_json(db.get(), what.c_str(), &raw));
  BdbString json(raw);
  print_json(json.get());
}

void stats(const GlobalOptions &global) {
  Db db = open_database(global);
  char *raw = nullptr;
  check(bdb_db_stats_json(db.get(), &raw));
  BdbString json(raw);
  print_json(json.get());
}

}  // namespace

void add_admin_commands(CLI::App &app, Commands &commands) {
  CLI::App *merge_cmd = app.add_subcommand(
      "merge", "Fold the committed log into data blocks now; prints the entries folded");
  commands.on(merge_cmd, [](const GlobalOptions &g) { merge(g); });

  CLI::App *gc_cmd = app.add_subcommand(
      "gc", "Delete garbage older than gcGraceMs (see --option); prints the objects deleted");
  commands.on(gc_cmd, [](const GlobalOptions &g) { gc(g); });

  auto what = std::make_shared<std::string>("block0");
  CLI::App *inspect_cmd =
      app.add_subcommand("inspect", "Print Block 0, the log or the data blocks as JSON");
  inspect_cmd->add_option("WHAT", *what, "block0, log or blocks")
      ->check(CLI::IsMember({"block0", "log", "blocks"}))
      ->capture_default_str();
  commands.on(inspect_cmd, [what](const GlobalOptions &g) { inspect(g, *what); });

  CLI::App *stats_cmd =
      app.add_subcommand("stats", "Print tables, log and this process's storage counters as JSON");
  commands.on(stats_cmd, [](const GlobalOptions &g) { stats(g); });
}

}  // namespace bdbcli
