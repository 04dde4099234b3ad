/* Batches: staging, atomic commit, preconditions and their errors. */
#include "helper.h"

#include <stdio.h>
#include <string.h>

static const char *kUsers =
    "{\"name\":\"users\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10,\"maxLength\":36},"
    "\"name\":{\"typeId\":10},\"age\":{\"typeId\":1},\"score\":{\"typeId\":4}},"
    "\"primaryKey\":\"id\"}";
static const char *kEvents =
    "{\"name\":\"events\",\"version\":1,\"fields\":{\"n\":{\"typeId\":3},\"what\":{\"typeId\":10}},"
    "\"primaryKey\":\"n\"}";

typedef struct fixture {
  bdb_db *db;
  bdb_batch *batch;
  bdb_doc *doc;
} fixture;

static int setup(void **state) {
  static fixture f;
  memset(&f, 0, sizeof f);
  f.db = h_open("memory:", NULL);
  h_register(f.db, kUsers);
  h_register(f.db, kEvents);
  h_ok(bdb_batch_new(f.db, &f.batch));
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  bdb_doc_free(f->doc);
  bdb_batch_free(f->batch);
  bdb_close(f->db);
  memset(f, 0, sizeof *f);
  return 0;
}

/* A users document with the given fields (age < 0: unset). */
static bdb_doc *user(fixture *f, const char *id, const char *name, int age) {
  bdb_doc_free(f->doc);
  f->doc = NULL;
  h_ok(bdb_doc_new(f->db, "users", &f->doc));
  h_ok(bdb_doc_set_string(f->doc, "id", id, strlen(id)));
  if (name) h_ok(bdb_doc_set_string(f->doc, "name", name, strlen(name)));
  if (age >= 0) h_ok(bdb_doc_set_uint(f->doc, "age", (uint64_t)age));
  return f->doc;
}

static uint64_t version_of(fixture *f, const char *id) {
  bdb_doc *key = NULL, *row = NULL;
  h_ok(bdb_key_doc_from_text(f->db, "users", id, &key));
  bdb_status st = bdb_get(f->db, key, &row);
  bdb_doc_free(key);
  h_ok(st);
  uint64_t v = bdb_doc_version(row);
  bdb_doc_free(row);
  return v;
}

static void insert_update_patch_delete_via_docs(void **state) {
  fixture *f = *state;
  bdb_batch *b = f->batch;
  assert_int_equal(bdb_batch_size(b), 0);
  h_ok(bdb_batch_insert(b, user(f, "u1", "Ann", 30)));
  h_ok(bdb_batch_insert(b, user(f, "u2", "Bob", 40)));
  assert_int_equal(bdb_batch_size(b), 2);
  /* The batch copied the doc: changing it now changes nothing staged. */
  h_ok(bdb_doc_set_string(f->doc, "name", "Changed", 7));
  /* Nothing is visible before commit. */
  char *none = h_get_json(f->db, "users", "u1");
  assert_null(none);
  uint64_t s1 = 0;
  h_ok(bdb_batch_commit(b, &s1));
  assert_int_equal(s1, 3); /* after the two schema entries */
  assert_int_equal(bdb_batch_size(b), 0);
  h_assert_row(f->db, "users", "u1", "{\"id\":\"u1\",\"name\":\"Ann\",\"age\":30}");
  h_assert_row(f->db, "users", "u2", "{\"id\":\"u2\",\"name\":\"Bob\",\"age\":40}");
  assert_int_equal(version_of(f, "u1"), s1);

  /* update replaces the whole row: fields it does not set become null. */
  h_ok(bdb_batch_update(b, user(f, "u1", NULL, 31)));
  /* patch sets only the fields it has. */
  h_ok(bdb_batch_patch(b, user(f, "u2", "Bobby", -1)));
  uint64_t s2 = 0;
  h_ok(bdb_batch_commit(b, &s2));
  assert_int_equal(s2, s1 + 1);
  h_assert_row(f->db, "users", "u1", "{\"id\":\"u1\",\"age\":31}");
  h_assert_row(f->db, "users", "u2", "{\"id\":\"u2\",\"name\":\"Bobby\",\"age\":40}");
  assert_int_equal(version_of(f, "u2"), s2);

  /* update of a missing row inserts it (upsert). */
  h_ok(bdb_batch_update(b, user(f, "u3", "Cy", 5)));
  /* delete by a key document. */
  bdb_doc *key = NULL;
  h_ok(bdb_key_doc_from_text(f->db, "users", "u1", &key));
  bdb_status st = bdb_batch_delete(b, key);
  bdb_doc_free(key);
  h_ok(st);
  uint64_t s3 = 0;
  h_ok(bdb_batch_commit(b, &s3));
  assert_int_equal(s3, s2 + 1);
  assert_null(h_get_json(f->db, "users", "u1"));
  h_assert_row(f->db, "users", "u3", "{\"id\":\"u3\",\"name\":\"Cy\",\"age\":5}");
}

