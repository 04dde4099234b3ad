// bench [ARGS...]: runs bucketdb-bench, installed beside this program (like git's commands),
// so the benchmark's SQLite and FlatBuffers peers stay out of the shell itself.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "errors.h"

namespace bdbcli {

namespace {

// The directory of the running executable.
std::string own_dir() {
  std::vector<char> buf(4096);
  ssize_t n = readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  if (n <= 0) return ".";
  std::string path(buf.data(), static_cast<size_t>(n));
  return path.substr(0, path.rfind('/'));
}

}  // namespace

void add_bench_command(CLI::App &app, Commands &commands) {
  auto *sub = app.add_subcommand(
      "bench",
      "Run the benchmarks (bucketdb-bench): BucketDB beside SQLite and FlatBuffers, and "
      "S3 requests per operation; pass --help for its options");
  // Every argument is bucketdb-bench's, --help and its own flags included: none falls through
  // to the shell's global flags (which would refuse --quick) or its help.
  sub->allow_extras();
  sub->prefix_command();
  sub->fallthrough(false);
  sub->set_help_flag();
  commands.on(sub, [sub](const GlobalOptions &) {
    std::string program = own_dir() + "/bucketdb-bench";
    std::vector<std::string> args = sub->remaining();
    std::vector<char *> argv{program.data()};
    for (auto &a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    throw CliError(kExitFailure, "bench: cannot run " + program + ": " + std::strerror(errno));
  });
}

}  // namespace bdbcli
