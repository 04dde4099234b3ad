// export [FILE], import [FILE]: the whole database (schemas and rows) as NDJSON.
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "errors.h"
#include "output.h"
#include "validators.h"

namespace bdbcli {

namespace {

// Exports to stdout through a pipe the library writes by its /dev/fd path while a thread
// copies it out: opening /dev/stdout itself would truncate a file stdout appends to.
void export_to_stdout(bdb_db *db) {
  int fds[2];
  if (pipe(fds) != 0)
    throw CliError(kExitFailure,
                   std::string("export: cannot make a pipe: ") + std::strerror(errno));
  int write_errno = 0;
  std::thread copier([&] {
    char buf[1 << 16];
    for (ssize_t got; (got = read(fds[0], buf, sizeof buf)) != 0;) {
      if (got < 0) {
        if (errno == EINTR) continue;
        break;
      }
      // After a failed write the rest is drained, so the library never blocks on a full pipe.
      if (!write_errno &&
          std::fwrite(buf, 1, static_cast<size_t>(got), stdout) != static_cast<size_t>(got))
        write_errno = errno ? errno : EIO;
    }
  });
  std::string path = "/dev/fd/" + std::to_string(fds[1]);
  bdb_status st = bdb_db_export(db, path.c_str(), nullptr);
  std::string message = st == BDB_OK ? "" : bdb_errmsg();
  close(fds[1]);  // the library closed its own descriptor: the copier now sees the end
  copier.join();
  close(fds[0]);
  if (st != BDB_OK) throw CliError(kExitFailure, message);
  if (write_errno)
    throw CliError(kExitFailure, std::string("writing output: ") + std::strerror(write_errno));
}

struct ImportArgs {
  std::string file = "-";
  uint64_t batch = 1000;
  bool upsert = false;
};

}  // namespace

void add_export_commands(CLI::App &app, Commands &commands) {
  auto out = std::make_shared<std::string>("-");
  CLI::App *exp = app.add_subcommand(
      "export",
      "Write the whole database (every schema version, every row, blobs inline) as NDJSON, as "
      "of one log position; import reads it back");
  exp->add_option("FILE", *out, "Where to write ('-': stdout)")->capture_default_str();
  commands.on(exp, [out](const GlobalOptions &g) {
    Db db = open_database(g, Access::kRead);
    if (*out == "-") return export_to_stdout(db.get());
    check(bdb_db_export(db.get(), out->c_str(), nullptr));
  });

  auto args = std::make_shared<ImportArgs>();
  CLI::App *imp = app.add_subcommand(
      "import",
      "Read an export into the database: its schemas, then its rows, inserted N per commit; "
      "prints the rows imported");
  imp->add_option("FILE", args->file, "What to read ('-': stdin)")->capture_default_str();
  imp->add_option("--batch", args->batch, "Rows per commit, each commit atomic; 0: all in one")
      ->type_name("N")
      ->check(count_validator(false))
      ->capture_default_str();
  imp->add_flag("--upsert", args->upsert, "Replace rows whose key exists instead of failing");
  commands.on(imp, [args](const GlobalOptions &g) {
    Db db = open_database(g, Access::kCreate);
    uint64_t rows = 0;
    // The library reads paths; /dev/stdin reads a pipe, or a file from its start.
    const std::string path = args->file == "-" ? "/dev/stdin" : args->file;
    check(bdb_db_import(db.get(), path.c_str(), args->batch, args->upsert ? BDB_IMPORT_UPSERT : 0,
                        &rows));
    print_line(std::to_string(rows));
  });
}

}  // namespace bdbcli