static void insert_update_patch_delete_via_json(void **state) {
  fixture *f = *state;
  bdb_batch *b = f->batch;
  h_ok(bdb_batch_insert_json(b, "users", "{\"id\":\"j1\",\"name\":\"Ann\",\"age\":30}"));
  h_ok(bdb_batch_insert_json(b, "users", "{\"id\":\"j2\",\"name\":\"Bob\",\"score\":-5}"));
  h_ok(bdb_batch_insert_json(b, "events", "{\"n\":18446744073709551615,\"what\":\"max\"}"));
  assert_int_equal(bdb_batch_size(b), 3);
  h_ok(bdb_batch_commit(b, NULL)); /* out_seq may be NULL */
  h_ok(bdb_batch_update_json(b, "users", "{\"id\":\"j1\",\"score\":1}"));
  h_ok(bdb_batch_patch_json(b, "users", "{\"id\":\"j2\",\"age\":9,\"name\":null}"));
  h_ok(bdb_batch_delete_key(b, "events", "18446744073709551615"));
  h_ok(bdb_batch_commit(b, NULL));
  h_assert_row(f->db, "users", "j1", "{\"id\":\"j1\",\"score\":1}");
  /* A patch can set a field to null. */
  h_assert_row(f->db, "users", "j2", "{\"id\":\"j2\",\"age\":9,\"score\":-5}");
  assert_null(h_get_json(f->db, "events", "18446744073709551615"));
  /* delete_key takes JSON-quoted text as well as verbatim text. */
  h_ok(bdb_batch_delete_key(b, "users", "\"j1\""));
  h_ok(bdb_batch_delete_key(b, "users", "j2"));
  h_ok(bdb_batch_commit(b, NULL));
  assert_null(h_get_json(f->db, "users", "j1"));
  assert_null(h_get_json(f->db, "users", "j2"));
}

