/* One bdb_db shared by several threads; last-error state is per thread. Threads record what
 * they saw and the main thread asserts (cmocka's asserts must not run off the main thread). */
#include "helper.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NTHREADS 4
#define NBATCHES 50

static const char *kRows =
    "{\"name\":\"rows\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10},\"t\":{\"typeId\":1},"
    "\"i\":{\"typeId\":2}},\"primaryKey\":\"id\",\"indexes\":[\"t\"]}";

typedef struct worker {
  bdb_db *db;
  int t;
  int pause_us; /* between batches, to overlap with background work */
  uint64_t seqs[NBATCHES];
  int failures; /* calls that did not do what they should */
  char first_error[256];
} worker;

static void note(worker *w, const char *what) {
  if (w->failures++ == 0)
    snprintf(w->first_error, sizeof w->first_error, "%s: %s", what, bdb_errmsg());
}

static void *writer(void *arg) {
  worker *w = arg;
  bdb_batch *b = NULL;
  if (bdb_batch_new(w->db, &b)) {
    note(w, "batch_new");
    return NULL;
  }
  for (int i = 0; i < NBATCHES; i++) {
    char json[96], key[32], want[96];
    snprintf(key, sizeof key, "t%d-%02d", w->t, i);
    snprintf(json, sizeof json, "{\"id\":\"%s\",\"t\":%d,\"i\":%d}", key, w->t, i);
    if (bdb_batch_insert_json(b, "rows", json) || bdb_batch_commit(b, &w->seqs[i])) {
      note(w, "commit");
      continue;
    }
    if (w->pause_us) {
      struct timespec ts = {0, w->pause_us * 1000L};
      nanosleep(&ts, NULL);
    }
    /* Own writes are visible at once, and sequence numbers only grow. */
    if (i > 0 && w->seqs[i] <= w->seqs[i - 1]) note(w, "seq did not increase");
    char *got = NULL;
    if (bdb_get_json(w->db, "rows", key, &got)) {
      note(w, "get_json");
      continue;
    }
    memcpy(want, json, sizeof want);
    if (strcmp(got, want) != 0) note(w, "read back differs");
    bdb_free(got);
    /* A query while others write: this thread's rows so far, all of them. */
    if (i % 10 == 9) {
      bdb_query *q = NULL;
      uint64_t n = 0;
      char t[8];
      snprintf(t, sizeof t, "%d", w->t);
      if (bdb_query_new(w->db, "rows", &q) || bdb_query_where(q, "t", "=", t) ||
          bdb_query_count(q, &n))
        note(w, "count");
      else if (n != (uint64_t)i + 1)
        note(w, "count of own rows is wrong");
      bdb_query_free(q);
    }
  }
  bdb_batch_free(b);
  return NULL;
}

/* A counter from the stats JSON ("name":N). */
static uint64_t stat_counter(bdb_db *db, const char *name) {
  char *stats = NULL;
  h_ok(bdb_db_stats_json(db, &stats));
  char key[64];
  snprintf(key, sizeof key, "\"%s\":", name);
  const char *p = strstr(stats, key);
  uint64_t v = p ? strtoull(p + strlen(key), NULL, 10) : UINT64_MAX;
  bdb_free(stats);
  assert_true(v != UINT64_MAX);
  return v;
}

