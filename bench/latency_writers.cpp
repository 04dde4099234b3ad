#include "bench/latency_writers.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

extern char **environ;

namespace bench::latency {

namespace {

using nlohmann::json;

void commit_loop(bdb_db *db, const WriterSpec &spec, Clock::time_point go, WriterResult *out) {
  const auto deadline = spec.seconds > 0 ? go + std::chrono::duration_cast<Clock::duration>(
                                                    std::chrono::duration<double>(spec.seconds))
                                         : Clock::time_point::max();
  for (uint64_t i = 1; !spec.commits || i <= spec.commits; i++) {
    if (spec.interval_ms > 0) {
      auto at = go + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double, std::milli>(
                             spec.phase_ms + spec.interval_ms * static_cast<double>(i - 1)));
      if (at >= deadline) break;
      std::this_thread::sleep_until(at);
    }
    if (Clock::now() >= deadline) break;
    char key[64];
    std::snprintf(key, sizeof key, "%s-%06llu", spec.key_prefix.c_str(),
                  static_cast<unsigned long long>(i));
    bdb_batch *batch = nullptr;
    ok(bdb_batch_new(db, &batch), "batch");
    bdb_doc *d = user_row(db, key, i, spec.rows, spec.seed);
    ok(bdb_batch_insert(batch, d), "insert");
    bdb_doc_free(d);
    uint64_t seq = 0;
    auto t0 = Clock::now();
    bdb_status st = bdb_batch_commit(batch, &seq);
    double ms = seconds_since(t0) * 1000;
    bdb_batch_free(batch);
    if (st != BDB_OK) {
      out->error = std::string(key) + ": " + bdb_status_str(st) + ": " + bdb_errmsg();
      break;
    }
    out->commits++;
    out->latency_ms.push_back(ms);
    out->end_s.push_back(seconds_since(go));
    out->seqs.push_back(seq);
  }
  out->seconds = seconds_since(go);
}

// posix_spawn's argument vector: argv's strings, then the null that ends it.
std::vector<char *> spawn_args(const std::vector<std::string> &argv) {
  std::vector<char *> args;
  args.reserve(argv.size() + 1);
  for (const auto &a : argv) args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  return args;
}

json requests_json(const Requests &r) {
  return {r.gets, r.puts, r.lists, r.deletes, r.bytes_in, r.bytes_out, r.put_conflicts};
}

Requests requests_from(const json &j) {
  Requests r;
  r.gets = j[0];
  r.puts = j[1];
  r.lists = j[2];
  r.deletes = j[3];
  r.bytes_in = j[4];
  r.bytes_out = j[5];
  r.put_conflicts = j[6];
  return r;
}

json spec_json(const WriterSpec &s) {
  return {{"uri", s.uri},         {"options", s.options}, {"prefix", s.key_prefix},
          {"commits", s.commits}, {"seconds", s.seconds}, {"interval", s.interval_ms},
          {"phase", s.phase_ms},  {"rows", s.rows},       {"seed", s.seed}};
}

WriterSpec spec_from(const json &j) {
  WriterSpec s;
  s.uri = j["uri"];
  s.options = j["options"].get<Options>();
  s.key_prefix = j["prefix"];
  s.commits = j["commits"];
  s.seconds = j["seconds"];
  s.interval_ms = j["interval"];
  s.phase_ms = j["phase"];
  s.rows = j["rows"];
  s.seed = j["seed"];
  return s;
}

json result_json(const WriterResult &r) {
  return {{"commits", r.commits},
          {"latency", r.latency_ms},
          {"ends", r.end_s},
          {"seqs", r.seqs},
          {"requests", requests_json(r.requests)},
          {"seconds", r.seconds},
          {"error", r.error}};
}

WriterResult result_from(const json &j) {
  WriterResult r;
  r.commits = j["commits"];
  r.latency_ms = j["latency"].get<std::vector<double>>();
  r.end_s = j["ends"].get<std::vector<double>>();
  r.seqs = j["seqs"].get<std::vector<uint64_t>>();
  r.requests = requests_from(j["requests"]);
  r.seconds = j["seconds"];
  r.error = j["error"];
  return r;
}

// A child process with a pipe to its stdin and one from its stdout.
struct Child {
  pid_t pid = -1;
  FILE *to = nullptr, *from = nullptr;

  void start(const std::vector<std::string> &argv) {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) die("pipe failed");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    std::vector<char *> args = spawn_args(argv);
    if (posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ) != 0)
      die("cannot start " + argv[0]);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    to = fdopen(in[1], "w");
    from = fdopen(out[0], "r");
  }
  std::string line() {
    std::string s;
    for (int c; (c = std::fgetc(from)) != EOF && c != '\n';) s += static_cast<char>(c);
    return s;
  }
  void say(const char *text) {
    std::fputs(text, to);
    std::fflush(to);
  }
  int wait() {
    std::fclose(to);
    std::fclose(from);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

}  // namespace

