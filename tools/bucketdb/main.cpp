// bucketdb: the command-line shell over the C ABI (bucketdb.h), one command per process.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "connection.h"
#include "errors.h"
#include "interrupt.h"
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
    "Exit status: 0 ok, 1 not found (get), 2 usage error, 3 any other error, 130 interrupted\n"
    "(Ctrl-C or SIGTERM stops the call under way; a second one kills at once).\n"
    "Documents are JSON objects with the schema's field names; query and schema list print\n"
    "one JSON object per line. Without --db: s3://$BUCKETDB_S3_BUCKET when that is set\n"
    "(with AWS_ENDPOINT_URL, AWS_REGION and the AWS keys), else file:.bucketdb.";

void report(const std::string &message) {
  end_progress();
  std::fprintf(stderr, "bucketdb: %s\n", message.c_str());
}

bool starts_with(const std::string &s, const std::string &prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// CLI11's messages are its own ("At Most 1 required but received 2", "A subcommand is
// required"): each kind of parse error is said again in the shell's words. `cmd` is the
// command the error is about ("bucketdb schema"), `leaf` that command's parser.
std::string usage_text(const CLI::ParseError &e, const std::string &cmd, const CLI::App &leaf,
                       const std::vector<std::string> &args) {
  const std::string m = e.what();
  size_t colon = m.find(": ");
  std::string name = colon == std::string::npos ? "" : m.substr(0, colon);
  std::string rest = colon == std::string::npos ? m : m.substr(colon + 2);
  if (dynamic_cast<const CLI::ExtrasError *>(&e)) {
    // "The following argument(s) was/were not expected: A B", in an order of CLI11's making
    // (reversed, on some paths): said again in the command line's order.
    std::vector<std::string> extras;
    std::istringstream words(rest);
    for (std::string w; words >> w;) extras.push_back(w);
    auto at = [&](const std::string &w) { return std::find(args.begin(), args.end(), w); };
    std::stable_sort(extras.begin(), extras.end(),
                     [&](const std::string &a, const std::string &b) { return at(a) < at(b); });
    std::string listed;
    for (const auto &w : extras) listed += (listed.empty() ? "" : " ") + w;
    return cmd + " does not take " + (extras.size() == 1 ? "'" + listed + "'" : "these: " + listed);
  }
  if (dynamic_cast<const CLI::RequiredError *>(&e)) {
    if (starts_with(m, "A subcommand")) {
      std::string names;
      for (const CLI::App *sub : leaf.get_subcommands([](const CLI::App *) { return true; }))
        names += (names.empty() ? "" : ", ") + sub->get_name();
      return cmd + " needs a command: " + names;
    }
    const std::string required = " is required";
    if (m.size() > required.size() &&
        m.compare(m.size() - required.size(), required.size(), required) == 0)
      return cmd + ": missing " + m.substr(0, m.size() - required.size());
    return cmd + ": missing arguments";
  }
  if (dynamic_cast<const CLI::ArgumentMismatch *>(&e)) {
    // "NAME: At Most 1 required but received 2", "NAME: 1 required TYPE missing",
    // "Expected exactly N arguments to NAME, got M"
    if (rest.find("At Most") != std::string::npos || rest.find("got") != std::string::npos)
      return cmd + ": " + name + " was given more than once (or with too many values)";
    return cmd + ": " + (name.empty() ? std::string("an option") : name) + " needs a value";
  }
  if (dynamic_cast<const CLI::ConversionError *>(&e))
    return cmd + ": a value is not of the kind its flag takes (" + rest + ")";
  if (dynamic_cast<const CLI::ExcludesError *>(&e) || dynamic_cast<const CLI::RequiresError *>(&e))
    return cmd + ": " + m;
  if (dynamic_cast<const CLI::ValidationError *>(&e))  // our validators' words, after NAME:
    return cmd + " " + m;
  return cmd + ": the command line cannot be read (" + m + ")";
}

// A CLI11 parse failure: help and version are successes, everything else is usage (2).
int parse_failure(const CLI::App &app, const CLI::ParseError &e,
                  const std::vector<std::string> &args) {
  if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
  if (app.get_subcommands().empty() && (dynamic_cast<const CLI::ExtrasError *>(&e) ||
                                        dynamic_cast<const CLI::RequiredError *>(&e))) {
    std::vector<std::string> rest = app.remaining();
    report(rest.empty() ? "no command given (see bucketdb --help)"
                        : "unknown command '" + rest.front() + "' (see bucketdb --help)");
  } else {
    // Name the command the error is about, and where its help is.
    std::string path = "bucketdb";
    const CLI::App *leaf = &app;
    while (!leaf->get_subcommands().empty()) {
      leaf = leaf->get_subcommands().front();
      path += " " + leaf->get_name();
    }
    report(usage_text(e, path, *leaf, args) + " (see " + path + " --help)");
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
  add_blob_commands(app, commands);
  add_drop_commands(app, commands);
  add_export_commands(app, commands);
  add_bench_command(app, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return parse_failure(app, e, std::vector<std::string>(argv + 1, argv + argc));
  }
  if (!commands.run(global)) usage_error("no command given (see bucketdb --help)");
  finish_output();
  // The command's work is done and committed (the log holds it); only the housekeeping failed.
  if (!close_failure().empty() && warnings_wanted(global))
    report("warning: " + close_failure() + " (every commit is in the log: nothing is lost)");
  return kExitOk;
}

}  // namespace
}  // namespace bdbcli

int main(int argc, char **argv) {
  using bdbcli::CliError;
  using bdbcli::report;
  bdbcli::watch_signals();
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
