// Helpers for the layered-driver tests: throw-away directories and key files, raw access to
// the store under a layer, driver counters, and a small database workload.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "conformance/bytes.h"
#include "core/engine/database.h"
#include "core/storage/storage.h"
#include "core/util/error.h"
#include "tests/support/error_of.h"
#include "tests/support/temp_dir.h"

namespace bdblayers {

using bucketdb::Bytes;
using bucketdb::PutCondition;
using bucketdb::PutOutcome;
using bucketdb::Storage;
using bucketdb::conformance::bytes;
using bucketdb::conformance::random_bytes;
using bucketdb::conformance::text;
using bucketdb::test::error_of;
using bucketdb::test::TempDir;

// A name unique in this process (for memory: stores, which live as long as the process).
std::string unique(const std::string &what);

// 64 hex digits, the same for the same seed.
std::string hex_key(int seed);
// Writes lines to DIR/NAME and returns the path.
std::string write_file(const TempDir &dir, const std::string &name, const std::string &lines);

// A store with short retry delays.
std::unique_ptr<Storage> open_store(const std::string &uri);

// The driver's counters; at(json, "inner", "faultyCalls") walks nested objects (0 if absent).
nlohmann::json stats(const Storage &s);
uint64_t at(const nlohmann::json &j, std::initializer_list<const char *> path);

// A users table (id varchar primary key, age uint8), rows written and read by id.
std::unique_ptr<bucketdb::Database> open_db(const std::string &uri, uint64_t staleness_ms = 1000,
                                            const std::string &prefix = "main");
void create_users(bucketdb::Database &db);
void put_user(bucketdb::Database &db, const std::string &id, int age);
std::optional<std::string> get_user(bucketdb::Database &db, const std::string &id);
size_t count_users(bucketdb::Database &db);

}  // namespace bdblayers
