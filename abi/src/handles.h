// What the opaque handles of bucketdb.h hold.
#pragma once

#include <memory>
#include <string>

#include "core/engine/database.h"

struct bdb_options {
  bucketdb::Options options;
};

struct bdb_db {
  std::unique_ptr<bucketdb::Database> engine;
};

struct bdb_doc {
  explicit bdb_doc(bucketdb::Document d) : doc(std::move(d)) {}
  bucketdb::Document doc;
};

struct bdb_batch {
  bdb_db *db;
  bucketdb::Batch batch;
};

struct bdb_query {
  bdb_db *db;
  bucketdb::QuerySpec spec;
};

struct bdb_cursor {
  std::unique_ptr<bucketdb::Cursor> cursor;
};
