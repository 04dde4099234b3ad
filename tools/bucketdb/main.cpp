// bucketdb: the command-line shell over the C ABI (bucketdb.h), one command per process.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "connection.h"
#include "errors.h"
#include "output.h"

namespace bdbcli {

bool Commands::run(const GlobalOptions &global) const {
  for (const auto &[sub, action] : actions_) {
    if (sub->parsed()) {
      action(global);
      return true;
    }
  }
  return false;
}

namespace {

const char *kFooter =
    "Exit status: 0 ok, 1 not found (get), 2 usage error, 3 any other error.\n"
    "Documents are JSON objects with the schema's field names; query and schema list print\n"
    "one JSON object per line. Without --db: s3://$BUCKETDB_S3_BUCKET when that is set\n"
    "(with AWS_ENDPOINT_URL, AWS_REGION and the AWS keys), else file:.bucketdb.";

void report(const std::string &message) {
  std::fprintf(stderr, "bucketdb: %s\n", message.c_str());
}

// A CLI11 parse failure: help and version are successes, everything else is usage (2).
int parse_failure(const CLI::App &app, const CLI::ParseError &e) {
  if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
  if (app.get_subcommands().empty() && (dynamic_cast<const CLI::ExtrasError *>(&e) ||
                                        dynamic_cast<const CLI::RequiredError *>(&e))) {
    std::vector<std::string> rest = app.remaining();
    report(rest.empty() ? "no command given (see bucketdb --help)"
                        : "unknown command '" + rest.front() + "' (see bucketdb --help)");
  } else {
    // Name the command the error is about, and where its help is.
    std::string path = "bucketdb";
    for (const CLI::App *sub = &app; !sub->get_subcommands().empty();) {
      sub = sub->get_subcommands().front();
      path += " " + sub->get_name();
    }
    report(std::string(e.what()) + " (see " + path + " --help)");
  }
  return kExitUsage;
}

int run(int argc, char **argv) {
  CLI::App app{"BucketDB shell: an embedded document database kept in object storage.", "bucketdb"};
  app.footer(kFooter);
  app.set_version_flag("--version", std::string(bdb_version()), "Print the library version");
  app.require_subcommand(1);
  // Global flags may also follow the command (`bucketdb get t k --db file:x`).
  app.fallthrough();

  GlobalOptions global;
  add_global_options(app, global);
  Commands commands;
  add_schema_commands(app, commands);
  add_doc_commands(app, commands);
  add_query_command(app, commands);
  add_admin_commands(app, commands);
  add_driver_commands(app, commands);
  add_bench_command(app, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return parse_failure(app, e);
  }
  if (!commands.run(global)) usage_error("no command given (see bucketdb --help)");
  finish_output();
  return kExitOk;
}

}  // namespace
}  // namespace bdbcli

int main(int argc, char **argv) {
  using bdbcli::CliError;
  using bdbcli::report;
  try {
    return bdbcli::run(argc, argv);
  } catch (const CliError &e) {
    // Results already printed stay valid (e.g. rows before a failing cursor); flush them first.
    std::fflush(stdout);
    report(e.what());
    return e.exit_code();
  } catch (const std::exception &e) {
    std::fflush(stdout);
    report(e.what());
    return bdbcli::kExitFailure;
  }
}
