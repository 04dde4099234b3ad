// faulty: the delay and its jitter, which the latency benchmark's slow stores are made of.
#include <chrono>

#include "layer_support.h"

namespace bdblayers {
namespace {

using Clock = std::chrono::steady_clock;

std::string delayed(const std::string &inner, const std::string &options) {
  return "faulty:" + inner + "?faulty.every=1&faulty.action=delay&" + options;
}

// Gets of a missing key through a store; returns the milliseconds they took.
double gets(Storage &s, int n) {
  auto t0 = Clock::now();
  for (int i = 0; i < n; i++) EXPECT_FALSE(s.get("main/missing").has_value());
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

TEST(Faulty, JitterDelaysAboutHalfOfTheChosenCallsTheSameWayForTheSameSeed) {
  const std::string inner = "memory:" + unique("jitter");
  auto a = open_store(delayed(inner, "faulty.jitter_ms=1&faulty.seed=3"));
  auto b = open_store(delayed(inner, "faulty.jitter_ms=1&faulty.seed=3"));
  gets(*a, 400);
  gets(*b, 400);
  const uint64_t jittered = at(stats(*a), {"faultyJittered"});
  EXPECT_EQ(at(stats(*a), {"faultyCalls"}), 400u);
  // Binomial(400, 1/2): 200 +- 10 is one standard deviation.
  EXPECT_GT(jittered, 140u);
  EXPECT_LT(jittered, 260u);
  EXPECT_EQ(at(stats(*b), {"faultyJittered"}), jittered) << "chosen by seed and call number";
  // Puts, deletes and lists are delayed alike.
  a->put("main/x", bytes("x"), {});
  a->list("main/", "");
  a->del("main/x");
  EXPECT_EQ(at(stats(*a), {"faultyCalls"}), 403u);
}

TEST(Faulty, JitterAddsToTheDelayOfTheCallsItPicks) {
  const std::string inner = "memory:" + unique("jitter-time");
  auto s = open_store(delayed(inner, "faulty.delay_ms=2&faulty.jitter_ms=20&faulty.seed=1"));
  const double ms = gets(*s, 12);
  const uint64_t jittered = at(stats(*s), {"faultyJittered"});
  ASSERT_GT(jittered, 0u) << "12 calls, each jittered with probability 1/2";
  EXPECT_GE(ms, 12 * 2 + static_cast<double>(jittered) * 20);
}

TEST(Faulty, JitterOnlyTouchesChosenCalls) {
  const std::string inner = "memory:" + unique("jitter-none");
  auto s =
      open_store("faulty:" + inner + "?faulty.nth=1000&faulty.action=delay&faulty.jitter_ms=50");
  const double ms = gets(*s, 20);
  EXPECT_EQ(at(stats(*s), {"faultyJittered"}), 0u);
  EXPECT_LT(ms, 20 * 50 / 2.0) << "no call was chosen, so none was jittered";
}

TEST(Faulty, ABadJitterIsRefusedNamingTheOption) {
  for (const char *bad :
       {"faulty.jitter_ms=abc", "faulty.jitter_ms=-1", "faulty.jitter_ms=600001"}) {
    auto e = error_of([&] { Storage::open("faulty:memory:?" + std::string(bad)); });
    EXPECT_EQ(e.status(), BDB_E_URI) << bad;  // as every bad option of a storage URI
    EXPECT_NE(std::string(e.what()).find("faulty.jitter_ms"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace bdblayers
