/* Keys and strictness: a key given as text reads the way it prints (bytes keys as base64),
 * bdb_batch_expect_exists tells a delete that found nothing, a duplicated JSON key is refused
 * at every entry point, maxLength 0 is refused, and a NUL never cuts a message. */
#include "helper.h"

#include <stdio.h>
#include <string.h>

static const char *kBin =
    "{\"name\":\"bin\",\"version\":1,\"fields\":{\"k\":{\"typeId\":16},\"n\":{\"typeId\":4},"
    "\"j\":{\"typeId\":9}},\"primaryKey\":\"k\"}";
static const char *kUsers =
    "{\"name\":\"users\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10},\"age\":{\"typeId\":1},"
    "\"j\":{\"typeId\":9}},\"primaryKey\":\"id\"}";

typedef struct fixture {
  bdb_db *db;
  bdb_batch *batch;
  bdb_doc *doc;
  char *text;
} fixture;

static int setup(void **state) {
  static fixture f;
  char uri[64];
  memset(&f, 0, sizeof f);
  h_memory_uri(uri, sizeof uri);
  f.db = h_open(uri, NULL);
  h_register(f.db, kBin);
  h_register(f.db, kUsers);
  h_ok(bdb_batch_new(f.db, &f.batch));
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  bdb_free(f->text);
  bdb_doc_free(f->doc);
  bdb_batch_free(f->batch);
  bdb_close(f->db);
  return 0;
}

/* A bytes key prints as base64; that text, bare or quoted, finds the row again, and deletes
 * it. Text that is not base64 is a type error naming the table and field. */
static void bytes_key_reads_as_it_prints(void **state) {
  fixture *f = *state;
  h_commit_json(f->db, "update", "bin", "{\"k\":\"AAEC/w==\",\"n\":1}");
  f->text = h_get_json(f->db, "bin", "AAEC/w==");
  assert_non_null(f->text);
  assert_string_equal(f->text, "{\"k\":\"AAEC/w==\",\"n\":1}");
  bdb_free(f->text);
  f->text = h_get_json(f->db, "bin", "\"AAEC/w==\"");
  assert_non_null(f->text);
  bdb_free(f->text);
  f->text = NULL;
  h_expect_err(bdb_get_json(f->db, "bin", "not base64!", &f->text), BDB_E_TYPE, "bin", "'k'", NULL);
  h_ok(bdb_batch_delete_key(f->batch, "bin", "AAEC/w=="));
  h_ok(bdb_batch_expect_exists(f->batch));
  h_ok(bdb_batch_commit(f->batch, NULL));
  assert_null(h_get_json(f->db, "bin", "AAEC/w=="));
}

/* A delete of an absent key commits nothing and says so when asked; the batch keeps its
 * operations, all of them unapplied. */
static void expect_exists_tells_a_delete_found_nothing(void **state) {
  fixture *f = *state;
  h_commit_json(f->db, "update", "users", "{\"id\":\"here\",\"age\":1}");
  h_ok(bdb_batch_update_json(f->batch, "users", "{\"id\":\"other\",\"age\":2}"));
  h_ok(bdb_batch_delete_key(f->batch, "users", "gone"));
  h_ok(bdb_batch_expect_exists(f->batch));
  h_expect_err(bdb_batch_commit(f->batch, NULL), BDB_E_NOT_FOUND, "users", "\"gone\"",
               "no such row", NULL);
  assert_int_equal(bdb_batch_size(f->batch), 2);
  assert_null(h_get_json(f->db, "users", "other"));
  bdb_batch_clear(f->batch);
  /* A row the batch itself wrote before exists for it. */
  h_ok(bdb_batch_update_json(f->batch, "users", "{\"id\":\"new\",\"age\":3}"));
  h_ok(bdb_batch_delete_key(f->batch, "users", "new"));
  h_ok(bdb_batch_expect_exists(f->batch));
  h_ok(bdb_batch_delete_key(f->batch, "users", "here"));
  h_ok(bdb_batch_expect_exists(f->batch));
  h_ok(bdb_batch_commit(f->batch, NULL));
  assert_null(h_get_json(f->db, "users", "here"));
  bdb_batch_clear(f->batch);
  h_expect_err(bdb_batch_expect_exists(f->batch), BDB_E_INVALID, "no operation", NULL);
}