static void json_staging_errors(void **state) {
  fixture *f = *state;
  bdb_batch *b = f->batch;
  h_expect_err(bdb_batch_insert_json(b, "nosuch", "{}"), BDB_E_SCHEMA, "nosuch", NULL);
  h_expect_err(bdb_batch_insert_json(b, "users", "{\"id\":"), BDB_E_JSON, "users", NULL);
  h_expect_err(bdb_batch_update_json(b, "users", "{\"id\":\"x\",\"bogus\":1}"), BDB_E_SCHEMA,
               "users", "bogus", NULL);
  h_expect_err(bdb_batch_patch_json(b, "users", "{\"id\":\"x\",\"age\":300}"), BDB_E_TYPE, "users",
               "age", NULL);
  h_expect_err(bdb_batch_delete_key(b, "events", "abc"), BDB_E_JSON, "events", NULL);
  h_expect_err(bdb_batch_delete_key(b, "events", "\"7\""), BDB_E_TYPE, "n", NULL);
  h_expect_err(bdb_batch_delete_key(b, "nosuch", "1"), BDB_E_SCHEMA, "nosuch", NULL);
  /* Failed staging stages nothing. */
  assert_int_equal(bdb_batch_size(b), 0);
  /* NULL arguments. */
  h_expect_err(bdb_batch_new(NULL, &b), BDB_E_INVALID, "db", NULL);
  h_expect_err(bdb_batch_new(f->db, NULL), BDB_E_INVALID, "out", NULL);
  h_expect_err(bdb_batch_insert_json(NULL, "users", "{}"), BDB_E_INVALID, "batch", NULL);
  h_expect_err(bdb_batch_insert_json(f->batch, NULL, "{}"), BDB_E_INVALID, "table", NULL);
  h_expect_err(bdb_batch_update_json(f->batch, "users", NULL), BDB_E_INVALID, "json", NULL);
  h_expect_err(bdb_batch_patch_json(NULL, "users", "{}"), BDB_E_INVALID, NULL);
  h_expect_err(bdb_batch_delete_key(NULL, "users", "x"), BDB_E_INVALID, NULL);
  h_expect_err(bdb_batch_delete_key(f->batch, "users", NULL), BDB_E_INVALID, "key_text", NULL);
  h_expect_err(bdb_batch_insert(NULL, NULL), BDB_E_INVALID, NULL);
  h_expect_err(bdb_batch_insert(f->batch, NULL), BDB_E_INVALID, "doc", NULL);
  h_expect_err(bdb_batch_update(f->batch, NULL), BDB_E_INVALID, "doc", NULL);
  h_expect_err(bdb_batch_patch(f->batch, NULL), BDB_E_INVALID, "doc", NULL);
  h_expect_err(bdb_batch_delete(f->batch, NULL), BDB_E_INVALID, "doc", NULL);
  h_expect_err(bdb_batch_commit(NULL, NULL), BDB_E_INVALID, "batch", NULL);
  h_expect_err(bdb_batch_expect_version(NULL, 0), BDB_E_INVALID, "batch", NULL);
  assert_int_equal(bdb_batch_size(NULL), 0);
  assert_int_equal(bdb_batch_size(f->batch), 0);
}

/* Inserting an existing key fails the whole batch: nothing of it is visible, it keeps its
 * operations, and no log entry is written. */
static void insert_existing_key_fails_whole_batch(void **state) {
  fixture *f = *state;
  bdb_batch *b = f->batch;
  uint64_t s1 = h_commit_json(f->db, "insert", "users", "{\"id\":\"u1\",\"name\":\"Ann\"}");
  h_ok(bdb_batch_insert_json(b, "users", "{\"id\":\"u2\",\"name\":\"Bob\"}"));
  h_ok(bdb_batch_patch_json(b, "users", "{\"id\":\"u1\",\"name\":\"Changed\"}"));
  h_ok(bdb_batch_insert_json(b, "events", "{\"n\":1}"));
  h_ok(bdb_batch_insert_json(b, "users", "{\"id\":\"u1\",\"name\":\"Dup\"}"));
  uint64_t seq = 12345;
  h_expect_err(bdb_batch_commit(b, &seq), BDB_E_EXISTS, "users", "\"u1\"", NULL);
  assert_int_equal(bdb_batch_size(b), 4);
  assert_null(h_get_json(f->db, "users", "u2"));
  assert_null(h_get_json(f->db, "events", "1"));
  h_assert_row(f->db, "users", "u1", "{\"id\":\"u1\",\"name\":\"Ann\"}");
  /* The next successful commit takes the very next seq: nothing was written. */
  assert_int_equal(h_commit_json(f->db, "insert", "users", "{\"id\":\"u9\"}"), s1 + 1);
  /* Retrying the same batch fails the same way. */
  h_expect_err(bdb_batch_commit(b, NULL), BDB_E_EXISTS, "u1", NULL);

  /* Two inserts of one key inside a batch conflict with each other. */
  bdb_batch *b2 = NULL;
  h_ok(bdb_batch_new(f->db, &b2));
  h_ok(bdb_batch_insert_json(b2, "users", "{\"id\":\"n1\"}"));
  h_ok(bdb_batch_insert_json(b2, "users", "{\"id\":\"n1\"}"));
  bdb_status st = bdb_batch_commit(b2, NULL);
  bdb_batch_free(b2);
  h_expect_err(st, BDB_E_EXISTS, "n1", NULL);
  assert_null(h_get_json(f->db, "users", "n1"));
}

