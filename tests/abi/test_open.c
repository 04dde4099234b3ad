/* Library-wide calls, options and bdb_open/bdb_close. */
#include "helper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *kUsers =
    "{\"name\":\"users\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10,\"maxLength\":36},"
    "\"age\":{\"typeId\":1}},\"primaryKey\":\"id\"}";

/* ---- library ------------------------------------------------------------------------------ */

static void versions_agree(void **state) {
  (void)state;
  assert_int_equal(bdb_abi_version(), BDB_ABI_VERSION);
  assert_int_equal(BDB_ABI_VERSION, 1);
  assert_non_null(bdb_version());
  assert_string_equal(bdb_version(), BDB_VERSION_STRING);
  /* "major.minor.patch" with the ABI version as major (0 before 1.0 is fine too). */
  int major = -1, minor = -1, patch = -1;
  assert_int_equal(sscanf(bdb_version(), "%d.%d.%d", &major, &minor, &patch), 3);
  assert_true(major >= 0 && minor >= 0 && patch >= 0);
}

static void status_strings(void **state) {
  (void)state;
  static const struct {
    int code;
    const char *text;
  } kWant[] = {
      {BDB_OK, "ok"},
      {BDB_E_NOT_FOUND, "not found"},
      {BDB_E_INVALID, "invalid argument"},
      {BDB_E_SCHEMA, "schema error"},
      {BDB_E_TYPE, "type error"},
      {BDB_E_JSON, "malformed JSON"},
      {BDB_E_EXISTS, "already exists"},
      {BDB_E_CONFLICT, "conflict"},
      {BDB_E_CORRUPT, "corrupt"},
      {BDB_E_IO, "storage error"},
      {BDB_E_PERMISSION, "permission denied"},
      {BDB_E_URI, "bad URI or driver"},
      {BDB_E_NOMEM, "out of memory"},
      {BDB_E_NO_SPACE, "storage full"},
      {BDB_E_BUSY, "busy"},
      {BDB_E_INTERNAL, "internal error"},
      {BDB_E_INTERRUPTED, "interrupted"},
  };
  for (size_t i = 0; i < sizeof kWant / sizeof kWant[0]; i++) {
    assert_int_equal(kWant[i].code, (int)i); /* codes are dense 0..16 */
    assert_string_equal(bdb_status_str(kWant[i].code), kWant[i].text);
  }
  /* Every known code has its own text. */
  for (int a = 0; a <= BDB_E_INTERRUPTED; a++)
    for (int b = a + 1; b <= BDB_E_INTERRUPTED; b++)
      assert_string_not_equal(bdb_status_str(a), bdb_status_str(b));
  assert_string_equal(bdb_status_str(17), "unknown status");
  assert_string_equal(bdb_status_str(-1), "unknown status");
  assert_string_equal(bdb_status_str(1 << 30), "unknown status");
}

static void errmsg_names_what_failed(void **state) {
  (void)state;
  char uri[64];
  h_memory_uri(uri, sizeof uri);
  bdb_db *db = h_open(uri, NULL);
  bdb_doc *d = (bdb_doc *)1; /* must be reset to NULL on failure */
  h_expect_err(bdb_doc_new(db, "no_such_table", &d), BDB_E_SCHEMA, "no_such_table", NULL);
  assert_null(d);
  assert_int_equal(bdb_errcode(), BDB_E_SCHEMA);
  /* The message lasts until the next failing call, successes leave it alone. */
  char *json = NULL;
  h_ok(bdb_schema_list_json(db, &json));
  assert_string_equal(json, "[]");
  bdb_free(json);
  assert_int_equal(bdb_errcode(), BDB_E_SCHEMA);
  h_assert_contains(bdb_errmsg(), "no_such_table");
  /* A new failure replaces it. */
  h_expect_err(bdb_db_inspect_json(db, "bogus_section", &json), BDB_E_INVALID, "bogus_section",
               NULL);
  assert_null(strstr(bdb_errmsg(), "no_such_table"));
  bdb_close(db);
}