/* {"a":1,"a":2} is an error wherever JSON comes in, never "the last one wins". */
static void duplicate_keys_are_refused_everywhere(void **state) {
  fixture *f = *state;
  const char *doc = "{\"id\":\"d\",\"age\":1,\"age\":2}";
  h_expect_err(bdb_doc_from_json(f->db, "users", doc, &f->doc), BDB_E_JSON, "'age' appears twice",
               NULL);
  h_expect_err(bdb_batch_insert_json(f->batch, "users", doc), BDB_E_JSON, "appears twice", NULL);
  h_expect_err(bdb_batch_update_json(f->batch, "users", doc), BDB_E_JSON, "appears twice", NULL);
  h_expect_err(bdb_batch_patch_json(f->batch, "users", doc), BDB_E_JSON, "appears twice", NULL);
  assert_int_equal(bdb_batch_size(f->batch), 0);
  h_ok(bdb_doc_new(f->db, "users", &f->doc));
  h_expect_err(bdb_doc_set_json(f->doc, "j", "{\"x\":1,\"x\":1}"), BDB_E_JSON, "appears twice",
               NULL);
  h_expect_err(bdb_batch_update_json(f->batch, "users", "{\"id\":\"d\",\"j\":{\"x\":1,\"x\":2}}"),
               BDB_E_JSON, "appears twice", NULL);
  bdb_query *q = NULL;
  h_ok(bdb_query_new(f->db, "users", &q));
  h_expect_err(bdb_query_where(q, "j", "=", "{\"x\":1,\"x\":2}"), BDB_E_JSON, "appears twice",
               NULL);
  bdb_query_free(q);
  /* A schema, alone and in an array (the array was read by a lenient parser before). */
  const char *dup_field =
      "{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10},\"id\":{\"typeId\":1}},"
      "\"primaryKey\":\"id\"}";
  char array[512];
  snprintf(array, sizeof array, "[%s]", dup_field);
  h_expect_err(bdb_schema_register_json(f->db, dup_field), BDB_E_JSON, "'id' appears twice", NULL);
  h_expect_err(bdb_schema_register_json(f->db, array), BDB_E_JSON, "'id' appears twice", NULL);
  h_ok(bdb_schema_list_json(f->db, &f->text));
  assert_null(strstr(f->text, "\"t\""));
}

static void max_length_zero_is_refused(void **state) {
  fixture *f = *state;
  h_expect_err(
      bdb_schema_register_json(
          f->db,
          "{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10,\"maxLength\":0}},"
          "\"primaryKey\":\"id\"}"),
      BDB_E_SCHEMA, "field 'id'", "maxLength 0", NULL);
}

/* A NUL in a field name shows as \0 in the message, and what follows it is kept. */
static void a_nul_does_not_cut_a_message(void **state) {
  fixture *f = *state;
  h_expect_err(bdb_doc_from_json(f->db, "users", "{\"na\\u0000me\":1}", &f->doc), BDB_E_SCHEMA,
               "'na\\0me'", NULL);
  assert_non_null(strstr(bdb_errmsg(), "me'"));
}

/* Several sort keys through the ABI: order, then order_then. */
static void order_then_breaks_ties(void **state) {
  fixture *f = *state;
  h_commit_json(f->db, "update", "users", "{\"id\":\"a\",\"age\":2}");
  h_commit_json(f->db, "update", "users", "{\"id\":\"b\",\"age\":1}");
  h_commit_json(f->db, "update", "users", "{\"id\":\"c\",\"age\":2}");
  bdb_query *q = NULL;
  h_ok(bdb_query_new(f->db, "users", &q));
  h_ok(bdb_query_order(q, "age", 1));
  h_ok(bdb_query_order_then(q, "id", 1));
  h_expect_err(bdb_query_order_then(q, "age", 0), BDB_E_INVALID, "twice", NULL);
  bdb_cursor *c = NULL;
  h_ok(bdb_query_exec(q, &c));
  const char *want[] = {"c", "a", "b"};
  for (int i = 0; i < 3; i++) {
    bdb_doc *d = NULL;
    h_ok(bdb_cursor_next(c, &d));
    assert_non_null(d);
    const char *id = NULL;
    size_t len = 0;
    h_ok(bdb_doc_get_string(d, "id", &id, &len));
    assert_int_equal(len, 1);
    assert_memory_equal(id, want[i], 1);
    bdb_doc_free(d);
  }
  bdb_cursor_free(c);
  bdb_query_free(q);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(bytes_key_reads_as_it_prints),          T(expect_exists_tells_a_delete_found_nothing),
      T(duplicate_keys_are_refused_everywhere), T(max_length_zero_is_refused),
      T(a_nul_does_not_cut_a_message),          T(order_then_breaks_ties),
  };
#undef T
  return cmocka_run_group_tests_name("abi.keys", tests, NULL, NULL);
}
