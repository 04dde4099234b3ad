/* Managed blobs, and maintenance: merge, garbage collection, inspection, stats, refresh. */
#include "helper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *kFiles =
    "{\"name\":\"files\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10},\"data\":{\"typeId\":11},"
    "\"note\":{\"typeId\":10}},\"primaryKey\":\"id\"}";

typedef struct fixture {
  char uri[64];
  bdb_db *db;
  bdb_doc *doc;
  bdb_batch *batch;
  void *data;
  char *text;
} fixture;

static int setup_with(void **state, const char *grace) {
  static fixture f;
  memset(&f, 0, sizeof f);
  h_memory_uri(f.uri, sizeof f.uri);
  f.db = h_open(f.uri, "gcGraceMs", grace, NULL);
  h_register(f.db, kFiles);
  h_ok(bdb_batch_new(f.db, &f.batch));
  *state = &f;
  return 0;
}
static int setup(void **state) {
  return setup_with(state, "0");
}
static int setup_default_grace(void **state) {
  return setup_with(state, "3600000");
}

static int teardown(void **state) {
  fixture *f = *state;
  bdb_free(f->text);
  bdb_free(f->data);
  bdb_doc_free(f->doc);
  bdb_batch_free(f->batch);
  bdb_close(f->db);
  memset(f, 0, sizeof *f);
  return 0;
}

/* Commits a files row whose blob holds `bytes`; returns the blob id in `id`. */
static void put_blob(fixture *f, const char *key, const void *bytes, size_t len, char id[37]) {
  bdb_doc_free(f->doc);
  f->doc = NULL;
  h_ok(bdb_doc_new(f->db, "files", &f->doc));
  h_ok(bdb_doc_set_string(f->doc, "id", key, strlen(key)));
  h_ok(bdb_doc_set_blob(f->doc, "data", bytes, len));
  h_ok(bdb_doc_get_blob_id(f->doc, "data", id));
  h_ok(bdb_batch_update(f->batch, f->doc));
  h_ok(bdb_batch_commit(f->batch, NULL));
}

/* The blob id stored in row `key`. */
static void stored_blob_id(fixture *f, const char *key, char id[37]) {
  bdb_doc *k = NULL, *row = NULL;
  h_ok(bdb_key_doc_from_text(f->db, "files", key, &k));
  bdb_status st = bdb_get(f->db, k, &row);
  bdb_doc_free(k);
  h_ok(st);
  st = bdb_doc_get_blob_id(row, "data", id);
  bdb_doc_free(row);
  h_ok(st);
}

/* Reads blob `id`; returns its status and leaves the bytes in f->data. */
static bdb_status read_blob(fixture *f, const char *id, size_t *len) {
  bdb_free(f->data);
  f->data = NULL;
  return bdb_blob_read(f->db, id, &f->data, len);
}

static size_t log_entries(fixture *f) {
  char *log = NULL;
  h_ok(bdb_db_inspect_json(f->db, "log", &log));
  size_t n = h_count_substr(log, "\"seq\":");
  bdb_free(log);
  return n;
}

/* ---- blobs -------------------------------------------------------------------------------- */

