/* Persistence through the ABI on file:<dir>: reopen with new handles, before and after a
 * merge; another process writing; damaged objects reported, not trusted. */
#include "helper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

static const char *kDocs =
    "{\"name\":\"docs\",\"version\":1,\"fields\":{\"id\":{\"typeId\":3},\"title\":{\"typeId\":10,"
    "\"maxLength\":40},\"score\":{\"typeId\":7},\"when\":{\"typeId\":8},\"meta\":{\"typeId\":9},"
    "\"raw\":{\"typeId\":16},\"file\":{\"typeId\":11},\"ok\":{\"typeId\":6}},\"primaryKey\":\"id\","
    "\"indexes\":[\"when\"]}";

#define NROWS 40

typedef struct fixture {
  h_dir dir;
  bdb_db *db;
  char *rows[NROWS]; /* JSON of each row as first read */
  char blob_id[37];
} fixture;

static int setup(void **state) {
  static fixture f;
  memset(&f, 0, sizeof f);
  h_dir_make(&f.dir);
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  bdb_close(f->db);
  for (int i = 0; i < NROWS; i++) bdb_free(f->rows[i]);
  h_dir_remove(&f->dir);
  memset(f, 0, sizeof *f);
  return 0;
}

static void write_rows(fixture *f) {
  f->db = h_open(f->dir.uri, NULL);
  h_register(f->db, kDocs);
  bdb_batch *b = NULL;
  h_ok(bdb_batch_new(f->db, &b));
  for (int i = 0; i < NROWS; i++) {
    char json[256];
    snprintf(json, sizeof json,
             "{\"id\":%llu,\"title\":\"t\xc3\xaftle %d\",\"score\":%d.25,\"when\":%lld,"
             "\"meta\":{\"i\":%d},\"raw\":\"AAE=\",\"ok\":%s}",
             (unsigned long long)(i == 0 ? UINT64_MAX : (uint64_t)i * 1000), i, i,
             (long long)(i % 2 ? -1000LL * i : 1700000000000LL + i), i, i % 3 ? "true" : "false");
    h_ok(bdb_batch_insert_json(b, "docs", json));
    if (i % 10 == 9) h_ok(bdb_batch_commit(b, NULL));
  }
  /* One row with a blob. */
  bdb_doc *d = NULL;
  h_ok(bdb_key_doc_from_text(f->db, "docs", "1000", &d));
  h_ok(bdb_doc_set_blob(d, "file", "persisted\0bytes", 15));
  h_ok(bdb_doc_get_blob_id(d, "file", f->blob_id));
  h_ok(bdb_batch_patch(b, d));
  bdb_doc_free(d);
  h_ok(bdb_batch_commit(b, NULL));
  bdb_batch_free(b);
}

static char *row_json(bdb_db *db, int i) {
  char key[32];
  snprintf(key, sizeof key, "%llu", (unsigned long long)(i == 0 ? UINT64_MAX : (uint64_t)i * 1000));
  char *j = h_get_json(db, "docs", key);
  if (!j) fail_msg("row %s is missing", key);
  return j;
}

/* Every row reads back exactly as it was first read; so do the schemas and the blob. */
static void check_same(fixture *f, const char *when) {
  for (int i = 0; i < NROWS; i++) {
    char *j = row_json(f->db, i);
    int same = strcmp(j, f->rows[i]) == 0;
    if (!same) {
      char copy[512];
      snprintf(copy, sizeof copy, "%s", j);
      bdb_free(j);
      fail_msg("%s: row %d differs:\n  now    %s\n  before %s", when, i, copy, f->rows[i]);
    }
    bdb_free(j);
  }
  bdb_query *q = NULL;
  uint64_t n = 0;
  h_ok(bdb_query_new(f->db, "docs", &q));
  h_ok(bdb_query_where(q, "when", "<", "0"));
  bdb_status st = bdb_query_count(q, &n);
  bdb_query_free(q);
  h_ok(st);
  assert_int_equal(n, NROWS / 2);
  void *data = NULL;
  size_t len = 0;
  h_ok(bdb_blob_read(f->db, f->blob_id, &data, &len));
  int ok = len == 15 && memcmp(data, "persisted\0bytes", 15) == 0;
  bdb_free(data);
  assert_true(ok);
}

static void reopen_reads_identical_json(void **state) {
  fixture *f = *state;
  write_rows(f);
  for (int i = 0; i < NROWS; i++) f->rows[i] = row_json(f->db, i);
  h_assert_contains(f->rows[0], "\"id\":18446744073709551615");
  h_assert_contains(f->rows[1], "\"file\":\"");
  char *schemas = NULL;
  h_ok(bdb_schema_list_json(f->db, &schemas));
  bdb_close(f->db);
  f->db = NULL;

  /* Reopen: everything comes from the log. */
  f->db = h_open(f->dir.uri, NULL);
  check_same(f, "after reopen");
  char *schemas2 = NULL;
  h_ok(bdb_schema_list_json(f->db, &schemas2));
  int same = strcmp(schemas, schemas2) == 0;
  bdb_free(schemas2);
  bdb_free(schemas);
  assert_true(same);
  uint64_t merged = 0;
  h_ok(bdb_db_merge(f->db, &merged));
  assert_int_equal(merged, 6); /* schema, four batches, the blob patch */
  check_same(f, "after merge");
  bdb_close(f->db);
  f->db = NULL;

  /* Reopen after the merge: everything comes from blocks. */
  f->db = h_open(f->dir.uri, NULL);
  check_same(f, "after merge and reopen");
  char *stats = NULL;
  h_ok(bdb_db_stats_json(f->db, &stats));
  h_assert_contains(stats, "\"mergedRows\":40");
  h_assert_contains(stats, "\"unmergedRows\":0");
  bdb_free(stats);
  /* New writes go on after the merged position. */
  uint64_t seq = h_commit_json(f->db, "insert", "docs", "{\"id\":5}");
  assert_int_equal(seq, 7);
  bdb_close(f->db);
  f->db = h_open(f->dir.uri, NULL);
  h_assert_row(f->db, "docs", "5", "{\"id\":5}");
  /* And after garbage collection of the merged log. */
  bdb_close(f->db);
  f->db = h_open(f->dir.uri, "gcGraceMs", "0", NULL);
  h_ok(bdb_db_merge(f->db, &merged));
  uint64_t deleted = 0;
  h_ok(bdb_db_gc(f->db, &deleted));
  assert_true(deleted >= 7);
  bdb_close(f->db);
  f->db = h_open(f->dir.uri, NULL);
  check_same(f, "after gc and reopen");
}

