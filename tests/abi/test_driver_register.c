/* bdb_driver_register: in-process drivers serve bdb_open, layers and bdb_driver_check; the
 * host checks their tables as it checks a plugin's; registration is safe from any thread. */
#include "helper.h"
#include "inproc_driver.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static const char *kKv =
    "{\"name\":\"kv\",\"version\":1,\"fields\":{\"k\":{\"typeId\":10},\"v\":{\"typeId\":2}},"
    "\"primaryKey\":\"k\"}";

static void open_commit_read_through_a_registered_driver(void **state) {
  (void)state;
  static inproc_driver d;
  inproc_driver_init(&d, "one");
  h_ok(bdb_driver_register("inproc-a", &d.table));
  bdb_db *db = h_open("inproc-a:store1", NULL);
  assert_int_equal(d.opens, 1); /* open() found its registration through host->driver */
  h_register(db, kKv);
  h_commit_json(db, "insert", "kv", "{\"k\":\"x\",\"v\":7}");
  h_ok(bdb_db_close(db));
  /* Opened again, the store still holds what was committed. */
  db = h_open("inproc-a:store1", NULL);
  h_assert_row(db, "kv", "x", "{\"k\":\"x\",\"v\":7}");
  h_ok(bdb_db_close(db));
  /* A layer wraps it like any plugin (on a store of its own: compress: frames every object). */
  db = h_open("compress:inproc-a:store2", NULL);
  h_register(db, kKv);
  h_commit_json(db, "insert", "kv", "{\"k\":\"z\",\"v\":9}");
  h_ok(bdb_db_close(db));
  db = h_open("compress:inproc-a:store2", NULL);
  h_assert_row(db, "kv", "z", "{\"k\":\"z\",\"v\":9}");
  h_ok(bdb_db_close(db));
  assert_int_equal(d.opens, 4);
  h_ok(bdb_driver_unregister("inproc-a"));
}

static void a_registered_driver_passes_the_conformance_checks(void **state) {
  (void)state;
  static inproc_driver d;
  inproc_driver_init(&d, "check");
  h_ok(bdb_driver_register("inproc-check", &d.table));
  char *json = NULL;
  h_ok(bdb_driver_check("inproc-check:checked", &json));
  h_assert_contains(json, "\"failed\":0");
  h_assert_contains(json, "\"driver\":\"inproc\"");
  bdb_free(json);
  h_ok(bdb_driver_unregister("inproc-check"));
}

/* A registered scheme is served before a plugin of the same name, and unregistering it gives
 * the plugin back. */
static void registration_shadows_a_plugin(void **state) {
  (void)state;
  static inproc_driver d;
  inproc_driver_init(&d, "shadow");
  h_ok(bdb_driver_register("memory", &d.table));
  bdb_db *db = h_open("memory:shadowed", NULL);
  assert_int_equal(d.opens, 1);
  char *stats = NULL;
  h_ok(bdb_db_stats_json(db, &stats));
  h_assert_contains(stats, "inproc");
  bdb_free(stats);
  h_ok(bdb_db_close(db));
  h_ok(bdb_driver_unregister("memory"));
  db = h_open("memory:shadowed", NULL);
  assert_int_equal(d.opens, 1);
  h_ok(bdb_db_close(db));
}

/* Registering again replaces the table for later opens; open instances keep theirs. */
static void registering_again_replaces(void **state) {
  (void)state;
  static inproc_driver a, b;
  inproc_driver_init(&a, "a");
  inproc_driver_init(&b, "b");
  h_ok(bdb_driver_register("inproc-r", &a.table));
  bdb_db *first = h_open("inproc-r:r", NULL);
  h_ok(bdb_driver_register("inproc-r", &b.table));
  bdb_db *second = h_open("inproc-r:r", NULL);
  assert_int_equal(a.opens, 1);
  assert_int_equal(b.opens, 1);
  h_register(first, kKv);
  h_commit_json(first, "insert", "kv", "{\"k\":\"y\",\"v\":1}");
  h_ok(bdb_db_close(first));
  h_ok(bdb_db_close(second));
  h_ok(bdb_driver_unregister("inproc-r"));
  h_expect_err(bdb_driver_unregister("inproc-r"), BDB_E_NOT_FOUND, "bdb_driver_unregister",
               "inproc-r", NULL);
  bdb_db *db = NULL;
  h_expect_err(bdb_open("inproc-r:r", NULL, &db), BDB_E_URI, "inproc-r", NULL);
  assert_null(db);
}

