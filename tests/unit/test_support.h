// Helpers shared by the unit tests: fresh stores and schemas (and, from tests/support, what
// every C++ suite shares: TempDir, error_of, status_of).
#pragma once

#include <memory>
#include <string>

#include "core/engine/database.h"
#include "core/util/error.h"
#include "tests/support/error_of.h"  // error_of, status_of
#include "tests/support/temp_dir.h"

namespace bucketdb::test {

// "memory:<unique>" so that several handles in this process can share one store.
std::string fresh_memory_uri();

// A place for one test's database: a URI and a dbPrefix of its own. kind is "memory", "file"
// (under dir), "crypt:compress:file" (the layered drivers over a file store under dir) or
// "s3" (BDB_TEST_S3_URI; empty uri when unset).
struct Store {
  std::string uri;
  std::string prefix = "main";
};
Store fresh_store(const std::string &kind, const TempDir &dir);

Options quiet_options();  // autoMerge off, log silent, createIfMissing

std::unique_ptr<Database> open_db(const std::string &uri, const Options &o = quiet_options());

// Decodes every object under PREFIX/ by its kind (Block 0, log entries, manifest pages, data
// blocks of `table`, the contention hint), so each passes its checksum; an object of no known
// kind is a test failure. Returns how many were read.
size_t check_every_object(Database &db, const std::string &prefix, const std::string &table);

extern const char *kUsersSchema;  // id varchar PK, name varchar, age uint8, score float64, ...

}  // namespace bucketdb::test
