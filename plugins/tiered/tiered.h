// The tiered layer's state and key routing, shared by its driver and its merged list.
#pragma once

#include <atomic>
#include <cstring>
#include <mutex>
#include <string>

#include "layer.h"

namespace bdbtiered {

struct Tiered {
  bdbdrv::Inner slow, fast;
  std::string committed = "committed";
  bool mirror = true;  // fast keys are written to the slow store too
  bool seed = false;   // a fast store without Block 0 is filled from the slow store
  std::mutex seed_mu;
  // Requests by store and kind (Op), for stats().
  enum Op { kGet, kPut, kDel, kList, kOps };
  std::atomic<uint64_t> fast_requests[kOps] = {}, slow_requests[kOps] = {};
  std::atomic<uint64_t> mirror_failures{0}, seeded{0};

  ~Tiered() {
    fast.close();
    slow.close();
  }

  // Block 0 (".../block0"), log entries (".../committed/<digits>") and the hint of writers
  // losing races for the log (".../contended") live on the fast store.
  bool fast_key(const char *key) const {
    const char *last = std::strrchr(key, '/');
    const char *name = last ? last + 1 : key;
    if (std::strcmp(name, "block0") == 0 || std::strcmp(name, "contended") == 0) return true;
    if (!last || !*name) return false;
    for (const char *p = name; *p; p++)
      if (*p < '0' || *p > '9') return false;
    // The segment before the name must be the log's.
    size_t end = static_cast<size_t>(last - key);
    size_t start = end;
    while (start > 0 && key[start - 1] != '/') start--;
    return end - start == committed.size() &&
           std::memcmp(key + start, committed.data(), committed.size()) == 0;
  }

  // Counted calls: the counters are what the README's request numbers are measured with.
  const bdbdrv::Inner &to_slow(Op op) {
    slow_requests[op]++;
    return slow;
  }
  const bdbdrv::Inner &to_fast(Op op) {
    fast_requests[op]++;
    return fast;
  }
};

// list over both stores, merged in key order (tiered_list.cpp).
int merged_list(Tiered &t, const char *prefix, const char *token, bdb_drv_list *out,
                bdb_drv_error *err);

}  // namespace bdbtiered
