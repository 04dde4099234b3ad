/* BucketDB from C: open a database on the embedded file driver, register a schema, write a
 * batch, read a document back and run a query.
 *
 *   quickstart [URI]        (default: file:./quickstart-db)
 */
#include <bucketdb/bucketdb.h>

#include <stdio.h>
#include <stdlib.h>

static int check(bdb_status st, const char *what) {
  if (st == BDB_OK) return 0;
  fprintf(stderr, "quickstart: %s failed: %s (%s)\n", what, bdb_errmsg(), bdb_status_str(st));
  return 1;
}
#define CHECK(call)             \
  do {                          \
    if (check((call), #call)) { \
      rc = 1;                   \
      goto done;                \
    }                           \
  } while (0)

static const char *kUsers =
    "{\"name\":\"users\",\"version\":1,"
    "\"fields\":{\"id\":{\"typeId\":10,\"maxLength\":36},\"name\":{\"typeId\":10,\"maxLength\":50},"
    "\"age\":{\"typeId\":1},\"active\":{\"typeId\":6},\"score\":{\"typeId\":7},"
    "\"created\":{\"typeId\":8}},"
    "\"primaryKey\":\"id\",\"indexes\":[\"name\"]}"; /* = examples/schemas/users.json */

int main(int argc, char **argv) {
  const char *uri = argc > 1 ? argv[1] : "file:./quickstart-db";
  int rc = 0;
  bdb_db *db = NULL;
  bdb_options *opts = NULL;
  bdb_batch *batch = NULL;
  bdb_doc *doc = NULL, *key = NULL;
  bdb_query *query = NULL;
  bdb_cursor *cursor = NULL;
  char *json = NULL;
  uint64_t seq = 0, n = 0;

  printf("BucketDB %s, database %s\n", bdb_version(), uri);
  /* createIfMissing: the first run creates the database; without it, opening a URI that holds
   * none is BDB_E_NOT_FOUND (a mistyped URI never makes a new, empty database). */
  CHECK(bdb_options_new(&opts));
  CHECK(bdb_options_set(opts, "createIfMissing", "1"));
  CHECK(bdb_open(uri, opts, &db));
  CHECK(bdb_schema_register_json(db, kUsers)); /* a no-op when already registered */

  /* One batch, one atomic commit: typed setters and JSON mix freely. */
  CHECK(bdb_batch_new(db, &batch));
  CHECK(bdb_doc_new(db, "users", &doc));
  CHECK(bdb_doc_set_string(doc, "id", "u1", 2));
  CHECK(bdb_doc_set_string(doc, "name", "Alice", 5));
  CHECK(bdb_doc_set_uint(doc, "age", 30));
  CHECK(bdb_doc_set_bool(doc, "active", 1));
  CHECK(bdb_batch_update(batch, doc));
  CHECK(bdb_batch_update_json(batch, "users", "{\"id\":\"u2\",\"name\":\"Bob\",\"age\":41}"));
  CHECK(bdb_batch_update_json(batch, "users", "{\"id\":\"u3\",\"name\":\"Carol\",\"age\":25}"));
  CHECK(bdb_batch_commit(batch, &seq));
  printf("committed 3 users as log entry %llu\n", (unsigned long long)seq);

  /* Read one back by primary key. */
  CHECK(bdb_key_doc_from_text(db, "users", "u1", &key));
  bdb_doc_free(doc);
  doc = NULL;
  CHECK(bdb_get(db, key, &doc));
  CHECK(bdb_doc_to_json(doc, &json));
  printf("get u1: %s\n", json);
  bdb_free(json);
  json = NULL;

  /* Query: users of 30 or more, oldest first. */
  CHECK(bdb_query_new(db, "users", &query));
  CHECK(bdb_query_where(query, "age", ">=", "30"));
  CHECK(bdb_query_order(query, "age", 1));
  CHECK(bdb_query_exec(query, &cursor));
  for (;;) {
    bdb_doc *row = NULL;
    CHECK(bdb_cursor_next(cursor, &row));
    if (!row) break;
    if (check(bdb_doc_to_json(row, &json), "bdb_doc_to_json")) {
      bdb_doc_free(row);
      rc = 1;
      goto done;
    }
    printf("  age >= 30: %s\n", json);
    bdb_free(json);
    json = NULL;
    bdb_doc_free(row);
  }
  CHECK(bdb_query_count(query, &n));
  printf("%llu users are 30 or older\n", (unsigned long long)n);

done:
  bdb_options_free(opts);
  bdb_free(json);
  bdb_cursor_free(cursor);
  bdb_query_free(query);
  bdb_doc_free(key);
  bdb_doc_free(doc);
  bdb_batch_free(batch);
  bdb_close(db);
  return rc;
}
