// schema add FILE, schema list.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
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

#include <bdb_common/json_depth.h>

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
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    struct stat st {};
    if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
      throw CliError(kExitFailure, "the schema file " + path + " is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in)
      throw CliError(kExitFailure,
                     "cannot open the schema file " + path + ": " + std::strerror(errno));
    std::ostringstream all;
    all << in.rdbuf();
    if (in.bad()) throw CliError(kExitFailure, "cannot read the schema file " + path);
    text = all.str();
  }
  // The library takes C strings: a NUL would end the text there, silently.
  if (text.find('\0') != std::string::npos)
    throw CliError(kExitFailure, "the schema file " + path + " holds a NUL byte");
  return text;
}

// The schema texts in a file: one object, an array of them (what `schema list` prints when
// wrapped in brackets), or one object per line (what `schema list` prints). Texts go to the
// library as they are, which parses them strictly (a duplicated key is an error); text that is
// none of these goes to it whole, so its own message ("malformed JSON", "nested deeper than
// 256 levels") is what the user sees.
std::vector<std::string> split_schemas(const std::string &text) {
  if (!bdbcommon::json_depth_within(text) || nlohmann::json::accept(text)) return {text};
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (!nlohmann::json::accept(line)) return {text};
    lines.push_back(line);
  }
  return lines.empty() ? std::vector<std::string>{text} : lines;
}

// The members of a JSON array's text, without its brackets; other text as it is.
std::string array_members(const std::string &text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  size_t last = text.find_last_not_of(" \t\r\n");
  if (first == std::string::npos || text[first] != '[' || text[last] != ']') return text;
  return text.substr(first + 1, last - first - 1);
}

// The schema compiler: $BUCKETDB_SCHEMAC, else bucketdb-schemac beside this program (both
// live in the same bin directory, installed or in the build tree), else from PATH.
std::string schemac_program() {
  if (const char *env = std::getenv("BUCKETDB_SCHEMAC"); env && *env) return env;
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    std::string dir(self, static_cast<size_t>(n));
    std::string sibling = dir.substr(0, dir.rfind('/') + 1) + "bucketdb-schemac";
    if (access(sibling.c_str(), X_OK) == 0) return sibling;
  }
  return "bucketdb-schemac";
}

// Runs a program and returns its status, stdout and stderr (stderr through a temporary file,
// so a large output on either stream cannot block the other).
int run_capture(const std::vector<std::string> &args, std::string *out, std::string *err) {
  std::vector<char *> argv;
  argv.reserve(args.size() + 1);
  for (const auto &a : args) argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  int pipe_fds[2];
  std::FILE *err_file = std::tmpfile();
  if (!err_file || pipe(pipe_fds) != 0) {
    if (err_file) std::fclose(err_file);
    throw CliError(kExitFailure, std::string("cannot start a process: ") + std::strerror(errno));
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipe_fds[1], 1);
    dup2(fileno(err_file), 2);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    execvp(argv[0], argv.data());
    std::fprintf(stderr, "cannot run %s: %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }
  close(pipe_fds[1]);
  if (pid < 0) {
    close(pipe_fds[0]);
    std::fclose(err_file);
    throw CliError(kExitFailure, std::string("cannot start a process: ") + std::strerror(errno));
  }
  char buf[65536];
  for (ssize_t got; (got = read(pipe_fds[0], buf, sizeof buf)) != 0;) {
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) break;
    out->append(buf, static_cast<size_t>(got));
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::rewind(err_file);
  for (size_t got; (got = std::fread(buf, 1, sizeof buf, err_file)) > 0;) err->append(buf, got);
  std::fclose(err_file);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// A .fbs file's tables as JSON descriptors, from `bucketdb-schemac --emit-json`.
std::vector<std::string> schemas_from_idl(const std::string &path,
                                          const std::vector<std::string> &include_dirs) {
  std::vector<std::string> args = {schemac_program(), "--emit-json"};
  for (const auto &dir : include_dirs) {
    args.push_back("-I");
    args.push_back(dir);
  }
  args.push_back(path);
  std::string out, err;
  int status = run_capture(args, &out, &err);
  if (status == 127)
    throw CliError(kExitFailure,
                   "schema add " + path + ": cannot run the schema compiler " + args[0] +
                       " (install bucketdb-schemac beside bucketdb, or set BUCKETDB_SCHEMAC)");
  if (status != 0) {
    // Its errors, one per line, without its own summary line.
    std::string errors;
    std::istringstream lines(err);
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("bucketdb-schemac:", 0) != 0) errors += (errors.empty() ? "" : "\n") + line;
    throw CliError(kExitFailure, "schema add " + path + ": " + (errors.empty() ? err : errors));
  }
  std::vector<std::string> schemas;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) schemas.push_back(line);
  if (schemas.empty())
    throw CliError(kExitFailure, "schema add " + path + ": it declares no table");
  return schemas;
}

void schema_add(const GlobalOptions &global, const std::string &path,
                const std::vector<std::string> &include_dirs, bool allow_lossy) {
  // Every schema of the file in one registration: all of them or none.
  std::string all = schemas_as_one(read_schema_file(path, include_dirs));
  Db db = open_database(global, Access::kCreate);
  check(
      bdb_schema_register_json_v2(db.get(), all.c_str(), allow_lossy ? BDB_SCHEMA_ALLOW_LOSSY : 0));
}

void schema_list(const GlobalOptions &global) {
  Db db = open_database(global, Access::kRead);
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

std::vector<std::string> read_schema_file(const std::string &path,
                                          const std::vector<std::string> &include_dirs) {
  return ends_with(path, ".fbs") ? schemas_from_idl(path, include_dirs)
                                 : split_schemas(read_input(path));
}

std::string schemas_as_one(const std::vector<std::string> &schemas) {
  if (schemas.size() == 1) return schemas[0];
  std::string all;
  for (const std::string &s : schemas) {
    std::string members = array_members(s);
    if (members.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    all += (all.empty() ? "" : ",") + members;
  }
  return "[" + all + "]";
}

void add_schema_commands(CLI::App &app, Commands &commands) {
  CLI::App *schema = app.add_subcommand("schema", "Register and list table schemas");
  schema->require_subcommand(1);

  CLI::App *add = schema->add_subcommand(
      "add",
      "Register schemas from a JSON file (one object, an array, or one per line; - is stdin) "
      "or from a FlatBuffers IDL file (.fbs, through bucketdb-schemac)");
  auto path = std::make_shared<std::string>();
  auto includes = std::make_shared<std::vector<std::string>>();
  add->add_option("FILE", *path, "Schema file: .json, or .fbs")->required();
  add->add_option("-I,--include", *includes, "Directory searched for a .fbs file's includes");
  auto lossy = std::make_shared<bool>(false);
  add->add_flag("--allow-lossy", *lossy,
                "Accept a new version that loses data of rows written before (a dropped, "
                "narrowed or retyped field): reads then convert what fits and null the rest");
  commands.on(add, [path, includes, lossy](const GlobalOptions &g) {
    schema_add(g, *path, *includes, *lossy);
  });

  CLI::App *list =
      schema->add_subcommand("list", "Print every registered schema version, one JSON per line");
  commands.on(list, [](const GlobalOptions &g) { schema_list(g); });
}

}  // namespace bdbcli