static void blob_roundtrip(void **state) {
  fixture *f = *state;
  /* 100 KB of every byte value, NULs included. */
  size_t big_len = (size_t)100 * 1024;
  unsigned char *big = malloc(big_len);
  assert_non_null(big);
  for (size_t i = 0; i < big_len; i++) big[i] = (unsigned char)(i * 7 + i / 256);
  char staged[37], id[37];
  bdb_doc_free(f->doc);
  h_ok(bdb_doc_new(f->db, "files", &f->doc));
  h_ok(bdb_doc_set_string(f->doc, "id", "big", 3));
  h_ok(bdb_doc_set_blob(f->doc, "data", big, big_len));
  h_ok(bdb_doc_get_blob_id(f->doc, "data", staged));
  /* Staged bytes are uploaded only when the batch commits. */
  size_t len = 0;
  bdb_status st = read_blob(f, staged, &len);
  if (st != BDB_E_NOT_FOUND) {
    free(big);
    fail_msg("a staged blob was readable before commit (status %d)", (int)st);
  }
  h_ok(bdb_batch_insert(f->batch, f->doc));
  st = bdb_batch_commit(f->batch, NULL);
  if (st != BDB_OK) free(big);
  h_ok(st);
  stored_blob_id(f, "big", id);
  assert_string_equal(id, staged);
  st = read_blob(f, id, &len);
  int same = st == BDB_OK && len == big_len && memcmp(f->data, big, big_len) == 0;
  free(big);
  h_ok(st);
  assert_int_equal(len, big_len);
  assert_true(same);

  /* Small bytes with NULs, and an empty blob. */
  put_blob(f, "small", "a\0b\xff", 4, id);
  h_ok(read_blob(f, id, &len));
  assert_int_equal(len, 4);
  assert_memory_equal(f->data, "a\0b\xff", 4);
  put_blob(f, "empty", "", 0, id);
  h_ok(read_blob(f, id, &len));
  assert_int_equal(len, 0);
  assert_non_null(f->data); /* a buffer to free even when empty */

  /* Through JSON: {"base64": ...} stages bytes; the stored row shows the id. */
  h_ok(bdb_batch_insert_json(f->batch, "files",
                             "{\"id\":\"json\",\"data\":{\"base64\":\"aGVsbG8gYmxvYgD/\"}}"));
  h_ok(bdb_batch_commit(f->batch, NULL));
  stored_blob_id(f, "json", id);
  h_ok(read_blob(f, id, &len));
  assert_int_equal(len, 12);
  assert_memory_equal(f->data, "hello blob\0\xff", 12);
  char *row = h_get_json(f->db, "files", "json");
  char want[80];
  snprintf(want, sizeof want, "{\"id\":\"json\",\"data\":\"%s\"}", id);
  int match = strcmp(row, want) == 0;
  bdb_free(row);
  assert_true(match);
  /* Reading is by id, from any handle on the store. */
  bdb_db *other = h_open(f->uri, NULL);
  void *data = NULL;
  st = bdb_blob_read(other, id, &data, &len);
  match = st == BDB_OK && len == 12 && memcmp(data, "hello blob", 10) == 0;
  bdb_free(data);
  bdb_close(other);
  assert_true(match);
}

static void blob_read_errors(void **state) {
  fixture *f = *state;
  size_t len = 0;
  h_expect_err(read_blob(f, "0f8fad5b-d9cb-469f-a165-70867728950e", &len), BDB_E_NOT_FOUND,
               "0f8fad5b-d9cb-469f-a165-70867728950e", NULL);
  assert_null(f->data);
  static const char *const kBad[] = {"xyz",
                                     "",
                                     "0f8fad5b-d9cb-469f-a165-70867728950",
                                     "0f8fad5b-d9cb-469f-a165-70867728950e0",
                                     "0f8fad5bxd9cb-469f-a165-70867728950e",
                                     "../../block0"};
  for (size_t i = 0; i < sizeof kBad / sizeof kBad[0]; i++) {
    bdb_status st = read_blob(f, kBad[i], &len);
    if (st != BDB_E_INVALID)
      fail_msg("blob id '%s': expected BDB_E_INVALID, got %d", kBad[i], (int)st);
    assert_int_equal(bdb_errcode(), BDB_E_INVALID);
    h_assert_contains(bdb_errmsg(), "blob id");
  }
  void *data = NULL;
  h_expect_err(bdb_blob_read(NULL, "x", &data, &len), BDB_E_INVALID, "db", NULL);
  h_expect_err(bdb_blob_read(f->db, NULL, &data, &len), BDB_E_INVALID, "blob_id", NULL);
  h_expect_err(bdb_blob_read(f->db, "x", NULL, &len), BDB_E_INVALID, "out_data", NULL);
  h_expect_err(bdb_blob_read(f->db, "x", &data, NULL), BDB_E_INVALID, "out_len", NULL);
}

