/* The log: bdb_options_set_logger receives the engine's and the drivers' messages with their
 * level and subsystem, and logLevel filters both. */
#include "helper.h"
#include "inproc_driver.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

typedef struct captured {
  pthread_mutex_t mu;
  int count;
  int level[16];
  char subsystem[16][32];
  char message[16][512];
} captured;

static void capture(void *ctx, int level, const char *subsystem, const char *message) {
  captured *c = ctx;
  pthread_mutex_lock(&c->mu);
  if (c->count < 16) {
    c->level[c->count] = level;
    snprintf(c->subsystem[c->count], sizeof c->subsystem[0], "%s", subsystem);
    snprintf(c->message[c->count], sizeof c->message[0], "%s", message);
    c->count++;
  }
  pthread_mutex_unlock(&c->mu);
}

/* Opens uri with the logger and logLevel `level` (autoMerge off). */
static bdb_db *open_logged(const char *uri, const char *level, captured *c, bdb_status *st) {
  bdb_options *o = NULL;
  h_ok(bdb_options_new(&o));
  h_ok(bdb_options_set(o, "autoMerge", "0"));
  h_ok(bdb_options_set(o, "logLevel", level));
  h_ok(bdb_options_set(o, "createIfMissing", "1"));
  h_ok(bdb_options_set_logger(o, capture, c));
  bdb_db *db = NULL;
  *st = bdb_open(uri, o, &db);
  bdb_options_free(o);
  return db;
}

static int find(const captured *c, int level, const char *subsystem, const char *text) {
  for (int i = 0; i < c->count; i++)
    if (c->level[i] == level && strcmp(c->subsystem[i], subsystem) == 0 &&
        strstr(c->message[i], text))
      return 1;
  return 0;
}

/* The engine's warning about a store without conditional writes: at warn and below, not at
 * error or silent (it used to print at logLevel=error). */
static void engine_warning_honours_the_level(void **state) {
  (void)state;
  const char *levels[] = {"debug", "info", "warn", "error", "silent"};
  const int want[] = {1, 1, 1, 0, 0};
  for (int i = 0; i < 5; i++) {
    char mem[64], uri[128];
    h_memory_uri(mem, sizeof mem);
    snprintf(uri, sizeof uri, "faulty:%s?faulty.conditional=0", mem);
    captured c;
    memset(&c, 0, sizeof c);
    pthread_mutex_init(&c.mu, NULL);
    bdb_status st;
    bdb_db *db = open_logged(uri, levels[i], &c, &st);
    h_ok(st);
    assert_int_equal(find(&c, BDB_LOG_WARN, "engine", "no conditional writes"), want[i]);
    if (!want[i]) assert_int_equal(c.count, 0);
    h_ok(bdb_db_close(db));
    pthread_mutex_destroy(&c.mu);
  }
}

/* A driver's message reaches the logger through the host table, with the level the host
 * announced to it, and only when logLevel lets it through. */
static void driver_messages_go_through_the_same_log(void **state) {
  (void)state;
  static inproc_driver d;
  inproc_driver_init(&d, "log");
  h_ok(bdb_driver_register("inproc-log", &d.table));
  captured c;
  memset(&c, 0, sizeof c);
  pthread_mutex_init(&c.mu, NULL);
  bdb_status st;
  bdb_db *db = open_logged("inproc-log:l", "debug", &c, &st);
  h_ok(st);
  assert_true(find(&c, BDB_LOG_DEBUG, "driver", "inproc: opened"));
  h_ok(bdb_db_close(db));
  c.count = 0;
  db = open_logged("inproc-log:l", "info", &c, &st);
  h_ok(st);
  assert_false(find(&c, BDB_LOG_DEBUG, "driver", "inproc: opened"));
  h_ok(bdb_db_close(db));
  h_ok(bdb_driver_unregister("inproc-log"));
  pthread_mutex_destroy(&c.mu);
}

/* bdb_close (no status) logs a failed merge at close as an error of subsystem "merge". */
static void failed_merge_at_close_is_logged(void **state) {
  (void)state;
  char mem[64], uri[160];
  h_memory_uri(mem, sizeof mem);
  bdb_db *db = h_open(mem, NULL);
  h_register(db,
             "{\"name\":\"t\",\"version\":1,\"fields\":{\"k\":{\"typeId\":10}},"
             "\"primaryKey\":\"k\"}");
  h_commit_json(db, "insert", "t", "{\"k\":\"a\"}");
  h_ok(bdb_db_close(db));
  snprintf(uri, sizeof uri, "faulty:%s?faulty.ops=put&faulty.every=1&faulty.status=io", mem);
  captured c;
  memset(&c, 0, sizeof c);
  pthread_mutex_init(&c.mu, NULL);
  bdb_options *o = NULL;
  h_ok(bdb_options_new(&o));
  h_ok(bdb_options_set(o, "mergeThresholdEntries", "1"));
  h_ok(bdb_options_set(o, "writeForwardInterval", "60000"));
  h_ok(bdb_options_set(o, "logLevel", "error"));
  h_ok(bdb_options_set(o, "createIfMissing", "1"));
  h_ok(bdb_options_set_logger(o, capture, &c));
  h_ok(bdb_open(uri, o, &db));
  bdb_options_free(o);
  bdb_close(db);
  assert_true(find(&c, BDB_LOG_ERROR, "merge", "merge at close failed"));
  pthread_mutex_destroy(&c.mu);
}

static void null_options_and_stderr_again(void **state) {
  (void)state;
  h_expect_err(bdb_options_set_logger(NULL, capture, NULL), BDB_E_INVALID, "bdb_options_set_logger",
               "NULL", NULL);
  bdb_options *o = NULL;
  h_ok(bdb_options_new(&o));
  h_ok(bdb_options_set_logger(o, capture, NULL));
  h_ok(bdb_options_set_logger(o, NULL, NULL)); /* back to stderr */
  bdb_options_free(o);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(engine_warning_honours_the_level),
      cmocka_unit_test(driver_messages_go_through_the_same_log),
      cmocka_unit_test(failed_merge_at_close_is_logged),
      cmocka_unit_test(null_options_and_stderr_again),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