static void free_null_is_safe(void **state) {
  (void)state;
  bdb_free(NULL);
  bdb_close(NULL);
  bdb_options_free(NULL);
  bdb_batch_free(NULL);
  bdb_doc_free(NULL);
  bdb_query_free(NULL);
  bdb_cursor_free(NULL);
}

/* ---- options ------------------------------------------------------------------------------ */

/* Opens with the options and returns the stats JSON (caller frees). */
static char *stats_with(bdb_options *o) {
  char uri[64];
  h_memory_uri(uri, sizeof uri);
  bdb_db *db = NULL;
  h_ok(bdb_options_set(o, "createIfMissing", "1"));
  h_ok(bdb_open(uri, o, &db));
  char *stats = NULL;
  h_ok(bdb_db_stats_json(db, &stats));
  bdb_close(db);
  return stats;
}

static void options_every_name_valid(void **state) {
  (void)state;
  static const char *const kValid[][2] = {
      {"dbPrefix", "tenants/t1"},
      {"nodeId", "3"},
      {"ringSize", "4"},
      {"writeForwardInterval", "250"},
      {"readStalenessMs", "0"},
      {"blockSizeBytes", "4096"},
      {"maxMemoryBytes", "1048576"},
      {"mergeIntervalMs", "0"},
      {"mergeThresholdBytes", "1"},
      {"mergeThresholdEntries", "5"},
      {"gcGraceMs", "0"},
      {"autoMerge", "0"},
      {"logLevel", "debug"},
      {"logLevel", "info"},
      {"logLevel", "warn"},
      {"logLevel", "error"},
      {"logLevel", "silent"},
      {"dataPrefix", "d"},
      {"committedPrefix", "c"},
      {"blobPrefix", "b"},
      {"indexPrefix", "i"},
      {"manifestPrefix", "m"},
      {"nodeId", "0"},
      {"nodeId", "255"},
      {"ringSize", "1"},
      {"ringSize", "256"},
      {"autoMerge", "1"},
      {"autoMerge", "0"},
      {"nodeId", "3"},
  };
  bdb_options *o = NULL;
  h_ok(bdb_options_new(&o));
  assert_non_null(o);
  for (size_t i = 0; i < sizeof kValid / sizeof kValid[0]; i++) {
    bdb_status st = bdb_options_set(o, kValid[i][0], kValid[i][1]);
    if (st != BDB_OK) fail_msg("%s=%s: %s", kValid[i][0], kValid[i][1], bdb_errmsg());
  }
  /* The options take effect: node identity shows in stats, prefixes in the object keys. */
  char *stats = stats_with(o);
  h_assert_contains(stats, "\"nodeId\":3");
  h_assert_contains(stats, "\"ringSize\":256"); /* the last value set wins */
  h_assert_contains(stats, "\"capacity\":1048576");
  bdb_free(stats);

  char uri[64];
  h_memory_uri(uri, sizeof uri);
  bdb_db *db = NULL;
  h_ok(bdb_open(uri, o, &db));
  bdb_options_free(o);
  h_register(db, kUsers);
  char *log = NULL;
  h_ok(bdb_db_inspect_json(db, "log", &log));
  h_assert_contains(log, "tenants/t1/c/00000000000000000001");
  bdb_free(log);
  char *b0 = NULL;
  h_ok(bdb_db_inspect_json(db, "block0", &b0));
  h_assert_contains(b0, "tenants/t1/block0");
  bdb_free(b0);
  bdb_close(db);
}

