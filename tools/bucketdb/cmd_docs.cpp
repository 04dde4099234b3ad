// put, patch, get, delete: single documents by primary key, NDJSON loads from stdin, and
// deletes by query.
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "errors.h"
#include "output.h"
#include "validators.h"
#include "where.h"

namespace bdbcli {

namespace {

enum class Write { kUpsert, kInsert, kPatch };

struct PutArgs {
  std::string table;
  std::string json;  // a document, or "-" for NDJSON on stdin
  uint64_t batch = 1000;
  bool insert = false;
  Write how = Write::kUpsert;
  std::optional<uint64_t> expect_version;
};

struct GetArgs {
  std::string table, key;
  bool with_version = false;
};

struct DeleteArgs {
  std::string table, key;
  bool has_key = false;
  Conditions conditions;
  uint64_t batch = 0;  // delete by query: 0 = one atomic batch
  std::optional<uint64_t> expect_version;
};

Batch new_batch(bdb_db *db) {
  bdb_batch *raw = nullptr;
  check(bdb_batch_new(db, &raw));
  return Batch(raw);
}

bdb_status stage(bdb_batch *batch, const PutArgs &args, const char *json) {
  switch (args.how) {
    case Write::kInsert:
      return bdb_batch_insert_json(batch, args.table.c_str(), json);
    case Write::kPatch:
      return bdb_batch_patch_json(batch, args.table.c_str(), json);
    case Write::kUpsert:
      break;
  }
  return bdb_batch_update_json(batch, args.table.c_str(), json);
}

bool blank(const std::string &line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

// NDJSON from stdin, committed every `args.batch` documents. Upserts are idempotent, so after
// a failure the simplest fix is to rerun; the message says which lines are already committed
// for the case (--insert, patch) where that matters.
void put_stream(bdb_db *db, const PutArgs &args) {
  std::ios::sync_with_stdio(false);  // stdin is read only through std::cin; this is much faster
  Batch batch = new_batch(db);
  const char *verb = args.how == Write::kPatch ? "patch" : "put";
  Progress progress(verb, "documents");
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
    // The library takes C strings: the text after a NUL would be dropped silently.
    if (line.find('\0') != std::string::npos)
      throw failure("line " + std::to_string(line_no), "the line holds a NUL byte");
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
  if (args.json == "-" && args.expect_version)
    usage_error("--expect-version applies to one document, not to NDJSON from stdin");
  // A patch needs the row, hence the database: it creates nothing.
  Db db = open_database(global, args.how == Write::kPatch ? Access::kWrite : Access::kCreate);
  if (args.json == "-") return put_stream(db.get(), args);
  Batch batch = new_batch(db.get());
  check(stage(batch.get(), args, args.json.c_str()));
  if (args.expect_version) check(bdb_batch_expect_version(batch.get(), *args.expect_version));
  uint64_t seq = 0;
  check(bdb_batch_commit(batch.get(), &seq), kExitNotFound);  // a patch of no row: status 1
  // The row's new version, for the next compare-and-set.
  if (args.expect_version) print_line(std::to_string(seq));
}

void get(const GlobalOptions &global, const GetArgs &args) {
  Db db = open_database(global, Access::kRead);
  bdb_doc *raw = nullptr;
  check(bdb_key_doc_from_text(db.get(), args.table.c_str(), args.key.c_str(), &raw));
  Doc key(raw);
  raw = nullptr;
  check(bdb_get(db.get(), key.get(), &raw), kExitNotFound);
  Doc row(raw);
  char *json_raw = nullptr;
  check(bdb_doc_to_json(row.get(), &json_raw));
  BdbString json(json_raw);
  if (!args.with_version) return print_line(json.get());
  print_line("{\"version\":" + std::to_string(bdb_doc_version(row.get())) + ",\"misc\":" +
             std::to_string(bdb_doc_misc(row.get())) + ",\"doc\":" + json.get() + "}");
}

// By key: a key that is not there is status 1 (nothing changes). By query: the rows it
// matches, in one atomic batch or batches of --batch; prints how many.
void del(const GlobalOptions &global, const DeleteArgs &args) {
  if (args.has_key == !args.conditions.empty())
    usage_error(args.has_key ? "delete takes a KEY or --where conditions, not both"
                             : "delete needs a KEY or --where conditions");
  if (!args.has_key && args.expect_version)
    usage_error("--expect-version applies to a delete by KEY");
  if (args.has_key && args.batch) usage_error("--batch applies to a delete by --where");
  Db db = open_database(global, Access::kWrite);
  Batch batch = new_batch(db.get());
  if (args.has_key) {
    check(bdb_batch_delete_key(batch.get(), args.table.c_str(), args.key.c_str()));
    check(args.expect_version ? bdb_batch_expect_version(batch.get(), *args.expect_version)
                              : bdb_batch_expect_exists(batch.get()));
    check(bdb_batch_commit(batch.get(), nullptr), kExitNotFound);
    return;
  }
  bdb_query *qraw = nullptr;
  check(bdb_query_new(db.get(), args.table.c_str(), &qraw));
  Query q(qraw);
  args.conditions.apply(q.get());
  bdb_cursor *craw = nullptr;
  check(bdb_query_exec(q.get(), &craw));
  Cursor cursor(craw);
  Progress progress("delete", "documents");
  uint64_t staged = 0, deleted = 0;
  auto commit = [&] {
    if (staged == 0) return;
    if (bdb_batch_commit(batch.get(), nullptr) != BDB_OK)
      throw CliError(kExitFailure,
                     std::string(bdb_errmsg()) + (deleted ? " (" + std::to_string(deleted) +
                                                                " documents were deleted before)"
                                                          : " (nothing was deleted)"));
    deleted += staged;
    staged = 0;
    progress.update(deleted);
  };
  for (;;) {
    bdb_doc *draw = nullptr;
    check(bdb_cursor_next(cursor.get(), &draw));
    if (!draw) break;
    Doc doc(draw);
    check(bdb_batch_delete(batch.get(), doc.get()));
    if (++staged == args.batch) commit();
  }
  commit();
  progress.done(deleted);
  print_line(std::to_string(deleted));
}

const char *kKeyHelp =
    "Primary key as it prints: a varchar key's text, a bytes key's base64 (either may be a "
    "JSON string), any other key as a JSON literal (42)";

CLI::Option *add_expect_version(CLI::App *sub, std::optional<uint64_t> &into, const char *then) {
  return sub
      ->add_option_function<std::string>(
          "--expect-version", [&into](const std::string &v) { into = std::stoull(v); },
          std::string("Compare-and-set: apply only if the row's version (get --with-version) is "
                      "N; 0: only if there is no row. Exit status 3 otherwise, nothing "
                      "written") +
              then)
      ->type_name("N")
      ->check(count_validator(false));
}

void add_put_command(CLI::App &app, Commands &commands, Write how) {
  auto args = std::make_shared<PutArgs>();
  args->how = how;
  CLI::App *sub =
      how == Write::kPatch
          ? app.add_subcommand("patch",
                               "Set some fields of an existing document (JSON with its key and "
                               "those fields; null clears one), or NDJSON from stdin with '-'; "
                               "exit status 1 if there is no such document")
          : app.add_subcommand(
                "put", "Upsert one JSON document, or NDJSON from stdin with '-' (one per line)");
  sub->add_option("TABLE", args->table, "Table name")->required();
  sub->add_option("JSON", args->json, "A JSON object, or - to read NDJSON from stdin")->required();
  sub->add_option("--batch", args->batch, "Documents per commit when reading stdin")
      ->type_name("N")
      ->check(count_validator(true))
      ->capture_default_str();
  if (how != Write::kPatch)
    sub->add_flag("--insert", args->insert,
                  "Insert instead of upsert: fail if a primary key already exists");
  add_expect_version(sub, args->expect_version, ". Prints the row's new version");
  commands.on(sub, [args](const GlobalOptions &g) {
    if (args->insert) args->how = Write::kInsert;
    put(g, *args);
  });
}

}  // namespace

void add_doc_commands(CLI::App &app, Commands &commands) {
  add_put_command(app, commands, Write::kUpsert);
  add_put_command(app, commands, Write::kPatch);

  auto get_args = std::make_shared<GetArgs>();
  CLI::App *get_cmd =
      app.add_subcommand("get", "Print one document as a JSON line (exit status 1 if none)");
  get_cmd->add_option("TABLE", get_args->table, "Table name")->required();
  get_cmd->add_option("KEY", get_args->key, kKeyHelp)->required();
  get_cmd->add_flag("--with-version", get_args->with_version,
                    "Print {\"version\":N,\"misc\":MS,\"doc\":{...}}: the row's version (for "
                    "--expect-version) and when it was committed");
  commands.on(get_cmd, [get_args](const GlobalOptions &g) { get(g, *get_args); });

  auto del_args = std::make_shared<DeleteArgs>();
  CLI::App *del_cmd = app.add_subcommand(
      "delete",
      "Delete one document by primary key (exit status 1 if there is none), or every document "
      "the --where conditions match (prints how many)");
  del_cmd->add_option("TABLE", del_args->table, "Table name")->required();
  del_cmd->add_option("KEY", del_args->key, kKeyHelp)->each([del_args](const std::string &) {
    del_args->has_key = true;
  });
  del_args->conditions.add_flags(del_cmd);
  del_cmd
      ->add_option("--batch", del_args->batch,
                   "With --where: commit every N deletes, each batch atomic (default: all in "
                   "one atomic batch)")
      ->type_name("N")
      ->check(count_validator(true));
  add_expect_version(del_cmd, del_args->expect_version, "");
  commands.on(del_cmd, [del_args, del_cmd](const GlobalOptions &g) {
    del_args->conditions.parse(del_cmd);
    del(g, *del_args);
  });
}

}  // namespace bdbcli
