/* Handle lifetimes (bucketdb.h, "Ownership, threads and the order of frees"): children of a
 * closed database, a zombie freed with its last child, NULL handles everywhere, one cursor
 * from two threads, a close racing calls on other threads, and bdb_db_close's status. Run
 * under AddressSanitizer (leaks included), a use of freed memory fails the test. */
#include "helper.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static const char *kUsers =
    "{\"name\":\"users\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10,\"maxLength\":16},"
    "\"age\":{\"typeId\":1}},\"primaryKey\":\"id\"}";

static bdb_db *open_users(int rows) {
  char uri[64];
  h_memory_uri(uri, sizeof uri);
  bdb_db *db = h_open(uri, NULL);
  h_register(db, kUsers);
  for (int i = 0; i < rows; i++) {
    char json[64];
    snprintf(json, sizeof json, "{\"id\":\"u%03d\",\"age\":%d}", i, i % 100);
    h_commit_json(db, "insert", "users", json);
  }
  return db;
}

#define CLOSED(call, name) h_expect_err((call), BDB_E_INVALID, name ": ", "closed", NULL)

/* Every call on a child of a closed database fails with its own name; frees release all. */
static void children_of_a_closed_database_fail_by_name(void **state) {
  (void)state;
  bdb_db *db = open_users(3);
  bdb_batch *b = NULL;
  bdb_query *q = NULL;
  bdb_cursor *c = NULL;
  bdb_doc *d = NULL, *row = NULL;
  h_ok(bdb_batch_new(db, &b));
  h_ok(bdb_batch_insert_json(b, "users", "{\"id\":\"staged\",\"age\":1}"));
  h_ok(bdb_query_new(db, "users", &q));
  h_ok(bdb_query_exec(q, &c));
  h_ok(bdb_cursor_next(c, &row));
  h_ok(bdb_doc_new(db, "users", &d));
  h_ok(bdb_doc_set_string(d, "id", "k", 1));

  h_ok(bdb_db_close(db)); /* the database is a zombie now: three children hold it */

  bdb_doc *out = NULL;
  char *text = NULL;
  uint64_t n = 0;
  CLOSED(bdb_cursor_next(c, &out), "bdb_cursor_next");
  assert_null(out);
  CLOSED(bdb_cursor_page_token(c, &text), "bdb_cursor_page_token");
  assert_null(text);
  CLOSED(bdb_query_where(q, "age", ">", "1"), "bdb_query_where");
  CLOSED(bdb_query_or(q), "bdb_query_or");
  CLOSED(bdb_query_order(q, "age", 1), "bdb_query_order");
  CLOSED(bdb_query_limit(q, 1), "bdb_query_limit");
  CLOSED(bdb_query_offset(q, 1), "bdb_query_offset");
  CLOSED(bdb_query_as_of(q, 1), "bdb_query_as_of");
  CLOSED(bdb_query_as_of_time(q, 1), "bdb_query_as_of_time");
  CLOSED(bdb_query_select(q, "age"), "bdb_query_select");
  CLOSED(bdb_query_after(q, ""), "bdb_query_after");
  CLOSED(bdb_query_explain(q, &text), "bdb_query_explain");
  CLOSED(bdb_query_count(q, &n), "bdb_query_count");
  bdb_cursor *c2 = NULL;
  CLOSED(bdb_query_exec(q, &c2), "bdb_query_exec");
  assert_null(c2);
  CLOSED(bdb_batch_insert(b, d), "bdb_batch_insert");
  CLOSED(bdb_batch_update(b, d), "bdb_batch_update");
  CLOSED(bdb_batch_patch(b, d), "bdb_batch_patch");
  CLOSED(bdb_batch_delete(b, d), "bdb_batch_delete");
  CLOSED(bdb_batch_insert_json(b, "users", "{}"), "bdb_batch_insert_json");
  CLOSED(bdb_batch_update_json(b, "users", "{}"), "bdb_batch_update_json");
  CLOSED(bdb_batch_patch_json(b, "users", "{}"), "bdb_batch_patch_json");
  CLOSED(bdb_batch_delete_key(b, "users", "k"), "bdb_batch_delete_key");
  CLOSED(bdb_batch_expect_version(b, 0), "bdb_batch_expect_version");
  CLOSED(bdb_batch_commit(b, NULL), "bdb_batch_commit");
  assert_int_equal(bdb_batch_size(b), 0);
  h_expect_err(bdb_errcode(), BDB_E_INVALID, "bdb_batch_size: ", "closed", NULL);
  bdb_batch_clear(b);
  h_expect_err(bdb_errcode(), BDB_E_INVALID, "bdb_batch_clear: ", "closed", NULL);

  /* Documents are values: they outlive the database. */
  h_ok(bdb_doc_to_json(row, &text));
  assert_string_equal(text, "{\"id\":\"u000\",\"age\":0}");
  bdb_free(text);
  h_ok(bdb_doc_set_uint(d, "age", 7));
  assert_string_equal(bdb_doc_table(d), "users");

  /* Children freed in an order a garbage collector might pick; the last frees the zombie. */
  bdb_query_free(q);
  bdb_batch_free(b);
  bdb_cursor_free(c);
  bdb_doc_free(d);
  bdb_doc_free(row);
}

