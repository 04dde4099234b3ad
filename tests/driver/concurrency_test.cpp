// Races between threads and between processes: conditional puts have exactly one winner,
// readers never see a torn object, and directory housekeeping never fails a writer.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <thread>

#include "driver_fixture.h"

namespace bdbtest {
namespace {

// Runs fn(i) on n threads released together.
void race(int n, const std::function<void(int)> &fn) {
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; i++) {
    threads.emplace_back([&, i] {
      ready++;
      while (ready.load() < n) std::this_thread::yield();
      fn(i);
    });
  }
  for (auto &t : threads) t.join();
}

// Runs fn(i) in n forked processes released together; returns what each one returned.
// Children never touch gtest: they report through a pipe and _exit.
std::vector<std::string> race_processes(int n, const std::function<std::string(int)> &fn) {
  int go[2];
  if (::pipe(go) != 0) throw std::runtime_error("pipe");
  std::vector<std::pair<pid_t, int>> children;
  for (int i = 0; i < n; i++) {
    int res[2];
    if (::pipe(res) != 0) throw std::runtime_error("pipe");
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(go[1]);
      ::close(res[0]);
      char c;
      while (::read(go[0], &c, 1) < 0) {
      }
      std::string out;
      try {
        out = fn(i);
      } catch (const std::exception &e) {
        out = std::string("E") + e.what();
      }
      const char *p = out.data();
      size_t left = out.size();
      while (left > 0) {
        ssize_t w = ::write(res[1], p, left);
        if (w <= 0) ::_exit(3);
        p += w;
        left -= static_cast<size_t>(w);
      }
      ::_exit(0);
    }
    ::close(res[1]);
    if (pid < 0) throw std::runtime_error("fork");
    children.emplace_back(pid, res[0]);
  }
  ::close(go[0]);
  ::close(go[1]);  // EOF on go: every child starts
  std::vector<std::string> results;
  for (auto &[pid, fd] : children) {
    std::string out;
    char buf[4096];
    ssize_t r;
    while ((r = ::read(fd, buf, sizeof buf)) != 0) {
      if (r > 0) out.append(buf, static_cast<size_t>(r));
    }
    ::close(fd);
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
    results.push_back(out);
  }
  return results;
}

class RaceTest : public DriverTest {
 protected:
  void SetUp() override {
    DriverTest::SetUp();
    if (!store().conditional_put()) GTEST_SKIP() << "driver has no conditional put";
  }
};

INSTANTIATE_TEST_SUITE_P(Conformance, RaceTest, ::testing::ValuesIn(backends()), backend_name);

TEST_P(RaceTest, PutIfAbsentFromEightThreadsHasOneWinner) {
  auto other = open();  // half the threads go through a second handle on the same store
  for (int round = 0; round < 20; round++) {
    std::string k = "committed/" + std::to_string(round);
    std::vector<PutOutcome> outcomes(8);
    race(8, [&](int i) {
      PutCondition c;
      c.if_none_match = true;
      Storage &s = i % 2 ? *other : store();
      outcomes[i] = put(s, k, "writer " + std::to_string(i), c);
    });
    int winners = 0, winner = -1;
    for (int i = 0; i < 8; i++) {
      if (outcomes[i] == PutOutcome::kOk) {
        winners++;
        winner = i;
      } else {
        EXPECT_EQ(outcomes[i], PutOutcome::kPreconditionFailed);
      }
    }
    ASSERT_EQ(winners, 1) << "round " << round;
    EXPECT_EQ(get_text(k), "writer " + std::to_string(winner));
  }
  EXPECT_EQ(list_keys(store(), "").size(), 20u);
}

TEST_P(RaceTest, IfMatchFromEightThreadsHasOneWinner) {
  auto other = open();
  for (int round = 0; round < 10; round++) {
    std::string base = put_ok("block0", "base " + std::to_string(round));
    std::vector<PutOutcome> outcomes(8);
    std::vector<std::string> etags(8);
    race(8, [&](int i) {
      PutCondition c;
      c.if_match = base;
      Storage &s = i % 2 ? *other : store();
      outcomes[i] = put(s, "block0", "writer " + std::to_string(i), c, &etags[i]);
    });
    int winners = 0, winner = -1;
    for (int i = 0; i < 8; i++) {
      if (outcomes[i] == PutOutcome::kOk) {
        winners++;
        winner = i;
      }
    }
    ASSERT_EQ(winners, 1) << "round " << round;
    auto obj = store().get(key("block0"));
    EXPECT_EQ(text(obj->data), "writer " + std::to_string(winner));
    EXPECT_EQ(obj->etag, etags[winner]);
  }
}

