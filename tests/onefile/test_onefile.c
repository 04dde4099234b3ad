/* The one-file library (builtin/, -DBDB_ONEFILE=ON): this program links it alone, the shared
 * library (onefile.drivers) or the static archive (onefile.static), and CTest points
 * BUCKETDB_PLUGIN_PATH at an empty folder; the library itself lies in a folder without
 * plugins. Every store below is served by the drivers linked into the library, registered
 * when it was loaded (or, static, when the program started), inner drivers of layers too. */
#include "helper.h"
#include "inproc_driver.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *kKv =
    "{\"name\":\"kv\",\"version\":1,\"fields\":{\"k\":{\"typeId\":10},\"v\":{\"typeId\":10}},"
    "\"primaryKey\":\"k\"}";

/* Commits one row through `uri`, closes, opens again and reads it back; returns the stats
 * JSON of the second open (free with bdb_free). */
static char *commit_reopen_read(const char *uri, const char *value) {
  char json[256];
  snprintf(json, sizeof json, "{\"k\":\"row\",\"v\":\"%s\"}", value);
  bdb_db *db = h_open(uri, NULL);
  h_register(db, kKv);
  h_commit_json(db, "insert", "kv", json);
  h_ok(bdb_db_close(db));
  db = h_open(uri, NULL);
  h_assert_row(db, "kv", "row", json);
  char *stats = NULL;
  h_ok(bdb_db_stats_json(db, &stats));
  h_ok(bdb_db_close(db));
  return stats;
}

/* First, before any call that registers: the library did at load. */
static void memory_with_no_call_and_no_plugin(void **state) {
  (void)state;
  char uri[64];
  h_memory_uri(uri, sizeof uri);
  char *stats = commit_reopen_read(uri, "in memory");
  h_assert_contains(stats, "\"driver\":\"memory\"");
  bdb_free(stats);
}

/* The control: without its registration, memory: has no driver here. So the stores of the
 * other tests are not served by plugins found somewhere. */
static void no_plugin_is_reachable(void **state) {
  (void)state;
  const char *path = getenv("BUCKETDB_PLUGIN_PATH");
  assert_non_null(path);
  h_ok(bdb_driver_unregister("memory"));
  bdb_db *db = NULL;
  h_expect_err(bdb_open("memory:", NULL, &db), BDB_E_URI, "no driver for 'memory:'",
               "bucketdb-driver-memory.so", path, NULL);
  assert_null(db);
  h_ok(bdb_register_builtin_drivers());
  db = h_open("memory:", NULL);
  h_ok(bdb_db_close(db));
}

static void file_store(void **state) {
  (void)state;
  h_dir d;
  h_dir_make(&d);
  char *stats = commit_reopen_read(d.uri, "on disk");
  h_assert_contains(stats, "\"driver\":\"file\"");
  bdb_free(stats);
  h_dir_remove(&d);
}

static const char *g_marker;
static int g_marker_found;

static int scan_for_marker(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st;
  (void)ftw;
  if (type != FTW_F) return 0;
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  char buf[65536];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  for (size_t i = 0; i + strlen(g_marker) <= n; i++)
    if (memcmp(buf + i, g_marker, strlen(g_marker)) == 0) g_marker_found = 1;
  return 0;
}

/* Two layers over file:, each opening the next through the host: the inner drivers are the
 * registered built-ins too. */
static void crypt_over_compress_over_file(void **state) {
  (void)state;
  h_dir d;
  h_dir_make(&d);
  char keys[300], store[300], uri[700];
  snprintf(keys, sizeof keys, "%s/crypt.keys", d.path);
  snprintf(store, sizeof store, "%s/db", d.path);
  FILE *f = fopen(keys, "w");
  assert_non_null(f);
  fputs("onefile:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\n", f);
  fclose(f);
  snprintf(uri, sizeof uri, "crypt:compress:file:%s?crypt.key_file=%s", store, keys);

  g_marker = "a plaintext marker that only crypt: keeps off the disk";
  char *stats = commit_reopen_read(uri, g_marker);
  h_assert_contains(stats, "\"driver\":\"crypt\"");
  bdb_free(stats);
  g_marker_found = 0;
  assert_int_equal(nftw(store, scan_for_marker, 16, FTW_PHYS), 0);
  assert_int_equal(g_marker_found, 0);
  /* The same objects read without the layers are not rows. */
  bdb_db *db = NULL;
  char plain[320];
  snprintf(plain, sizeof plain, "file:%s", store);
  assert_int_not_equal(bdb_open(plain, NULL, &db), BDB_OK);
  assert_null(db);
  h_dir_remove(&d);
}

