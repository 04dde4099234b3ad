/* Schemas: registration, errors, versions and reading old rows through a newer version. */
#include "helper.h"

#include <stdio.h>
#include <string.h>

#define USERS_V1                                                                           \
  "{\"name\":\"users\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10,\"maxLength\":36}," \
  "\"name\":{\"typeId\":10},\"age\":{\"typeId\":1},\"legacy\":{\"typeId\":10}},"           \
  "\"primaryKey\":\"id\",\"indexes\":[\"age\"]}"

/* v2 drops `legacy`, widens `age` and adds `email`. */
#define USERS_V2                                                                           \
  "{\"name\":\"users\",\"version\":2,\"fields\":{\"id\":{\"typeId\":10,\"maxLength\":36}," \
  "\"name\":{\"typeId\":10},\"age\":{\"typeId\":2},\"email\":{\"typeId\":10}},"            \
  "\"primaryKey\":\"id\",\"indexes\":[\"age\"]}"

typedef struct fixture {
  char uri[64];
  bdb_db *db;
} fixture;

static int setup(void **state) {
  static fixture f;
  h_memory_uri(f.uri, sizeof f.uri);
  f.db = h_open(f.uri, NULL);
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  bdb_close(f->db);
  f->db = NULL;
  return 0;
}

static char *list(bdb_db *db) {
  char *json = NULL;
  h_ok(bdb_schema_list_json(db, &json));
  assert_non_null(json);
  return json;
}

static void register_and_list(void **state) {
  fixture *f = *state;
  h_register(f->db, USERS_V1);
  char *json = list(f->db);
  /* The canonical form: fixed member order, maxLength only where set. */
  assert_string_equal(json,
                      "[{\"name\":\"users\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10,"
                      "\"maxLength\":36},\"name\":{\"typeId\":10},\"age\":{\"typeId\":1},"
                      "\"legacy\":{\"typeId\":10}},\"primaryKey\":\"id\",\"indexes\":[\"age\"]}]");
  bdb_free(json);
  /* The registration is a log entry of its own: the first write gets seq 2. */
  assert_int_equal(h_commit_json(f->db, "insert", "users", "{\"id\":\"u1\"}"), 2);
}

static void reregister_same_definition_is_noop(void **state) {
  fixture *f = *state;
  h_register(f->db, USERS_V1);
  /* Same definition, other spacing and member order: still the same. */
  h_register(f->db,
             "{ \"version\": 1, \"name\": \"users\", \"primaryKey\": \"id\", \"indexes\": "
             "[\"age\"], \"fields\": {\"id\": {\"maxLength\": 36, \"typeId\": 10}, \"name\": "
             "{\"typeId\": 10}, \"age\": {\"typeId\": 1}, \"legacy\": {\"typeId\": 10}} }");
  h_register(f->db, USERS_V1);
  char *json = list(f->db);
  assert_int_equal(h_count_substr(json, "\"name\":\"users\""), 1);
  bdb_free(json);
  /* No log entry was written for the repeats. */
  assert_int_equal(h_commit_json(f->db, "insert", "users", "{\"id\":\"u1\"}"), 2);
}

static void conflicting_version_is_schema_error(void **state) {
  fixture *f = *state;
  h_register(f->db, USERS_V1);
  h_expect_err(bdb_schema_register_json(
                   f->db,
                   "{\"name\":\"users\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10}},"
                   "\"primaryKey\":\"id\"}"),
               BDB_E_SCHEMA, "users", "version 1", NULL);
  /* The first definition stays. */
  char *json = list(f->db);
  h_assert_contains(json, "\"legacy\"");
  assert_int_equal(h_count_substr(json, "\"name\":\"users\""), 1);
  bdb_free(json);
}

