/* The C shim under the SWIG bindings (bindings/shim/bdb_shim.h), called as the languages'
 * wrappers call it: errors in the thread-locals, every order of closing and freeing its
 * handles (as garbage collectors free them), NULL for every handle, a closed database, the
 * loggers' references and the createIfMissing default. Run under AddressSanitizer (leaks
 * included), a use of freed memory or a double free fails the test. */
#include "bdb_shim.h"
#include "helper.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

static const char *kUsers =
    "{\"name\":\"users\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10,\"maxLength\":16},"
    "\"age\":{\"typeId\":1}},\"primaryKey\":\"id\"}";

/* Asserts the shim's last status on this thread and that its message holds `part`. */
#define EXPECT(status, part) expect_at((status), (part), __FILE__, __LINE__)
static void expect_at(int status, const char *part, const char *file, int line) {
  if (bdbx_last_status() != status || !strstr(bdbx_last_message(), part)) {
    fprintf(stderr, "%s:%d: want status %d with \"%s\", got %d \"%s\"\n", file, line, status, part,
            bdbx_last_status(), bdbx_last_message());
    fail();
  }
}
#define EXPECT_OK() EXPECT(BDB_OK, "")

static bdbx_options *quiet_options(void) {
  bdbx_options *o = new_bdbx_options();
  assert_non_null(o);
  bdbx_options_set(o, "autoMerge", "0");
  bdbx_options_set(o, "logLevel", "silent");
  EXPECT_OK();
  return o;
}

/* A fresh database with the users table and `rows` rows, opened by the shim's default
 * (createIfMissing). */
static bdbx_db *open_users(int rows) {
  char uri[64];
  h_memory_uri(uri, sizeof uri);
  bdbx_options *o = quiet_options();
  bdbx_db *db = new_bdbx_db(uri, o);
  delete_bdbx_options(o);
  EXPECT_OK();
  assert_non_null(db);
  bdbx_db_registerSchema(db, kUsers, 0);
  EXPECT_OK();
  bdbx_batch *b = bdbx_db_batch(db);
  for (int i = 0; i < rows; i++) {
    char json[64];
    snprintf(json, sizeof json, "{\"id\":\"u%03d\",\"age\":%d}", i, i % 100);
    bdbx_batch_insertJson(b, "users", json);
    EXPECT_OK();
  }
  if (rows) bdbx_batch_commit(b);
  EXPECT_OK();
  delete_bdbx_batch(b);
  return db;
}

/* ---- errors ------------------------------------------------------------------------------ */

static void library_errors_land_in_the_thread_locals(void **state) {
  (void)state;
  int64_t live = bdbx_live_handles();
  bdbx_db *db = open_users(1);
  char *missing = bdbx_db_getJson(db, "users", "nobody");
  assert_null(missing);
  EXPECT(BDB_E_NOT_FOUND, "users");
  assert_string_equal(bdbx_last_message(), bdb_errmsg()); /* the library's own words */

  bdbx_doc *bad = bdbx_db_docFromJson(db, "users", "{\"id\":");
  assert_null(bad);
  EXPECT(BDB_E_JSON, "");
  assert_true(bdbx_last_message()[0] != '\0');

  char *row = bdbx_db_getJson(db, "users", "u000"); /* a success resets both */
  EXPECT_OK();
  assert_string_equal(bdbx_last_message(), "");
  bdb_free(row);
  delete_bdbx_db(db);
  assert_int_equal(bdbx_live_handles(), live);
}

typedef struct thread_outcome {
  int status;
  char message[128];
} thread_outcome;

static void *fail_on_a_thread(void *arg) {
  thread_outcome *out = (thread_outcome *)arg;
  bdbx_batch_commit(NULL);
  out->status = bdbx_last_status();
  snprintf(out->message, sizeof out->message, "%s", bdbx_last_message());
  return NULL;
}

static void each_thread_has_its_own_outcome(void **state) {
  (void)state;
  bdbx_fail(BDB_E_BUSY, "this thread's own failure");
  thread_outcome other = {0, ""};
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, fail_on_a_thread, &other), 0);
  assert_int_equal(pthread_join(t, NULL), 0);
  assert_int_equal(other.status, BDB_E_INVALID);
  assert_string_equal(other.message, "the batch is closed");
  EXPECT(BDB_E_BUSY, "this thread's own failure");
  bdbx_reset();
  EXPECT_OK();
}

