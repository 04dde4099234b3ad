// bucketdb-bench: BucketDB side by side with SQLite and FlatBuffers (issue 9), and what each
// operation costs in S3 requests. `bucketdb bench` runs it too.
//
//   bucketdb-bench [--quick] [--json] [--only codec|memory|file|s3] [--rows N] [--seed N]
//                  [--s3 URI] [--dir PATH]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bench/harness.h"
#include "bench/workloads.h"

namespace {

void usage() {
  std::fprintf(stderr,
               "usage: bucketdb-bench [--quick] [--json] [--only codec|memory|file|s3] [--rows N]\n"
               "                      [--seed N] [--s3 URI] [--dir PATH]\n"
               "  --quick   small sizes: checks that every workload runs (CI)\n"
               "  --json    the results as JSON, for tracking\n"
               "  --s3 URI  run the S3 group against URI (default: $BDB_BENCH_S3_URI)\n");
}

}  // namespace

int main(int argc, char **argv) {
  bench::Config cfg;
  bool json = false;
  if (const char *s3 = std::getenv("BDB_BENCH_S3_URI")) cfg.s3_uri = s3;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        usage();
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--quick")
      cfg.quick = true;
    else if (a == "--json")
      json = true;
    else if (a == "--only")
      cfg.only = value();
    else if (a == "--rows")
      cfg.rows = std::strtoull(value().c_str(), nullptr, 10);
    else if (a == "--seed")
      cfg.seed = std::strtoull(value().c_str(), nullptr, 10);
    else if (a == "--s3")
      cfg.s3_uri = value();
    else if (a == "--dir")
      cfg.dir = value();
    else if (a == "-h" || a == "--help") {
      usage();
      return 0;
    } else {
      std::fprintf(stderr, "bucketdb-bench: unknown argument %s\n", a.c_str());
      usage();
      return 2;
    }
  }
  if (!cfg.only.empty() && cfg.only != "codec" && cfg.only != "memory" && cfg.only != "file" &&
      cfg.only != "s3") {
    std::fprintf(stderr, "bucketdb-bench: --only takes codec, memory, file or s3, not %s\n",
                 cfg.only.c_str());
    return 2;
  }
  if (cfg.rows < 1000) {
    std::fprintf(stderr, "bucketdb-bench: --rows must be at least 1000\n");
    return 2;
  }
  bench::Report report;
  auto want = [&](const char *g) { return cfg.only.empty() || cfg.only == g; };
  auto t0 = bench::Clock::now();
  if (want("codec")) bench::codec_workload(cfg, report);
  if (want("memory")) bench::memory_workload(cfg, report);
  if (want("file")) bench::file_workload(cfg, report);
  if (want("s3")) bench::s3_workload(cfg, report);
  const std::string machine = bench::machine_description();
  if (json)
    std::printf("%s\n", report.json(machine).c_str());
  else
    report.print_table(machine);
  std::fprintf(stderr, "bucketdb-bench: %.1f s%s\n", bench::seconds_since(t0),
               cfg.quick ? " (--quick: sizes too small for meaningful figures)" : "");
  return 0;
}