static void malformed_json_is_json_error(void **state) {
  fixture *f = *state;
  static const char *const kBad[] = {
      "",
      "{",
      "{\"name\":\"users\",}",
      "not json",
      "{\"name\":\"users\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10}},\"primaryKey\":\"id\"",
  };
  for (size_t i = 0; i < sizeof kBad / sizeof kBad[0]; i++) {
    bdb_status st = bdb_schema_register_json(f->db, kBad[i]);
    if (st != BDB_E_JSON) fail_msg("'%s': expected BDB_E_JSON, got %d", kBad[i], (int)st);
    h_assert_contains(bdb_errmsg(), "JSON");
  }
  char *json = list(f->db);
  assert_string_equal(json, "[]");
  bdb_free(json);
}

static void structural_errors(void **state) {
  fixture *f = *state;
  static const struct {
    const char *json;
    const char *mention;
  } kBad[] = {
      {"[1,2]", "object"},
      {"{\"version\":1,\"fields\":{\"id\":{\"typeId\":10}},\"primaryKey\":\"id\"}", "name"},
      {"{\"name\":\"1users\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10}},\"primaryKey\":"
       "\"id\"}",
       "1users"},
      {"{\"name\":\"us-ers\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10}},\"primaryKey\":"
       "\"id\"}",
       "us-ers"},
      {"{\"name\":\"\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10}},\"primaryKey\":\"id\"}",
       "table name"},
      {"{\"name\":\"t\",\"fields\":{\"id\":{\"typeId\":10}},\"primaryKey\":\"id\"}", "version"},
      {"{\"name\":\"t\",\"version\":0,\"fields\":{\"id\":{\"typeId\":10}},\"primaryKey\":\"id\"}",
       "version"},
      {"{\"name\":\"t\",\"version\":-1,\"fields\":{\"id\":{\"typeId\":10}},\"primaryKey\":\"id\"}",
       "version"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{},\"primaryKey\":\"id\"}", "fields"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":99}},\"primaryKey\":\"id\"}",
       "unknown typeId 99"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":0}},\"primaryKey\":\"id\"}",
       "typeId"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{}},\"primaryKey\":\"id\"}", "typeId"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":\"10\"}},\"primaryKey\":"
       "\"id\"}",
       "typeId"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10}}}", "primaryKey"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10}},\"primaryKey\":\"nope\"}",
       "nope"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":7}},\"primaryKey\":\"id\"}",
       "float64"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":15}},\"primaryKey\":\"id\"}",
       "float32"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":6}},\"primaryKey\":\"id\"}",
       "boolean"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":9}},\"primaryKey\":\"id\"}",
       "json"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":11}},\"primaryKey\":\"id\"}",
       "blob"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10},\"bad-name\":{\"typeId\":"
       "1}"
       "},\"primaryKey\":\"id\"}",
       "bad-name"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10},\"n\":{\"typeId\":1,"
       "\"maxLength\":4}},\"primaryKey\":\"id\"}",
       "maxLength"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10,\"size\":4}},"
       "\"primaryKey\":\"id\"}",
       "size"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10}},\"primaryKey\":\"id\","
       "\"extra\":1}",
       "extra"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10}},\"primaryKey\":\"id\","
       "\"indexes\":[\"nope\"]}",
       "nope"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10},\"j\":{\"typeId\":9}},"
       "\"primaryKey\":\"id\",\"indexes\":[\"j\"]}",
       "j"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10},\"a\":{\"typeId\":1}},"
       "\"primaryKey\":\"id\",\"indexes\":[\"a\",\"a\"]}",
       "twice"},
      {"{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10}},\"primaryKey\":\"id\","
       "\"indexes\":\"id\"}",
       "indexes"},
  };
  for (size_t i = 0; i < sizeof kBad / sizeof kBad[0]; i++) {
    bdb_status st = bdb_schema_register_json(f->db, kBad[i].json);
    if (st != BDB_E_SCHEMA)
      fail_msg("%s: expected BDB_E_SCHEMA, got %d (%s)", kBad[i].json, (int)st, bdb_errmsg());
    assert_int_equal(bdb_errcode(), BDB_E_SCHEMA);
    if (!strstr(bdb_errmsg(), kBad[i].mention))
      fail_msg("%s: message \"%s\" does not mention \"%s\"", kBad[i].json, bdb_errmsg(),
               kBad[i].mention);
  }
  char *json = list(f->db);
  assert_string_equal(json, "[]");
  bdb_free(json);
}

