// schema add FILE, schema list.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "errors.h"
#include "output.h"

namespace bdbcli {

namespace {

bool ends_with(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string read_input(const std::string &path) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw CliError(kExitFailure, "schema add: cannot open " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw CliError(kExitFailure, "schema add: cannot read " + path);
  return text.str();
}

// The schema texts in a file: one object, an array of them (what `schema list` prints when
// wrapped in brackets), or one object per line (what `schema list` prints). Text that is none
// of these goes to the library whole, so its own "malformed JSON" message is what the user sees.
std::vector<std::string> split_schemas(const std::string &text) {
  auto whole = nlohmann::ordered_json::parse(text, nullptr, false);
  if (!whole.is_discarded()) {
    if (!whole.is_array()) return {text};
    std::vector<std::string> out;
    for (const auto &item : whole) out.push_back(item.dump());
    return out;
  }
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (!nlohmann::json::accept(line)) return {text};
    lines.push_back(line);
  }
  return lines.empty() ? std::vector<std::string>{text} : lines;
}

void schema_add(const GlobalOptions &global, const std::string &path) {
  if (ends_with(path, ".fbs"))
    throw CliError(kExitFailure, "schema add " + path +
                                     ": not supported yet: the schema compiler is not built "
                                     "(register the JSON form instead)");
  std::vector<std::string> schemas = split_schemas(read_input(path));
  Db db = open_database(global);
  for (const std::string &json : schemas) check(bdb_schema_register_json(db.get(), json.c_str()));
}

void schema_list(const GlobalOptions &global) {
  Db db = open_database(global);
  char *raw = nullptr;
  check(bdb_schema_list_json(db.get(), &raw));
  BdbString json(raw);
  auto list = nlohmann::ordered_json::parse(json.get(), nullptr, false);
  if (!list.is_array())
    throw CliError(kExitFailure, "schema list: the library returned something not a JSON array");
  for (const auto &schema : list)
    print_line(schema.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

void add_schema_commands(CLI::App &app, Commands &commands) {
  CLI::App *schema = app.add_subcommand("schema", "Register and list table schemas");
  schema->require_subcommand(1);

  CLI::App *add = schema->add_subcommand(
      "add",
      "Register schemas from a JSON file (one object, an array, or one per line; - is stdin)");
  auto path = std::make_shared<std::string>();
  add->add_option("FILE", *path, "Schema file (.json; .fbs needs the schema compiler)")->required();
  commands.on(add, [path](const GlobalOptions &g) { schema_add(g, *path); });

  CLI::App *list =
      schema->add_subcommand("list", "Print every registered schema version, one JSON per line");
  commands.on(list, [](const GlobalOptions &g) { schema_list(g); });
}

}  // namespace bdbcli
