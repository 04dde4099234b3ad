// Helpers for the layered-driver tests: throw-away directories and key files, raw access to
// the store under a layer, driver counters, and a small database workload.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/database.h"
#include "core/storage/storage.h"
#include "core/util/error.h"

namespace bdblayers {

using bucketdb::Bytes;
using bucketdb::PutCondition;
using bucketdb::PutOutcome;
using bucketdb::Storage;

class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string &path() const { return path_; }

 private:
  std::string path_;
};

// A name unique in this process (for memory: stores, which live as long as the process).
std::string unique(const std::string &what);

Bytes bytes(const std::string &s);
std::string text(const Bytes &b);
Bytes random_bytes(size_t n, uint64_t seed);

// 64 hex digits, the same for the same seed.
std::string hex_key(int seed);
// Writes lines to DIR/NAME and returns the path.
std::string write_file(const TempDir &dir, const std::string &name, const std::string &lines);

// A store with short retry delays.
std::unique_ptr<Storage> open_store(const std::string &uri);

// The driver's counters; at(json, "inner", "faultyCalls") walks nested objects (0 if absent).
nlohmann::json stats(const Storage &s);
uint64_t at(const nlohmann::json &j, std::initializer_list<const char *> path);

// Runs fn, which must throw bucketdb::Error; returns it.
template <typename Fn>
bucketdb::Error error_of(Fn &&fn) {
  try {
    fn();
  } catch (const bucketdb::Error &e) {
    return e;
  }
  ADD_FAILURE() << "expected a bucketdb::Error";
  return bucketdb::Error(BDB_OK, "");
}

// A users table (id varchar primary key, age uint8), rows written and read by id.
std::unique_ptr<bucketdb::Database> open_db(const std::string &uri, uint64_t staleness_ms = 1000,
                                            const std::string &prefix = "main");
void create_users(bucketdb::Database &db);
void put_user(bucketdb::Database &db, const std::string &id, int age);
std::optional<std::string> get_user(bucketdb::Database &db, const std::string &id);
size_t count_users(bucketdb::Database &db);

}  // namespace bdblayers