static void options_unknown_and_bad_values(void **state) {
  (void)state;
  static const char *const kBad[][2] = {
      {"nodeId", "256"},
      {"nodeId", "-1"},
      {"nodeId", "abc"},
      {"nodeId", ""},
      {"nodeId", "1x"},
      {"nodeId", " 1"},
      {"nodeId", "+1"},
      {"nodeId", "1.5"},
      {"ringSize", "0"},
      {"ringSize", "257"},
      {"writeForwardInterval", "5"},
      {"readStalenessMs", "-5"},
      {"readStalenessMs", "99999999999999999999999"},
      {"blockSizeBytes", "1"},
      {"blockSizeBytes", "2147483648"},
      {"mergeThresholdBytes", "0"},
      {"mergeThresholdEntries", "0"},
      {"gcGraceMs", "soon"},
      {"autoMerge", "2"},
      {"autoMerge", "yes"},
      {"logLevel", "loud"},
      {"logLevel", "INFO"},
      {"logLevel", ""},
      {"dbPrefix", "/abs"},
      {"dbPrefix", "trailing/"},
      {"dbPrefix", "a//b"},
      {"dbPrefix", ".."},
      {"dbPrefix", "a/../b"},
      {"dbPrefix", ""},
      {"dataPrefix", "/d"},
      {"committedPrefix", "../c"},
      {"blobPrefix", "b/"},
      {"indexPrefix", ".."},
      {"manifestPrefix", "x/../../y"},
  };
  bdb_options *o = NULL;
  h_ok(bdb_options_new(&o));
  h_ok(bdb_options_set(o, "nodeId", "7"));
  for (size_t i = 0; i < sizeof kBad / sizeof kBad[0]; i++) {
    bdb_status st = bdb_options_set(o, kBad[i][0], kBad[i][1]);
    if (st != BDB_E_INVALID)
      fail_msg("%s='%s': expected BDB_E_INVALID, got %d", kBad[i][0], kBad[i][1], (int)st);
    /* The message names the option. */
    h_assert_contains(bdb_errmsg(), kBad[i][0]);
  }
  h_expect_err(bdb_options_set(o, "nodeID", "1"), BDB_E_INVALID, "unknown option", "nodeID", NULL);
  h_expect_err(bdb_options_set(o, "", "1"), BDB_E_INVALID, "unknown option", NULL);
  /* A rejected value leaves the previous one in place. */
  char *stats = stats_with(o);
  h_assert_contains(stats, "\"nodeId\":7");
  bdb_free(stats);
  bdb_options_free(o);
}

/* Leading blanks are refused for ' ' but strtoull also skips tabs and newlines. */
static void options_reject_any_leading_whitespace(void **state) {
  (void)state;
  bdb_options *o = NULL;
  h_ok(bdb_options_new(&o));
  bdb_status tab = bdb_options_set(o, "nodeId", "\t5");
  bdb_status newline = bdb_options_set(o, "ringSize", "\n2");
  bdb_options_free(o);
  if (tab != BDB_E_INVALID || newline != BDB_E_INVALID)
    fail_msg(
        "nodeId=\"\\t5\" gave %d and ringSize=\"\\n2\" gave %d; \" 5\" is refused, so other "
        "leading whitespace must be too (expected %d)",
        (int)tab, (int)newline, (int)BDB_E_INVALID);
}

static void options_null_arguments(void **state) {
  (void)state;
  h_expect_err(bdb_options_new(NULL), BDB_E_INVALID, "out", NULL);
  bdb_options *o = NULL;
  h_ok(bdb_options_new(&o));
  h_expect_err(bdb_options_set(NULL, "nodeId", "1"), BDB_E_INVALID, "opts", NULL);
  h_expect_err(bdb_options_set(o, NULL, "1"), BDB_E_INVALID, "name", NULL);
  h_expect_err(bdb_options_set(o, "nodeId", NULL), BDB_E_INVALID, "value", NULL);
  bdb_options_free(o);
}

/* Sub-prefixes must differ from each other; the combination is checked at open. */
static void options_conflicting_prefixes_fail_open(void **state) {
  (void)state;
  bdb_options *o = NULL;
  h_ok(bdb_options_new(&o));
  h_ok(bdb_options_set(o, "logLevel", "silent"));
  h_ok(bdb_options_set(o, "dataPrefix", "same"));
  h_ok(bdb_options_set(o, "blobPrefix", "same"));
  bdb_db *db = (bdb_db *)1;
  h_expect_err(bdb_open("memory:", o, &db), BDB_E_INVALID, "same", NULL);
  assert_null(db);
  bdb_options_free(o);
}

