// bdb_options_*, bdb_open/close, schemas, maintenance and introspection.
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "abi/src/abi_guard.h"
#include "abi/src/handles.h"
#include "core/engine/recover.h"

using bucketdb::abi::DbCall;
using bucketdb::abi::dup_for_caller;
using bucketdb::abi::guard;

extern "C" {

bdb_status bdb_options_new(bdb_options **out) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    *out = new bdb_options();
  });
}

bdb_status bdb_options_set(bdb_options *opts, const char *name, const char *value) {
  return guard(__func__, [&] {
    BDB_REQUIRE(opts);
    BDB_REQUIRE(name);
    BDB_REQUIRE(value);
    opts->options.set(name, value);
  });
}

bdb_status bdb_options_set_logger(bdb_options *opts, bdb_log_fn fn, void *ctx) {
  return guard(__func__, [&] {
    BDB_REQUIRE(opts);
    if (!fn) {
      opts->options.log_sink = nullptr;
      return;
    }
    opts->options.log_sink = [fn, ctx](bucketdb::LogLevel level, const char *subsystem,
                                       const char *message) {
      fn(ctx, static_cast<int>(level), subsystem, message);
    };
  });
}

bdb_status bdb_options_set_progress(bdb_options *opts, bdb_progress_fn fn, void *ctx) {
  return guard(__func__, [&] {
    BDB_REQUIRE(opts);
    if (!fn) {
      opts->options.progress_sink = nullptr;
      return;
    }
    opts->options.progress_sink = [fn, ctx](const char *task, uint64_t done, uint64_t total) {
      fn(ctx, task, done, total);
    };
  });
}

void bdb_options_free(bdb_options *opts) {
  delete opts;
}

bdb_status bdb_open(const char *uri, const bdb_options *opts, bdb_db **out) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out);
    *out = nullptr;
    std::string target = uri ? uri : "";
    if (target.empty()) {
      // As in the Node.js library: BUCKETDB_S3_BUCKET makes S3 the default.
      const char *bucket = std::getenv("BUCKETDB_S3_BUCKET");
      if (!bucket || !*bucket)
        bucketdb::fail(BDB_E_URI, "bdb_open: no URI given and BUCKETDB_S3_BUCKET is not set");
      target = std::string("s3://") + bucket;
    }
    bucketdb::Options o = opts ? opts->options : bucketdb::Options();
    *out = new bdb_db(bucketdb::Database::open(target, o));
  });
}

}  // extern "C"

namespace {

// bdb_db_close and bdb_close; the void form logs a failed merge at close instead.
bdb_status close_db(bdb_db *db, const char *call, bool log_failure) {
  if (!db) return BDB_OK;
  db->gate.lock();
  if (db->closed) {
    db->gate.unlock();
    return guard(call, [&] {
      bucketdb::fail(BDB_E_INVALID, std::string(call) + ": the database is already closed");
    });
  }
  db->closed = true;
  bdb_status st = guard(call, [&] {
    try {
      db->engine->close();
    } catch (const bucketdb::Error &e) {
      if (log_failure)
        db->engine->options().logger().log(bucketdb::LogLevel::kError, "merge",
                                           std::string("merge at close failed: ") + e.what());
      bucketdb::fail(e.status(), std::string(call) + ": merge at close failed: " + e.what());
    }
  });
  db->gate.unlock();
  bucketdb::abi::release(db);
  return st;
}

}  // namespace