static void null_arguments(void **state) {
  fixture *f = *state;
  h_expect_err(bdb_schema_register_json(NULL, USERS_V1), BDB_E_INVALID, "db", NULL);
  h_expect_err(bdb_schema_register_json(f->db, NULL), BDB_E_INVALID, "json", NULL);
  char *json = NULL;
  h_expect_err(bdb_schema_list_json(NULL, &json), BDB_E_INVALID, "db", NULL);
  h_expect_err(bdb_schema_list_json(f->db, NULL), BDB_E_INVALID, "out_json", NULL);
}

static void second_version_converts_old_rows(void **state) {
  fixture *f = *state;
  h_register(f->db, USERS_V1);
  uint64_t seq = h_commit_json(f->db, "insert", "users",
                               "{\"id\":\"u1\",\"name\":\"Ann\",\"age\":30,\"legacy\":\"old\"}");
  h_ok(bdb_schema_register_json_v2(f->db, USERS_V2, BDB_SCHEMA_ALLOW_LOSSY)); /* drops legacy */

  char *json = list(f->db);
  assert_int_equal(h_count_substr(json, "\"name\":\"users\""), 2);
  h_assert_contains(json, "\"version\":1");
  h_assert_contains(json, "\"version\":2");
  bdb_free(json);

  /* New documents use v2. */
  bdb_doc *d = NULL;
  h_ok(bdb_doc_new(f->db, "users", &d));
  assert_int_equal(bdb_doc_field_count(d), 4);
  assert_int_equal(bdb_doc_field_type(d, "email"), BDB_TYPE_VARCHAR);
  assert_int_equal(bdb_doc_field_type(d, "legacy"), 0);
  bdb_doc_free(d);

  /* The v1 row reads as v2: legacy gone, email null, age widened; its version unchanged. */
  h_assert_row(f->db, "users", "u1", "{\"id\":\"u1\",\"name\":\"Ann\",\"age\":30}");
  bdb_doc *key = NULL, *row = NULL;
  h_ok(bdb_key_doc_from_text(f->db, "users", "u1", &key));
  h_ok(bdb_get(f->db, key, &row));
  bdb_doc_free(key);
  assert_int_equal(bdb_doc_version(row), seq);
  assert_int_equal(bdb_doc_field_type(row, "age"), BDB_TYPE_UINT32);
  assert_int_equal(bdb_doc_has(row, "email"), 0);
  h_expect_err(bdb_doc_get_string(row, "legacy", &(const char *){NULL}, NULL), BDB_E_SCHEMA,
               "legacy", NULL);
  bdb_doc_free(row);

  /* Values only v2 allows are accepted now. */
  h_commit_json(f->db, "insert", "users",
                "{\"id\":\"u2\",\"name\":\"Bob\",\"age\":70000,\"email\":\"b@x\"}");

  /* A query sees both, converted, and so does a merged database. */
  for (int pass = 0; pass < 2; pass++) {
    bdb_query *q = NULL;
    h_ok(bdb_query_new(f->db, "users", &q));
    h_ok(bdb_query_where(q, "age", ">=", "30"));
    bdb_cursor *c = NULL;
    h_ok(bdb_query_exec(q, &c));
    bdb_query_free(q);
    const char *want[] = {"{\"id\":\"u1\",\"name\":\"Ann\",\"age\":30}",
                          "{\"id\":\"u2\",\"name\":\"Bob\",\"age\":70000,\"email\":\"b@x\"}"};
    for (int i = 0; i < 2; i++) {
      bdb_doc *r = NULL;
      h_ok(bdb_cursor_next(c, &r));
      assert_non_null(r);
      char *text = NULL;
      h_ok(bdb_doc_to_json(r, &text));
      assert_string_equal(text, want[i]);
      bdb_free(text);
      bdb_doc_free(r);
    }
    bdb_doc *end = (bdb_doc *)1;
    h_ok(bdb_cursor_next(c, &end));
    assert_null(end);
    bdb_cursor_free(c);
    uint64_t merged = 0;
    if (pass == 0) h_ok(bdb_db_merge(f->db, &merged));
  }
  h_assert_row(f->db, "users", "u1", "{\"id\":\"u1\",\"name\":\"Ann\",\"age\":30}");
}