/* A replaced or deleted row's blob becomes garbage; gc with gcGraceMs=0 deletes it. */
static void replaced_blobs_are_collected(void **state) {
  fixture *f = *state;
  char a[37], b[37], c[37], d[37];
  size_t len = 0;
  /* Replaced while both versions are only in the log. */
  put_blob(f, "r1", "A", 1, a);
  put_blob(f, "r1", "B", 1, b);
  /* Merged into a block first, then replaced, then the row deleted. */
  put_blob(f, "r2", "C", 1, c);
  uint64_t merged = 0;
  h_ok(bdb_db_merge(f->db, &merged));
  put_blob(f, "r2", "D", 1, d);
  h_ok(bdb_db_merge(f->db, &merged));
  uint64_t deleted = 0;
  h_ok(bdb_db_gc(f->db, &deleted));
  assert_true(deleted >= 2);
  h_expect_err(read_blob(f, a, &len), BDB_E_NOT_FOUND, a, NULL);
  h_expect_err(read_blob(f, c, &len), BDB_E_NOT_FOUND, c, NULL);
  h_ok(read_blob(f, b, &len));
  assert_memory_equal(f->data, "B", 1);
  h_ok(read_blob(f, d, &len));
  assert_memory_equal(f->data, "D", 1);
  /* Deleting the row frees its blob as well. */
  h_ok(bdb_batch_delete_key(f->batch, "files", "r2"));
  h_ok(bdb_batch_commit(f->batch, NULL));
  h_ok(bdb_db_merge(f->db, &merged));
  h_ok(bdb_db_gc(f->db, &deleted));
  h_expect_err(read_blob(f, d, &len), BDB_E_NOT_FOUND, d, NULL);
  h_ok(read_blob(f, b, &len));
}

/* SPEC section 6: blobs of a commit that never landed are found by listing and deleted once
 * older than gcGraceMs. A batch that fails its precondition has already uploaded its blobs. */
static void blobs_of_failed_commit_are_collected(void **state) {
  fixture *f = *state;
  char first[37], orphan[37];
  size_t len = 0;
  put_blob(f, "k", "first", 5, first);
  bdb_doc_free(f->doc);
  f->doc = NULL;
  h_ok(bdb_doc_new(f->db, "files", &f->doc));
  h_ok(bdb_doc_set_string(f->doc, "id", "k", 1));
  h_ok(bdb_doc_set_blob(f->doc, "data", "orphan", 6));
  h_ok(bdb_doc_get_blob_id(f->doc, "data", orphan));
  h_ok(bdb_batch_insert(f->batch, f->doc));
  h_expect_err(bdb_batch_commit(f->batch, NULL), BDB_E_EXISTS, "files", NULL);
  bdb_batch_free(f->batch);
  f->batch = NULL;
  h_ok(bdb_batch_new(f->db, &f->batch));
  uint64_t n = 0;
  h_ok(bdb_db_merge(f->db, &n));
  h_ok(bdb_db_gc(f->db, &n));
  bdb_status st = read_blob(f, orphan, &len);
  if (st == BDB_OK)
    fail_msg("blob %s of a failed commit is still stored after merge and gc (gcGraceMs=0)", orphan);
  h_expect_err(st, BDB_E_NOT_FOUND, orphan, NULL);
  h_ok(read_blob(f, first, &len));
}

/* A blob id is accepted from JSON, so two rows can hold the same blob (e.g. a row copied
 * through get_json and insert_json). Deleting one of them must not delete the blob the
 * other still references. */
static void blob_shared_by_two_rows_survives(void **state) {
  fixture *f = *state;
  char id[37];
  size_t len = 0;
  put_blob(f, "orig", "shared", 6, id);
  char json[128];
  snprintf(json, sizeof json, "{\"id\":\"copy\",\"data\":\"%s\"}", id);
  bdb_status st = bdb_batch_insert_json(f->batch, "files", json);
  if (st != BDB_OK) {
    /* Refusing to share a blob is a fine answer too. */
    assert_true(st == BDB_E_TYPE || st == BDB_E_INVALID);
    return;
  }
  h_ok(bdb_batch_commit(f->batch, NULL));
  h_ok(bdb_batch_delete_key(f->batch, "files", "orig"));
  h_ok(bdb_batch_commit(f->batch, NULL));
  uint64_t n = 0;
  h_ok(bdb_db_merge(f->db, &n));
  h_ok(bdb_db_gc(f->db, &n));
  char stored[37];
  stored_blob_id(f, "copy", stored);
  assert_string_equal(stored, id);
  st = read_blob(f, id, &len);
  if (st != BDB_OK)
    fail_msg("row 'copy' still references blob %s, but gc deleted it (%s)", id, bdb_errmsg());
  assert_int_equal(len, 6);
  assert_memory_equal(f->data, "shared", 6);
}

/* ---- merge, gc, inspect, stats, refresh --------------------------------------------------- */

