#include "helper.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

void h_memory_uri(char *buf, size_t size) {
  static unsigned counter = 0;
  /* The pid keeps names apart when a test forks a child that opens stores of its own. */
  snprintf(buf, size, "memory:abi-%ld-%u", (long)getpid(), ++counter);
}

void h_dir_make(h_dir *d) {
  const char *tmp = getenv("TMPDIR");
  if (!tmp || !*tmp) tmp = "/tmp";
  snprintf(d->path, sizeof d->path, "%s/bdb-abi-XXXXXX", tmp);
  assert_non_null(mkdtemp(d->path));
  snprintf(d->uri, sizeof d->uri, "file:%s", d->path);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

void h_dir_remove(h_dir *d) {
  if (!d->path[0]) return;
  nftw(d->path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  d->path[0] = '\0';
}

void h_ok_at(bdb_status st, const char *what, const char *file, int line) {
  if (st != BDB_OK)
    fail_msg("%s:%d: %s returned %d (%s): %s", file, line, what, (int)st, bdb_status_str(st),
             bdb_errmsg());
}

bdb_db *h_open_opts(const char *uri, const char *const *pairs, size_t n) {
  bdb_options *o = NULL;
  h_ok(bdb_options_new(&o));
  h_ok(bdb_options_set(o, "autoMerge", "0"));
  h_ok(bdb_options_set(o, "logLevel", "silent"));
  h_ok(bdb_options_set(o, "createIfMissing", "1"));
  for (size_t i = 0; i < n; i++) h_ok(bdb_options_set(o, pairs[2 * i], pairs[2 * i + 1]));
  bdb_db *db = NULL;
  bdb_status st = bdb_open(uri, o, &db);
  bdb_options_free(o);
  h_ok_at(st, uri, __FILE__, __LINE__);
  assert_non_null(db);
  return db;
}

bdb_db *h_open(const char *uri, ...) {
  const char *pairs[32];
  size_t n = 0;
  va_list ap;
  va_start(ap, uri);
  for (const char *s; (s = va_arg(ap, const char *)) != NULL && n < 32;) pairs[n++] = s;
  va_end(ap);
  assert_int_equal(n % 2, 0);
  return h_open_opts(uri, pairs, n / 2);
}

void h_expect_err_at(bdb_status st, bdb_status want, const char *file, int line, ...) {
  if (st != want)
    fail_msg("%s:%d: expected status %d (%s), got %d (%s): %s", file, line, (int)want,
             bdb_status_str(want), (int)st, bdb_status_str(st), st ? bdb_errmsg() : "");
  if (bdb_errcode() != want)
    fail_msg("%s:%d: bdb_errcode() is %d, expected %d", file, line, (int)bdb_errcode(), (int)want);
  const char *msg = bdb_errmsg();
  if (!msg) fail_msg("%s:%d: bdb_errmsg() is NULL", file, line);
  va_list ap;
  va_start(ap, line);
  for (const char *s; (s = va_arg(ap, const char *)) != NULL;)
    if (!strstr(msg, s))
      fail_msg("%s:%d: error message \"%s\" does not contain \"%s\"", file, line, msg, s);
  va_end(ap);
}

void h_register(bdb_db *db, const char *schema_json) {
  h_ok(bdb_schema_register_json(db, schema_json));
}

uint64_t h_commit_json(bdb_db *db, const char *op, const char *table, const char *json) {
  bdb_batch *b = NULL;
  h_ok(bdb_batch_new(db, &b));
  bdb_status st;
  if (strcmp(op, "insert") == 0)
    st = bdb_batch_insert_json(b, table, json);
  else if (strcmp(op, "update") == 0)
    st = bdb_batch_update_json(b, table, json);
  else if (strcmp(op, "patch") == 0)
    st = bdb_batch_patch_json(b, table, json);
  else
    st = bdb_batch_delete_key(b, table, json);
  uint64_t seq = 0;
  if (st == BDB_OK) st = bdb_batch_commit(b, &seq);
  bdb_batch_free(b);
  h_ok_at(st, json, __FILE__, __LINE__);
  return seq;
}

char *h_get_json(bdb_db *db, const char *table, const char *key_text) {
  char *out = NULL;
  bdb_status st = bdb_get_json(db, table, key_text, &out);
  if (st == BDB_E_NOT_FOUND) return NULL;
  h_ok_at(st, key_text, __FILE__, __LINE__);
  return out;
}

void h_assert_row(bdb_db *db, const char *table, const char *key_text, const char *want) {
  char *got = h_get_json(db, table, key_text);
  if (!got) fail_msg("no row %s in %s, expected %s", key_text, table, want);
  if (strcmp(got, want) != 0) {
    /* Copy to the stack so the message survives freeing. */
    char copy[2048];
    snprintf(copy, sizeof copy, "%s", got);
    bdb_free(got);
    fail_msg("row %s of %s:\n  got  %s\n  want %s", key_text, table, copy, want);
  }
  bdb_free(got);
}

size_t h_collect_uint(bdb_query *q, const char *field, uint64_t *out, size_t max) {
  bdb_cursor *c = NULL;
  bdb_status st = bdb_query_exec(q, &c);
  bdb_query_free(q);
  h_ok_at(st, "bdb_query_exec", __FILE__, __LINE__);
  size_t n = 0;
  for (;;) {
    bdb_doc *d = NULL;
    st = bdb_cursor_next(c, &d);
    if (st != BDB_OK) {
      bdb_cursor_free(c);
      h_ok_at(st, "bdb_cursor_next", __FILE__, __LINE__);
    }
    if (!d) break;
    uint64_t v = 0;
    st = bdb_doc_get_uint(d, field, &v);
    bdb_doc_free(d);
    if (st != BDB_OK) {
      bdb_cursor_free(c);
      h_ok_at(st, field, __FILE__, __LINE__);
    }
    if (n < max) out[n] = v;
    n++;
  }
  bdb_cursor_free(c);
  return n;
}

void h_assert_contains_at(const char *hay, const char *needle, const char *file, int line) {
  if (!hay) fail_msg("%s:%d: NULL text, expected it to contain \"%s\"", file, line, needle);
  if (!strstr(hay, needle))
    fail_msg("%s:%d: \"%.1500s\" does not contain \"%s\"", file, line, hay, needle);
}

size_t h_count_substr(const char *hay, const char *needle) {
  size_t n = 0, len = strlen(needle);
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += len) n++;
  return n;
}

int h_run_isolated(int (*fn)(void *), void *arg) {
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) _exit(fn(arg)); /* _exit: no cmocka, no leak check of the parent's state */
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
