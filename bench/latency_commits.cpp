// The latency group's commits: 64 threads of one process and 2 and 4 nodes racing for the log
// (issue 17), independent writers and a boring web app's two writers (issue 22).
#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "bench/latency_writers.h"

namespace bench::latency {

namespace {

std::string fmt(const char *format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::vector<WriterSpec> writers(const Setup &setup, const std::string &uri, size_t n,
                                const std::string &prefix, bool as_nodes) {
  std::vector<WriterSpec> specs(n);
  for (size_t i = 0; i < n; i++) {
    specs[i].uri = uri;
    specs[i].key_prefix = prefix + std::to_string(i);
    specs[i].rows = setup.rows;
    specs[i].seed = setup.cfg->seed;
    if (as_nodes)
      specs[i].options = {{"nodeId", std::to_string(i)}, {"ringSize", std::to_string(n)}};
  }
  return specs;
}

Requests sum(const std::vector<WriterResult> &results) {
  Requests all;
  for (const WriterResult &r : results) all += r.requests;
  return all;
}

uint64_t commits_of(const std::vector<WriterResult> &results) {
  uint64_t n = 0;
  for (const WriterResult &r : results) n += r.commits;
  return n;
}

std::string errors_of(const std::vector<WriterResult> &results) {
  std::string s;
  for (const WriterResult &r : results)
    if (!r.error.empty()) s += "; a commit failed: " + r.error;
  return s;
}

double per_commit(uint64_t requests, uint64_t commits) {
  return commits ? static_cast<double>(requests) / static_cast<double>(commits) : 0;
}

void add(Report &report, const std::string &group, const std::string &name, const std::string &unit,
         double figure, double target, double bound, bool higher, double requests,
         const std::string &note) {
  Result r{group, name, unit, figure, target, "target", higher, note};
  r.requests = requests;
  r.bound = bound;
  report.add(std::move(r));
}

}  // namespace

void commit_rows(const Setup &setup, const Delay &delay, Report &report) {
  const std::string group = setup.group_prefix + delay.describe();
  const double d = setup.delay_ms;

  {  // One process, 64 threads committing one-row batches through one handle.
    const std::string path = setup.fresh("threads");
    copy_db(setup.table, path);
    auto specs = writers(setup, delay.uri(path), 64, "t", false);
    for (auto &s : specs) s.seconds = setup.seconds(5);
    auto t0 = Clock::now();
    WriterResult all = run_on_one_handle(specs);
    trace_mark(group + ": 64 threads of one process committing", t0, Clock::now());
    const std::string verdict = check_nothing_lost("file:" + path, specs, {all}, false);
    std::vector<double> ms = all.latency_ms;
    add(report, group, "64 threads of one process committing", "commits/s",
        static_cast<double>(all.commits) / all.seconds, 2000, 64 * 1000 / d, true,
        static_cast<double>(all.requests.total()),
        fmt("%.3f", per_commit(all.requests.total(), all.commits)) + " requests per commit (" +
            request_mix(all.requests) + " for " + std::to_string(all.commits) + " commits), p50 " +
            fmt("%.1f", percentile(ms, 50) / d) + " / p99 " + fmt("%.1f", percentile(ms, 99) / d) +
            " RT; " + verdict + errors_of({all}));
  }

  // Nodes in processes of their own, racing for the log for 10 s.
  for (size_t n : {size_t{2}, size_t{4}}) {
    const std::string path = setup.fresh("nodes");
    copy_db(setup.table, path);
    auto specs = writers(setup, delay.uri(path), n, "n", true);
    for (auto &s : specs) s.seconds = setup.seconds(10);
    auto t0 = Clock::now();
    auto results = run_in_processes(setup.cfg->exe, specs);
    trace_mark(group + ": " + std::to_string(n) + " nodes committing", t0, Clock::now());
    const std::string verdict = check_nothing_lost("file:" + path, specs, results, true);
    // A writer stops starting commits at the deadline; the one it has under way then counts
    // for the latencies (it was waiting), not for the split of the window's commits.
    const double window = setup.seconds(10);
    uint64_t total = 0, fewest = UINT64_MAX;
    double worst_p99 = 0;
    std::string split;
    std::vector<double> all;
    for (size_t i = 0; i < n; i++) {
      const WriterResult &r = results[i];
      const uint64_t in_window = static_cast<uint64_t>(
          std::count_if(r.end_s.begin(), r.end_s.end(), [&](double t) { return t <= window; }));
      total += in_window;
      fewest = std::min(fewest, in_window);
      std::vector<double> mine = r.latency_ms;
      const double p99 = percentile(mine, 99), slowest = mine.empty() ? 0 : mine.back();
      worst_p99 = std::max(worst_p99, p99);
      split += (i ? "; " : "") + std::to_string(in_window) + " (p99 " + fmt("%.1f", p99 / d) +
               ", slowest " + fmt("%.1f", slowest / d) + " RT)";
      all.insert(all.end(), r.latency_ms.begin(), r.latency_ms.end());
    }
    const Requests req = sum(results);
    const std::string what = std::to_string(n) + " nodes committing " + fmt("%.3g", window) + " s";
    std::string note = "commits by node in the window: " + split;
    note += "; " + fmt("%.0f", static_cast<double>(total) / window) + " commits/s, " +
            fmt("%.2f", per_commit(req.total(), commits_of(results))) + " requests and " +
            fmt("%.2f", per_commit(req.put_conflicts, commits_of(results))) +
            " lost races per commit; ";
    note += verdict;
    note += errors_of(results);
    const double nodes = static_cast<double>(n);
    add(report, group, what + ": the fewest commits' share", "share",
        total ? static_cast<double>(fewest) / static_cast<double>(total) : 0, 0.5 / nodes,
        1.0 / nodes, true, static_cast<double>(req.total()), note);
    add(report, group, what + ": p99 commit latency, worst node", "RT", worst_p99 / d, 10, 1, false,
        -1,
        "all nodes' commits together: p50 " + fmt("%.1f", percentile(all, 50) / d) + ", p99 " +
            fmt("%.1f", percentile(all, 99) / d) + " RT");
  }
}

void writer_rows(const Setup &setup, Report &report) {
  const std::string group = setup.group_prefix + "independent writers (issue 22)";
  const std::string label = group + ": ";
  const uint64_t each = setup.cfg->quick ? 5 : 100;
  for (double ms : {0.0, setup.delay_ms}) {
    Delay delay{ms, 0};
    for (bool processes : {false, true}) {
      const std::string path = setup.fresh("writers");
      copy_db(setup.table, path);
      auto specs = writers(setup, delay.uri(path), 8, "w", true);
      for (auto &s : specs) s.commits = each;
      const std::string what = std::string(processes ? "8 processes" : "8 handles") + " x " +
                               std::to_string(each) + " commits, " + fmt("%.0f", ms) + " ms";
      auto t0 = Clock::now();
      auto results = processes ? run_in_processes(setup.cfg->exe, specs) : run_in_threads(specs);
      trace_mark(label + what, t0, Clock::now());
      double secs = 0;
      for (const WriterResult &r : results) secs = std::max(secs, r.seconds);
      const std::string verdict = check_nothing_lost("file:" + path, specs, results, true);
      const Requests req = sum(results);
      const uint64_t commits = commits_of(results);
      add(report, group, what + ": requests per commit", "requests",
          per_commit(req.total(), commits), 3, 1, false, static_cast<double>(req.total()),
          request_mix(req) + " for " + std::to_string(commits) + " commits, " +
              std::to_string(req.put_conflicts) + " lost races; " + verdict + errors_of(results));
      add(report, group, what + ": commits/s", "commits/s",
          secs > 0 ? static_cast<double>(commits) / secs : 0, 0, ms > 0 ? 8 * 1000 / ms : 0, true,
          -1, "");
    }
  }

  {  // A boring web app: two nodes, each committing once a second.
    const std::string path = setup.fresh("web");
    copy_db(setup.table, path);
    Delay delay{setup.delay_ms, 0};
    auto specs = writers(setup, delay.uri(path), 2, "a", true);
    // Half a second apart: two independent requests, not a race set up every second.
    for (size_t i = 0; i < specs.size(); i++) {
      specs[i].commits = setup.cfg->quick ? 3 : 20;
      specs[i].interval_ms = setup.cfg->quick ? 100 : 1000;
      specs[i].phase_ms = specs[i].interval_ms * static_cast<double>(i) / 2;
    }
    auto results = run_in_processes(setup.cfg->exe, specs);
    const std::string verdict = check_nothing_lost("file:" + path, specs, results, true);
    const Requests req = sum(results);
    const uint64_t commits = commits_of(results);
    add(report, group, "2 processes committing once a second: requests per commit", "requests",
        per_commit(req.total(), commits), 1.1, 1, false, static_cast<double>(req.total()),
        request_mix(req) + " for " + std::to_string(commits) + " commits, " +
            std::to_string(req.put_conflicts) + " lost races; " + verdict + errors_of(results));
  }
}

}  // namespace bench::latency