/* Calls on the closed database itself, made while a child keeps the handle alive. */
static void calls_on_a_closed_database_fail_by_name(void **state) {
  (void)state;
  bdb_db *db = open_users(1);
  bdb_batch *keep = NULL;
  h_ok(bdb_batch_new(db, &keep));
  bdb_close(db);

  bdb_doc *d = NULL;
  bdb_batch *b = NULL;
  bdb_query *q = NULL;
  char *text = NULL;
  void *data = NULL;
  size_t len = 0;
  uint64_t n = 0;
  CLOSED(bdb_schema_register_json(db, kUsers), "bdb_schema_register_json");
  CLOSED(bdb_schema_list_json(db, &text), "bdb_schema_list_json");
  CLOSED(bdb_doc_new(db, "users", &d), "bdb_doc_new");
  CLOSED(bdb_doc_from_json(db, "users", "{}", &d), "bdb_doc_from_json");
  CLOSED(bdb_doc_from_row(db, "users", 1, "", 0, "", 0, &d), "bdb_doc_from_row");
  CLOSED(bdb_key_doc_from_text(db, "users", "u000", &d), "bdb_key_doc_from_text");
  CLOSED(bdb_get_json(db, "users", "u000", &text), "bdb_get_json");
  CLOSED(bdb_batch_new(db, &b), "bdb_batch_new");
  CLOSED(bdb_query_new(db, "users", &q), "bdb_query_new");
  CLOSED(bdb_blob_read(db, "00000000-0000-0000-0000-000000000000", &data, &len), "bdb_blob_read");
  CLOSED(bdb_db_merge(db, &n), "bdb_db_merge");
  CLOSED(bdb_db_gc(db, &n), "bdb_db_gc");
  CLOSED(bdb_db_inspect_json(db, "block0", &text), "bdb_db_inspect_json");
  CLOSED(bdb_db_stats_json(db, &text), "bdb_db_stats_json");
  CLOSED(bdb_db_refresh(db), "bdb_db_refresh");
  assert_null(d);
  assert_null(b);
  assert_null(q);
  assert_null(text);
  /* A second close is detected while the zombie lives. */
  h_expect_err(bdb_db_close(db), BDB_E_INVALID, "bdb_db_close", "already closed", NULL);
  bdb_close(db); /* the void form: the same, silently */
  bdb_batch_free(keep);
}

/* bdb_get on a closed database with a key document made before the close. */
static void get_after_close_with_an_earlier_key(void **state) {
  (void)state;
  bdb_db *db = open_users(1);
  bdb_query *keep = NULL;
  bdb_doc *key = NULL, *out = NULL;
  h_ok(bdb_query_new(db, "users", &keep));
  h_ok(bdb_key_doc_from_text(db, "users", "u000", &key));
  h_ok(bdb_db_close(db));
  CLOSED(bdb_get(db, key, &out), "bdb_get");
  assert_null(out);
  bdb_doc_free(key);
  bdb_query_free(keep);
}

/* Children freed first, then the database: the ordinary order still frees everything. */
static void children_freed_before_close(void **state) {
  (void)state;
  bdb_db *db = open_users(2);
  bdb_query *q = NULL;
  bdb_cursor *c = NULL;
  h_ok(bdb_query_new(db, "users", &q));
  h_ok(bdb_query_exec(q, &c));
  bdb_query_free(q); /* the cursor does not need its query */
  bdb_doc *d = NULL;
  h_ok(bdb_cursor_next(c, &d));
  assert_non_null(d);
  bdb_doc_free(d);
  bdb_cursor_free(c);
  h_ok(bdb_db_close(db));
}