static void merge_counts_entries(void **state) {
  fixture *f = *state;
  uint64_t merged = 99;
  h_ok(bdb_db_merge(f->db, &merged));
  assert_int_equal(merged, 1); /* the schema registration */
  h_ok(bdb_db_merge(f->db, &merged));
  assert_int_equal(merged, 0);
  for (int i = 0; i < 4; i++) {
    char json[64];
    snprintf(json, sizeof json, "{\"id\":\"m%d\",\"note\":\"n%d\"}", i, i);
    h_commit_json(f->db, "insert", "files", json);
  }
  h_ok(bdb_db_merge(f->db, &merged));
  assert_int_equal(merged, 4);
  h_ok(bdb_db_merge(f->db, NULL)); /* out may be NULL */
  /* The data reads the same from blocks. */
  h_assert_row(f->db, "files", "m2", "{\"id\":\"m2\",\"note\":\"n2\"}");
  char *b0 = NULL;
  h_ok(bdb_db_inspect_json(f->db, "block0", &b0));
  h_assert_contains(b0, "\"appliedSeq\":5");
  h_assert_contains(b0, "\"name\":\"files\"");
  bdb_free(b0);
  char *stats = NULL;
  h_ok(bdb_db_stats_json(f->db, &stats));
  h_assert_contains(stats, "\"merges\":2");
  h_assert_contains(stats, "\"mergedEntries\":5");
  h_assert_contains(stats, "\"commits\":4");
  bdb_free(stats);
  h_expect_err(bdb_db_merge(NULL, &merged), BDB_E_INVALID, "db", NULL);
}

static void gc_deletes_merged_log(void **state) {
  fixture *f = *state;
  for (int i = 0; i < 3; i++) {
    char json[64];
    snprintf(json, sizeof json, "{\"id\":\"g%d\"}", i);
    h_commit_json(f->db, "insert", "files", json);
  }
  assert_int_equal(log_entries(f), 4);
  uint64_t deleted = 99;
  /* Nothing merged yet: nothing to delete. */
  h_ok(bdb_db_gc(f->db, &deleted));
  assert_int_equal(deleted, 0);
  uint64_t merged = 0;
  h_ok(bdb_db_merge(f->db, &merged));
  assert_int_equal(merged, 4);
  h_ok(bdb_db_gc(f->db, &deleted));
  assert_int_equal(deleted, 4); /* the four merged log entries; nothing was superseded yet */
  assert_int_equal(log_entries(f), 0);
  h_ok(bdb_db_gc(f->db, &deleted));
  assert_int_equal(deleted, 0);
  char *b0 = NULL;
  h_ok(bdb_db_inspect_json(f->db, "block0", &b0));
  h_assert_contains(b0, "\"logFloor\":4");
  bdb_free(b0);
  /* A second round also supersedes the first round's block and manifest page. */
  h_commit_json(f->db, "insert", "files", "{\"id\":\"g1a\"}");
  h_commit_json(f->db, "patch", "files", "{\"id\":\"g0\",\"note\":\"x\"}");
  h_ok(bdb_db_merge(f->db, &merged));
  assert_int_equal(merged, 2);
  h_ok(bdb_db_gc(f->db, &deleted));
  assert_true(deleted >= 4);
  h_ok(bdb_db_inspect_json(f->db, "block0", &b0));
  h_assert_contains(b0, "\"garbage\":[]");
  h_assert_contains(b0, "\"logFloor\":6");
  bdb_free(b0);
  /* Everything still reads, from a new handle too. */
  h_assert_row(f->db, "files", "g0", "{\"id\":\"g0\",\"note\":\"x\"}");
  bdb_db *other = h_open(f->uri, NULL);
  char *row = h_get_json(other, "files", "g1a");
  bdb_close(other);
  assert_non_null(row);
  bdb_free(row);
  h_ok(bdb_db_gc(f->db, NULL)); /* out may be NULL */
  h_expect_err(bdb_db_gc(NULL, &deleted), BDB_E_INVALID, "db", NULL);
}

/* With the default grace (an hour) nothing merged is deleted yet. */
static void gc_respects_grace(void **state) {
  fixture *f = *state;
  h_commit_json(f->db, "insert", "files", "{\"id\":\"a\"}");
  uint64_t n = 0;
  h_ok(bdb_db_merge(f->db, &n));
  assert_int_equal(n, 2);
  h_commit_json(f->db, "patch", "files", "{\"id\":\"a\",\"note\":\"b\"}");
  h_ok(bdb_db_merge(f->db, &n));
  h_ok(bdb_db_gc(f->db, &n));
  assert_int_equal(n, 0);
  assert_int_equal(log_entries(f), 3);
}