/* The other layers, opening their inner drivers (two for tiered:) through the host too. */
static void cache_over_tiered_over_file(void **state) {
  (void)state;
  h_dir d;
  h_dir_make(&d);
  char uri[1200];
  snprintf(uri, sizeof uri, "cache:tiered:file:%s/slow?cache.dir=%s/cache&tiered.fast=file:%s/fast",
           d.path, d.path, d.path);
  char *stats = commit_reopen_read(uri, "cached and tiered");
  h_assert_contains(stats, "\"driver\":\"cache\"");
  bdb_free(stats);
  h_dir_remove(&d);
}

/* Every driver of plugins/ is in the library (BDB_BUILTIN_SCHEMES, from the build). */
static void every_builtin_scheme_is_registered(void **state) {
  (void)state;
  char schemes[] = BDB_BUILTIN_SCHEMES;
  int count = 0;
  for (char *s = strtok(schemes, " "); s; s = strtok(NULL, " ")) {
    h_ok(bdb_driver_unregister(s));
    count++;
  }
  assert_true(count >= 7);
  h_ok(bdb_register_builtin_drivers());
}

/* Registering the built-ins again is harmless; the ABI's rule for a scheme registered twice
 * is that the later table serves later opens, so an application may replace a built-in, and
 * bdb_register_builtin_drivers puts it back. */
static void registering_again_replaces(void **state) {
  (void)state;
  h_ok(bdb_register_builtin_drivers());
  h_ok(bdb_register_builtin_drivers());
  static inproc_driver app;
  inproc_driver_init(&app, "app");
  h_ok(bdb_driver_register("file", &app.table));
  bdb_db *db = h_open("file:served-by-the-application", NULL);
  h_ok(bdb_db_close(db));
  assert_int_equal(app.opens, 1);
  h_ok(bdb_register_builtin_drivers());
  h_dir d;
  h_dir_make(&d);
  char *stats = commit_reopen_read(d.uri, "built in again");
  h_assert_contains(stats, "\"driver\":\"file\"");
  bdb_free(stats);
  assert_int_equal(app.opens, 1);
  h_dir_remove(&d);
  /* A bad scheme is refused by name as for any registration. */
  h_expect_err(bdb_driver_register("plugin", &app.table), BDB_E_INVALID, "invalid scheme 'plugin'",
               NULL);
}

/* A built-in scheme is served from the library even when a plugin file of that scheme lies on
 * the path (here a broken one, never loaded); any other scheme is still looked for there. */
static void a_plugin_file_does_not_shadow_a_builtin(void **state) {
  (void)state;
  h_dir d;
  h_dir_make(&d);
  const char *names[] = {"bucketdb-driver-memory.so", "bucketdb-driver-thirdparty.so"};
  for (size_t i = 0; i < 2; i++) {
    char path[400];
    snprintf(path, sizeof path, "%s/%s", d.path, names[i]);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("not a shared object\n", f);
    fclose(f);
  }
  char *saved = strdup(getenv("BUCKETDB_PLUGIN_PATH"));
  assert_int_equal(setenv("BUCKETDB_PLUGIN_PATH", d.path, 1), 0);

  char uri[64];
  h_memory_uri(uri, sizeof uri);
  char *stats = commit_reopen_read(uri, "not from the path");
  h_assert_contains(stats, "\"driver\":\"memory\"");
  bdb_free(stats);
  bdb_db *db = NULL;
  h_expect_err(bdb_open("thirdparty:x", NULL, &db), BDB_E_URI, "cannot load driver plugin",
               "bucketdb-driver-thirdparty.so", NULL);

  assert_int_equal(setenv("BUCKETDB_PLUGIN_PATH", saved, 1), 0);
  free(saved);
  h_dir_remove(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(memory_with_no_call_and_no_plugin),
      cmocka_unit_test(no_plugin_is_reachable),
      cmocka_unit_test(file_store),
      cmocka_unit_test(crypt_over_compress_over_file),
      cmocka_unit_test(cache_over_tiered_over_file),
      cmocka_unit_test(every_builtin_scheme_is_registered),
      cmocka_unit_test(registering_again_replaces),
      cmocka_unit_test(a_plugin_file_does_not_shadow_a_builtin),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
