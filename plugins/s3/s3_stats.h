// Counters of one s3 driver instance, reported through the driver ABI's stats() as JSON.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace bdbs3 {

struct Stats {
  // HTTP requests sent, by kind (every attempt counts: this is what the provider bills).
  std::atomic<uint64_t> get{0}, put{0}, del{0}, list{0}, head{0};
  std::atomic<uint64_t> bytes_in{0}, bytes_out{0};
  std::atomic<uint64_t> retries{0};  // attempts after the first
  std::atomic<uint64_t> errors{0};   // operations that failed (not misses or conflicts)
  std::atomic<uint64_t> not_found{0}, not_modified{0}, precondition_failed{0};
  // Conditional puts whose answer was lost and that were found to have landed after all.
  std::atomic<uint64_t> ambiguous_puts_resolved{0};
  std::atomic<uint64_t> connections{0};  // new connections opened (low means reuse works)

  std::string json() const {
    auto n = [](const std::atomic<uint64_t> &v) { return std::to_string(v.load()); };
    return "{\"requests\":{\"get\":" + n(get) + ",\"put\":" + n(put) + ",\"delete\":" + n(del) +
           ",\"list\":" + n(list) + ",\"head\":" + n(head) + "},\"bytes_in\":" + n(bytes_in) +
           ",\"bytes_out\":" + n(bytes_out) + ",\"retries\":" + n(retries) +
           ",\"errors\":" + n(errors) + ",\"not_found\":" + n(not_found) +
           ",\"not_modified\":" + n(not_modified) +
           ",\"precondition_failed\":" + n(precondition_failed) +
           ",\"ambiguous_puts_resolved\":" + n(ambiguous_puts_resolved) +
           ",\"connections\":" + n(connections) + "}";
  }
};

}  // namespace bdbs3
