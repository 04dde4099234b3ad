/* bdb_db_interrupt: calls stuck on a slow store (the in-process driver's delay, which asks
 * host->interrupted, or the faulty: layer's) return BDB_E_INTERRUPTED long before the delay
 * ends; the handle works afterwards; a commit either landed or can be committed again. Calls
 * run on threads that record what they saw; the main thread asserts. */
#include "helper.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "inproc_driver.h"

#define DELAY_MS 2000
/* An interrupted call returns within this (the delay would take DELAY_MS). */
#define SOON_MS 1000

static const char *kRows =
    "{\"name\":\"rows\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10},\"v\":{\"typeId\":2}},"
    "\"primaryKey\":\"id\"}";

static inproc_driver g_driver;

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static void set_delay(int ms) {
  __atomic_store_n(&g_driver.delay_ms, ms, __ATOMIC_RELAXED);
}

static int group_setup(void **state) {
  (void)state;
  inproc_driver_init(&g_driver, "interrupt");
  return bdb_driver_register("inproc-intr", &g_driver.table) == BDB_OK ? 0 : -1;
}

/* A fresh database on the in-process store `name`, every read looking at the log. */
static bdb_db *open_rows(const char *name) {
  char uri[96];
  snprintf(uri, sizeof uri, "inproc-intr:%s", name);
  set_delay(0);
  bdb_db *db = h_open(uri, "createIfMissing", "1", "readStalenessMs", "0", NULL);
  h_register(db, kRows);
  return db;
}

/* One call on another thread: what it returned, its message, how long it took. */
typedef struct call {
  bdb_db *db;
  bdb_batch *batch;
  const char *key;
  bdb_status st;
  char msg[512];
  long long took_ms;
  pthread_t thread;
} call;

static void finish(call *c, bdb_status st, long long started) {
  c->st = st;
  c->took_ms = now_ms() - started;
  snprintf(c->msg, sizeof c->msg, "%s", st ? bdb_errmsg() : "");
}

static void *run_get(void *arg) {
  call *c = arg;
  long long started = now_ms();
  char *json = NULL;
  bdb_status st = bdb_get_json(c->db, "rows", c->key, &json);
  bdb_free(json);
  finish(c, st, started);
  return NULL;
}

static void *run_commit(void *arg) {
  call *c = arg;
  long long started = now_ms();
  uint64_t seq = 0;
  finish(c, bdb_batch_commit(c->batch, &seq), started);
  return NULL;
}

static void *run_gc(void *arg) {
  call *c = arg;
  long long started = now_ms();
  uint64_t deleted = 0;
  finish(c, bdb_db_gc(c->db, &deleted), started);
  return NULL;
}

static void start(call *c, void *(*fn)(void *)) {
  assert_int_equal(pthread_create(&c->thread, NULL, fn, c), 0);
}

static void join(call *c) {
  assert_int_equal(pthread_join(c->thread, NULL), 0);
}

static void test_get_interrupted(void **state) {
  (void)state;
  bdb_db *db = open_rows("get");
  h_commit_json(db, "insert", "rows", "{\"id\":\"a\",\"v\":1}");
  int let_go = __atomic_load_n(&g_driver.let_go, __ATOMIC_RELAXED);
  set_delay(DELAY_MS);
  call c = {.db = db, .key = "a"};
  start(&c, run_get);
  sleep_ms(200);
  long long asked = now_ms();
  h_ok(bdb_db_interrupt(db));
  join(&c);
  assert_int_equal(c.st, BDB_E_INTERRUPTED);
  h_assert_contains(c.msg, "bdb_get_json: interrupted");
  assert_true(c.took_ms < SOON_MS);
  assert_true(now_ms() - asked < SOON_MS);
  /* The driver let its delay go when asked. */
  assert_true(__atomic_load_n(&g_driver.let_go, __ATOMIC_RELAXED) > let_go);

  /* Calls started afterwards run normally, slow store or not. */
  set_delay(50);
  h_assert_row(db, "rows", "a", "{\"id\":\"a\",\"v\":1}");
  set_delay(0);
  h_commit_json(db, "insert", "rows", "{\"id\":\"b\",\"v\":2}");
  h_assert_row(db, "rows", "b", "{\"id\":\"b\",\"v\":2}");
  bdb_close(db);
}