static void patch_missing_row_not_found(void **state) {
  fixture *f = *state;
  bdb_batch *b = f->batch;
  h_ok(bdb_batch_insert_json(b, "users", "{\"id\":\"u1\"}"));
  h_ok(bdb_batch_patch_json(b, "users", "{\"id\":\"ghost\",\"age\":1}"));
  h_expect_err(bdb_batch_commit(b, NULL), BDB_E_NOT_FOUND, "users", "ghost", NULL);
  assert_null(h_get_json(f->db, "users", "u1"));
  /* A row inserted earlier in the same batch can be patched and deleted in it. */
  bdb_batch *b2 = NULL;
  h_ok(bdb_batch_new(f->db, &b2));
  h_ok(bdb_batch_insert_json(b2, "users", "{\"id\":\"p1\",\"name\":\"A\"}"));
  h_ok(bdb_batch_patch_json(b2, "users", "{\"id\":\"p1\",\"age\":2}"));
  h_ok(bdb_batch_insert_json(b2, "users", "{\"id\":\"p2\"}"));
  h_ok(bdb_batch_delete_key(b2, "users", "p2"));
  bdb_status st = bdb_batch_commit(b2, NULL);
  bdb_batch_free(b2);
  h_ok(st);
  h_assert_row(f->db, "users", "p1", "{\"id\":\"p1\",\"name\":\"A\",\"age\":2}");
  assert_null(h_get_json(f->db, "users", "p2"));
}

/* A document without its primary key cannot be committed. */
static void missing_primary_key_invalid(void **state) {
  fixture *f = *state;
  bdb_doc *d = NULL;
  h_ok(bdb_doc_new(f->db, "users", &d));
  h_ok(bdb_doc_set_string(d, "name", "nobody", 6));
  bdb_status st = bdb_batch_insert(f->batch, d);
  bdb_doc_free(d);
  h_ok(st);
  h_expect_err(bdb_batch_commit(f->batch, NULL), BDB_E_INVALID, "users", "id", NULL);
}