TEST_P(RaceTest, PutIfAbsentFromFourProcessesHasOneWinnerPerKey) {
  if (kind() == Kind::kMemory || store().driver_name() == "memory")
    GTEST_SKIP() << "memory stores are per process";
  const int kKeys = 12;
  auto results = race_processes(4, [&](int child) {
    auto s = open();
    std::string out;
    for (int k = 0; k < kKeys; k++) {
      PutCondition c;
      c.if_none_match = true;
      PutOutcome o =
          s->put(key("seq/" + std::to_string(k)), bytes("child " + std::to_string(child)), c);
      out += o == PutOutcome::kOk ? '1' : o == PutOutcome::kPreconditionFailed ? '0' : '?';
    }
    return out;
  });
  for (int k = 0; k < kKeys; k++) {
    int winners = 0, winner = -1;
    for (int c = 0; c < 4; c++) {
      ASSERT_EQ(results[c].size(), static_cast<size_t>(kKeys)) << results[c];
      if (results[c][k] == '1') {
        winners++;
        winner = c;
      } else {
        EXPECT_EQ(results[c][k], '0');
      }
    }
    ASSERT_EQ(winners, 1) << "key " << k;
    EXPECT_EQ(get_text("seq/" + std::to_string(k)), "child " + std::to_string(winner));
  }
}

TEST_P(RaceTest, CompareAndSwapCounterFromFourProcessesLosesNoIncrement) {
  if (kind() == Kind::kMemory || store().driver_name() == "memory")
    GTEST_SKIP() << "memory stores are per process";
  const int kIncrements = 8;
  put_ok("counter", "0");
  auto results = race_processes(4, [&](int) {
    auto s = open();
    int conflicts = 0;
    for (int done = 0; done < kIncrements;) {
      auto obj = s->get(key("counter"));
      if (!obj) return std::string("Emissing");
      PutCondition c;
      c.if_match = obj->etag;
      int v = std::stoi(text(obj->data));
      if (s->put(key("counter"), bytes(std::to_string(v + 1)), c) == PutOutcome::kOk) {
        done++;
      } else {
        conflicts++;
      }
    }
    return "ok " + std::to_string(conflicts);
  });
  for (const auto &r : results) EXPECT_EQ(r.rfind("ok", 0), 0u) << r;
  EXPECT_EQ(get_text("counter"), std::to_string(4 * kIncrements));
}

TEST_P(DriverTest, ReadersNeverSeeATornObject) {
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
  put_ok("hot", make(0, 0));
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0}, reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; r++) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        auto obj = store().get(key("hot"));
        reads++;
        if (!obj || !whole(text(obj->data))) bad++;
      }
    });
  }
  race(3, [&](int w) {
    for (int n = 0; n < 25; n++) put(store(), "hot", make(w, n));
  });
  stop = true;
  for (auto &t : readers) t.join();
  EXPECT_EQ(bad.load(), 0) << "of " << reads.load() << " reads";
}

TEST_P(DriverTest, WritersAndDeletersSharingDirectoriesNeverFail) {
  // Deletes remove empty directories while other writers are about to use them.
  std::atomic<int> errors{0};
  race(4, [&](int t) {
    try {
      for (int n = 0; n < 40; n++) {
        std::string k = "shared/dir/" + std::to_string(t) + "-" + std::to_string(n % 3);
        put(store(), k, "v");
        if (get_text(k) != "v") errors++;
        store().del(key(k));
      }
    } catch (const std::exception &e) {
      errors++;
      ADD_FAILURE() << e.what();
    }
  });
  EXPECT_EQ(errors.load(), 0);
  EXPECT_TRUE(list_keys(store(), "").empty());
}

}  // namespace
}  // namespace bdbtest