/* Rows merged into blocks under v1 read through v2 without being rewritten first. */
static void old_blocks_read_through_new_version(void **state) {
  fixture *f = *state;
  h_register(f->db, USERS_V1);
  h_commit_json(f->db, "insert", "users",
                "{\"id\":\"a\",\"name\":\"Ann\",\"age\":30,\"legacy\":\"x\"}");
  h_commit_json(f->db, "insert", "users", "{\"id\":\"b\",\"name\":\"Bob\",\"age\":40}");
  uint64_t merged = 0;
  h_ok(bdb_db_merge(f->db, &merged));
  h_ok(bdb_schema_register_json_v2(f->db, USERS_V2, BDB_SCHEMA_ALLOW_LOSSY)); /* drops legacy */
  h_assert_row(f->db, "users", "a", "{\"id\":\"a\",\"name\":\"Ann\",\"age\":30}");
  bdb_query *q = NULL;
  h_ok(bdb_query_new(f->db, "users", &q));
  h_ok(bdb_query_where(q, "email", "isnull", NULL));
  h_ok(bdb_query_where(q, "age", ">", "35"));
  bdb_cursor *c = NULL;
  bdb_status st = bdb_query_exec(q, &c);
  bdb_query_free(q);
  h_ok(st);
  bdb_doc *d = NULL;
  st = bdb_cursor_next(c, &d);
  char *text = NULL;
  if (st == BDB_OK && d) st = bdb_doc_to_json(d, &text);
  bdb_doc_free(d);
  bdb_cursor_free(c);
  h_ok(st);
  assert_non_null(text);
  int ok = strcmp(text, "{\"id\":\"b\",\"name\":\"Bob\",\"age\":40}") == 0;
  bdb_free(text);
  assert_true(ok);
  /* A patch of a v1 row writes a v2 row that keeps the v1 values. */
  h_commit_json(f->db, "patch", "users", "{\"id\":\"a\",\"email\":\"a@x\"}");
  h_ok(bdb_db_merge(f->db, &merged));
  h_assert_row(f->db, "users", "a", "{\"id\":\"a\",\"name\":\"Ann\",\"age\":30,\"email\":\"a@x\"}");
}

/* An older version registered after a newer one is refused: reads use the newest version, so
 * the older one could never be written, and its number would hide a later definition. */
static void older_version_after_newer(void **state) {
  fixture *f = *state;
  h_register(f->db, USERS_V2);
  h_expect_err(bdb_schema_register_json(f->db, USERS_V1), BDB_E_SCHEMA,
               "version 1 is older than the registered version 2", NULL);
  bdb_doc *d = NULL;
  h_ok(bdb_doc_new(f->db, "users", &d));
  assert_int_equal(bdb_doc_field_type(d, "email"), BDB_TYPE_VARCHAR);
  bdb_doc_free(d);
  char *json = list(f->db);
  assert_int_equal(h_count_substr(json, "\"name\":\"users\""), 1);
  bdb_free(json);
}

/* Another handle on the same store learns a schema registered after it opened: at once with
 * readStalenessMs=0, and after bdb_db_refresh otherwise. */
static void schema_seen_by_other_handle(void **state) {
  fixture *f = *state;
  bdb_db *eager = h_open(f->uri, "readStalenessMs", "0", NULL);
  bdb_db *lazy = h_open(f->uri, "readStalenessMs", "3600000", NULL);
  h_register(f->db, USERS_V1);
  bdb_doc *d = NULL;
  bdb_status st = bdb_doc_new(eager, "users", &d);
  bdb_close(eager);
  h_ok(st);
  assert_int_equal(bdb_doc_field_count(d), 4);
  bdb_doc_free(d);
  st = bdb_db_refresh(lazy);
  if (st == BDB_OK) st = bdb_doc_new(lazy, "users", &d);
  bdb_close(lazy);
  h_ok(st);
  assert_string_equal(bdb_doc_table(d), "users");
  bdb_doc_free(d);
}

