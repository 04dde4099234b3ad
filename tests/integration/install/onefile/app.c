/* install.onefile: a program built outside the tree against the one-file install, shared
 * (BucketDB::bucketdb, pkg-config) or static (-DAPP_STATIC: BucketDB::bucketdb_static,
 * pkg-config --static). It commits a row through each URI given, reads it back and prints the
 * driver that served it; run with no plugin anywhere, so the library's own drivers do.
 *   app URI... */
#include <bucketdb/bucketdb.h>

#include <stdio.h>
#include <string.h>

static int failed(const char *what, const char *uri) {
  fprintf(stderr, "app: %s on %s: %s\n", what, uri, bdb_errmsg());
  return 1;
}

static int commit_and_read(const char *uri) {
  bdb_options *opts = NULL;
  bdb_db *db = NULL;
  bdb_batch *batch = NULL;
  char *row = NULL, *stats = NULL;
  int rc = 0;
  if (bdb_options_new(&opts) != BDB_OK || bdb_options_set(opts, "createIfMissing", "1") != BDB_OK)
    return failed("options", uri);
  bdb_status st = bdb_open(uri, opts, &db);
  bdb_options_free(opts);
  if (st != BDB_OK) return failed("open", uri);
  if (bdb_schema_register_json(db,
                               "{\"name\":\"kv\",\"version\":1,\"primaryKey\":\"k\","
                               "\"fields\":{\"k\":{\"typeId\":10},\"v\":{\"typeId\":10}}}") !=
          BDB_OK ||
      bdb_batch_new(db, &batch) != BDB_OK ||
      bdb_batch_insert_json(batch, "kv", "{\"k\":\"a\",\"v\":\"one file\"}") != BDB_OK ||
      bdb_batch_commit(batch, NULL) != BDB_OK || bdb_get_json(db, "kv", "a", &row) != BDB_OK ||
      bdb_db_stats_json(db, &stats) != BDB_OK) {
    rc = failed("commit and read", uri);
  } else {
    const char *driver = strstr(stats, "\"driver\":");
    printf("%s: %s, %.*s\n", uri, row, driver ? (int)strcspn(driver, ",}") : 0, driver);
  }
  bdb_free(row);
  bdb_free(stats);
  bdb_batch_free(batch);
  if (bdb_db_close(db) != BDB_OK && rc == 0) rc = failed("close", uri);
  return rc;
}

int main(int argc, char **argv) {
#ifdef APP_STATIC
  /* The linker keeps of the archive only what is referred to: this brings the drivers in. */
  if (bdb_register_builtin_drivers() != BDB_OK) return failed("register the built-in drivers", "-");
#endif
  for (int i = 1; i < argc; i++)
    if (commit_and_read(argv[i])) return 1;
  return 0;
}