/* NULL for each handle and out-pointer of every function libbucketdb exports: an error naming
 * the call, or "nothing" where there is no status. abi.null_coverage fails when an exported
 * function is not called here. */
static void null_everywhere(void **state) {
  (void)state;
  bdb_db *db = open_users(1);
  bdb_doc *d = NULL;
  bdb_batch *b = NULL;
  bdb_query *q = NULL;
  bdb_cursor *c = NULL;
  char *text = NULL;
  uint64_t n = 0;
#define NUL(call, name) h_expect_err((call), BDB_E_INVALID, name ": ", "NULL", NULL)
  NUL(bdb_schema_register_json(NULL, kUsers), "bdb_schema_register_json");
  NUL(bdb_schema_register_json(db, NULL), "bdb_schema_register_json");
  NUL(bdb_schema_list_json(NULL, &text), "bdb_schema_list_json");
  NUL(bdb_schema_list_json(db, NULL), "bdb_schema_list_json");
  NUL(bdb_doc_new(NULL, "users", &d), "bdb_doc_new");
  NUL(bdb_doc_new(db, NULL, &d), "bdb_doc_new");
  NUL(bdb_doc_new(db, "users", NULL), "bdb_doc_new");
  NUL(bdb_doc_from_json(NULL, "users", "{}", &d), "bdb_doc_from_json");
  NUL(bdb_doc_from_json(db, "users", NULL, &d), "bdb_doc_from_json");
  NUL(bdb_doc_from_row(NULL, "users", 1, "", 0, "", 0, &d), "bdb_doc_from_row");
  NUL(bdb_key_doc_from_text(NULL, "users", "u", &d), "bdb_key_doc_from_text");
  NUL(bdb_key_doc_from_text(db, "users", NULL, &d), "bdb_key_doc_from_text");
  NUL(bdb_get(NULL, NULL, &d), "bdb_get");
  NUL(bdb_get(db, NULL, &d), "bdb_get");
  NUL(bdb_get(db, NULL, NULL), "bdb_get");
  NUL(bdb_get_json(NULL, "users", "u", &text), "bdb_get_json");
  NUL(bdb_get_json(db, NULL, "u", &text), "bdb_get_json");
  NUL(bdb_get_json(db, "users", NULL, &text), "bdb_get_json");
  NUL(bdb_get_json(db, "users", "u", NULL), "bdb_get_json");
  NUL(bdb_batch_new(NULL, &b), "bdb_batch_new");
  NUL(bdb_batch_new(db, NULL), "bdb_batch_new");
  NUL(bdb_query_new(NULL, "users", &q), "bdb_query_new");
  NUL(bdb_query_new(db, NULL, &q), "bdb_query_new");
  NUL(bdb_blob_read(NULL, "x", NULL, NULL), "bdb_blob_read");
  NUL(bdb_db_merge(NULL, &n), "bdb_db_merge");
  NUL(bdb_db_gc(NULL, &n), "bdb_db_gc");
  NUL(bdb_db_inspect_json(NULL, "block0", &text), "bdb_db_inspect_json");
  NUL(bdb_db_stats_json(NULL, &text), "bdb_db_stats_json");
  NUL(bdb_db_refresh(NULL), "bdb_db_refresh");
  NUL(bdb_db_interrupt(NULL), "bdb_db_interrupt");
  NUL(bdb_batch_insert(NULL, NULL), "bdb_batch_insert");
  NUL(bdb_batch_update(NULL, NULL), "bdb_batch_update");
  NUL(bdb_batch_patch(NULL, NULL), "bdb_batch_patch");
  NUL(bdb_batch_delete(NULL, NULL), "bdb_batch_delete");
  NUL(bdb_batch_insert_json(NULL, "users", "{}"), "bdb_batch_insert_json");
  NUL(bdb_batch_update_json(NULL, "users", "{}"), "bdb_batch_update_json");
  NUL(bdb_batch_patch_json(NULL, "users", "{}"), "bdb_batch_patch_json");
  NUL(bdb_batch_delete_key(NULL, "users", "u"), "bdb_batch_delete_key");
  NUL(bdb_batch_expect_version(NULL, 0), "bdb_batch_expect_version");
  NUL(bdb_batch_commit(NULL, NULL), "bdb_batch_commit");
  assert_int_equal(bdb_batch_size(NULL), 0);
  bdb_batch_clear(NULL);
  NUL(bdb_query_where(NULL, "age", "=", "1"), "bdb_query_where");
  NUL(bdb_query_or(NULL), "bdb_query_or");
  NUL(bdb_query_order(NULL, "age", 0), "bdb_query_order");
  NUL(bdb_query_limit(NULL, 1), "bdb_query_limit");
  NUL(bdb_query_offset(NULL, 1), "bdb_query_offset");
  NUL(bdb_query_as_of(NULL, 1), "bdb_query_as_of");
  NUL(bdb_query_as_of_time(NULL, 1), "bdb_query_as_of_time");
  NUL(bdb_query_select(NULL, "age"), "bdb_query_select");
  NUL(bdb_query_after(NULL, ""), "bdb_query_after");
  NUL(bdb_query_explain(NULL, &text), "bdb_query_explain");
  NUL(bdb_query_count(NULL, &n), "bdb_query_count");
  NUL(bdb_query_exec(NULL, &c), "bdb_query_exec");
  NUL(bdb_cursor_next(NULL, &d), "bdb_cursor_next");
  NUL(bdb_cursor_page_token(NULL, &text), "bdb_cursor_page_token");
  NUL(bdb_doc_to_json(NULL, &text), "bdb_doc_to_json");
  NUL(bdb_doc_get_int(NULL, "age", NULL), "bdb_doc_get_int");
  NUL(bdb_doc_set_uint(NULL, "age", 1), "bdb_doc_set_uint");
  NUL(bdb_schema_register_json_v2(NULL, kUsers, 0), "bdb_schema_register_json_v2");
  NUL(bdb_table_drop(NULL, "users"), "bdb_table_drop");
  NUL(bdb_index_drop(NULL, "users", "age"), "bdb_index_drop");
  NUL(bdb_db_verify(NULL, &text), "bdb_db_verify");
  NUL(bdb_db_export(NULL, "unused", &n), "bdb_db_export");
  NUL(bdb_db_import(NULL, "unused", 0, 0, &n), "bdb_db_import");
  NUL(bdb_batch_expect_exists(NULL), "bdb_batch_expect_exists");
  NUL(bdb_query_order_then(NULL, "age", 0), "bdb_query_order_then");
  NUL(bdb_open("memory:", NULL, NULL), "bdb_open");
  NUL(bdb_options_new(NULL), "bdb_options_new");
  NUL(bdb_options_set(NULL, "nodeId", "1"), "bdb_options_set");
  NUL(bdb_options_set_logger(NULL, NULL, NULL), "bdb_options_set_logger");
  NUL(bdb_options_set_progress(NULL, NULL, NULL), "bdb_options_set_progress");
  NUL(bdb_recover("memory:", NULL, NULL, 0, NULL), "bdb_recover");
  NUL(bdb_driver_check("memory:", NULL), "bdb_driver_check");
  NUL(bdb_driver_register(NULL, NULL), "bdb_driver_register");
  NUL(bdb_driver_unregister(NULL), "bdb_driver_unregister");
  /* Takes no pointer; this (plain) library loads its drivers as plugins. */
  h_expect_err(bdb_register_builtin_drivers(), BDB_E_NOT_FOUND,
               "bdb_register_builtin_drivers: ", "no built-in drivers", "BDB_ONEFILE", NULL);
  /* Every typed accessor of a document. */
  int flag = 0;
  int64_t i64 = 0;
  uint64_t u64 = 0;
  double dbl = 0;
  const char *str = NULL;
  const void *bytes = NULL;
  size_t len = 0;
  char blob_id[37];
  uint32_t version = 0;
  void *fixed = NULL, *heap = NULL;
  size_t fixed_len = 0, heap_len = 0;
  NUL(bdb_doc_to_row(NULL, &version, &fixed, &fixed_len, &heap, &heap_len), "bdb_doc_to_row");
  NUL(bdb_doc_set_null(NULL, "age"), "bdb_doc_set_null");
  NUL(bdb_doc_set_bool(NULL, "age", 1), "bdb_doc_set_bool");
  NUL(bdb_doc_set_int(NULL, "age", 1), "bdb_doc_set_int");
  NUL(bdb_doc_set_double(NULL, "age", 1), "bdb_doc_set_double");
  NUL(bdb_doc_set_string(NULL, "id", "u", 1), "bdb_doc_set_string");
  NUL(bdb_doc_set_bytes(NULL, "id", "u", 1), "bdb_doc_set_bytes");
  NUL(bdb_doc_set_json(NULL, "id", "1"), "bdb_doc_set_json");
  NUL(bdb_doc_set_blob(NULL, "id", "u", 1), "bdb_doc_set_blob");
  NUL(bdb_doc_get_bool(NULL, "age", &flag), "bdb_doc_get_bool");
  NUL(bdb_doc_get_uint(NULL, "age", &u64), "bdb_doc_get_uint");
  NUL(bdb_doc_get_int(NULL, "age", &i64), "bdb_doc_get_int");
  NUL(bdb_doc_get_double(NULL, "age", &dbl), "bdb_doc_get_double");
  NUL(bdb_doc_get_string(NULL, "id", &str, &len), "bdb_doc_get_string");
  NUL(bdb_doc_get_bytes(NULL, "id", &bytes, &len), "bdb_doc_get_bytes");
  NUL(bdb_doc_get_json(NULL, "id", &text), "bdb_doc_get_json");
  NUL(bdb_doc_get_blob_id(NULL, "id", blob_id), "bdb_doc_get_blob_id");
  assert_null(fixed);
  assert_null(heap);
  assert_null(str);
  assert_null(bytes);
  /* The accessors without a status answer "nothing" for NULL. */
  assert_null(bdb_doc_table(NULL));
  assert_int_equal(bdb_doc_field_count(NULL), 0);
  assert_null(bdb_doc_field_name(NULL, 0));
  assert_int_equal(bdb_doc_field_type(NULL, "age"), 0);
  assert_int_equal(bdb_doc_has(NULL, "age"), 0);
  assert_int_equal(bdb_doc_version(NULL), 0);
  assert_int_equal(bdb_doc_misc(NULL), 0);
  assert_int_equal(bdb_doc_schema_version(NULL), 0);
  /* No handle to be NULL: they answer as documented whatever came before. */
  assert_int_equal(bdb_errcode(), BDB_E_INVALID);
  assert_non_null(bdb_errmsg());
  assert_non_null(bdb_status_str(-1));
  assert_int_equal(bdb_abi_version(), BDB_ABI_VERSION);
  assert_string_equal(bdb_version(), BDB_VERSION_STRING);
  bdb_free(NULL);
  assert_null(d);
  assert_null(b);
  assert_null(q);
  assert_null(c);
  assert_null(text);
  /* The frees and closes take NULL. */
  bdb_batch_free(NULL);
  bdb_query_free(NULL);
  bdb_cursor_free(NULL);
  bdb_doc_free(NULL);
  bdb_options_free(NULL);
  h_ok(bdb_db_close(NULL));
  bdb_close(NULL);
#undef NUL
  h_ok(bdb_db_close(db));
}