/* ---- open --------------------------------------------------------------------------------- */

static void open_memory_private_and_named(void **state) {
  (void)state;
  /* "memory:" alone is private to its handle. */
  bdb_db *a = h_open("memory:", NULL);
  h_register(a, kUsers);
  h_commit_json(a, "insert", "users", "{\"id\":\"u1\",\"age\":30}");
  bdb_db *b = h_open("memory:", NULL);
  bdb_doc *d = NULL;
  h_expect_err(bdb_doc_new(b, "users", &d), BDB_E_SCHEMA, "users", NULL);
  bdb_close(b);
  bdb_close(a);

  /* "memory:NAME" is shared by every open in the process and outlives its handles. */
  char uri[64];
  h_memory_uri(uri, sizeof uri);
  a = h_open(uri, NULL);
  h_register(a, kUsers);
  h_commit_json(a, "insert", "users", "{\"id\":\"u1\",\"age\":30}");
  bdb_close(a);
  b = h_open(uri, NULL);
  h_assert_row(b, "users", "u1", "{\"id\":\"u1\",\"age\":30}");
  bdb_close(b);
}

static void open_with_null_options_uses_defaults(void **state) {
  (void)state;
  bdb_db *db = NULL;
  /* The defaults do not create a database (createIfMissing=0), as LevelDB's do not. */
  h_expect_err(bdb_open("memory:", NULL, &db), BDB_E_NOT_FOUND,
               "no database at memory:", "createIfMissing", NULL);
  assert_null(db);
  bdb_options *o = NULL;
  h_ok(bdb_options_new(&o));
  h_ok(bdb_options_set(o, "createIfMissing", "1"));
  h_ok(bdb_open("memory:", o, &db));
  bdb_options_free(o);
  assert_non_null(db);
  char *stats = NULL;
  h_ok(bdb_db_stats_json(db, &stats));
  h_assert_contains(stats, "\"nodeId\":0");
  h_assert_contains(stats, "\"capacity\":104857600");
  h_assert_contains(stats, "\"driver\":\"memory\"");
  bdb_free(stats);
  bdb_close(db); /* stops the background service started by the default autoMerge=1 */
}

static void open_file_directory(void **state) {
  (void)state;
  h_dir dir = {{0}, {0}};
  h_dir_make(&dir);
  bdb_db *db = h_open(dir.uri, NULL);
  h_register(db, kUsers);
  h_commit_json(db, "insert", "users", "{\"id\":\"f1\",\"age\":5}");
  char *stats = NULL;
  h_ok(bdb_db_stats_json(db, &stats));
  h_assert_contains(stats, "\"driver\":\"file\"");
  bdb_free(stats);
  bdb_close(db);
  /* The data is in the directory: a new handle reads it. */
  db = h_open(dir.uri, NULL);
  h_assert_row(db, "users", "f1", "{\"id\":\"f1\",\"age\":5}");
  bdb_close(db);
  /* A path below a directory that does not exist yet is created. */
  char nested[400];
  snprintf(nested, sizeof nested, "%s/a/b", dir.uri);
  db = h_open(nested, NULL);
  bdb_close(db);
  h_dir_remove(&dir);
}

/* Separate dbPrefixes are separate databases in one store. */
static void open_db_prefixes_are_separate(void **state) {
  (void)state;
  char uri[64];
  h_memory_uri(uri, sizeof uri);
  bdb_db *a = h_open(uri, "dbPrefix", "tenant_a", NULL);
  h_register(a, kUsers);
  bdb_db *b = h_open(uri, "dbPrefix", "tenant_b", NULL);
  bdb_doc *d = NULL;
  h_expect_err(bdb_doc_new(b, "users", &d), BDB_E_SCHEMA, "users", NULL);
  bdb_close(b);
  bdb_close(a);
}

