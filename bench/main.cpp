// bucketdb-bench: BucketDB side by side with SQLite and FlatBuffers (issue 9), what each
// operation costs in S3 requests, and in round trips over a slow store (issues 17 and 22).
// `bucketdb bench` runs it too.
//
//   bucketdb-bench [--quick] [--json]
//                  [--only codec|memory|file|s3|latency|latency-s3|latency-month]
//                  [--rows N] [--seed N] [--s3 URI] [--s3-delayed URI] [--s3-rt-ms MS]
//                  [--cli PATH] [--dir PATH]
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bench/harness.h"
#include "bench/latency_writers.h"
#include "bench/workloads.h"

namespace {

void usage() {
  std::fprintf(
      stderr,
      "usage: bucketdb-bench [--quick] [--json] [--only GROUP] [--rows N] [--seed N]\n"
      "                      [--s3 URI] [--s3-delayed URI] [--s3-rt-ms MS] [--cli PATH]\n"
      "                      [--dir PATH]\n"
      "  --quick   small sizes: checks that every workload runs (CI); every group\n"
      "  --json    the results as JSON, for tracking\n"
      "  --only    codec, memory, file or s3 (without --only: these four), latency (round\n"
      "            trips over a store delayed 25 ms a call; its rows on S3 too when --s3 and\n"
      "            --s3-delayed are given), latency-s3 (only those), latency-month (only\n"
      "            the boring web app's month)\n"
      "  --rows N  the table's rows (memory group: 1,000,000; latency: 100,000)\n"
      "  --s3 URI  run the S3 group against URI (default: $BDB_BENCH_S3_URI)\n"
      "  --s3-delayed URI  the same bucket through tests/s3/delay_proxy.py\n"
      "            (default: $BDB_BENCH_S3_DELAYED_URI)\n"
      "  --s3-rt-ms MS     a request's round trip through that proxy (default 50: 25 ms\n"
      "            each way)\n"
      "  --cli PATH        the bucketdb program (default: beside this one)\n");
}

// This program's own path, for running it again as the latency group's writers.
std::string self_path() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace

int main(int argc, char **argv) {
  if (argc == 3 && std::strcmp(argv[1], "--writer") == 0)
    return bench::latency::writer_main(argv[2]);
  bench::Config cfg;
  bool json = false;
  if (const char *s3 = std::getenv("BDB_BENCH_S3_URI")) cfg.s3_uri = s3;
  if (const char *s3 = std::getenv("BDB_BENCH_S3_DELAYED_URI")) cfg.s3_delayed_uri = s3;
  cfg.exe = self_path();
  cfg.cli = cfg.exe.substr(0, cfg.exe.rfind('/') + 1) + "bucketdb";
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
    else if (a == "--rows") {
      cfg.rows = std::strtoull(value().c_str(), nullptr, 10);
      cfg.rows_given = true;
    } else if (a == "--seed")
      cfg.seed = std::strtoull(value().c_str(), nullptr, 10);
    else if (a == "--s3")
      cfg.s3_uri = value();
    else if (a == "--s3-delayed")
      cfg.s3_delayed_uri = value();
    else if (a == "--s3-rt-ms")
      cfg.s3_delay_ms = std::strtod(value().c_str(), nullptr);
    else if (a == "--cli")
      cfg.cli = value();
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
  const std::string groups[] = {"codec",   "memory",     "file",         "s3",
                                "latency", "latency-s3", "latency-month"};
  if (!cfg.only.empty() &&
      std::find(std::begin(groups), std::end(groups), cfg.only) == std::end(groups)) {
    std::fprintf(stderr,
                 "bucketdb-bench: --only takes codec, memory, file, s3, latency, latency-s3 or "
                 "latency-month, not %s\n",
                 cfg.only.c_str());
    return 2;
  }
  if (cfg.rows < 1000) {
    std::fprintf(stderr, "bucketdb-bench: --rows must be at least 1000\n");
    return 2;
  }
  if (!(cfg.s3_delay_ms > 0)) {
    std::fprintf(stderr, "bucketdb-bench: --s3-rt-ms must be above 0\n");
    return 2;
  }
#ifdef BDB_BENCH_PLUGIN_DIR
  // The counting layer the latency group counts other processes' requests with
  // (bench/counting_driver.cpp); the writers and the bucketdb program it runs inherit this.
  {
    std::string path = BDB_BENCH_PLUGIN_DIR;
    if (const char *old = std::getenv("BUCKETDB_PLUGIN_PATH")) path += std::string(":") + old;
    setenv("BUCKETDB_PLUGIN_PATH", path.c_str(), 1);
  }
#endif
  bench::Report report;
  // Without --only, the side-by-side groups; the latency group takes minutes, so it runs when
  // asked for, or small with --quick.
  auto want = [&](const char *g) {
    if (!cfg.only.empty()) return cfg.only == g;
    return cfg.quick || std::strcmp(g, "latency") != 0;
  };
  auto t0 = bench::Clock::now();
  if (want("codec")) bench::codec_workload(cfg, report);
  if (want("memory")) bench::memory_workload(cfg, report);
  if (want("file")) bench::file_workload(cfg, report);
  if (want("s3")) bench::s3_workload(cfg, report);
  if (want("latency") || cfg.only == "latency-s3" || cfg.only == "latency-month")
    bench::latency_workload(cfg, report, cfg.only.size() > 8 ? cfg.only.substr(8) : "");
  const std::string machine = bench::machine_description();
  if (json)
    std::printf("%s\n", report.json(machine).c_str());
  else
    report.print_table(machine);
  std::fprintf(stderr, "bucketdb-bench: %.1f s%s\n", bench::seconds_since(t0),
               cfg.quick ? " (--quick: sizes too small for meaningful figures)" : "");
  return 0;
}