/* One cursor, two threads calling next at once: calls are serialised, so every row comes
 * out exactly once between them. */
enum { kRows = 300 };
typedef struct drain {
  bdb_cursor *c;
  int got[kRows];
  int errors;
} drain;

static void *drain_cursor(void *arg) {
  drain *w = arg;
  for (;;) {
    bdb_doc *d = NULL;
    if (bdb_cursor_next(w->c, &d) != BDB_OK) {
      w->errors++;
      return NULL;
    }
    if (!d) return NULL;
    uint64_t age = 0;
    const char *id = NULL;
    size_t len = 0;
    if (bdb_doc_get_uint(d, "age", &age) || bdb_doc_get_string(d, "id", &id, &len))
      w->errors++;
    else
      w->got[atoi(id + 1)]++;
    bdb_doc_free(d);
  }
}

static void cursor_from_two_threads(void **state) {
  (void)state;
  bdb_db *db = open_users(kRows);
  bdb_query *q = NULL;
  bdb_cursor *c = NULL;
  h_ok(bdb_query_new(db, "users", &q));
  h_ok(bdb_query_exec(q, &c));
  drain a = {c, {0}, 0}, b = {c, {0}, 0};
  pthread_t ta, tb;
  assert_int_equal(pthread_create(&ta, NULL, drain_cursor, &a), 0);
  assert_int_equal(pthread_create(&tb, NULL, drain_cursor, &b), 0);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  assert_int_equal(a.errors + b.errors, 0);
  for (int i = 0; i < kRows; i++) assert_int_equal(a.got[i] + b.got[i], 1);
  bdb_cursor_free(c);
  bdb_query_free(q);
  h_ok(bdb_db_close(db));
}