/* ---- NULL handles ------------------------------------------------------------------------ */

static void null_handles_fail_without_crashing(void **state) {
  (void)state;
  assert_null(new_bdbx_db(NULL, NULL));
  EXPECT(BDB_E_INVALID, "open: the URI is null");

  bdbx_options_set(NULL, "autoMerge", "0");
  EXPECT(BDB_E_INVALID, "the options handle is null");

  bdbx_db_registerSchema(NULL, kUsers, 0);
  EXPECT(BDB_E_INVALID, "the database handle is null");
  assert_null(bdbx_db_batch(NULL));
  EXPECT(BDB_E_INVALID, "the database handle is null");
  assert_null(bdbx_db_query(NULL, "users"));
  EXPECT(BDB_E_INVALID, "the database handle is null");
  assert_null(bdbx_db_newDoc(NULL, "users"));
  EXPECT(BDB_E_INVALID, "the database handle is null");
  assert_null(bdbx_db_blobRead(NULL, "id").data);
  EXPECT(BDB_E_INVALID, "the database handle is null");
  assert_int_equal(bdbx_db_merge(NULL), 0);
  EXPECT(BDB_E_INVALID, "the database handle is null");
  assert_int_equal(bdbx_db_isOpen(NULL), 0);
  bdbx_db_close(NULL);
  EXPECT_OK();

  bdbx_batch_insertJson(NULL, "users", "{}");
  EXPECT(BDB_E_INVALID, "the batch is closed");
  assert_int_equal(bdbx_batch_commit(NULL), 0);
  EXPECT(BDB_E_INVALID, "the batch is closed");
  bdbx_query_where(NULL, "age", ">", "1");
  EXPECT(BDB_E_INVALID, "the query is closed");
  assert_null(bdbx_query_exec(NULL));
  EXPECT(BDB_E_INVALID, "the query is closed");
  assert_null(bdbx_cursor_next(NULL));
  EXPECT(BDB_E_INVALID, "the cursor is closed");
  assert_null(bdbx_cursor_pageToken(NULL));
  EXPECT(BDB_E_INVALID, "the cursor is closed");

  assert_null(bdbx_doc_table(NULL));
  EXPECT(BDB_E_INVALID, "the document is closed");
  bdbx_doc_setInt(NULL, "age", 1);
  EXPECT(BDB_E_INVALID, "the document is closed");
  assert_null(bdbx_doc_getString(NULL, "id").data);
  EXPECT(BDB_E_INVALID, "the document is closed");
  assert_null(bdbx_doc_present(NULL).data);
  EXPECT(BDB_E_INVALID, "the document is closed");
  assert_int_equal(bdbx_doc_isOpen(NULL), 0);

  assert_int_equal(bdbx_row_version(NULL), 0);
  assert_null(bdbx_row_fixed(NULL).data);

  /* A NULL document argument to a live handle. */
  bdbx_db *db = open_users(0);
  bdbx_batch *b = bdbx_db_batch(db);
  bdbx_batch_insert(b, NULL);
  EXPECT(BDB_E_INVALID, "the document is closed");
  assert_null(bdbx_db_get(db, NULL));
  EXPECT(BDB_E_INVALID, "the document is closed");

  /* The finalizers take NULL. */
  delete_bdbx_options(NULL);
  delete_bdbx_db(NULL);
  delete_bdbx_batch(NULL);
  delete_bdbx_query(NULL);
  delete_bdbx_cursor(NULL);
  delete_bdbx_doc(NULL);
  delete_bdbx_row(NULL);
  delete_bdbx_batch(b);
  delete_bdbx_db(db);
}

/* ---- a closed database ------------------------------------------------------------------- */

static void a_closed_database_fails_every_call(void **state) {
  (void)state;
  bdbx_db *db = open_users(2);
  assert_true(bdbx_db_isOpen(db));
  bdbx_db_close(db);
  EXPECT_OK();
  assert_false(bdbx_db_isOpen(db));
  bdbx_db_close(db); /* a second close does nothing */
  EXPECT_OK();

  assert_null(bdbx_db_getJson(db, "users", "u000"));
  EXPECT(BDB_E_INVALID, "the database is closed");
  assert_null(bdbx_db_batch(db));
  EXPECT(BDB_E_INVALID, "the database is closed");
  assert_null(bdbx_db_keyDoc(db, "users", "u000"));
  EXPECT(BDB_E_INVALID, "the database is closed");
  bdbx_db_refresh(db);
  EXPECT(BDB_E_INVALID, "the database is closed");
  bdbx_db_interrupt(db);
  EXPECT(BDB_E_INVALID, "the database is closed");
  delete_bdbx_db(db); /* the finalizer after close */
}