static void inspect_sections(void **state) {
  fixture *f = *state;
  h_commit_json(f->db, "insert", "files", "{\"id\":\"i1\"}");
  uint64_t n = 0;
  h_ok(bdb_db_merge(f->db, &n));
  h_commit_json(f->db, "insert", "files", "{\"id\":\"i2\"}");
  static const struct {
    const char *what;
    const char *mention[3];
  } kSections[] = {
      {"block0", {"\"generation\":", "\"schemas\":[", "\"tables\":["}},
      {"log", {"\"entries\":[", "\"lastSeq\":3", "\"merged\":false"}},
      {"blocks", {"\"tables\":[", "\"firstKey\":\"i1\"", "\"rows\":1"}},
  };
  for (size_t i = 0; i < 3; i++) {
    bdb_free(f->text);
    f->text = NULL;
    h_ok(bdb_db_inspect_json(f->db, kSections[i].what, &f->text));
    assert_int_equal(f->text[0], '{');
    assert_int_equal(f->text[strlen(f->text) - 1], '}');
    for (int m = 0; m < 3; m++) h_assert_contains(f->text, kSections[i].mention[m]);
  }
  char *j = (char *)1;
  h_expect_err(bdb_db_inspect_json(f->db, "tables", &j), BDB_E_INVALID, "tables", NULL);
  h_expect_err(bdb_db_inspect_json(f->db, "", &j), BDB_E_INVALID, "section", NULL);
  h_expect_err(bdb_db_inspect_json(NULL, "log", &j), BDB_E_INVALID, "db", NULL);
  h_expect_err(bdb_db_inspect_json(f->db, NULL, &j), BDB_E_INVALID, "what", NULL);
  h_expect_err(bdb_db_inspect_json(f->db, "log", NULL), BDB_E_INVALID, "out_json", NULL);
}

static void stats_json(void **state) {
  fixture *f = *state;
  h_commit_json(f->db, "insert", "files", "{\"id\":\"s1\"}");
  h_commit_json(f->db, "insert", "files", "{\"id\":\"s2\"}");
  h_ok(bdb_db_stats_json(f->db, &f->text));
  assert_int_equal(f->text[0], '{');
  static const char *const kWant[] = {
      "\"storage\":{", "\"driver\":\"memory\"", "\"puts\":",         "\"engine\":{",
      "\"commits\":2", "\"cache\":{",           "\"log\":{",         "\"lastSeq\":3",
      "\"tables\":[",  "\"name\":\"files\"",    "\"unmergedRows\":2"};
  for (size_t i = 0; i < sizeof kWant / sizeof kWant[0]; i++) h_assert_contains(f->text, kWant[i]);
  char *j = NULL;
  h_expect_err(bdb_db_stats_json(NULL, &j), BDB_E_INVALID, "db", NULL);
  h_expect_err(bdb_db_stats_json(f->db, NULL), BDB_E_INVALID, "out_json", NULL);
}

/* Two handles on one store: one merges while the other has unmerged commits of its own; both
 * (and a fresh handle) keep reading everything, and the rest merges later. */
