// The latency group's command-line row (issue 22): 100 single-row `bucketdb put` commands in a
// row through the delay, then a `get`; each process's requests counted by the counting layer
// (bench/counting_driver.cpp), which appends them to a file at close.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bench/latency_writers.h"

namespace bench::latency {

namespace {

// The last line the counting layer appended: the last process's requests.
Requests last_count(const std::string &file) {
  std::ifstream in(file);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  Requests r;
  if (!add_count_line(last, &r)) die("latency: no request count in " + file);
  return r;
}

std::string row_json(uint64_t i) {
  char id[32];
  std::snprintf(id, sizeof id, "c%06llu", static_cast<unsigned long long>(i));
  nlohmann::json j = {{"id", id},
                      {"name", "Cli-" + std::to_string(i)},
                      {"city", "cli"},
                      {"age", i % 100},
                      {"active", true},
                      {"score", 1.5},
                      {"created", 1700000000000 + i}};
  return j.dump();
}

}  // namespace

void cli_rows(const Setup &setup, Report &report) {
  const Config &cfg = *setup.cfg;
  if (cfg.cli.empty() || access(cfg.cli.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "bucketdb-bench: CLI row skipped (no bucketdb program at '%s'; --cli)\n",
                 cfg.cli.c_str());
    return;
  }
  const std::string group = setup.group_prefix + "the command line (issue 22)";
  const double d = setup.delay_ms;
  const std::string path = setup.fresh("cli"), counts = path + ".counts";
  copy_db(setup.table, path);
  const std::string uri = "counting:" + Delay{d, 0}.uri(path) + "&counting.file=" + counts;
  const uint64_t puts = cfg.quick ? 10 : 100;
  Measured first, last;
  for (uint64_t i = 1; i <= puts; i++) {
    auto t0 = Clock::now();
    int rc =
        run_program({cfg.cli, "--db", uri, "--log-level", "error", "put", "users", row_json(i)});
    Measured m{seconds_since(t0) * 1000, last_count(counts)};
    if (rc != 0) die("latency: bucketdb put exited with " + std::to_string(rc));
    (i == 1 ? first : last) = m;
  }
  auto t0 = Clock::now();
  int rc = run_program({cfg.cli, "--db", uri, "--log-level", "error", "get", "users", "c000001"});
  Measured get{seconds_since(t0) * 1000, last_count(counts)};
  if (rc != 0) die("latency: bucketdb get exited with " + std::to_string(rc));

  auto describe = [&](const char *what, const Measured &m) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s %.0f ms (%.1f RT), %s", what, m.ms, m.ms / d,
                  request_mix(m.requests).c_str());
    return std::string(buf);
  };
  const std::string n = std::to_string(puts);
  Result r{group,
           n + " `bucketdb put` in a row: the last's time / the first's",
           "x",
           last.ms / first.ms,
           2,
           "target",
           false,
           describe("first", first) + "; last " + describe("", last).substr(1) + "; then " +
               describe("get", get) + "; each a process of its own, " + Delay{d, 0}.describe()};
  r.requests = static_cast<double>(last.requests.total());
  r.bound = 1;
  report.add(std::move(r));
  add_rt(report, group, "`bucketdb get` after them", get, d, 4, 0);
}

}  // namespace bench::latency
