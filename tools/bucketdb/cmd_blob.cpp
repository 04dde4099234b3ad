// blob get TABLE KEY FIELD FILE, blob put TABLE KEY FIELD FILE: a blob field's bytes to a file
// and from one ('-': stdout, stdin), so large binaries need not pass through JSON as base64.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "errors.h"
#include "output.h"

namespace bdbcli {

namespace {

struct BlobArgs {
  std::string table, key, field, file;
};

struct FileCloser {
  void operator()(std::FILE *f) const {
    if (f) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

[[noreturn]] void file_error(const char *what, const std::string &path) {
  throw CliError(kExitFailure, std::string(what) + " " + path + ": " + std::strerror(errno));
}

Doc key_doc(bdb_db *db, const BlobArgs &args) {
  bdb_doc *raw = nullptr;
  check(bdb_key_doc_from_text(db, args.table.c_str(), args.key.c_str(), &raw));
  return Doc(raw);
}

void blob_get(const GlobalOptions &global, const BlobArgs &args) {
  Db db = open_database(global, Access::kRead);
  Doc key = key_doc(db.get(), args);
  bdb_doc *raw = nullptr;
  check(bdb_get(db.get(), key.get(), &raw), kExitNotFound);
  Doc row(raw);
  char id[37];
  bdb_status st = bdb_doc_get_blob_id(row.get(), args.field.c_str(), id);
  if (st == BDB_E_NOT_FOUND)
    throw CliError(kExitNotFound, "blob get: " + args.table + " " + args.key + ": field '" +
                                      args.field + "' holds no blob");
  check(st);
  void *data = nullptr;
  size_t len = 0;
  check(bdb_blob_read(db.get(), id, &data, &len));
  std::unique_ptr<void, void (*)(void *)> bytes(data, bdb_free);
  bool to_stdout = args.file == "-";
  File out(to_stdout ? nullptr : std::fopen(args.file.c_str(), "wb"));
  if (!to_stdout && !out) file_error("blob get: cannot write", args.file);
  std::FILE *f = to_stdout ? stdout : out.get();
  if (len && std::fwrite(data, 1, len, f) != len) file_error("blob get: writing", args.file);
  if (!to_stdout && std::fclose(out.release()) != 0) file_error("blob get: writing", args.file);
}

void blob_put(const GlobalOptions &global, const BlobArgs &args) {
  bool from_stdin = args.file == "-";
  File in(from_stdin ? nullptr : std::fopen(args.file.c_str(), "rb"));
  if (!from_stdin && !in) file_error("blob put: cannot read", args.file);
  std::string bytes;
  char buf[1 << 16];
  std::FILE *f = from_stdin ? stdin : in.get();
  for (size_t got; (got = std::fread(buf, 1, sizeof buf, f)) > 0;) bytes.append(buf, got);
  if (std::ferror(f)) file_error("blob put: reading", args.file);

  Db db = open_database(global, Access::kWrite);
  Doc doc = key_doc(db.get(), args);
  check(bdb_doc_set_blob(doc.get(), args.field.c_str(), bytes.data(), bytes.size()));
  char id[37];
  check(bdb_doc_get_blob_id(doc.get(), args.field.c_str(), id));
  bdb_batch *raw = nullptr;
  check(bdb_batch_new(db.get(), &raw));
  Batch batch(raw);
  check(bdb_batch_patch(batch.get(), doc.get()));
  check(bdb_batch_commit(batch.get(), nullptr), kExitNotFound);  // no such row: status 1
  print_line(id);
}

void add_blob_args(CLI::App *sub, BlobArgs &args, const char *file_help) {
  sub->add_option("TABLE", args.table, "Table name")->required();
  sub->add_option("KEY", args.key, "Primary key, as get takes it")->required();
  sub->add_option("FIELD", args.field, "A blob field")->required();
  sub->add_option("FILE", args.file, file_help)->required();
}

}  // namespace

void add_blob_commands(CLI::App &app, Commands &commands) {
  CLI::App *blob = app.add_subcommand("blob", "Read a blob field into a file, or set it from one");
  blob->require_subcommand(1);
  auto get_args = std::make_shared<BlobArgs>();
  CLI::App *get = blob->add_subcommand(
      "get", "Write the bytes of a row's blob field to FILE (exit status 1 if no row or blob)");
  add_blob_args(get, *get_args, "Where the bytes go ('-': stdout)");
  commands.on(get, [get_args](const GlobalOptions &g) { blob_get(g, *get_args); });
  auto put_args = std::make_shared<BlobArgs>();
  CLI::App *put = blob->add_subcommand(
      "put",
      "Set a row's blob field to the bytes of FILE (the row must exist: exit status 1 if "
      "not); prints the new blob's id");
  add_blob_args(put, *put_args, "Where the bytes come from ('-': stdin)");
  commands.on(put, [put_args](const GlobalOptions &g) { blob_put(g, *put_args); });
}

}  // namespace bdbcli