/* Children made before the close fail with the library's message naming the call. */
static void children_of_a_closed_database_fail_by_name(void **state) {
  (void)state;
  int64_t live = bdbx_live_handles();
  bdbx_db *db = open_users(3);
  bdbx_batch *b = bdbx_db_batch(db);
  bdbx_query *q = bdbx_db_query(db, "users");
  bdbx_cursor *c = bdbx_query_exec(q);
  bdbx_doc *first = bdbx_cursor_next(c);
  EXPECT_OK();
  assert_non_null(first);

  bdbx_db_close(db);
  EXPECT_OK();
  bdbx_batch_insertJson(b, "users", "{\"id\":\"late\",\"age\":1}");
  EXPECT(BDB_E_INVALID, "the database this batch belongs to is closed");
  bdbx_query_limit(q, 1);
  EXPECT(BDB_E_INVALID, "the database this query belongs to is closed");
  assert_null(bdbx_cursor_next(c));
  EXPECT(BDB_E_INVALID, "the database this cursor belongs to is closed");

  /* A document is a value: it outlives its database. */
  assert_string_equal(bdbx_doc_table(first), "users");
  bdbx_bytes id = bdbx_doc_getString(first, "id");
  EXPECT_OK();
  assert_int_equal(id.len, 4);
  assert_memory_equal(id.data, "u000", 4);

  delete_bdbx_db(db); /* the database's finalizer before its children's */
  delete_bdbx_cursor(c);
  delete_bdbx_query(q);
  delete_bdbx_batch(b);
  delete_bdbx_doc(first);
  assert_int_equal(bdbx_live_handles(), live);
}

/* ---- the order of closes and frees -------------------------------------------------------- */

/* Each child: close() frees now and is idempotent; calls after it fail by the shim's message;
 * the finalizer after close frees the shell only. */
static void children_close_twice_then_finalize(void **state) {
  (void)state;
  int64_t live = bdbx_live_handles();
  bdbx_db *db = open_users(2);
  bdbx_batch *b = bdbx_db_batch(db);
  bdbx_query *q = bdbx_db_query(db, "users");
  bdbx_cursor *c = bdbx_query_exec(q);
  EXPECT_OK();

  bdbx_batch_close(b);
  bdbx_batch_close(b);
  EXPECT_OK();
  bdbx_batch_insertJson(b, "users", "{\"id\":\"x\",\"age\":1}");
  EXPECT(BDB_E_INVALID, "the batch is closed");

  bdbx_query_close(q); /* the cursor it made lives on */
  bdbx_query_close(q);
  EXPECT_OK();
  assert_null(bdbx_query_exec(q));
  EXPECT(BDB_E_INVALID, "the query is closed");
  bdbx_doc *row = bdbx_cursor_next(c);
  EXPECT_OK();
  assert_non_null(row);

  bdbx_cursor_close(c);
  bdbx_cursor_close(c);
  EXPECT_OK();
  assert_null(bdbx_cursor_next(c));
  EXPECT(BDB_E_INVALID, "the cursor is closed");

  bdbx_doc_dispose(row);
  bdbx_doc_dispose(row);
  EXPECT_OK();
  assert_false(bdbx_doc_isOpen(row));
  assert_null(bdbx_doc_toJson(row));
  EXPECT(BDB_E_INVALID, "the document is closed");

  delete_bdbx_batch(b);
  delete_bdbx_query(q);
  delete_bdbx_cursor(c);
  delete_bdbx_doc(row);
  delete_bdbx_db(db);
  assert_int_equal(bdbx_live_handles(), live);
}

/* Finalizers in the order a collector may pick: the database first, with no close, while a
 * cursor, its query and a batch live; the cursor still reads nothing but fails by name. */