static void merge_by_other_handle(void **state) {
  fixture *f = *state;
  for (int i = 1; i <= 5; i++) {
    char json[64];
    snprintf(json, sizeof json, "{\"id\":\"r%d\",\"note\":\"v%d\"}", i, i);
    h_commit_json(f->db, "insert", "files", json);
  }
  bdb_db *other = h_open(f->uri, "gcGraceMs", "0", NULL);
  uint64_t n = 0;
  bdb_status st = bdb_db_merge(other, &n);
  if (st == BDB_OK && n != 6) st = BDB_E_INTERNAL;
  /* The first handle writes on from its older view of Block 0. */
  uint64_t seq = h_commit_json(f->db, "insert", "files", "{\"id\":\"r6\"}");
  h_commit_json(f->db, "patch", "files", "{\"id\":\"r1\",\"note\":\"changed\"}");
  /* Its own merge may lose the race for Block 0 once, but never loses rows. */
  uint64_t m1 = 0, m2 = 0;
  h_ok(bdb_db_merge(f->db, &m1));
  h_ok(bdb_db_merge(f->db, &m2));
  h_ok(bdb_db_refresh(other));
  bdb_db *fresh = h_open(f->uri, NULL);
  bdb_db *handles[3] = {f->db, other, fresh};
  int bad = -1;
  char what[128] = "";
  for (int h = 0; h < 3 && bad < 0; h++) {
    bdb_query *q = NULL;
    uint64_t count = 0;
    if (bdb_query_new(handles[h], "files", &q) || bdb_query_count(q, &count) || count != 6) {
      bad = h;
      snprintf(what, sizeof what, "count %llu: %s", (unsigned long long)count, bdb_errmsg());
    }
    bdb_query_free(q);
    char *row = NULL;
    if (bad < 0 && (bdb_get_json(handles[h], "files", "r1", &row) ||
                    strcmp(row, "{\"id\":\"r1\",\"note\":\"changed\"}") != 0)) {
      bad = h;
      snprintf(what, sizeof what, "r1 = %s", row ? row : bdb_errmsg());
    }
    bdb_free(row);
  }
  char *b0 = NULL;
  h_ok(bdb_db_inspect_json(fresh, "block0", &b0));
  char want[64];
  snprintf(want, sizeof want, "\"appliedSeq\":%llu", (unsigned long long)seq + 1);
  int all_merged = strstr(b0, want) != NULL;
  bdb_free(b0);
  bdb_close(fresh);
  bdb_close(other);
  h_ok(st);
  if (bad >= 0) fail_msg("handle %d: %s", bad, what);
  assert_int_equal(m1 + m2, 2); /* the two entries after the other handle's merge */
  assert_true(all_merged);
}

/* A short-lived process keeps the log short: with autoMerge on, close folds the log when a
 * merge is due; with autoMerge off it leaves it alone. */
static void close_merges_when_due(void **state) {
  fixture *f = *state;
  for (int i = 0; i < 3; i++) {
    char json[64];
    snprintf(json, sizeof json, "{\"id\":\"c%d\"}", i);
    h_commit_json(f->db, "insert", "files", json);
  }
  bdb_close(f->db); /* autoMerge=0 */
  f->db = h_open(f->uri, "autoMerge", "1", "mergeThresholdEntries", "2", "writeForwardInterval",
                 "600000", NULL);
  char *b0 = NULL;
  h_ok(bdb_db_inspect_json(f->db, "block0", &b0));
  h_assert_contains(b0, "\"appliedSeq\":0");
  bdb_free(b0);
  bdb_close(f->db); /* 4 unmerged entries, threshold 2: due */
  f->db = h_open(f->uri, NULL);
  h_ok(bdb_db_inspect_json(f->db, "block0", &b0));
  h_assert_contains(b0, "\"appliedSeq\":4");
  bdb_free(b0);
  h_assert_row(f->db, "files", "c2", "{\"id\":\"c2\"}");
}

/* A handle with a long readStalenessMs sees another handle's commits only after a refresh
 * (or once its view is old enough). */
static void refresh_makes_next_read_look(void **state) {
  fixture *f = *state;
  h_commit_json(f->db, "insert", "files", "{\"id\":\"before\"}");
  bdb_db *lazy = h_open(f->uri, "readStalenessMs", "3600000", NULL);
  char *row = h_get_json(lazy, "files", "before");
  int found_before = row != NULL;
  bdb_free(row);
  h_commit_json(f->db, "insert", "files", "{\"id\":\"after\"}");
  row = h_get_json(lazy, "files", "after");
  int seen_early = row != NULL;
  bdb_free(row);
  bdb_status st = bdb_db_refresh(lazy);
  row = st == BDB_OK ? h_get_json(lazy, "files", "after") : NULL;
  int seen_late = row != NULL;
  bdb_free(row);
  bdb_close(lazy);
  h_ok(st);
  assert_true(found_before);
  assert_false(seen_early);
  assert_true(seen_late);
  h_expect_err(bdb_db_refresh(NULL), BDB_E_INVALID, "db", NULL);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(blob_roundtrip),
      T(blob_read_errors),
      T(replaced_blobs_are_collected),
      T(blobs_of_failed_commit_are_collected),
      T(blob_shared_by_two_rows_survives),
      T(merge_counts_entries),
      T(gc_deletes_merged_log),
      cmocka_unit_test_setup_teardown(gc_respects_grace, setup_default_grace, teardown),
      T(inspect_sections),
      T(stats_json),
      T(merge_by_other_handle),
      T(close_merges_when_due),
      T(refresh_makes_next_read_look),
  };
#undef T
  return cmocka_run_group_tests_name("abi.blobs_admin", tests, NULL, NULL);
}
