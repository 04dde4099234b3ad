// The driver conformance suite: every promise of driver.h a store must keep, checked once, here.
// `bucketdb driver-check` and bdb_driver_check run it from the bucketdb-conformance module
// (entry.h), and tests/driver runs each check as a test of its own on memory:, file:, the
// layers and S3. A check is a named function over a Store (store.h) opened through a host
// table, so it sees the driver as the engine does (core/storage/storage_driver.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "abi/include/bucketdb/driver.h"

namespace bucketdb::conformance {

// What the checks run against.
struct Target {
  const bdb_driver_host *host = nullptr;  // opens `uri` with open_inner
  std::string uri;
  // Every key a check uses starts with it: "" when the store is the check's own and empty.
  std::string prefix;
  // "memory" or "file" when the store is that built-in driver (or a layer over it): its
  // stricter promises are checked too (exact pages, new ETags for equal bytes, the key length
  // limit, the file store's refusal of keys that leave its directory). "" for any other.
  std::string builtin;
  std::string expected_name;  // the scheme the store must report; "" for any
  // False when the driver lives in the calling program (registered in process): a forked
  // child cannot call it, so the checks between processes skip.
  bool fork = true;
};

class Context;

struct Check {
  const char *id;    // CamelCase, unique: the test's name in tests/driver
  const char *name;  // a short description: the report's "name"
  void (*run)(Context &);
};

// Every check, in the order they run.
const std::vector<Check> &checks();

enum class Outcome { kPass, kFail, kSkip };
struct Result {
  Outcome outcome = Outcome::kPass;
  std::string message;  // why it failed or was skipped
  uint64_t ms = 0;
};

// Opens the target and runs one check; never throws.
Result run_check(const Check &check, const Target &target);

// bdb_driver_check: every check, each under a key prefix of its own below target.prefix, then
// one that deletes everything under target.prefix; the report as JSON (bucketdb.h's format).
// Throws DriverError when the store cannot be opened.
std::string run_all(const Target &target);

}  // namespace bucketdb::conformance
