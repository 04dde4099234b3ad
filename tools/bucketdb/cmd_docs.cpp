// put, get, delete: single documents by primary key, and NDJSON loads from stdin.
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "errors.h"
#include "output.h"
#include "validators.h"

namespace bdbcli {

namespace {

struct PutArgs {
  std::string table;
  std::string json;  // a document, or "-" for NDJSON on stdin
  uint64_t batch = 1000;
  bool insert = false;
};

struct KeyArgs {
  std::string table, key;
};

Batch new_batch(bdb_db *db) {
  bdb_batch *raw = nullptr;
  check(bdb_batch_new(db, &raw));
  return Batch(raw);
}

bdb_status stage(bdb_batch *batch, const PutArgs &args, const char *json) {
  return args.insert ? bdb_batch_insert_json(batch, args.table.c_str(), json)
                     : bdb_batch_update_json(batch, args.table.c_str(), json);
}

bool blank(const std::string &line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

// NDJSON from stdin, committed every `args.batch` documents. Upserts are idempotent, so after
// a failure the simplest fix is to rerun; the message says which lines are already committed
// for the case (--insert) where that matters.
void put_stream(bdb_db *db, const PutArgs &args) {
  std::ios::sync_with_stdio(false);  // stdin is read only through std::cin; this is much faster
  Batch batch = new_batch(db);
  Progress progress("put", "documents");
  uint64_t committed = 0, staged = 0, line_no = 0, first_staged = 0, last_staged = 0;
  uint64_t committed_through = 0;
  auto failure = [&](const std::string &where, const std::string &why) {
    std::string msg = where + ": " + why;
    msg += committed ? " (lines up to " + std::to_string(committed_through) +
                           " were committed, none after)"
                     : " (nothing was committed)";
    return CliError(kExitFailure, msg);
  };
  auto commit = [&] {
    if (staged == 0) return;
    if (bdb_batch_commit(batch.get(), nullptr) != BDB_OK)
      throw failure("lines " + std::to_string(first_staged) + "-" + std::to_string(last_staged),
                    bdb_errmsg());
    committed += staged;
    committed_through = last_staged;
    staged = 0;
    progress.update(committed);
  };

  std::string line;
  while (std::getline(std::cin, line)) {
    line_no++;
    if (blank(line)) continue;
    if (stage(batch.get(), args, line.c_str()) != BDB_OK)
      throw failure("line " + std::to_string(line_no), bdb_errmsg());
    if (staged++ == 0) first_staged = line_no;
    last_staged = line_no;
    if (staged == args.batch) commit();
  }
  if (std::cin.bad()) throw failure("stdin after line " + std::to_string(line_no), "read error");
  commit();
  progress.done(committed);
}

void put(const GlobalOptions &global, const PutArgs &args) {
  Db db = open_database(global, Access::kCreate);
  if (args.json == "-") return put_stream(db.get(), args);
  Batch batch = new_batch(db.get());
  check(stage(batch.get(), args, args.json.c_str()));
  check(bdb_batch_commit(batch.get(), nullptr));
}

void get(const GlobalOptions &global, const KeyArgs &args) {
  Db db = open_database(global, Access::kRead);
  char *raw = nullptr;
  check(bdb_get_json(db.get(), args.table.c_str(), args.key.c_str(), &raw), kExitNotFound);
  BdbString json(raw);
  print_line(json.get());
}

// Deleting a key that is not there is not an error: the end state is what was asked for.
void del(const GlobalOptions &global, const KeyArgs &args) {
  Db db = open_database(global, Access::kWrite);
  Batch batch = new_batch(db.get());
  check(bdb_batch_delete_key(batch.get(), args.table.c_str(), args.key.c_str()));
  check(bdb_batch_commit(batch.get(), nullptr));
}

const char *kKeyHelp =
    "Primary key: a JSON literal (42, \"u1\"), or for a varchar/bytes key any other text as is";

void add_key_args(CLI::App *sub, KeyArgs &args) {
  sub->add_option("TABLE", args.table, "Table name")->required();
  sub->add_option("KEY", args.key, kKeyHelp)->required();
}

}  // namespace

void add_doc_commands(CLI::App &app, Commands &commands) {
  auto put_args = std::make_shared<PutArgs>();
  CLI::App *put_cmd = app.add_subcommand(
      "put", "Upsert one JSON document, or NDJSON from stdin with '-' (one document per line)");
  put_cmd->add_option("TABLE", put_args->table, "Table name")->required();
  put_cmd->add_option("JSON", put_args->json, "A JSON object, or - to read NDJSON from stdin")
      ->required();
  put_cmd->add_option("--batch", put_args->batch, "Documents per commit when reading stdin")
      ->type_name("N")
      ->check(count_validator(true))
      ->capture_default_str();
  put_cmd->add_flag("--insert", put_args->insert,
                    "Insert instead of upsert: fail if a primary key already exists");
  commands.on(put_cmd, [put_args](const GlobalOptions &g) { put(g, *put_args); });

  auto get_args = std::make_shared<KeyArgs>();
  CLI::App *get_cmd =
      app.add_subcommand("get", "Print one document as a JSON line (exit status 1 if none)");
  add_key_args(get_cmd, *get_args);
  commands.on(get_cmd, [get_args](const GlobalOptions &g) { get(g, *get_args); });

  auto del_args = std::make_shared<KeyArgs>();
  CLI::App *del_cmd =
      app.add_subcommand("delete", "Delete one document by primary key (no error if absent)");
  add_key_args(del_cmd, *del_args);
  commands.on(del_cmd, [del_args](const GlobalOptions &g) { del(g, *del_args); });
}

}  // namespace bdbcli
