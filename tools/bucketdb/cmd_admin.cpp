// merge, gc, inspect, stats, recover, verify: maintenance and introspection.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "errors.h"
#include "output.h"

namespace bdbcli {

namespace {

void merge(const GlobalOptions &global) {
  Db db = open_database(global, Access::kWrite);
  uint64_t merged = 0;
  check(bdb_db_merge(db.get(), &merged));
  print_line(std::to_string(merged));
}

void gc(const GlobalOptions &global) {
  Db db = open_database(global, Access::kWrite);
  uint64_t deleted = 0;
  check(bdb_db_gc(db.get(), &deleted));
  print_line(std::to_string(deleted));
}

void inspect(const GlobalOptions &global, const std::string &what) {
  Db db = open_database(global, Access::kRead);
  char *raw = nullptr;
  check(bdb_db_inspect_json(db.get(), what.c_str(), &raw));
  BdbString json(raw);
  print_json(json.get());
}

void stats(const GlobalOptions &global) {
  Db db = open_database(global, Access::kRead);
  char *raw = nullptr;
  check(bdb_db_stats_json(db.get(), &raw));
  BdbString json(raw);
  print_json(json.get());
}

struct RecoverArgs {
  bool write = false;
  bool accept_lost_entries = false;
  std::vector<std::string> schema_files;
  std::vector<std::string> include_dirs;
};

void recover(const GlobalOptions &global, const RecoverArgs &args) {
  std::vector<std::string> schemas;
  for (const std::string &path : args.schema_files)
    for (std::string &s : read_schema_file(path, args.include_dirs))
      schemas.push_back(std::move(s));
  Options opts = database_options(global, Access::kWrite);
  unsigned flags = (args.write ? BDB_RECOVER_WRITE : 0) |
                   (args.accept_lost_entries ? BDB_RECOVER_ACCEPT_LOST_ENTRIES : 0);
  char *raw = nullptr;
  std::string given = schemas.empty() ? "" : schemas_as_one(schemas);
  check(bdb_recover(global.uri.c_str(), opts.get(), given.c_str(), flags, &raw));
  BdbString report(raw);
  print_json(report.get());
  if (!args.write) {
    auto j = nlohmann::json::parse(report.get(), nullptr, false);
    if (j.is_object() && j["problems"].is_array() && !j["problems"].empty())
      std::fprintf(stderr,
                   "recover: nothing was written; run again with --write to do the actions "
                   "listed\n");
  }
}

// Every damaged object on a line of its own, then a summary; exit status 3 when one is.
void verify(const GlobalOptions &global, bool json) {
  Db db = open_database(global, Access::kRead);
  char *raw = nullptr;
  check(bdb_db_verify(db.get(), &raw));
  BdbString text(raw);
  auto report = nlohmann::json::parse(text.get(), nullptr, false);
  if (!report.is_object() || !report["damaged"].is_array())
    throw CliError(kExitFailure, "verify: the library returned no report");
  const auto &damaged = report["damaged"];
  if (json) {
    print_json(text.get());
  } else {
    for (const auto &d : damaged)
      print_line("damaged " + d.value("kind", std::string()) + " " + d.value("key", std::string()) +
                 ": " + d.value("problem", std::string()));
    print_line(
        "checked " + report["objects"].dump() + " objects (" + report["bytes"].dump() + " bytes, " +
        report["rows"].dump() + " rows): " +
        (damaged.empty() ? std::string("all sound") : std::to_string(damaged.size()) + " damaged"));
  }
  if (!damaged.empty())
    throw CliError(kExitFailure, "verify: " + std::to_string(damaged.size()) + " of " +
                                     report["objects"].dump() + " objects damaged");
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
      ->check(CLI::Validator(
          [](std::string &v) -> std::string {
            return v == "block0" || v == "log" || v == "blocks"
                       ? std::string()
                       : "'" + v + "' is not one of block0, log, blocks";
          },
          "block0|log|blocks"))
      ->capture_default_str();
  commands.on(inspect_cmd, [what](const GlobalOptions &g) { inspect(g, *what); });

  auto rec = std::make_shared<RecoverArgs>();
  CLI::App *recover_cmd = app.add_subcommand(
      "recover",
      "Check a damaged database without opening it: a lost Block 0, lost log entries. Prints "
      "what is wrong and what recovery does; --write does it");
  recover_cmd->add_flag("--write", rec->write,
                        "Do it: rebuild a lost Block 0 (creating only what is absent)");
  recover_cmd->add_flag("--accept-lost-entries", rec->accept_lost_entries,
                        "Replace missing log entries that others follow with empty ones, so the "
                        "log reads on (their commits are lost for good)");
  recover_cmd->add_option("--schema", rec->schema_files,
                          "A schema file (.json or .fbs) for tables whose schema no remaining "
                          "object holds; repeatable");
  recover_cmd->add_option("-I,--include", rec->include_dirs, "Directory for .fbs includes");
  commands.on(recover_cmd, [rec](const GlobalOptions &g) { recover(g, *rec); });

  auto verify_json = std::make_shared<bool>(false);
  CLI::App *verify_cmd = app.add_subcommand(
      "verify",
      "Read and check every object Block 0 reaches (manifest pages, data blocks, index nodes, "
      "blobs) and the unmerged log; one line per damaged object, exit status 3 if any");
  verify_cmd->add_flag("--json", *verify_json, "Print the library's report as JSON");
  commands.on(verify_cmd, [verify_json](const GlobalOptions &g) { verify(g, *verify_json); });

  CLI::App *stats_cmd =
      app.add_subcommand("stats", "Print tables, log and this process's storage counters as JSON");
  commands.on(stats_cmd, [](const GlobalOptions &g) { stats(g); });
}

}  // namespace bdbcli