extern "C" {

bdb_status bdb_db_close(bdb_db *db) {
  return close_db(db, __func__, false);
}

void bdb_close(bdb_db *db) {
  (void)close_db(db, __func__, true);
}

bdb_status bdb_db_interrupt(bdb_db *db) {
  return guard(__func__, [&] {
    BDB_REQUIRE(db);
    // No gate: a close waiting for the calls this stops must not hold it up.
    db->engine->interrupt();
  });
}

bdb_status bdb_schema_register_json(bdb_db *db, const char *json) {
  return guard(__func__, [&] {
    DbCall in(db);
    BDB_REQUIRE(json);
    in.engine().register_schema(json);
  });
}

bdb_status bdb_schema_register_json_v2(bdb_db *db, const char *json, unsigned flags) {
  return guard(__func__, [&] {
    DbCall in(db);
    BDB_REQUIRE(json);
    if (flags & ~static_cast<unsigned>(BDB_SCHEMA_ALLOW_LOSSY))
      bucketdb::fail(BDB_E_INVALID,
                     std::string("bdb_schema_register_json_v2: unknown flags ") +
                         std::to_string(flags & ~static_cast<unsigned>(BDB_SCHEMA_ALLOW_LOSSY)));
    in.engine().register_schema(json, (flags & BDB_SCHEMA_ALLOW_LOSSY) != 0);
  });
}

bdb_status bdb_schema_list_json(bdb_db *db, char **out_json) {
  return guard(__func__, [&] {
    DbCall in(db);
    BDB_REQUIRE(out_json);
    *out_json = dup_for_caller(in.engine().schemas_json());
  });
}

bdb_status bdb_table_drop(bdb_db *db, const char *table) {
  return guard(__func__, [&] {
    DbCall in(db);
    BDB_REQUIRE(table);
    in.engine().drop_table(table);
  });
}

bdb_status bdb_index_drop(bdb_db *db, const char *table, const char *field) {
  return guard(__func__, [&] {
    DbCall in(db);
    BDB_REQUIRE(table);
    BDB_REQUIRE(field);
    in.engine().drop_index(table, field);
  });
}

bdb_status bdb_db_verify(bdb_db *db, char **out_report) {
  return guard(__func__, [&] {
    BDB_REQUIRE(out_report);
    *out_report = nullptr;
    DbCall in(db);
    *out_report = dup_for_caller(in.engine().verify_json());
  });
}

bdb_status bdb_db_export(bdb_db *db, const char *path, uint64_t *out_rows) {
  return guard(__func__, [&] {
    DbCall in(db);
    BDB_REQUIRE(path);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
      bucketdb::fail(BDB_E_IO, std::string("bdb_db_export: cannot write ") + path + ": " +
                                   std::strerror(errno));
    uint64_t rows = in.engine().export_ndjson(out);
    out.close();
    if (!out)
      bucketdb::fail(BDB_E_IO, std::string("bdb_db_export: writing ") + path +
                                   " failed: " + std::strerror(errno));
    if (out_rows) *out_rows = rows;
  });
}

bdb_status bdb_db_import(bdb_db *db, const char *path, uint64_t batch_rows, unsigned flags,
                         uint64_t *out_rows) {
  uint64_t rows = 0;
  bdb_status st = guard(__func__, [&] {
    DbCall in(db);
    BDB_REQUIRE(path);
    if (flags & ~static_cast<unsigned>(BDB_IMPORT_UPSERT))
      bucketdb::fail(BDB_E_INVALID,
                     "bdb_db_import: unknown flags " + std::to_string(flags & ~BDB_IMPORT_UPSERT));
    std::ifstream file(path, std::ios::binary);
    if (!file)
      bucketdb::fail(BDB_E_IO, std::string("bdb_db_import: cannot read ") + path + ": " +
                                   std::strerror(errno));
    rows = in.engine().import_ndjson(file, path, batch_rows, (flags & BDB_IMPORT_UPSERT) != 0);
  });
  if (out_rows) *out_rows = rows;
  return st;
}

bdb_status bdb_blob_read(bdb_db *db, const char *blob_id, void **out_data, size_t *out_len) {
  return guard(__func__, [&] {
    DbCall in(db);
    BDB_REQUIRE(blob_id);
    BDB_REQUIRE(out_data);
    BDB_REQUIRE(out_len);
    std::string bytes = in.engine().read_blob(blob_id);
    *out_data = dup_for_caller(bytes);
    *out_len = bytes.size();
  });
}

bdb_status bdb_db_merge(bdb_db *db, uint64_t *out_merged) {
  return guard(__func__, [&] {
    DbCall in(db);
    uint64_t n = in.engine().merge(false);
    if (out_merged) *out_merged = n;
  });
}

bdb_status bdb_db_gc(bdb_db *db, uint64_t *out_deleted) {
  return guard(__func__, [&] {
    DbCall in(db);
    uint64_t n = in.engine().gc();
    if (out_deleted) *out_deleted = n;
  });
}

bdb_status bdb_db_inspect_json(bdb_db *db, const char *what, char **out_json) {
  return guard(__func__, [&] {
    DbCall in(db);
    BDB_REQUIRE(what);
    BDB_REQUIRE(out_json);
    *out_json = dup_for_caller(in.engine().inspect_json(what));
  });
}

bdb_status bdb_db_stats_json(bdb_db *db, char **out_json) {
  return guard(__func__, [&] {
    DbCall in(db);
    BDB_REQUIRE(out_json);
    *out_json = dup_for_caller(in.engine().stats_json());
  });
}

bdb_status bdb_recover(const char *uri, const bdb_options *opts, const char *schemas_json,
                       unsigned flags, char **out_report) {
  return guard(__func__, [&] {
    BDB_REQUIRE(uri);
    BDB_REQUIRE(out_report);
    *out_report = nullptr;
    const unsigned known = BDB_RECOVER_WRITE | BDB_RECOVER_ACCEPT_LOST_ENTRIES;  // NOLINT
    if (flags & ~known)
      bucketdb::fail(BDB_E_INVALID, "bdb_recover: unknown flags " + std::to_string(flags & ~known));
    bucketdb::RecoverRequest req;
    req.uri = uri;
    if (opts) req.options = opts->options;
    req.schemas_json = schemas_json ? schemas_json : "";
    req.write = (flags & BDB_RECOVER_WRITE) != 0;
    req.accept_lost_entries = (flags & BDB_RECOVER_ACCEPT_LOST_ENTRIES) != 0;
    *out_report = dup_for_caller(bucketdb::recover_database(req));
  });
}

bdb_status bdb_db_refresh(bdb_db *db) {
  return guard(__func__, [&] {
    DbCall in(db);
    in.engine().refresh();
  });
}

}  // extern "C"
