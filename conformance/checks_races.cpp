// Races between threads and between processes: conditional puts have exactly one winner,
// readers never see a torn object, and directory housekeeping never fails a writer.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "conformance/context.h"

namespace bucketdb::conformance {

namespace {

// Runs fn(i) in n forked processes released together; what each one returned. A child only
// runs fn and _exits: it reports through a pipe, never returns into the caller's code.
std::vector<std::string> race_processes(int n, const std::function<std::string(int)> &fn,
                                        const std::function<void()> &before_go) {
  int go[2];
  if (::pipe(go) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::pair<pid_t, int>> children;
  for (int i = 0; i < n; i++) {
    int res[2];
    if (::pipe(res) != 0) throw std::runtime_error("pipe failed");
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(go[1]);
      ::close(res[0]);
      char ch;
      while (::read(go[0], &ch, 1) < 0) {
      }
      std::string out;
      try {
        out = fn(i);
      } catch (const CheckFailed &e) {
        out = "E" + e.message;
      } catch (const std::exception &e) {
        out = std::string("E") + e.what();
      }
      for (size_t done = 0; done < out.size();) {
        ssize_t w = ::write(res[1], out.data() + done, out.size() - done);
        if (w <= 0) ::_exit(3);
        done += static_cast<size_t>(w);
      }
      ::_exit(0);
    }
    ::close(res[1]);
    if (pid < 0) throw std::runtime_error("fork failed");
    children.emplace_back(pid, res[0]);
  }
  ::close(go[0]);
  std::string error;
  try {
    before_go();
  } catch (const std::exception &e) {
    error = e.what();
  }
  ::close(go[1]);  // EOF on go: every child starts
  std::vector<std::string> results;
  std::string failed;
  for (auto &[pid, fd] : children) {
    std::string out;
    char buf[4096];
    ssize_t r;
    while ((r = ::read(fd, buf, sizeof buf)) != 0)
      if (r > 0) out.append(buf, static_cast<size_t>(r));
    ::close(fd);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      failed = "a child process ended with status " + std::to_string(status);
    results.push_back(out);
  }
  if (!error.empty()) throw std::runtime_error(error);
  expect(failed.empty(), failed);
  for (const auto &r : results) expect(r.empty() || r[0] != 'E', "a child failed: " + r.substr(1));
  return results;
}

// Forked children, each with a store of its own; skipped when the store is not shared between
// processes (memory stores): a key the parent writes once they exist must reach them.
std::vector<std::string> race_children(Context &c, int n,
                                       const std::function<std::string(Store &, int)> &fn) {
  if (c.builtin("memory") || c.store().name() == "memory") skip("memory stores are per process");
  if (!c.target().fork)
    skip(
        "the driver is registered by this program (bdb_driver_register): a forked child "
        "cannot call it");
  c.store().del(c.key("procs/probe"));
  auto results = race_processes(
      n,
      [&](int i) -> std::string {
        auto s = c.open();
        if (!s->get(c.key("procs/probe"))) return "N";
        return fn(*s, i);
      },
      [&] { c.put_ok("procs/probe", "written after the fork"); });
  for (const auto &r : results)
    if (r == "N")
      skip(
          "the store is not shared between processes (a key put after fork() "
          "did not reach the children)");
  c.store().del(c.key("procs/probe"));
  return results;
}

void put_if_absent_from_threads(Context &c) {
  c.need_conditional();
  auto other = c.open();  // half the threads go through a second handle on the same store
  for (int round = 0; round < 20; round++) {
    std::string k = "committed/" + std::to_string(round);
    std::vector<Put> outcomes(8);
    race(8, [&](int i) {
      outcomes[static_cast<size_t>(i)] = c.put(k, "writer " + std::to_string(i), if_none_match(),
                                               nullptr, i % 2 ? other.get() : nullptr);
    });
    int winners = 0, winner = -1;
    for (int i = 0; i < 8; i++)
      if (outcomes[static_cast<size_t>(i)] == Put::kOk) winners++, winner = i;
    expect(winners == 1, "round " + std::to_string(round) + ": " + std::to_string(winners) +
                             " of 8 racing If-None-Match puts succeeded");
    c.expect_text(k, "writer " + std::to_string(winner));
  }
  expect(c.list_keys("").size() == 20,
         "20 keys made by racing puts list as " + std::to_string(c.list_keys("").size()));
}

void if_match_from_threads(Context &c) {
  c.need_conditional();
  auto other = c.open();
  for (int round = 0; round < 10; round++) {
    std::string base = c.put_ok("block0", "base " + std::to_string(round));
    std::vector<Put> outcomes(8);
    std::vector<std::string> etags(8);
    race(8, [&](int i) {
      auto at = static_cast<size_t>(i);
      outcomes[at] = c.put("block0", "writer " + std::to_string(i), if_match(base), &etags[at],
                           i % 2 ? other.get() : nullptr);
    });
    int winners = 0, winner = -1;
    for (int i = 0; i < 8; i++)
      if (outcomes[static_cast<size_t>(i)] == Put::kOk) winners++, winner = i;
    expect(winners == 1, "round " + std::to_string(round) + ": " + std::to_string(winners) +
                             " of 8 racing If-Match puts succeeded");
    auto obj = c.store().get(c.key("block0"));
    expect(obj && text(obj->data) == "writer " + std::to_string(winner),
           "the object is not the winner's after an If-Match race");
    expect(obj->etag == etags[static_cast<size_t>(winner)],
           "the object's ETag is not the winner's after an If-Match race");
  }
}

void put_if_absent_from_processes(Context &c) {
  c.need_conditional();
  const int kKeys = 12;
  auto results = race_children(c, 4, [&](Store &s, int child) {
    std::string out;
    for (int k = 0; k < kKeys; k++) {
      Put o = s.put(c.key("seq/" + std::to_string(k)), bytes("child " + std::to_string(child)),
                    if_none_match());
      out += o == Put::kOk ? '1' : '0';
    }
    return out;
  });
  for (int k = 0; k < kKeys; k++) {
    int winners = 0, winner = -1;
    for (int child = 0; child < 4; child++) {
      const std::string &r = results[static_cast<size_t>(child)];
      expect(r.size() == static_cast<size_t>(kKeys), "a child reported " + show(r));
      if (r[static_cast<size_t>(k)] == '1') winners++, winner = child;
    }
    expect(winners == 1, "key " + std::to_string(k) + ": " + std::to_string(winners) +
                             " of 4 processes' If-None-Match puts succeeded");
    c.expect_text("seq/" + std::to_string(k), "child " + std::to_string(winner));
  }
}

void counter_from_processes(Context &c) {
  c.need_conditional();
  const int kIncrements = 8;
  c.put_ok("counter", "0");
  race_children(c, 4, [&](Store &s, int child) -> std::string {
    for (int done = 0; done < kIncrements;) {
      auto obj = s.get(c.key("counter"));
      if (!obj) return "Ethe counter is missing";
      int v = std::stoi(text(obj->data));
      // "VALUE CHILD": no two writers put the same bytes, so a driver that resolves a lost
      // answer by comparing bytes (S3) can tell its own write from another's.
      std::string next = std::to_string(v + 1) + " " + std::to_string(child);
      if (s.put(c.key("counter"), bytes(next), if_match(obj->etag)) == Put::kOk) done++;
    }
    return "ok";
  });
  const std::string last = c.get_text("counter").value_or("(missing)");
  expect(std::atoi(last.c_str()) == 4 * kIncrements,
         "the counter is \"" + last + "\", not " + std::to_string(4 * kIncrements));
}

void torn_reads(Context &c) {
  // Each version is one byte value repeated, with its length in front: easy to check whole.
  auto make = [](int writer, int n) {
    size_t len = 1 + static_cast<size_t>((writer * 7919 + n * 104729) % 70000);
    return std::to_string(len) + ":" + std::string(len, static_cast<char>('a' + writer));
  };
  auto whole = [](const std::string &s) {
    size_t colon = s.find(':');
    if (colon == std::string::npos || colon + 1 >= s.size()) return false;
    return s.compare(0, colon, std::to_string(s.size() - colon - 1)) == 0 &&
           s.find_first_not_of(s.back(), colon + 1) == std::string::npos;
  };
  c.put_ok("hot", make(0, 0));
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0}, reads{0};
  std::vector<std::thread> readers;
  readers.reserve(2);
  for (int r = 0; r < 2; r++) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        try {
          auto obj = c.store().get(c.key("hot"));
          if (!obj || !whole(text(obj->data))) bad++;
        } catch (const std::exception &) {
          bad++;
        }
        reads++;
      }
    });
  }
  try {
    race(3, [&](int w) {
      for (int n = 0; n < 25; n++) c.put("hot", make(w, n));
    });
  } catch (...) {
    stop = true;
    for (auto &t : readers) t.join();
    throw;
  }
  stop = true;
  for (auto &t : readers) t.join();
  expect(bad.load() == 0, std::to_string(bad.load()) + " of " + std::to_string(reads.load()) +
                              " reads during overwrites saw a missing or torn object");
}