/* Rows are stored and looked up under the encoding of the primary key's type, so a new version
 * that changes the primary key's field or type would orphan every existing row: registration
 * must refuse it. */
static void new_version_cannot_change_primary_key(void **state) {
  fixture *f = *state;
  h_register(f->db,
             "{\"name\":\"k\",\"version\":1,\"fields\":{\"id\":{\"typeId\":2},\"v\":{\"typeId\":"
             "10}},\"primaryKey\":\"id\"}");
  h_commit_json(f->db, "insert", "k", "{\"id\":7,\"v\":\"seven\"}");
  /* uint32 -> uint64 changes the key's width (4 -> 8 bytes). */
  bdb_status st = bdb_schema_register_json(
      f->db,
      "{\"name\":\"k\",\"version\":2,\"fields\":{\"id\":{\"typeId\":3},\"v\":{\"typeId\":10}},"
      "\"primaryKey\":\"id\"}");
  if (st == BDB_OK) {
    char *row = h_get_json(f->db, "k", "7");
    if (!row) fail_msg("after widening the primary key to uint64, row 7 can no longer be found");
    bdb_free(row);
  } else {
    h_expect_err(st, BDB_E_SCHEMA, "primary", NULL);
  }
  /* A different primary key field. */
  st = bdb_schema_register_json(
      f->db,
      "{\"name\":\"k\",\"version\":3,\"fields\":{\"code\":{\"typeId\":2},\"v\":{\"typeId\":10}},"
      "\"primaryKey\":\"code\"}");
  if (st == BDB_OK) {
    char *row = h_get_json(f->db, "k", "7");
    if (!row) fail_msg("after renaming the primary key, row 7 can no longer be found");
    h_assert_contains(row, "\"v\":\"seven\"");
    bdb_free(row);
  } else {
    h_expect_err(st, BDB_E_SCHEMA, "primary", NULL);
  }
}

/* A node whose schema view is stale patches a row that a newer version wrote: the patch sets
 * only the fields it names and must not drop the fields the newer version added. */
static void stale_patch_keeps_newer_fields(void **state) {
  fixture *f = *state;
  h_register(f->db, USERS_V1);
  h_commit_json(f->db, "insert", "users", "{\"id\":\"u1\",\"name\":\"Ann\",\"age\":30}");
  bdb_db *stale = h_open(f->uri, "readStalenessMs", "3600000", NULL);
  h_register(f->db,
             "{\"name\":\"users\",\"version\":2,\"fields\":{\"id\":{\"typeId\":10,\"maxLength\":"
             "36},\"name\":{\"typeId\":10},\"age\":{\"typeId\":1},\"legacy\":{\"typeId\":10},"
             "\"email\":{\"typeId\":10}},\"primaryKey\":\"id\",\"indexes\":[\"age\"]}");
  h_commit_json(f->db, "patch", "users", "{\"id\":\"u1\",\"email\":\"ann@example.com\"}");
  h_assert_row(f->db, "users", "u1",
               "{\"id\":\"u1\",\"name\":\"Ann\",\"age\":30,\"email\":\"ann@example.com\"}");

  /* The stale handle still builds v1 documents; its commit loses the race, catches up and
   * retries against the v2 row. */
  h_commit_json(stale, "patch", "users", "{\"id\":\"u1\",\"name\":\"Anna\"}");
  bdb_close(stale);
  h_ok(bdb_db_refresh(f->db));
  h_assert_row(f->db, "users", "u1",
               "{\"id\":\"u1\",\"name\":\"Anna\",\"age\":30,\"email\":\"ann@example.com\"}");
}

/* A query built against one version and run after a newer version arrived must use the fields
 * by name (or fail cleanly), never index the newer rows with the old layout. Run in a child:
 * the library may crash here. */