std::vector<WriterResult> run_in_threads(const std::vector<WriterSpec> &specs) {
  std::vector<bdb_db *> dbs;
  dbs.reserve(specs.size());
  for (const WriterSpec &s : specs) dbs.push_back(open_existing(s.uri, s.options));
  std::vector<WriterResult> results(specs.size());
  std::vector<Requests> before;
  before.reserve(dbs.size());
  for (bdb_db *db : dbs) before.push_back(requests(db));
  const auto go = Clock::now();
  std::vector<std::thread> threads;
  threads.reserve(specs.size());
  for (size_t i = 0; i < specs.size(); i++)
    threads.emplace_back([&, i] { commit_loop(dbs[i], specs[i], go, &results[i]); });
  for (auto &t : threads) t.join();
  for (size_t i = 0; i < specs.size(); i++) {
    results[i].requests = requests(dbs[i]) - before[i];
    bdb_close(dbs[i]);
  }
  return results;
}

WriterResult run_on_one_handle(const std::vector<WriterSpec> &specs) {
  bdb_db *db = open_existing(specs.at(0).uri, specs[0].options);
  std::vector<WriterResult> each(specs.size());
  Requests before = requests(db);
  const auto go = Clock::now();
  std::vector<std::thread> threads;
  for (size_t i = 0; i < specs.size(); i++)
    threads.emplace_back([&, i] { commit_loop(db, specs[i], go, &each[i]); });
  for (auto &t : threads) t.join();
  WriterResult all;
  all.requests = requests(db) - before;
  all.seconds = seconds_since(go);
  for (const WriterResult &r : each) {
    all.commits += r.commits;
    all.latency_ms.insert(all.latency_ms.end(), r.latency_ms.begin(), r.latency_ms.end());
    if (all.error.empty()) all.error = r.error;
  }
  bdb_close(db);
  return all;
}

std::vector<WriterResult> run_in_processes(const std::string &exe,
                                           const std::vector<WriterSpec> &specs) {
  std::vector<Child> children(specs.size());
  for (size_t i = 0; i < specs.size(); i++)
    children[i].start({exe, "--writer", spec_json(specs[i]).dump()});
  for (Child &c : children)
    if (c.line() != "ready") die("a writer process failed to open its database (see above)");
  for (Child &c : children) c.say("go\n");
  std::vector<WriterResult> results;
  for (Child &c : children) {
    std::string line = c.line();
    int status = c.wait();
    if (line.empty() || status != 0) die("a writer process failed (see above)");
    results.push_back(result_from(json::parse(line)));
  }
  return results;
}

int writer_main(const std::string &spec_json_text) {
  const WriterSpec spec = spec_from(json::parse(spec_json_text));
  bdb_db *db = open_existing(spec.uri, spec.options);
  std::printf("ready\n");
  std::fflush(stdout);
  char go[16];
  if (!std::fgets(go, sizeof go, stdin)) return 1;
  WriterResult r;
  Requests before = requests(db);
  commit_loop(db, spec, Clock::now(), &r);
  r.requests = requests(db) - before;
  // BDB_BENCH_WRITER_STATS=1: each writer's engine stats on stderr (an analysis aid).
  if (std::getenv("BDB_BENCH_WRITER_STATS")) {
    char *stats = nullptr;
    if (bdb_db_stats_json(db, &stats) == BDB_OK) std::fprintf(stderr, "%s\n", stats);
    bdb_free(stats);
  }
  std::printf("%s\n", result_json(r).dump().c_str());
  std::fflush(stdout);
  bdb_close(db);
  return 0;
}

std::string check_nothing_lost(const std::string &uri, const std::vector<WriterSpec> &specs,
                               const std::vector<WriterResult> &results, bool own_entries) {
  bdb_db *db = open_existing(uri, {{"readStalenessMs", "0"}, {"readOnly", "1"}});
  std::string problems;
  std::set<uint64_t> seqs;
  uint64_t reported = 0, found = 0, entries = 0;
  for (const WriterResult &r : results) {
    reported += r.commits;
    seqs.insert(r.seqs.begin(), r.seqs.end());
    entries += r.seqs.size();
  }
  for (size_t i = 0; i < specs.size(); i++) {
    const uint64_t rows = run_count(db, {{"id", "prefix", "\"" + specs[i].key_prefix + "-\""}});
    found += rows;
    // One result per spec: each writer's own rows are checked too.
    if (results.size() == specs.size() && rows != results[i].commits)
      problems += specs[i].key_prefix + ": " + std::to_string(results[i].commits) +
                  " commits reported, " + std::to_string(rows) + " rows found; ";
  }
  if (found != reported)
    problems +=
        std::to_string(reported) + " commits reported, " + std::to_string(found) + " rows found; ";
  if (own_entries && seqs.size() != entries)
    problems += std::to_string(entries - seqs.size()) +
                " commits reported a log entry another commit also reported; ";
  bdb_close(db);
  if (problems.empty()) return "nothing lost or doubled";
  std::fprintf(stderr, "bucketdb-bench: LOST OR DOUBLED on %s: %s\n", uri.c_str(),
               problems.c_str());
  return "LOST OR DOUBLED: " + problems;
}

int run_program(const std::vector<std::string> &argv) {
  std::vector<char *> args = spawn_args(argv);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace bench::latency
