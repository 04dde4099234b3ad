/* The Node benchmark's workload (bench.js) through the C ABI alone, as a C program would run
 * it: the same rows, batches, gets and queries, each value set and read through the typed
 * accessors. Prints one JSON object of rates per second.
 *   bucketdb-node-bench-c ROWS GETS QUERIES
 * Row i: id "u%08d", name "n%06d" (i / 10: ten rows a name), age i % 100, active i % 2,
 * score i * 0.5, created 1700000000000 + i. Get g reads row (g * 7919 + 13) % ROWS, query q
 * the name (q * 7919 + 13) % (ROWS / 10). */
#include <bucketdb/bucketdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *kSchema =
    "{\"name\":\"users\",\"version\":1,\"primaryKey\":\"id\",\"indexes\":[\"name\"],"
    "\"fields\":{\"id\":{\"typeId\":10,\"maxLength\":16},\"name\":{\"typeId\":10,\"maxLength\":16},"
    "\"age\":{\"typeId\":1},\"active\":{\"typeId\":6},\"score\":{\"typeId\":7},"
    "\"created\":{\"typeId\":8}}}";

static void ok(bdb_status st, const char *what) {
  if (st == BDB_OK) return;
  fprintf(stderr, "%s: %s\n", what, bdb_errmsg());
  exit(1);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads every field of a row, as a binding converting it to its own values does. */
static unsigned long read_row(const bdb_doc *d) {
  const char *s;
  size_t n, total = 0;
  uint64_t u;
  int b;
  double f;
  int64_t t;
  if (bdb_doc_get_string(d, "id", &s, &n) == BDB_OK) total += n;
  if (bdb_doc_get_string(d, "name", &s, &n) == BDB_OK) total += n;
  if (bdb_doc_get_uint(d, "age", &u) == BDB_OK) total += u;
  if (bdb_doc_get_bool(d, "active", &b) == BDB_OK) total += (size_t)b;
  if (bdb_doc_get_double(d, "score", &f) == BDB_OK) total += (size_t)f;
  if (bdb_doc_get_int(d, "created", &t) == BDB_OK) total += (size_t)(t & 1);
  return (unsigned long)total;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s ROWS GETS QUERIES\n", argv[0]);
    return 2;
  }
  long rows = atol(argv[1]), gets = atol(argv[2]), queries = atol(argv[3]);
  bdb_options *o;
  ok(bdb_options_new(&o), "options");
  ok(bdb_options_set(o, "maxMemoryBytes", "1073741824"), "options");
  ok(bdb_options_set(o, "logLevel", "warn"), "options");
  ok(bdb_options_set(o, "createIfMissing", "1"), "options");
  bdb_db *db;
  ok(bdb_open("memory:", o, &db), "open");
  bdb_options_free(o);
  ok(bdb_schema_register_json(db, kSchema), "schema");
  char id[32], name[32];

  double t0 = now();
  for (long i = 0; i < rows;) {
    bdb_batch *b;
    ok(bdb_batch_new(db, &b), "batch");
    for (long j = 0; j < 1000 && i < rows; j++, i++) {
      bdb_doc *d;
      ok(bdb_doc_new(db, "users", &d), "doc");
      snprintf(id, sizeof id, "u%08ld", i);
      snprintf(name, sizeof name, "n%06ld", i / 10);
      ok(bdb_doc_set_string(d, "id", id, strlen(id)), "id");
      ok(bdb_doc_set_string(d, "name", name, strlen(name)), "name");
      ok(bdb_doc_set_int(d, "age", i % 100), "age");
      ok(bdb_doc_set_bool(d, "active", (int)(i % 2)), "active");
      ok(bdb_doc_set_double(d, "score", (double)i * 0.5), "score");
      ok(bdb_doc_set_int(d, "created", 1700000000000 + i), "created");
      ok(bdb_batch_insert(b, d), "insert");
      bdb_doc_free(d);
    }
    ok(bdb_batch_commit(b, NULL), "commit");
    bdb_batch_free(b);
  }
  double insert = (double)rows / (now() - t0);
  ok(bdb_db_merge(db, NULL), "merge");

  unsigned long sink = 0;
  t0 = now();
  for (long g = 0; g < gets; g++) {
    snprintf(id, sizeof id, "\"u%08ld\"", (g * 7919 + 13) % rows);
    bdb_doc *k, *d;
    ok(bdb_key_doc_from_text(db, "users", id, &k), "key");
    ok(bdb_get(db, k, &d), "get");
    sink += read_row(d);
    bdb_doc_free(d);
    bdb_doc_free(k);
  }
  double get = (double)gets / (now() - t0);

  t0 = now();
  for (long q = 0; q < queries; q++) {
    snprintf(name, sizeof name, "\"n%06ld\"", (q * 7919 + 13) % (rows / 10));
    bdb_query *qy;
    bdb_cursor *c;
    bdb_doc *d;
    ok(bdb_query_new(db, "users", &qy), "query");
    ok(bdb_query_where(qy, "name", "=", name), "where");
    ok(bdb_query_exec(qy, &c), "exec");
    while (bdb_cursor_next(c, &d) == BDB_OK && d) {
      sink += read_row(d);
      bdb_doc_free(d);
    }
    bdb_cursor_free(c);
    bdb_query_free(qy);
  }
  double query = (double)queries / (now() - t0);
  bdb_close(db);
  printf("{\"insert\":%.0f,\"get\":%.0f,\"query\":%.0f,\"sink\":%lu}\n", insert, get, query,
         sink % 10);
  return 0;
}
