/* Whole-database work: drops, verify, export and import, and the progress callback. */
#include "helper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *kNotes =
    "{\"name\":\"notes\",\"version\":1,\"fields\":{\"id\":{\"typeId\":5},\"title\":{\"typeId\":10},"
    "\"body\":{\"typeId\":9},\"raw\":{\"typeId\":16},\"att\":{\"typeId\":11},"
    "\"f\":{\"typeId\":15}},\"primaryKey\":\"id\",\"indexes\":[\"title\"]}";
static const char *kNotesV2 =
    "{\"name\":\"notes\",\"version\":2,\"fields\":{\"id\":{\"typeId\":5},\"title\":{\"typeId\":10},"
    "\"body\":{\"typeId\":9},\"raw\":{\"typeId\":16},\"att\":{\"typeId\":11},"
    "\"f\":{\"typeId\":15},\"extra\":{\"typeId\":3}},\"primaryKey\":\"id\",\"indexes\":[\"title\"]"
    "}";
static const char *kTags =
    "{\"name\":\"tags\",\"version\":1,\"fields\":{\"tag\":{\"typeId\":10}},\"primaryKey\":\"tag\"}";

typedef struct progress_log {
  int merge, gc, verify, export_calls, import_calls;
} progress_log;

static void on_progress(void *ctx, const char *task, uint64_t done, uint64_t total) {
  progress_log *p = ctx;
  if (strncmp(task, "merge ", 6) == 0) p->merge++;
  if (strcmp(task, "gc") == 0) p->gc++;
  if (strcmp(task, "verify") == 0) p->verify++;
  if (strcmp(task, "export") == 0) p->export_calls++;
  if (strcmp(task, "import") == 0) p->import_calls++;
  assert_true(total == 0 || done <= total);
}

typedef struct fixture {
  h_dir dir;
  bdb_db *db;
  char *text;
  progress_log progress;
} fixture;

static bdb_db *open_with_progress(const char *uri, progress_log *log) {
  bdb_options *o = NULL;
  h_ok(bdb_options_new(&o));
  h_ok(bdb_options_set(o, "autoMerge", "0"));
  h_ok(bdb_options_set(o, "logLevel", "silent"));
  h_ok(bdb_options_set(o, "createIfMissing", "1"));
  h_ok(bdb_options_set(o, "gcGraceMs", "0"));
  h_ok(bdb_options_set_progress(o, on_progress, log));
  bdb_db *db = NULL;
  h_ok(bdb_open(uri, o, &db));
  bdb_options_free(o);
  return db;
}

static int setup(void **state) {
  static fixture f;
  memset(&f, 0, sizeof f);
  h_dir_make(&f.dir);
  char uri[400];
  snprintf(uri, sizeof uri, "%s/a", f.dir.uri);
  f.db = open_with_progress(uri, &f.progress);
  h_register(f.db, kNotes);
  h_register(f.db, kTags);
  h_register(f.db, kNotesV2);
  h_commit_json(
      f.db, "update", "notes",
      "{\"id\":-9223372036854775808,\"title\":\"caf\\u00e9\",\"body\":{\"a\":[1,2.5,null]},"
      "\"raw\":\"AP8=\",\"att\":{\"base64\":\"aGVsbG8=\"},\"f\":0.1,"
      "\"extra\":18446744073709551615}");
  h_commit_json(f.db, "update", "notes", "{\"id\":2,\"f\":\"NaN\"}");
  h_ok(bdb_db_merge(f.db, NULL));
  h_commit_json(f.db, "update", "notes", "{\"id\":3,\"title\":\"late\"}");
  h_commit_json(f.db, "update", "tags", "{\"tag\":\"x\"}");
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  bdb_free(f->text);
  bdb_close(f->db);
  h_dir_remove(&f->dir);
  return 0;
}