/* A close while other threads keep calling: each call either works or fails cleanly as
 * closed; none after a closed one works; the handles stay valid until freed. */
typedef struct hammer {
  bdb_db *db;
  bdb_query *q;
  pthread_barrier_t *start;
  int ok, closed, other, ok_after_closed;
} hammer;

static void *hammer_calls(void *arg) {
  hammer *h = arg;
  pthread_barrier_wait(h->start);
  for (int i = 0; i < 100000; i++) {
    char *json = NULL;
    uint64_t n = 0;
    bdb_status st =
        (i % 2) ? bdb_get_json(h->db, "users", "u001", &json) : bdb_query_count(h->q, &n);
    bdb_free(json);
    if (st == BDB_OK) {
      __atomic_add_fetch(&h->ok, 1, __ATOMIC_RELAXED); /* the main thread watches it */
      if (h->closed) h->ok_after_closed++;
    } else if (st == BDB_E_INVALID && strstr(bdb_errmsg(), "closed")) {
      if (++h->closed > 20) break;
    } else {
      h->other++;
    }
  }
  return NULL;
}

static void close_while_other_threads_call(void **state) {
  (void)state;
  bdb_db *db = open_users(5);
  pthread_barrier_t start;
  pthread_barrier_init(&start, NULL, 3);
  hammer h[2];
  pthread_t t[2];
  for (int i = 0; i < 2; i++) {
    memset(&h[i], 0, sizeof h[i]);
    h[i].db = db;
    h[i].start = &start;
    h_ok(bdb_query_new(db, "users", &h[i].q));
    assert_int_equal(pthread_create(&t[i], NULL, hammer_calls, &h[i]), 0);
  }
  pthread_barrier_wait(&start);
  while (__atomic_load_n(&h[0].ok, __ATOMIC_RELAXED) < 20 ||
         __atomic_load_n(&h[1].ok, __ATOMIC_RELAXED) < 20)
    sched_yield();
  h_ok(bdb_db_close(db));
  for (int i = 0; i < 2; i++) {
    pthread_join(t[i], NULL);
    assert_true(h[i].ok >= 20);
    assert_true(h[i].closed > 0);
    assert_int_equal(h[i].ok_after_closed, 0);
    assert_int_equal(h[i].other, 0);
    bdb_query_free(h[i].q);
  }
  pthread_barrier_destroy(&start);
}