static void database_finalized_before_its_children(void **state) {
  (void)state;
  int64_t live = bdbx_live_handles();
  bdbx_db *db = open_users(2);
  bdbx_query *q = bdbx_db_query(db, "users");
  bdbx_cursor *c = bdbx_query_exec(q);
  bdbx_batch *b = bdbx_db_batch(db);
  delete_bdbx_db(db);
  assert_null(bdbx_cursor_next(c));
  EXPECT(BDB_E_INVALID, "the database this cursor belongs to is closed");
  delete_bdbx_query(q);
  delete_bdbx_cursor(c);
  bdbx_batch_clear(b);
  delete_bdbx_batch(b);
  assert_int_equal(bdbx_live_handles(), live);
}

/* Rows copy the document's bytes: a row outlives its document and its database. */
static void a_row_outlives_its_document(void **state) {
  (void)state;
  int64_t live = bdbx_live_handles();
  bdbx_db *db = open_users(1);
  bdbx_doc *key = bdbx_db_keyDoc(db, "users", "u000");
  bdbx_doc *doc = bdbx_db_get(db, key);
  EXPECT_OK();
  bdbx_row *row = bdbx_doc_toRow(doc);
  EXPECT_OK();
  assert_non_null(row);
  delete_bdbx_doc(doc);
  delete_bdbx_doc(key);
  bdbx_db_close(db);
  assert_int_equal(bdbx_row_version(row), 1);
  bdbx_bytes fixed = bdbx_row_fixed(row);
  assert_non_null(fixed.data);
  assert_true(fixed.len > 0);
  assert_false(fixed.owned);
  delete_bdbx_row(row);
  delete_bdbx_db(db);
  assert_int_equal(bdbx_live_handles(), live);
}

/* ---- a close racing calls on other threads ------------------------------------------------ */

typedef struct racer {
  bdbx_db *db;
  int ok, closed, other;
} racer;

static void *call_until_closed(void *arg) {
  racer *r = (racer *)arg;
  for (;;) {
    char *json = bdbx_db_getJson(r->db, "users", "u001");
    bdb_free(json);
    if (bdbx_last_status() == BDB_OK)
      __atomic_add_fetch(&r->ok, 1, __ATOMIC_RELAXED); /* the main thread watches it */
    else if (bdbx_last_status() == BDB_E_INVALID && strstr(bdbx_last_message(), "closed"))
      r->closed++;
    else
      r->other++;
    if (r->closed > 10 || r->other) return NULL;
  }
}

/* The anchor keeps the database a zombie while calls are in flight: no call reads freed
 * memory, each one succeeds or fails as closed. */
static void close_while_other_threads_call(void **state) {
  (void)state;
  bdbx_db *db = open_users(2);
  racer r[3];
  pthread_t t[3];
  for (int i = 0; i < 3; i++) {
    r[i] = (racer){db, 0, 0, 0};
    assert_int_equal(pthread_create(&t[i], NULL, call_until_closed, &r[i]), 0);
  }
  while (__atomic_load_n(&r[0].ok, __ATOMIC_RELAXED) < 20) sched_yield();
  bdbx_db_close(db);
  EXPECT_OK();
  for (int i = 0; i < 3; i++) {
    assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(r[i].other, 0);
    assert_true(r[i].closed > 10);
  }
  delete_bdbx_db(db);
}

/* ---- loggers ----------------------------------------------------------------------------- */

typedef struct counting_logger {
  bdbx_logger base;
  int lines;
  int released;
  char last_subsystem[64];
  char last_message[64];
} counting_logger;

static void count_line(void *ctx, int level, const char *subsystem, const char *message) {
  counting_logger *l = (counting_logger *)ctx;
  (void)level;
  __atomic_add_fetch(&l->lines, 1, __ATOMIC_RELAXED);
  snprintf(l->last_subsystem, sizeof l->last_subsystem, "%s", subsystem);
  snprintf(l->last_message, sizeof l->last_message, "%s", message);
}
static void count_release(bdbx_logger *self) {
  ((counting_logger *)self)->released++;
}

static counting_logger counting(void) {
  counting_logger l;
  memset(&l, 0, sizeof l);
  l.base.refs = 1; /* the reference setLogger/setProgress takes */
  l.base.fn = count_line;
  l.base.release = count_release;
  return l;
}