static void expect_version(void **state) {
  fixture *f = *state;
  bdb_batch *b = f->batch;
  /* 0: the row must not exist. */
  h_ok(bdb_batch_insert_json(b, "users", "{\"id\":\"v1\",\"age\":1}"));
  h_ok(bdb_batch_expect_version(b, 0));
  uint64_t s1 = 0;
  h_ok(bdb_batch_commit(b, &s1));
  assert_int_equal(version_of(f, "v1"), s1);
  /* The current version: applies. */
  h_ok(bdb_batch_patch_json(b, "users", "{\"id\":\"v1\",\"age\":2}"));
  h_ok(bdb_batch_expect_version(b, s1));
  uint64_t s2 = 0;
  h_ok(bdb_batch_commit(b, &s2));
  assert_true(s2 > s1);
  h_assert_row(f->db, "users", "v1", "{\"id\":\"v1\",\"age\":2}");
  /* A stale version: conflict naming table, key and both versions; nothing applied. */
  h_ok(bdb_batch_insert_json(b, "users", "{\"id\":\"other\"}"));
  h_ok(bdb_batch_patch_json(b, "users", "{\"id\":\"v1\",\"age\":3}"));
  h_ok(bdb_batch_expect_version(b, s1));
  char want_found[32];
  snprintf(want_found, sizeof want_found, "found %llu", (unsigned long long)s2);
  h_expect_err(bdb_batch_commit(b, NULL), BDB_E_CONFLICT, "users", "v1", want_found, NULL);
  assert_int_equal(bdb_batch_size(b), 2);
  h_assert_row(f->db, "users", "v1", "{\"id\":\"v1\",\"age\":2}");
  assert_null(h_get_json(f->db, "users", "other"));
  bdb_batch_free(f->batch);
  f->batch = NULL;
  h_ok(bdb_batch_new(f->db, &f->batch));
  b = f->batch;
  /* 0 on an existing row conflicts; a version on a missing row conflicts too. */
  h_ok(bdb_batch_update_json(b, "users", "{\"id\":\"v1\"}"));
  h_ok(bdb_batch_expect_version(b, 0));
  h_expect_err(bdb_batch_commit(b, NULL), BDB_E_CONFLICT, "v1", NULL);
  bdb_batch_free(f->batch);
  h_ok(bdb_batch_new(f->db, &f->batch));
  b = f->batch;
  h_ok(bdb_batch_delete_key(b, "users", "missing"));
  h_ok(bdb_batch_expect_version(b, s2));
  h_expect_err(bdb_batch_commit(b, NULL), BDB_E_CONFLICT, "missing", "no row", NULL);
  bdb_batch_free(f->batch);
  h_ok(bdb_batch_new(f->db, &f->batch));
  b = f->batch;
  /* A delete with the right version applies. */
  h_ok(bdb_batch_delete_key(b, "users", "v1"));
  h_ok(bdb_batch_expect_version(b, s2));
  h_ok(bdb_batch_commit(b, NULL));
  assert_null(h_get_json(f->db, "users", "v1"));
}

static void expect_version_on_empty_batch_invalid(void **state) {
  fixture *f = *state;
  h_expect_err(bdb_batch_expect_version(f->batch, 0), BDB_E_INVALID, "no operation", NULL);
  h_expect_err(bdb_batch_expect_version(f->batch, 7), BDB_E_INVALID, NULL);
  assert_int_equal(bdb_batch_size(f->batch), 0);
}

static void commit_seq_increases_and_empty_commit(void **state) {
  fixture *f = *state;
  bdb_batch *b = f->batch;
  uint64_t prev = 0;
  for (int i = 0; i < 5; i++) {
    char json[64];
    snprintf(json, sizeof json, "{\"n\":%d}", i);
    h_ok(bdb_batch_insert_json(b, "events", json));
    uint64_t seq = 0;
    h_ok(bdb_batch_commit(b, &seq));
    assert_true(seq > prev);
    if (prev) assert_int_equal(seq, prev + 1);
    prev = seq;
  }
  /* An empty commit succeeds, writes nothing and reports the current position. */
  uint64_t seq = 0;
  h_ok(bdb_batch_commit(b, &seq));
  assert_int_equal(seq, prev);
  h_ok(bdb_batch_commit(b, NULL));
  char *log = NULL;
  h_ok(bdb_db_inspect_json(f->db, "log", &log));
  size_t entries = h_count_substr(log, "\"seq\":");
  bdb_free(log);
  assert_int_equal(entries, prev);
  /* A batch whose operations cancel out (an insert deleted again) writes nothing either. */
  h_ok(bdb_batch_insert_json(b, "events", "{\"n\":998}"));
  h_ok(bdb_batch_delete_key(b, "events", "998"));
  h_ok(bdb_batch_commit(b, &seq));
  assert_int_equal(seq, prev);
  assert_int_equal(bdb_batch_size(b), 0);
  /* A delete reads nothing, so even of a missing row it is logged (one PUT, no GET). */
  h_ok(bdb_batch_delete_key(b, "events", "999"));
  h_ok(bdb_batch_commit(b, &seq));
  assert_int_equal(seq, prev + 1);
  /* The next real commit follows on. */
  h_ok(bdb_batch_insert_json(b, "events", "{\"n\":100}"));
  h_ok(bdb_batch_commit(b, &seq));
  assert_int_equal(seq, prev + 2);
}