void writers_and_deleters(Context &c) {
  // Deletes remove empty directories while other writers are about to use them.
  race(4, [&](int t) {
    for (int n = 0; n < 40; n++) {
      std::string k = "shared/dir/" + std::to_string(t) + "-" + std::to_string(n % 3);
      c.put(k, "v");
      expect(c.get_text(k) == "v", "get " + show(k) + " right after its put did not return it");
      c.store().del(c.key(k));
    }
  });
  c.expect_list("", {});
}

}  // namespace

std::vector<Check> race_checks() {
  return {
      {"PutIfAbsentFromEightThreads", "put-if-absent from 8 threads has one winner",
       put_if_absent_from_threads},
      {"IfMatchFromEightThreads", "If-Match from 8 threads has one winner", if_match_from_threads},
      {"PutIfAbsentFromFourProcesses", "put-if-absent from 4 processes has one winner per key",
       put_if_absent_from_processes},
      {"CounterFromFourProcesses", "an If-Match counter from 4 processes loses no increment",
       counter_from_processes},
      {"ReadersNeverSeeATornObject", "readers never see a torn object", torn_reads},
      {"WritersAndDeletersSharingDirectories",
       "writers and deleters sharing directories never fail", writers_and_deleters},
  };
}

}  // namespace bucketdb::conformance