static int query_across_versions_child(void *arg) {
  (void)arg;
  bdb_options *o = NULL;
  bdb_db *db = NULL;
  if (bdb_options_new(&o) || bdb_options_set(o, "autoMerge", "0") ||
      bdb_options_set(o, "logLevel", "silent") || bdb_options_set(o, "createIfMissing", "1") ||
      bdb_open("memory:", o, &db))
    return 10;
  bdb_options_free(o);
  if (bdb_schema_register_json(
          db,
          "{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":2},\"a\":{\"typeId\":"
          "4},\"b\":{\"typeId\":10},\"c\":{\"typeId\":4}},\"primaryKey\":\"id\"}"))
    return 11;
  bdb_batch *b = NULL;
  if (bdb_batch_new(db, &b) ||
      bdb_batch_insert_json(b, "t", "{\"id\":1,\"a\":5,\"b\":\"x\",\"c\":4}") ||
      bdb_batch_insert_json(b, "t", "{\"id\":2,\"a\":6,\"b\":\"y\",\"c\":5}") ||
      bdb_batch_insert_json(b, "t", "{\"id\":3,\"a\":7,\"b\":\"z\",\"c\":6}") ||
      bdb_batch_commit(b, NULL))
    return 12;
  bdb_batch_free(b);
  bdb_query *q = NULL;
  if (bdb_query_new(db, "t", &q) || bdb_query_where(q, "c", "=", "5") || bdb_query_select(q, "c"))
    return 13;
  /* v2 keeps only id and c. */
  if (bdb_schema_register_json_v2(db,
                                  "{\"name\":\"t\",\"version\":2,\"fields\":{\"id\":{\"typeId\":2},"
                                  "\"c\":{\"typeId\":4}},\"primaryKey\":\"id\"}",
                                  BDB_SCHEMA_ALLOW_LOSSY))
    return 14;
  bdb_cursor *c = NULL;
  bdb_status st = bdb_query_exec(q, &c);
  bdb_query_free(q);
  if (st == BDB_E_SCHEMA) return 0; /* refusing the stale query is fine */
  if (st != BDB_OK) return 15;
  int rc = 0;
  bdb_doc *d = NULL;
  uint64_t id = 0;
  int64_t cv = 0;
  if (bdb_cursor_next(c, &d) || !d)
    rc = 16;
  else if (bdb_doc_get_uint(d, "id", &id) || id != 2)
    rc = 17;
  else if (bdb_doc_get_int(d, "c", &cv) || cv != 5)
    rc = 18;
  bdb_doc_free(d);
  d = NULL;
  if (!rc && (bdb_cursor_next(c, &d) || d)) rc = 19;
  bdb_doc_free(d);
  bdb_cursor_free(c);
  bdb_close(db);
  return rc;
}

static void query_survives_new_version(void **state) {
  (void)state;
  int rc = h_run_isolated(query_across_versions_child, NULL);
  if (rc != 0)
    fail_msg("a query made before a new schema version and run after it failed (child exit %d%s)",
             rc, rc == 1 || rc >= 128 ? ": the library crashed or ASan reported an error" : "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(register_and_list, setup, teardown),
      cmocka_unit_test_setup_teardown(reregister_same_definition_is_noop, setup, teardown),
      cmocka_unit_test_setup_teardown(conflicting_version_is_schema_error, setup, teardown),
      cmocka_unit_test_setup_teardown(malformed_json_is_json_error, setup, teardown),
      cmocka_unit_test_setup_teardown(structural_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(null_arguments, setup, teardown),
      cmocka_unit_test_setup_teardown(second_version_converts_old_rows, setup, teardown),
      cmocka_unit_test_setup_teardown(old_blocks_read_through_new_version, setup, teardown),
      cmocka_unit_test_setup_teardown(older_version_after_newer, setup, teardown),
      cmocka_unit_test_setup_teardown(schema_seen_by_other_handle, setup, teardown),
      cmocka_unit_test_setup_teardown(new_version_cannot_change_primary_key, setup, teardown),
      cmocka_unit_test_setup_teardown(stale_patch_keeps_newer_fields, setup, teardown),
      cmocka_unit_test(query_survives_new_version),
  };
  return cmocka_run_group_tests_name("abi.schema", tests, NULL, NULL);
}