/* Whether row `key` is there (its JSON), with no delay. */
static int has_row(bdb_db *db, const char *key) {
  char *json = h_get_json(db, "rows", key);
  bdb_free(json);
  return json != NULL;
}

/* A committed batch either landed (BDB_OK: visible) or did not (BDB_E_INTERRUPTED: absent,
 * and committing it again commits it once). */
static void check_outcome(bdb_db *db, call *c) {
  if (c->st == BDB_OK) {
    assert_true(has_row(db, c->key));
    return;
  }
  assert_int_equal(c->st, BDB_E_INTERRUPTED);
  h_assert_contains(c->msg, "bdb_batch_commit: interrupted");
  assert_true(c->took_ms < SOON_MS);
  assert_false(has_row(db, c->key));
  uint64_t seq = 0;
  h_ok(bdb_batch_commit(c->batch, &seq));
  assert_true(has_row(db, c->key));
  h_ok(bdb_batch_commit(c->batch, &seq)); /* emptied by the commit: nothing more */
}

static void test_commit_interrupted(void **state) {
  (void)state;
  bdb_db *db = open_rows("commit");
  call first = {.db = db, .key = "first"}, queued = {.db = db, .key = "queued"};
  h_ok(bdb_batch_new(db, &first.batch));
  h_ok(bdb_batch_new(db, &queued.batch));
  h_ok(bdb_batch_insert_json(first.batch, "rows", "{\"id\":\"first\",\"v\":1}"));
  h_ok(bdb_batch_insert_json(queued.batch, "rows", "{\"id\":\"queued\",\"v\":2}"));
  set_delay(DELAY_MS);
  /* `first` writes the group (its requests are slow); `queued` waits behind it. */
  start(&first, run_commit);
  sleep_ms(150);
  start(&queued, run_commit);
  sleep_ms(150);
  h_ok(bdb_db_interrupt(db));
  join(&queued);
  join(&first);
  set_delay(0);
  /* The waiting one was never written: interrupted at once, its batch intact. */
  assert_int_equal(queued.st, BDB_E_INTERRUPTED);
  h_assert_contains(queued.msg, "waiting for its turn to commit");
  /* The writer was interrupted before its log entry, or its entry's PUT (never interrupted)
   * landed. */
  check_outcome(db, &first);
  check_outcome(db, &queued);
  bdb_batch_free(first.batch);
  bdb_batch_free(queued.batch);
  bdb_close(db);
  /* Nothing half-applied: a fresh handle sees both rows once. */
  db = open_rows("commit");
  assert_true(has_row(db, "first") && has_row(db, "queued"));
  bdb_close(db);
}

/* The faulty: layer's delay asks the host too: a gc stuck in its bucket listing stops. */
static void test_faulty_delay_interrupted(void **state) {
  (void)state;
  bdb_close(open_rows("faulty"));
  bdb_db *db = h_open(
      "faulty:inproc-intr:faulty?faulty.every=1&faulty.action=delay&"
      "faulty.delay_ms=2000&faulty.ops=list",
      NULL);
  call c = {.db = db};
  start(&c, run_gc);
  sleep_ms(200);
  h_ok(bdb_db_interrupt(db));
  join(&c);
  assert_int_equal(c.st, BDB_E_INTERRUPTED);
  h_assert_contains(c.msg, "bdb_db_gc: interrupted");
  h_assert_contains(c.msg, "list");
  assert_true(c.took_ms < SOON_MS);
  bdb_close(db);
}

static void test_interrupt_idle_and_null(void **state) {
  (void)state;
  h_expect_err(bdb_db_interrupt(NULL), BDB_E_INVALID, "bdb_db_interrupt", "db is NULL", NULL);
  /* Nothing runs: nothing to stop, and later calls are not affected. */
  bdb_db *db = open_rows("idle");
  h_ok(bdb_db_interrupt(db));
  h_commit_json(db, "insert", "rows", "{\"id\":\"a\",\"v\":1}");
  h_assert_row(db, "rows", "a", "{\"id\":\"a\",\"v\":1}");
  bdb_close(db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_get_interrupted),
      cmocka_unit_test(test_commit_interrupted),
      cmocka_unit_test(test_faulty_delay_interrupted),
      cmocka_unit_test(test_interrupt_idle_and_null),
  };
  return cmocka_run_group_tests(tests, group_setup, NULL);
}
