// What the C++ test suites share (unit, layers, driver, s3): the error an engine call fails with.
#pragma once

#include <gtest/gtest.h>

#include <utility>

#include "core/util/error.h"

namespace bucketdb::test {

// Runs fn, which must throw bucketdb::Error; returns it (a test failure, and BDB_OK, if
// nothing is thrown).
template <typename Fn>
Error error_of(Fn &&fn) {
  try {
    std::forward<Fn>(fn)();
  } catch (const Error &e) {
    return e;
  }
  ADD_FAILURE() << "expected a bucketdb::Error";
  return Error(BDB_OK, "");
}

// The status an engine call fails with (BDB_OK when it does not fail).
template <typename Fn>
bdb_status status_of(Fn &&fn) {
  try {
    std::forward<Fn>(fn)();
  } catch (const Error &e) {
    return e.status();
  }
  return BDB_OK;
}

}  // namespace bucketdb::test