static void open_bad_uris(void **state) {
  (void)state;
  bdb_options *o = NULL;
  h_ok(bdb_options_new(&o));
  h_ok(bdb_options_set(o, "logLevel", "silent"));
  static const struct {
    const char *uri;
    const char *mention;
  } kBad[] = {
      {"no-scheme-here", "no-scheme-here"},
      {"", "BUCKETDB_S3_BUCKET"}, /* no URI: S3 only when the variable names a bucket */
      {"nosuchdriver:whatever", "bucketdb-driver-nosuchdriver.so"},
      {"Bad Scheme:x", "Bad Scheme"},
      {"plugin:/nonexistent.so", "/nonexistent.so"},
      {"plugin:/nonexistent.so?a=b", "/nonexistent.so"},
      {"plugin:", "plugin"},
      {"memory:?bogus=1", "bogus"},
      {"memory:x?page=0", "page"},
      {"file:", "directory"},
      {"file:/dev/null", "/dev/null"},
  };
  for (size_t i = 0; i < sizeof kBad / sizeof kBad[0]; i++) {
    bdb_db *db = (bdb_db *)1;
    bdb_status st = bdb_open(kBad[i].uri, o, &db);
    if (st != BDB_E_URI)
      fail_msg("'%s': expected BDB_E_URI, got %d: %s", kBad[i].uri, (int)st, bdb_errmsg());
    assert_int_equal(bdb_errcode(), BDB_E_URI);
    assert_null(db);
    h_assert_contains(bdb_errmsg(), kBad[i].mention);
  }
  /* The unknown-scheme message also says where it looked. */
  bdb_db *db = NULL;
  h_expect_err(bdb_open("nosuchdriver:x", o, &db), BDB_E_URI, "looked for", "/", NULL);
  /* A file that exists but is not a shared object. */
  h_dir dir = {{0}, {0}};
  h_dir_make(&dir);
  char junk[300], plugin_uri[320];
  snprintf(junk, sizeof junk, "%s/junk.so", dir.path);
  FILE *f = fopen(junk, "w");
  assert_non_null(f);
  fputs("not an ELF file\n", f);
  fclose(f);
  snprintf(plugin_uri, sizeof plugin_uri, "plugin:%s", junk);
  h_expect_err(bdb_open(plugin_uri, o, &db), BDB_E_URI, "cannot load driver plugin", junk, NULL);
  assert_null(db);
  h_dir_remove(&dir);
  bdb_options_free(o);
}

static void open_null_arguments(void **state) {
  (void)state;
  bdb_db *db = (bdb_db *)1;
  /* No URI means s3://$BUCKETDB_S3_BUCKET, and a clear error when that is not set. */
  unsetenv("BUCKETDB_S3_BUCKET");
  h_expect_err(bdb_open(NULL, NULL, &db), BDB_E_URI, "no URI given", "BUCKETDB_S3_BUCKET", NULL);
  assert_null(db);
  h_expect_err(bdb_open("memory:", NULL, NULL), BDB_E_INVALID, "out", NULL);
  bdb_close(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(versions_agree),
      cmocka_unit_test(status_strings),
      cmocka_unit_test(errmsg_names_what_failed),
      cmocka_unit_test(free_null_is_safe),
      cmocka_unit_test(options_every_name_valid),
      cmocka_unit_test(options_unknown_and_bad_values),
      cmocka_unit_test(options_reject_any_leading_whitespace),
      cmocka_unit_test(options_null_arguments),
      cmocka_unit_test(options_conflicting_prefixes_fail_open),
      cmocka_unit_test(open_memory_private_and_named),
      cmocka_unit_test(open_with_null_options_uses_defaults),
      cmocka_unit_test(open_file_directory),
      cmocka_unit_test(open_db_prefixes_are_separate),
      cmocka_unit_test(open_bad_uris),
      cmocka_unit_test(open_null_arguments),
  };
  return cmocka_run_group_tests_name("abi.open", tests, NULL, NULL);
}