/* bdb_db_close reports a merge at close that failed; the commits stay in the log. */
static void close_reports_a_failed_merge(void **state) {
  (void)state;
  char uri[64], faulty[160];
  h_memory_uri(uri, sizeof uri);
  bdb_db *db = h_open(uri, NULL);
  h_register(db, kUsers);
  h_commit_json(db, "insert", "users", "{\"id\":\"a\",\"age\":1}");
  h_commit_json(db, "insert", "users", "{\"id\":\"b\",\"age\":2}");
  h_ok(bdb_db_close(db));

  /* Every put fails with an I/O error: the merge at close cannot write its blocks. */
  snprintf(faulty, sizeof faulty, "faulty:%s?faulty.ops=put&faulty.every=1&faulty.status=io", uri);
  db = h_open(faulty, "autoMerge", "1", "mergeThresholdEntries", "1", "writeForwardInterval",
              "60000", NULL);
  bdb_status st = bdb_db_close(db);
  h_expect_err(st, BDB_E_IO, "bdb_db_close: ", "injected", NULL);

  /* Nothing was lost: the rows are read back from the log. */
  db = h_open(uri, NULL);
  h_assert_row(db, "users", "b", "{\"id\":\"b\",\"age\":2}");
  /* And a close with nothing to merge says so. */
  h_ok(bdb_db_close(db));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(children_of_a_closed_database_fail_by_name),
      cmocka_unit_test(calls_on_a_closed_database_fail_by_name),
      cmocka_unit_test(get_after_close_with_an_earlier_key),
      cmocka_unit_test(children_freed_before_close),
      cmocka_unit_test(null_everywhere),
      cmocka_unit_test(cursor_from_two_threads),
      cmocka_unit_test(close_while_other_threads_call),
      cmocka_unit_test(close_reports_a_failed_merge),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
