// The driver conformance suite: every TEST_P runs against each store kind, each time on a fresh
// store, through bucketdb::Storage only.
//
// Store kinds: "memory" (memory:conf-<unique>), "file" (file:<fresh dir under /tmp>), and one
// "envN" per URI in BDB_CONFORMANCE_URIS (space-separated, e.g. an s3:// URI): those cannot be
// made fresh, so each test works under its own random key prefix and deletes it afterwards.
//
// Layered drivers: BDB_CONFORMANCE_LAYER (e.g. "crypt:compress:") wraps the memory and file
// stores, and BDB_CONFORMANCE_LAYER_OPTS (e.g. "tiered.fast=file:@DIR@/fast") are added to
// their query, with @DIR@ a fresh directory of the test and @ID@ a name unique to the test.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/storage/storage.h"
#include "core/util/error.h"

namespace bdbtest {

using bucketdb::Bytes;
using bucketdb::PutCondition;
using bucketdb::PutOutcome;
using bucketdb::Storage;

enum class Kind { kMemory, kFile, kExternal };

struct Backend {
  std::string label;  // test-name suffix
  Kind kind;
  std::string uri;  // external stores only
};

std::vector<Backend> backends();
inline void PrintTo(const Backend &b, std::ostream *os) {
  *os << b.label;
}
inline std::string backend_name(const ::testing::TestParamInfo<Backend> &p) {
  return p.param.label;
}

Bytes bytes(const std::string &s);
std::string text(const Bytes &b);
Bytes random_bytes(size_t n, uint64_t seed);

// A fresh, unique directory under /tmp (not created).
std::string fresh_temp_dir();
// A process-unique suffix for store names.
std::string unique_suffix();

class DriverTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;
  void wrap_in_layer();

  Kind kind() const { return GetParam().kind; }
  bool builtin() const { return kind() != Kind::kExternal; }
  // The scheme the store reports: the outermost layer's, or memory / file.
  std::string expected_driver_name() const;
  // The fresh store's URI, optionally with a list page size (?page=N).
  std::string uri(size_t page = 0) const;
  // Another handle on the same store (two "database handles", or a child process's own).
  std::unique_ptr<Storage> open(size_t page = 0) const;
  Storage &store() { return *store_; }

  // Test keys live under the store's prefix ("" for fresh stores).
  std::string key(const std::string &k) const { return prefix_ + k; }
  std::vector<std::string> list_keys(Storage &s, const std::string &prefix) const;

  // put helpers: the outcome, and the ETag through *etag.
  PutOutcome put(Storage &s, const std::string &k, const std::string &data,
                 const PutCondition &cond = {}, std::string *etag = nullptr) const;
  std::string put_ok(const std::string &k, const std::string &data);
  std::optional<std::string> get_text(const std::string &k);

  std::string base_uri_;
  std::string dir_;     // file stores: the temp directory to remove
  std::string prefix_;  // external stores: this test's key prefix
  std::unique_ptr<Storage> store_;
};

// Runs fn, which must throw bucketdb::Error; returns it.
template <typename Fn>
bucketdb::Error expect_error(Fn &&fn) {
  try {
    fn();
  } catch (const bucketdb::Error &e) {
    return e;
  }
  ADD_FAILURE() << "expected a bucketdb::Error";
  return bucketdb::Error(BDB_OK, "");
}

}  // namespace bdbtest
