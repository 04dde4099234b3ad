// The latency group (bench/latency.h): sets up the table, runs each part at 25 ms a call and
// again with jitter, then the parts measured once (independent writers, the command line,
// the month, S3 behind the delay proxy).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "bench/latency.h"
#include "bench/workloads.h"

namespace bench {

void latency_workload(const Config &cfg, Report &report, const std::string &part) {
  namespace fs = std::filesystem;
  latency::Setup setup;
  setup.cfg = &cfg;
  setup.dir = cfg.dir + "/bucketdb-latency-" + std::to_string(getpid());
  // --quick: a tiny table and 1 ms a call, to check that every row runs.
  setup.rows = cfg.quick ? 3000 : cfg.rows_given ? cfg.rows : 100000;
  setup.delay_ms = cfg.quick ? 1 : 25;
  char prefix[64];
  std::snprintf(prefix, sizeof prefix, "latency (%llu rows), ",
                static_cast<unsigned long long>(setup.rows));
  setup.group_prefix = prefix;
  fs::remove_all(setup.dir);
  fs::create_directories(setup.dir);
  if (part == "month") {
    if (latency::counting_available()) latency::month_rows(setup, report);
    fs::remove_all(setup.dir);
    return;
  }
  if (part != "s3") {
    auto t0 = Clock::now();
    setup.table = setup.fresh("table");
    latency::build_table(setup.table, setup.rows, cfg.seed);
    std::fprintf(stderr, "bucketdb-bench: latency table of %llu rows built in %.1f s\n",
                 static_cast<unsigned long long>(setup.rows), seconds_since(t0));
    // BDB_BENCH_LATENCY=PARTS (reads, tail, commits, writers; comma-separated) runs only
    // those parts (an analysis aid).
    const char *parts = std::getenv("BDB_BENCH_LATENCY");
    auto wanted = [&](const char *what) {
      return !parts || ("," + std::string(parts) + ",").find("," + std::string(what) + ",") !=
                           std::string::npos;
    };
    for (const latency::Delay &delay :
         {latency::Delay{setup.delay_ms, 0}, latency::Delay{setup.delay_ms, setup.delay_ms}}) {
      if (wanted("reads")) latency::read_rows(setup, delay, report);
      if (wanted("tail")) latency::tail_rows(setup, delay, report);
      if (wanted("commits")) latency::commit_rows(setup, delay, report);
    }
    if (wanted("writers")) latency::writer_rows(setup, report);
    if (parts) {
      fs::remove_all(setup.dir);
      return;
    }
    if (latency::counting_available()) {
      latency::cli_rows(setup, report);
      latency::month_rows(setup, report);
    } else {
      std::fprintf(stderr,
                   "bucketdb-bench: the command-line and month rows skipped (they need the "
                   "counting layer of the build tree)\n");
    }
  }
  latency::s3_rows(setup, report);
  fs::remove_all(setup.dir);
}

}  // namespace bench
