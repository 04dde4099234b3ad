// driver-check URI: the driver conformance checks (bdb_driver_check) against any store, for
// people writing their own driver plugin.
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "errors.h"
#include "output.h"

namespace bdbcli {

namespace {

struct DriverCheckArgs {
  std::string uri;
  bool json = false;
};

// One line per check, failures with their reason, then the totals.
void print_report(const nlohmann::ordered_json &r) {
  std::string caps;
  for (const auto &c : r["capabilities"]) caps += (caps.empty() ? "" : ", ") + c.get<std::string>();
  print_line("driver " + r["driver"].get<std::string>() + " (" +
             (caps.empty() ? std::string("no capabilities") : caps) + "), keys under " +
             r["prefix"].get<std::string>());
  for (const auto &c : r["checks"]) {
    std::string result = c["result"].get<std::string>();
    std::string tag = result == "pass" ? "ok  " : result == "fail" ? "FAIL" : "skip";
    std::string line = "  " + tag + "  " + c["name"].get<std::string>() + " (" +
                       std::to_string(c["ms"].get<uint64_t>()) + " ms)";
    if (!c["message"].get<std::string>().empty()) line += ": " + c["message"].get<std::string>();
    print_line(line);
  }
  print_line(std::to_string(r["checks"].size()) +
             " checks: " + std::to_string(r["passed"].get<uint64_t>()) + " passed, " +
             std::to_string(r["failed"].get<uint64_t>()) + " failed, " +
             std::to_string(r["skipped"].get<uint64_t>()) + " skipped");
}

void driver_check(const DriverCheckArgs &args) {
  char *raw = nullptr;
  check(bdb_driver_check(args.uri.c_str(), &raw));
  BdbString json(raw);
  auto report = nlohmann::ordered_json::parse(json.get(), nullptr, false);
  if (report.is_discarded()) throw CliError(kExitFailure, "driver-check: unreadable report");
  if (args.json) {
    print_json(json.get());
  } else {
    print_report(report);
  }
  uint64_t failed = report["failed"].get<uint64_t>();
  if (failed > 0) {
    finish_output();
    throw CliError(kExitFailure, "driver-check: " + std::to_string(failed) + " of " +
                                     std::to_string(report["checks"].size()) + " checks failed");
  }
}

}  // namespace

void add_driver_commands(CLI::App &app, Commands &commands) {
  auto args = std::make_shared<DriverCheckArgs>();
  CLI::App *cmd = app.add_subcommand(
      "driver-check",
      "Run the storage-driver conformance checks against URI (e.g. 'plugin:/path/x.so?config') "
      "under a random key prefix, deleted afterwards; exit status 3 when a check fails");
  cmd->add_option("URI", args->uri, "The store to check: any database URI")->required();
  cmd->add_flag("--json", args->json, "Print the report as JSON");
  commands.on(cmd, [args](const GlobalOptions &) { driver_check(*args); });
}

}  // namespace bdbcli
