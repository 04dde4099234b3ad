/* Shared helpers for the cmocka suites of bucketdb.h: fresh stores, asserting wrappers and
 * small readers. Everything goes through the public header and the shared library only. */
#ifndef BDB_TESTS_ABI_HELPER_H
#define BDB_TESTS_ABI_HELPER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <bucketdb/bucketdb.h>

/* A fresh "memory:NAME" URI, unique in this process (NAME names a process-wide store). */
void h_memory_uri(char *buf, size_t size);

/* A fresh temporary directory (created) and its "file:DIR" URI. */
typedef struct h_dir {
  char path[256];
  char uri[300];
} h_dir;
void h_dir_make(h_dir *d);
/* Removes the directory tree; safe on a zeroed h_dir. */
void h_dir_remove(h_dir *d);

/* Opens uri with autoMerge=0 and logLevel=silent plus `extra` name/value pairs (NULL-ended
 * list of const char*), asserting success. */
bdb_db *h_open(const char *uri, ...);
/* Same, with the extra pairs in an array of 2*n strings. */
bdb_db *h_open_opts(const char *uri, const char *const *pairs, size_t n);

/* Asserts that `st` is `want`, that bdb_errcode() agrees and that bdb_errmsg() contains every
 * substring of the NULL-ended list. */
#define h_expect_err(st, want, ...) h_expect_err_at((st), (want), __FILE__, __LINE__, __VA_ARGS__)
void h_expect_err_at(bdb_status st, bdb_status want, const char *file, int line, ...);

#define h_ok(expr) h_ok_at((expr), #expr, __FILE__, __LINE__)
void h_ok_at(bdb_status st, const char *what, const char *file, int line);

void h_register(bdb_db *db, const char *schema_json);
/* Commits one operation from JSON text ("insert", "update", "patch"); returns its seq. */
uint64_t h_commit_json(bdb_db *db, const char *op, const char *table, const char *json);
/* The row as JSON text (caller frees with bdb_free), or NULL when there is none. */
char *h_get_json(bdb_db *db, const char *table, const char *key_text);
/* Asserts the row's JSON equals `want` exactly. */
void h_assert_row(bdb_db *db, const char *table, const char *key_text, const char *want);

/* Runs the query and writes the uint field `field` of each row to out (at most max rows);
 * returns the number of rows. Frees the query. */
size_t h_collect_uint(bdb_query *q, const char *field, uint64_t *out, size_t max);

/* Asserts that haystack contains needle, with a readable failure. */
#define h_assert_contains(hay, needle) h_assert_contains_at((hay), (needle), __FILE__, __LINE__)
void h_assert_contains_at(const char *hay, const char *needle, const char *file, int line);

/* Counts the non-overlapping occurrences of needle in hay. */
size_t h_count_substr(const char *hay, const char *needle);

/* Runs fn(arg) in a forked child so that a crash in the library (e.g. an ASan report) fails
 * only this test. fn returns 0 on success or a nonzero code naming the failed check; the child
 * never returns to cmocka. Returns the child's exit code, or 128+signal. */
int h_run_isolated(int (*fn)(void *), void *arg);

#endif