static void four_writers(const char *const *opts, size_t nopts, int pause_us) {
  char uri[64];
  h_memory_uri(uri, sizeof uri);
  bdb_db *db = h_open_opts(uri, opts, nopts);
  h_register(db, kRows);
  worker w[NTHREADS];
  pthread_t th[NTHREADS];
  memset(w, 0, sizeof w);
  for (int t = 0; t < NTHREADS; t++) {
    w[t].db = db;
    w[t].t = t;
    w[t].pause_us = pause_us;
    assert_int_equal(pthread_create(&th[t], NULL, writer, &w[t]), 0);
  }
  for (int t = 0; t < NTHREADS; t++) assert_int_equal(pthread_join(th[t], NULL), 0);
  /* With pauses the background service merges (usually while the writers run; on a loaded
   * machine maybe only after): wait for it, up to 20 s. */
  for (int waited = 0; pause_us && stat_counter(db, "merges") == 0; waited += 10) {
    if (waited >= 20000) fail_msg("the background service never merged");
    struct timespec ts = {0, 10L * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  for (int t = 0; t < NTHREADS; t++)
    if (w[t].failures)
      fail_msg("thread %d: %d failures, first: %s", t, w[t].failures, w[t].first_error);

  /* All 200 rows, each at the version its commit returned (concurrent batches may share one
   * log entry through group commit, so sequence numbers may repeat across threads). */
  for (int t = 0; t < NTHREADS; t++)
    for (int i = 0; i < NBATCHES; i++) {
      char key[32];
      snprintf(key, sizeof key, "t%d-%02d", t, i);
      bdb_doc *k = NULL, *row = NULL;
      h_ok(bdb_key_doc_from_text(db, "rows", key, &k));
      bdb_status st = bdb_get(db, k, &row);
      bdb_doc_free(k);
      h_ok(st);
      uint64_t v = bdb_doc_version(row);
      bdb_doc_free(row);
      if (v != w[t].seqs[i])
        fail_msg("row %s has version %llu, its commit returned %llu", key, (unsigned long long)v,
                 (unsigned long long)w[t].seqs[i]);
    }
  bdb_query *q = NULL;
  uint64_t n = 0;
  h_ok(bdb_query_new(db, "rows", &q));
  bdb_status st = bdb_query_count(q, &n);
  bdb_query_free(q);
  h_ok(st);
  assert_int_equal(n, NTHREADS * NBATCHES);
  for (int t = 0; t < NTHREADS; t++)
    for (int i = 0; i < NBATCHES; i++) {
      char key[32], want[96];
      snprintf(key, sizeof key, "t%d-%02d", t, i);
      snprintf(want, sizeof want, "{\"id\":\"%s\",\"t\":%d,\"i\":%d}", key, t, i);
      h_assert_row(db, "rows", key, want);
    }
  /* The same from a fresh handle on the same store, i.e. from the log. */
  bdb_db *other = h_open(uri, NULL);
  h_ok(bdb_query_new(other, "rows", &q));
  st = bdb_query_count(q, &n);
  bdb_query_free(q);
  bdb_close(other);
  h_ok(st);
  assert_int_equal(n, NTHREADS * NBATCHES);
  bdb_close(db);
}

static void shared_db_four_writers(void **state) {
  (void)state;
  four_writers(NULL, 0, 0);
}

/* The same while the write-forward service merges and collects garbage in the background
 * (small blocks, merges every few entries, no grace): reads must never notice. */
static void four_writers_with_background_merge(void **state) {
  (void)state;
  static const char *const kOpts[] = {"autoMerge",
                                      "1",
                                      "mergeThresholdEntries",
                                      "5",
                                      "writeForwardInterval",
                                      "10",
                                      "blockSizeBytes",
                                      "512",
                                      "gcGraceMs",
                                      "0",
                                      "readStalenessMs",
                                      "0"};
  four_writers(kOpts, 6, 2000);
}

/* Compare-and-set increments of one counter from two handles (two "nodes" on one store) with
 * two threads each: every increment lands exactly once. */
#define CAS_INCREMENTS 25

typedef struct cas_worker {
  bdb_db *db;
  int done, conflicts, failures;
  char first_error[256];
} cas_worker;

static void cas_note(cas_worker *w, const char *what) {
  if (w->failures++ == 0)
    snprintf(w->first_error, sizeof w->first_error, "%s: %s", what, bdb_errmsg());
}

static void *cas_increment(void *arg) {
  cas_worker *w = arg;
  for (int guard = 0; w->done < CAS_INCREMENTS && guard < 10000; guard++) {
    bdb_doc *k = NULL, *row = NULL;
    uint64_t n = 0;
    if (bdb_key_doc_from_text(w->db, "rows", "counter", &k) || bdb_get(w->db, k, &row) ||
        bdb_doc_get_uint(row, "i", &n)) {
      cas_note(w, "read");
      bdb_doc_free(k);
      bdb_doc_free(row);
      return NULL;
    }
    uint64_t version = bdb_doc_version(row);
    bdb_doc_free(k);
    bdb_doc_free(row);
    char json[64];
    snprintf(json, sizeof json, "{\"id\":\"counter\",\"i\":%llu}", (unsigned long long)n + 1);
    bdb_batch *b = NULL;
    bdb_status st = bdb_batch_new(w->db, &b);
    if (!st) st = bdb_batch_patch_json(b, "rows", json);
    if (!st) st = bdb_batch_expect_version(b, version);
    if (!st) st = bdb_batch_commit(b, NULL);
    bdb_batch_free(b);
    if (st == BDB_OK)
      w->done++;
    else if (st == BDB_E_CONFLICT)
      w->conflicts++;
    else
      cas_note(w, "commit");
    if (w->failures) return NULL;
  }
  return NULL;
}

static void compare_and_set_across_handles(void **state) {
  (void)state;
  char uri[64];
  h_memory_uri(uri, sizeof uri);
  bdb_db *a = h_open(uri, NULL);
  h_register(a, kRows);
  h_commit_json(a, "insert", "rows", "{\"id\":\"counter\",\"t\":0,\"i\":0}");
  bdb_db *b = h_open(uri, NULL);
  cas_worker w[4];
  pthread_t th[4];
  memset(w, 0, sizeof w);
  for (int t = 0; t < 4; t++) {
    w[t].db = t % 2 ? b : a;
    assert_int_equal(pthread_create(&th[t], NULL, cas_increment, &w[t]), 0);
  }
  for (int t = 0; t < 4; t++) assert_int_equal(pthread_join(th[t], NULL), 0);
  int conflicts = 0;
  for (int t = 0; t < 4; t++) {
    if (w[t].failures) {
      bdb_close(a);
      bdb_close(b);
      fail_msg("thread %d: %s", t, w[t].first_error);
    }
    conflicts += w[t].conflicts;
  }
  h_ok(bdb_db_refresh(a));
  h_ok(bdb_db_refresh(b));
  char want[64];
  snprintf(want, sizeof want, "{\"id\":\"counter\",\"t\":0,\"i\":%d}", 4 * CAS_INCREMENTS);
  for (int t = 0; t < 4; t++) assert_int_equal(w[t].done, CAS_INCREMENTS);
  h_assert_row(a, "rows", "counter", want);
  h_assert_row(b, "rows", "counter", want);
  bdb_close(b);
  bdb_close(a);
  (void)conflicts; /* how many depends on scheduling */
}

/* Two threads take turns failing; each sees only its own last error. */
typedef struct err_thread {
  bdb_db *db;
  pthread_barrier_t *barrier;
  int who;
  bdb_status first_code, after_other_code;
  char first_msg[256], after_other_msg[256];
  bdb_status clean_code;
  char clean_msg[64];
} err_thread;

static void *err_worker(void *arg) {
  err_thread *e = arg;
  /* Before any failure on this thread, there is no error (whatever other threads did). */
  pthread_barrier_wait(e->barrier);
  e->clean_code = bdb_errcode();
  snprintf(e->clean_msg, sizeof e->clean_msg, "%s", bdb_errmsg());
  pthread_barrier_wait(e->barrier);
  bdb_doc *d = NULL;
  if (e->who == 0) {
    bdb_doc_new(e->db, "table_of_thread_zero", &d);
  } else {
    pthread_barrier_wait(e->barrier); /* fail second */
    bdb_db_inspect_json(e->db, "section_of_thread_one", &(char *){NULL});
  }
  e->first_code = bdb_errcode();
  snprintf(e->first_msg, sizeof e->first_msg, "%s", bdb_errmsg());
  if (e->who == 0) pthread_barrier_wait(e->barrier);
  pthread_barrier_wait(e->barrier); /* both have failed now */
  e->after_other_code = bdb_errcode();
  snprintf(e->after_other_msg, sizeof e->after_other_msg, "%s", bdb_errmsg());
  return NULL;
}

static void errors_are_thread_local(void **state) {
  (void)state;
  bdb_db *db = h_open("memory:", NULL);
  /* A failure on the main thread first: the workers must not see it. */
  bdb_doc *d = NULL;
  assert_int_equal(bdb_doc_new(db, "main_thread_table", &d), BDB_E_SCHEMA);
  pthread_barrier_t barrier;
  assert_int_equal(pthread_barrier_init(&barrier, NULL, 2), 0);
  err_thread e[2];
  memset(e, 0, sizeof e);
  pthread_t th[2];
  for (int i = 0; i < 2; i++) {
    e[i].db = db;
    e[i].barrier = &barrier;
    e[i].who = i;
    assert_int_equal(pthread_create(&th[i], NULL, err_worker, &e[i]), 0);
  }
  for (int i = 0; i < 2; i++) assert_int_equal(pthread_join(th[i], NULL), 0);
  pthread_barrier_destroy(&barrier);
  bdb_close(db);
  for (int i = 0; i < 2; i++) {
    assert_int_equal(e[i].clean_code, BDB_OK);
    assert_string_equal(e[i].clean_msg, "");
  }
  assert_int_equal(e[0].first_code, BDB_E_SCHEMA);
  h_assert_contains(e[0].first_msg, "table_of_thread_zero");
  assert_int_equal(e[1].first_code, BDB_E_INVALID);
  h_assert_contains(e[1].first_msg, "section_of_thread_one");
  /* Thread 1's later failure did not replace thread 0's message, nor the reverse. */
  assert_int_equal(e[0].after_other_code, BDB_E_SCHEMA);
  h_assert_contains(e[0].after_other_msg, "table_of_thread_zero");
  assert_int_equal(e[1].after_other_code, BDB_E_INVALID);
  h_assert_contains(e[1].after_other_msg, "section_of_thread_one");
  /* The main thread still has its own. */
  assert_int_equal(bdb_errcode(), BDB_E_SCHEMA);
  h_assert_contains(bdb_errmsg(), "main_thread_table");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(shared_db_four_writers),
      cmocka_unit_test(four_writers_with_background_merge),
      cmocka_unit_test(compare_and_set_across_handles),
      cmocka_unit_test(errors_are_thread_local),
  };
  return cmocka_run_group_tests_name("abi.threads", tests, NULL, NULL);
}
