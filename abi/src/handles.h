// What the opaque handles of bucketdb.h hold. bdb_db is in lifetime.h with the rules that
// tie the others to it.
#pragma once

#include <memory>
#include <string>

#include "abi/src/lifetime.h"
#include "core/engine/database.h"

struct bdb_options {
  bucketdb::Options options;
};

// A document is a value: it holds its schema (shared), never the engine, so it stays valid
// after its database is closed.
struct bdb_doc {
  explicit bdb_doc(bucketdb::Document d) : doc(std::move(d)) {}
  bucketdb::Document doc;
};

struct bdb_batch : bucketdb::abi::Child {
  using Child::Child;
  bucketdb::Batch batch;
};

struct bdb_query : bucketdb::abi::Child {
  using Child::Child;
  bucketdb::QuerySpec spec;
};

struct bdb_cursor : bucketdb::abi::Child {
  using Child::Child;
  std::unique_ptr<bucketdb::Cursor> cursor;
};

namespace bucketdb::abi {
// A document holding only `table`'s primary key parsed from text (bdb_key_doc_from_text).
Document key_doc_from_text(Database &engine, const char *table, const char *key_text);
}  // namespace bucketdb::abi
