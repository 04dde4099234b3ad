// Helpers of the driver tests: the stores the conformance suite runs on, and what the tests of
// the built-in drivers share.
//
// Stores: "memory" (memory:conf-<unique>), "file" (file:<fresh dir under /tmp>), and one
// "envN" per URI in BDB_CONFORMANCE_URIS (space-separated, e.g. an s3:// URI): those cannot be
// made fresh, so each test works under its own random key prefix and deletes it afterwards.
//
// Layered drivers: BDB_CONFORMANCE_LAYER (e.g. "crypt:compress:") wraps the memory and file
// stores, and BDB_CONFORMANCE_LAYER_OPTS (e.g. "tiered.fast=file:@DIR@/fast") are added to
// their query, with @DIR@ a fresh directory of the test and @ID@ a name unique to the test.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conformance/bytes.h"
#include "core/storage/storage.h"
#include "core/util/error.h"
#include "tests/support/error_of.h"

namespace bdbtest {

using bucketdb::Bytes;
using bucketdb::PutCondition;
using bucketdb::PutOutcome;
using bucketdb::Storage;
using bucketdb::conformance::bytes;
using bucketdb::conformance::text;
using bucketdb::test::error_of;

enum class Kind { kMemory, kFile, kExternal };

struct Backend {
  std::string label;  // test-name suffix
  Kind kind;
  std::string uri;  // external stores only
};

std::vector<Backend> backends();

// A store for one test: made fresh (memory, file, wrapped in BDB_CONFORMANCE_LAYER), or a
// random prefix of an external one; removed or emptied again by the destructor.
class TestStore {
 public:
  explicit TestStore(const Backend &backend);
  ~TestStore();
  TestStore(const TestStore &) = delete;
  TestStore &operator=(const TestStore &) = delete;

  const std::string &uri() const { return uri_; }
  const std::string &prefix() const { return prefix_; }
  // "memory" or "file" for the built-in stores, layered or not; "" for an external one.
  std::string builtin() const;
  // The scheme the store must report: the outermost layer's, or memory / file; "" for any.
  std::string expected_name() const;

 private:
  void wrap_in_layer();
  Kind kind_;
  std::string uri_;
  std::string dir_;     // file stores and layer options: the temp directory to remove
  std::string prefix_;  // external stores: this test's key prefix
};

// A fresh, unique directory under /tmp (not created).
std::string fresh_temp_dir();
// A process-unique suffix for store names.
std::string unique_suffix();

}  // namespace bdbtest