/* A child process writes to the directory while the parent holds it open; the parent then
 * reads what the child wrote and writes after it. */
typedef struct child_args {
  const char *uri;
} child_args;

static int child_writer(void *arg) {
  const child_args *a = arg;
  bdb_options *o = NULL;
  bdb_db *db = NULL;
  bdb_batch *b = NULL;
  if (bdb_options_new(&o) || bdb_options_set(o, "autoMerge", "0") ||
      bdb_options_set(o, "logLevel", "silent") || bdb_open(a->uri, o, &db))
    return 10;
  bdb_options_free(o);
  if (bdb_batch_new(db, &b)) return 11;
  if (bdb_batch_insert_json(b, "docs", "{\"id\":2,\"title\":\"from child\"}")) return 12;
  if (bdb_batch_patch_json(b, "docs", "{\"id\":1,\"score\":2.5}")) return 13;
  uint64_t seq = 0;
  if (bdb_batch_commit(b, &seq)) return 14;
  if (seq != 3) return 15; /* schema 1, parent's insert 2 */
  /* The child also sees the parent's write. */
  char *j = NULL;
  if (bdb_get_json(db, "docs", "1", &j)) return 16;
  int ok = strcmp(j, "{\"id\":1,\"title\":\"parent\",\"score\":2.5}") == 0;
  bdb_free(j);
  if (!ok) return 17;
  bdb_batch_free(b);
  bdb_close(db);
  return 0;
}

static void child_process_writes_parent_reads(void **state) {
  fixture *f = *state;
  f->db = h_open(f->dir.uri, "readStalenessMs", "0", NULL);
  h_register(f->db, kDocs);
  h_commit_json(f->db, "insert", "docs", "{\"id\":1,\"title\":\"parent\"}");
  child_args a = {f->dir.uri};
  int rc = h_run_isolated(child_writer, &a);
  if (rc != 0) fail_msg("the child process failed with code %d", rc);
  h_assert_row(f->db, "docs", "2", "{\"id\":2,\"title\":\"from child\"}");
  h_assert_row(f->db, "docs", "1", "{\"id\":1,\"title\":\"parent\",\"score\":2.5}");
  /* The parent's next commit goes after the child's. */
  assert_int_equal(h_commit_json(f->db, "insert", "docs", "{\"id\":3}"), 4);
  /* A stale expectation from before the child's write conflicts. */
  bdb_batch *b = NULL;
  h_ok(bdb_batch_new(f->db, &b));
  h_ok(bdb_batch_patch_json(b, "docs", "{\"id\":1,\"title\":\"late\"}"));
  h_ok(bdb_batch_expect_version(b, 2));
  bdb_status st = bdb_batch_commit(b, NULL);
  bdb_batch_free(b);
  h_expect_err(st, BDB_E_CONFLICT, "docs", NULL);
}

/* Damaged objects give BDB_E_CORRUPT naming the key; they are never trusted. */
static void damaged_log_entry_is_corrupt(void **state) {
  fixture *f = *state;
  f->db = h_open(f->dir.uri, NULL);
  h_register(f->db, kDocs);
  h_commit_json(f->db, "insert", "docs", "{\"id\":1,\"title\":\"x\"}");
  bdb_close(f->db);
  f->db = NULL;
  /* Flip one byte in the middle of committed/...2. */
  char path[400];
  snprintf(path, sizeof path, "%s/main/committed/00000000000000000002", f->dir.path);
  FILE *fp = fopen(path, "r+b");
  if (!fp) fail_msg("cannot open %s: the file driver keeps keys as paths", path);
  fseek(fp, 0, SEEK_END);
  long size = ftell(fp);
  assert_true(size > 8);
  fseek(fp, size / 2, SEEK_SET);
  int c = fgetc(fp);
  fseek(fp, size / 2, SEEK_SET);
  fputc(c ^ 0x5a, fp);
  fclose(fp);
  bdb_options *o = NULL;
  h_ok(bdb_options_new(&o));
  h_ok(bdb_options_set(o, "autoMerge", "0"));
  h_ok(bdb_options_set(o, "logLevel", "silent"));
  bdb_db *db = (bdb_db *)1;
  bdb_status st = bdb_open(f->dir.uri, o, &db);
  bdb_options_free(o);
  h_expect_err(st, BDB_E_CORRUPT, "committed/00000000000000000002", NULL);
  assert_null(db);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(reopen_reads_identical_json),
      T(child_process_writes_parent_reads),
      T(damaged_log_entry_is_corrupt),
  };
#undef T
  return cmocka_run_group_tests_name("abi.persist", tests, NULL, NULL);
}