/* The host checks a registered table as it checks a plugin's. */
static void bad_tables_and_schemes_are_refused(void **state) {
  (void)state;
  static inproc_driver d;
  inproc_driver_init(&d, "bad");
  h_expect_err(bdb_driver_register(NULL, &d.table), BDB_E_INVALID, "bdb_driver_register", "NULL",
               NULL);
  h_expect_err(bdb_driver_register("x", NULL), BDB_E_INVALID, "bdb_driver_register", "NULL", NULL);
  h_expect_err(bdb_driver_register("", &d.table), BDB_E_INVALID, "invalid scheme", NULL);
  h_expect_err(bdb_driver_register("Upper", &d.table), BDB_E_INVALID, "'Upper'", NULL);
  h_expect_err(bdb_driver_register("a:b", &d.table), BDB_E_INVALID, "'a:b'", NULL);
  h_expect_err(bdb_driver_register("plugin", &d.table), BDB_E_INVALID, "'plugin'", NULL);
  h_expect_err(bdb_driver_unregister(NULL), BDB_E_INVALID, "bdb_driver_unregister", NULL);

  d.table.abi_version = 0;
  h_expect_err(bdb_driver_register("bad", &d.table), BDB_E_URI, "'bad:'",
               "unsupported ABI (version 0", NULL);
  d.table.abi_version = BDB_DRIVER_ABI_VERSION;
  d.table.struct_size = 16;
  h_expect_err(bdb_driver_register("bad", &d.table), BDB_E_URI, "table size 16", NULL);
  d.table.struct_size = sizeof d.table;
  d.table.release_list = NULL;
  h_expect_err(bdb_driver_register("bad", &d.table), BDB_E_URI, "lacks a required function", NULL);
  /* None of them was registered. */
  bdb_db *db = NULL;
  h_expect_err(bdb_open("bad:x", NULL, &db), BDB_E_URI, NULL);
  /* A table of a newer ABI with more fields than this host knows is taken. */
  inproc_driver_init(&d, "newer");
  d.table.abi_version = BDB_DRIVER_ABI_VERSION + 1;
  h_ok(bdb_driver_register("newer", &d.table));
  db = h_open("newer:n", NULL);
  h_ok(bdb_db_close(db));
  h_ok(bdb_driver_unregister("newer"));
}

/* Threads register, replace and unregister while others open databases on the scheme: every
 * open either uses one of the tables or fails cleanly as having no driver. */
enum { kRounds = 40 };
static inproc_driver g_race[2];

typedef struct opener {
  int opened, missing, other;
  char other_message[256]; /* the last unexpected failure, shown when the test fails */
} opener;

static void *register_loop(void *arg) {
  (void)arg;
  for (int i = 0; i < kRounds; i++) {
    bdb_driver_register("inproc-race", &g_race[i % 2].table);
    if (i % 3 == 0) bdb_driver_unregister("inproc-race");
  }
  return NULL;
}

static void *open_loop(void *arg) {
  opener *o = arg;
  for (int i = 0; i < kRounds; i++) {
    bdb_options *opts = NULL;
    bdb_db *db = NULL;
    bdb_options_new(&opts);
    bdb_options_set(opts, "autoMerge", "0");
    bdb_options_set(opts, "logLevel", "silent");
    bdb_options_set(opts, "createIfMissing", "1"); /* each table's store starts empty */
    bdb_status st = bdb_open("inproc-race:race", opts, &db);
    bdb_options_free(opts);
    if (st == BDB_OK) {
      o->opened++;
      bdb_close(db);
    } else if (st == BDB_E_URI) {
      o->missing++;
    } else {
      o->other++;
      snprintf(o->other_message, sizeof o->other_message, "status %d: %s", (int)st, bdb_errmsg());
    }
  }
  return NULL;
}

static void register_from_any_thread(void **state) {
  (void)state;
  inproc_driver_init(&g_race[0], "race0");
  inproc_driver_init(&g_race[1], "race1");
  pthread_t reg[2], op[2];
  opener o[2];
  memset(o, 0, sizeof o);
  for (int i = 0; i < 2; i++) {
    assert_int_equal(pthread_create(&reg[i], NULL, register_loop, NULL), 0);
    assert_int_equal(pthread_create(&op[i], NULL, open_loop, &o[i]), 0);
  }
  /* Every thread is joined before any verdict: a failed assertion leaves the test at once. */
  for (int i = 0; i < 2; i++) {
    pthread_join(reg[i], NULL);
    pthread_join(op[i], NULL);
  }
  for (int i = 0; i < 2; i++) {
    if (o[i].other) print_error("opener %d: %s\n", i, o[i].other_message);
    assert_int_equal(o[i].other, 0);
    assert_int_equal(o[i].opened + o[i].missing, kRounds);
  }
  assert_int_equal(g_race[0].opens + g_race[1].opens, o[0].opened + o[1].opened);
  bdb_driver_unregister("inproc-race");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(open_commit_read_through_a_registered_driver),
      cmocka_unit_test(a_registered_driver_passes_the_conformance_checks),
      cmocka_unit_test(registration_shadows_a_plugin),
      cmocka_unit_test(registering_again_replaces),
      cmocka_unit_test(bad_tables_and_schemes_are_refused),
      cmocka_unit_test(register_from_any_thread),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