/* Options, the database and each child hold the logger; it goes with the last of them. */
static void the_logger_goes_with_its_last_holder(void **state) {
  (void)state;
  counting_logger l = counting();
  char uri[64];
  h_memory_uri(uri, sizeof uri);
  bdbx_options *o = quiet_options();
  bdbx_options_setLogger(o, &l.base);
  EXPECT_OK();
  bdbx_db *db = new_bdbx_db(uri, o);
  EXPECT_OK();
  bdbx_batch *b = bdbx_db_batch(db);
  delete_bdbx_options(o);
  bdbx_db_close(db);
  delete_bdbx_db(db);
  assert_int_equal(l.released, 0); /* the batch still holds it */
  delete_bdbx_batch(b);
  assert_int_equal(l.released, 1);
  assert_int_equal(l.base.refs, 0);
}

/* setLogger on no options, or with a logger the library refuses, drops the reference. */
static void a_refused_logger_is_released(void **state) {
  (void)state;
  counting_logger l = counting();
  bdbx_options_setLogger(NULL, &l.base);
  EXPECT(BDB_E_INVALID, "the options handle is null");
  assert_int_equal(l.released, 1);

  counting_logger replaced = counting(), kept = counting();
  bdbx_options *o = new_bdbx_options();
  bdbx_options_setLogger(o, &replaced.base);
  bdbx_options_setLogger(o, &kept.base); /* the first is dropped */
  assert_int_equal(replaced.released, 1);
  assert_int_equal(kept.released, 0);
  delete_bdbx_options(o);
  assert_int_equal(kept.released, 1);
}

/* Progress reaches the language through its logger: subsystem the task, "DONE TOTAL". */
static void progress_arrives_as_log_lines(void **state) {
  (void)state;
  counting_logger p = counting();
  char uri[64];
  h_memory_uri(uri, sizeof uri);
  bdbx_options *o = quiet_options();
  bdbx_options_setProgress(o, &p.base);
  bdbx_db *db = new_bdbx_db(uri, o);
  delete_bdbx_options(o);
  bdbx_db_registerSchema(db, kUsers, 0);
  bdbx_batch *b = bdbx_db_batch(db);
  bdbx_batch_insertJson(b, "users", "{\"id\":\"u1\",\"age\":1}");
  bdbx_batch_commit(b);
  delete_bdbx_batch(b);
  h_dir dir;
  h_dir_make(&dir);
  char path[300];
  snprintf(path, sizeof path, "%s/export.ndjson", dir.path);
  assert_int_equal(bdbx_db_exportTo(db, path), 1);
  EXPECT_OK();
  assert_true(p.lines > 0);
  assert_string_equal(p.last_subsystem, "export");
  assert_string_equal(p.last_message, "1 1"); /* done, total */
  delete_bdbx_db(db);
  assert_int_equal(p.released, 1);
  h_dir_remove(&dir);
}

/* ---- the bindings' createIfMissing default ------------------------------------------------ */

static void open_creates_unless_told_otherwise(void **state) {
  (void)state;
  char uri[64];
  h_memory_uri(uri, sizeof uri);
  bdbx_options *o = quiet_options();
  bdbx_options_set(o, "createIfMissing", "0");
  assert_null(new_bdbx_db(uri, o));
  EXPECT(BDB_E_NOT_FOUND, "");
  delete_bdbx_options(o);

  o = quiet_options();
  bdbx_db *db = new_bdbx_db(uri, o); /* creates */
  EXPECT_OK();
  assert_non_null(db);
  delete_bdbx_db(db);
  delete_bdbx_options(o);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(library_errors_land_in_the_thread_locals),
      cmocka_unit_test(each_thread_has_its_own_outcome),
      cmocka_unit_test(null_handles_fail_without_crashing),
      cmocka_unit_test(a_closed_database_fails_every_call),
      cmocka_unit_test(children_of_a_closed_database_fail_by_name),
      cmocka_unit_test(children_close_twice_then_finalize),
      cmocka_unit_test(database_finalized_before_its_children),
      cmocka_unit_test(a_row_outlives_its_document),
      cmocka_unit_test(close_while_other_threads_call),
      cmocka_unit_test(the_logger_goes_with_its_last_holder),
      cmocka_unit_test(a_refused_logger_is_released),
      cmocka_unit_test(progress_arrives_as_log_lines),
      cmocka_unit_test(open_creates_unless_told_otherwise),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