static char *read_file(const char *path) {
  FILE *in = fopen(path, "rb");
  assert_non_null(in);
  fseek(in, 0, SEEK_END);
  long n = ftell(in);
  fseek(in, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  assert_int_equal(fread(buf, 1, (size_t)n, in), (size_t)n);
  buf[n] = '\0';
  fclose(in);
  return buf;
}

static void write_file(const char *path, const char *text) {
  FILE *out = fopen(path, "wb");
  assert_non_null(out);
  fputs(text, out);
  fclose(out);
}

/* Export, import into a new database, export again: the same lines but the header's. */
static void export_import_round_trips(void **state) {
  fixture *f = *state;
  char first[400], second[400], uri[400];
  snprintf(first, sizeof first, "%s/one.ndjson", f->dir.path);
  snprintf(second, sizeof second, "%s/two.ndjson", f->dir.path);
  uint64_t rows = 0;
  h_ok(bdb_db_export(f->db, first, &rows));
  assert_int_equal(rows, 4);
  assert_true(f->progress.export_calls > 0);
  snprintf(uri, sizeof uri, "%s/b", f->dir.uri);
  progress_log log2;
  memset(&log2, 0, sizeof log2);
  bdb_db *copy = open_with_progress(uri, &log2);
  h_ok(bdb_db_import(copy, first, 2, 0, &rows));
  assert_int_equal(rows, 4);
  assert_true(log2.import_calls > 0);
  h_ok(bdb_db_export(copy, second, NULL));
  char *a = read_file(first), *b = read_file(second);
  assert_string_equal(strchr(a, '\n'), strchr(b, '\n'));
  h_assert_contains(a, "{\"schema\":{\"name\":\"notes\",\"version\":2");
  h_assert_contains(a, "\"att\":{\"base64\":\"aGVsbG8=\"}");
  h_assert_contains(a, "\"extra\":18446744073709551615");
  h_assert_contains(a, "\"f\":0.1,");
  h_assert_contains(a, "\"f\":\"NaN\"");
  free(a);
  free(b);
  /* Again: every key exists. With upsert, it replaces them. */
  h_expect_err(bdb_db_import(copy, first, 0, 0, &rows), BDB_E_EXISTS, "line",
               "nothing was imported", NULL);
  h_ok(bdb_db_import(copy, first, 0, BDB_IMPORT_UPSERT, &rows));
  assert_int_equal(rows, 4);
  h_expect_err(bdb_db_import(copy, first, 0, 0x80, &rows), BDB_E_INVALID,
               "bdb_db_import: unknown flags 128", NULL);
  bdb_close(copy);
}

/* Import errors name the line and how far it got. */
static void import_errors_name_the_line(void **state) {
  fixture *f = *state;
  char path[400], uri[400];
  snprintf(path, sizeof path, "%s/bad.ndjson", f->dir.path);
  snprintf(uri, sizeof uri, "%s/c", f->dir.uri);
  progress_log log;
  bdb_db *copy = open_with_progress(uri, &log);
  uint64_t rows = 0;
  write_file(path, "{\"table\":\"tags\",\"row\":{\"tag\":\"a\"}}\n");
  h_expect_err(bdb_db_import(copy, path, 1, 0, &rows), BDB_E_INVALID, "line 1",
               "not a BucketDB export", NULL);
  write_file(path,
             "{\"bucketdb\":\"export\",\"format\":1}\n"
             "{\"schema\":{\"name\":\"tags\",\"version\":1,\"fields\":{\"tag\":{\"typeId\":10}},"
             "\"primaryKey\":\"tag\"}}\n"
             "{\"table\":\"tags\",\"row\":{\"tag\":\"a\"}}\n"
             "\n"
             "{\"table\":\"tags\",\"row\":{\"tag\":\"b\",\"tag\":\"c\"}}\n");
  h_expect_err(bdb_db_import(copy, path, 1, 0, &rows), BDB_E_JSON, "line 5", "appears twice",
               "rows up to line 3 were imported", NULL);
  char *one = h_get_json(copy, "tags", "a");
  assert_non_null(one);
  bdb_free(one);
  snprintf(path, sizeof path, "%s/missing.ndjson", f->dir.path);
  h_expect_err(bdb_db_import(copy, path, 1, 0, &rows), BDB_E_IO, "missing.ndjson", NULL);
  bdb_close(copy);
}

static void drops_through_the_abi(void **state) {
  fixture *f = *state;
  h_expect_err(bdb_table_drop(f->db, "nope"), BDB_E_SCHEMA, "nope", NULL);
  h_expect_err(bdb_index_drop(f->db, "notes", "body"), BDB_E_SCHEMA, "no index on 'body'", NULL);
  h_ok(bdb_index_drop(f->db, "notes", "title"));
  h_ok(bdb_schema_list_json(f->db, &f->text));
  h_assert_contains(f->text, "\"version\":3");
  h_ok(bdb_table_drop(f->db, "tags"));
  char *row = NULL;
  h_expect_err(bdb_get_json(f->db, "tags", "x", &row), BDB_E_SCHEMA, "tags", NULL);
  h_register(f->db, kTags);
  assert_null(h_get_json(f->db, "tags", "x"));
}

/* verify on a sound database: ok, every kind of object checked; progress reported. */
static void verify_reports_what_it_checked(void **state) {
  fixture *f = *state;
  h_ok(bdb_db_verify(f->db, &f->text));
  h_assert_contains(f->text, "\"ok\":true");
  h_assert_contains(f->text, "\"data block\":");
  h_assert_contains(f->text, "\"index node\":");
  h_assert_contains(f->text, "\"blob\":1");
  h_assert_contains(f->text, "\"damaged\":[]");
  assert_true(f->progress.verify > 0);
  uint64_t deleted = 0;
  h_ok(bdb_db_merge(f->db, NULL));
  assert_true(f->progress.merge > 0); /* it rewrote blocks the first merge wrote */
  h_ok(bdb_db_gc(f->db, &deleted));
  assert_true(deleted > 0);
  assert_true(f->progress.gc > 0);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(export_import_round_trips),
      T(import_errors_name_the_line),
      T(drops_through_the_abi),
      T(verify_reports_what_it_checked),
  };
#undef T
  return cmocka_run_group_tests_name("abi.transfer", tests, NULL, NULL);
}