/* A batch spanning two tables is one log entry. */
static void multi_table_batch_is_one_entry(void **state) {
  fixture *f = *state;
  bdb_batch *b = f->batch;
  h_ok(bdb_batch_insert_json(b, "users", "{\"id\":\"m1\"}"));
  h_ok(bdb_batch_insert_json(b, "events", "{\"n\":1,\"what\":\"signup\"}"));
  uint64_t seq = 0;
  h_ok(bdb_batch_commit(b, &seq));
  assert_int_equal(version_of(f, "m1"), seq);
  bdb_doc *key = NULL, *row = NULL;
  h_ok(bdb_key_doc_from_text(f->db, "events", "1", &key));
  bdb_status st = bdb_get(f->db, key, &row);
  bdb_doc_free(key);
  h_ok(st);
  uint64_t v = bdb_doc_version(row);
  bdb_doc_free(row);
  assert_int_equal(v, seq);
}

/* A document made by another database (another store, or another dbPrefix of the same one)
 * carries that database's schema. Committing it here must be refused before anything is
 * written: a row encoded with a foreign layout would make this database's log unreadable. */
static void doc_from_other_database_is_refused(void **state) {
  (void)state;
  char uri[64];
  h_memory_uri(uri, sizeof uri);
  bdb_db *here = h_open(uri, NULL);
  h_register(here,
             "{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":2},\"s\":{\"typeId\":"
             "10}},\"primaryKey\":\"id\"}");
  h_commit_json(here, "insert", "t", "{\"id\":1,\"s\":\"one\"}");
  bdb_db *there = h_open("memory:", NULL);
  h_register(there,
             "{\"name\":\"t\",\"version\":1,\"fields\":{\"id\":{\"typeId\":2},\"x\":{\"typeId\":"
             "3}},\"primaryKey\":\"id\"}");
  bdb_doc *foreign = NULL;
  h_ok(bdb_doc_from_json(there, "t", "{\"id\":2,\"x\":123456789}", &foreign));
  bdb_batch *b = NULL;
  h_ok(bdb_batch_new(here, &b));
  bdb_status st = bdb_batch_insert(b, foreign);
  if (st == BDB_OK) st = bdb_batch_commit(b, NULL);
  bdb_batch_free(b);
  bdb_doc_free(foreign);
  bdb_close(there);
  /* Whatever the refusal says, this database must stay readable, now and when reopened. */
  char *row = NULL;
  bdb_status get_st = bdb_get_json(here, "t", "1", &row);
  bdb_free(row);
  bdb_close(here);
  bdb_db *again = NULL;
  bdb_options *o = NULL;
  h_ok(bdb_options_new(&o));
  h_ok(bdb_options_set(o, "logLevel", "silent"));
  h_ok(bdb_options_set(o, "autoMerge", "0"));
  bdb_status open_st = bdb_open(uri, o, &again);
  bdb_options_free(o);
  char msg[256];
  snprintf(msg, sizeof msg, "%s", bdb_errmsg());
  bdb_close(again);
  if (st == BDB_OK) fail_msg("a document of another database's schema was committed");
  if (get_st != BDB_OK || open_st != BDB_OK)
    fail_msg("refused with %d, but the database is damaged: get %d, reopen %d (%s)", (int)st,
             (int)get_st, (int)open_st, msg);
  assert_true(st == BDB_E_SCHEMA || st == BDB_E_INVALID);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(insert_update_patch_delete_via_docs),
      T(insert_update_patch_delete_via_json),
      T(json_staging_errors),
      T(insert_existing_key_fails_whole_batch),
      T(patch_missing_row_not_found),
      T(missing_primary_key_invalid),
      T(expect_version),
      T(expect_version_on_empty_batch_invalid),
      T(commit_seq_increases_and_empty_commit),
      T(multi_table_batch_is_one_entry),
      cmocka_unit_test(doc_from_other_database_is_refused),
  };
#undef T
  return cmocka_run_group_tests_name("abi.batch", tests, NULL, NULL);
}
