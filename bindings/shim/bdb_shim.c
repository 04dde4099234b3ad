/* The C shim of the SWIG bindings (bdb_shim.h says what it adds to bucketdb.h and why). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RTLD_DEFAULT */
#endif
#include "bdb_shim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- outcome of the last shim call on this thread -------------------------------------- */

static __thread int bdbx_st = BDB_OK;
static __thread const char *bdbx_msg = "";

int bdbx_last_status(void) {
  return bdbx_st;
}
const char *bdbx_last_message(void) {
  return bdbx_msg;
}

void bdbx_reset(void) {
  bdbx_st = BDB_OK;
  bdbx_msg = "";
}

void bdbx_fail(int status, const char *msg) {
  bdbx_st = status;
  bdbx_msg = msg;
}

/* A failure of the library: keep its message (valid until the next failing call here). */
static int bdbx_lib(bdb_status st) {
  if (st != BDB_OK) {
    bdbx_st = (int)st;
    bdbx_msg = bdb_errmsg();
  }
  return st == BDB_OK;
}

static int64_t bdbx_live = 0;
static void bdbx_live_add(int64_t n) {
  __atomic_add_fetch(&bdbx_live, n, __ATOMIC_RELAXED);
}

/* ---- bytes ------------------------------------------------------------------------------- */

static bdbx_bytes bx_borrowed(const void *p, size_t n) {
  bdbx_bytes b;
  b.data = p ? (const char *)p : "";
  b.len = n;
  b.owned = 0;
  return b;
}
static bdbx_bytes bx_none(void) {
  bdbx_bytes b = {NULL, 0, 0};
  return b;
}

static char bx_no_data; /* non-NULL pointer for empty byte arguments */
static const void *bx_data(const void *p) {
  return p ? p : &bx_no_data;
}

/* ---- loggers ----------------------------------------------------------------------------- */

bdbx_logger *bdbx_logger_ref(bdbx_logger *l) {
  if (l) __atomic_add_fetch(&l->refs, 1, __ATOMIC_RELAXED);
  return l;
}

void bdbx_logger_unref(bdbx_logger *l) {
  if (l && __atomic_sub_fetch(&l->refs, 1, __ATOMIC_ACQ_REL) == 0) l->release(l);
}

void bdbx_log_to_stderr(int level, const char *subsystem, const char *message) {
  static const char *const tags[] = {"", "", "warning: ", "error: "};
  fprintf(stderr, "bucketdb: %s: %s%s\n", subsystem, level >= 0 && level <= 3 ? tags[level] : "",
          message);
}

/* Progress arrives through a logger, each language's way of being called from the library's
 * threads; the language's layer turns it back into a call of the program's function. */
static void bx_progress(void *ctx, const char *task, uint64_t done, uint64_t total) {
  bdbx_logger *l = (bdbx_logger *)ctx;
  char numbers[48];
  snprintf(numbers, sizeof numbers, "%llu %llu", (unsigned long long)done,
           (unsigned long long)total);
  l->fn(l, BDB_LOG_INFO, task, numbers);
}

/* ---- the structs ------------------------------------------------------------------------- */

/* access_set: the program chose createIfMissing or readOnly itself. */
struct bdbx_options {
  bdb_options *o;
  int access_set;
  bdbx_logger *logger;
  bdbx_logger *progress;
};

struct bdbx_db {
  bdb_db *db;
  bdb_batch *anchor;        /* keeps db allocated (a zombie once closed) while calls may use it */
  unsigned calls;           /* atomic: 2 per call in flight; bit 0 once the anchor goes */
  int closed;               /* atomic */
  pthread_mutex_t close_mu; /* a second close() waits for the first */
  bdbx_logger *logger;
  bdbx_logger *progress;
};

enum { BX_BATCH = 1, BX_QUERY = 2, BX_CURSOR = 3 };

/* Batches, queries and cursors are this one struct. */
typedef struct bx_child {
  int kind;
  void *h; /* bdb_batch / bdb_query / bdb_cursor; NULL once freed */
  bdbx_logger *logger;
  bdbx_logger *progress; /* a last free may close the database, whose merge reports progress */
} bx_child;

struct bdbx_batch {
  bx_child c;
};
struct bdbx_query {
  bx_child c;
};
struct bdbx_cursor {
  bx_child c;
};

struct bdbx_doc {
  bdb_doc *d;
};

struct bdbx_row {
  uint32_t version;
  void *fixed, *heap;
  size_t fixed_len, heap_len;
};

/* ---- options ----------------------------------------------------------------------------- */

bdbx_options *new_bdbx_options(void) {
  bdbx_reset();
  bdbx_options *w = (bdbx_options *)calloc(1, sizeof *w);
  if (!w) {
    bdbx_fail(BDB_E_NOMEM, "out of memory");
    return NULL;
  }
  if (!bdbx_lib(bdb_options_new(&w->o))) {
    free(w);
    return NULL;
  }
  return w;
}

void delete_bdbx_options(bdbx_options *self) {
  if (!self) return;
  bdb_options_free(self->o);
  bdbx_logger_unref(self->logger);
  bdbx_logger_unref(self->progress);
  free(self);
}

static bdbx_options *bx_options_get(bdbx_options *self, bdbx_logger *handed_over) {
  bdbx_reset();
  if (!self) {
    bdbx_logger_unref(handed_over);
    bdbx_fail(BDB_E_INVALID, "the options handle is null");
  }
  return self;
}

void bdbx_options_set(bdbx_options *self, const char *name, const char *value) {
  if (bx_options_get(self, NULL) && bdbx_lib(bdb_options_set(self->o, name, value)) && name &&
      (!strcmp(name, "createIfMissing") || !strcmp(name, "readOnly")))
    self->access_set = 1;
}

/* Keeps logger in *slot once the library took it; drops it otherwise. */
static void bx_options_keep(bdb_status st, bdbx_logger **slot, bdbx_logger *logger) {
  if (!bdbx_lib(st)) {
    bdbx_logger_unref(logger);
    return;
  }
  bdbx_logger_unref(*slot);
  *slot = logger;
}

void bdbx_options_setLogger(bdbx_options *self, bdbx_logger *logger) {
  if (!bx_options_get(self, logger)) return;
  bx_options_keep(bdb_options_set_logger(self->o, logger ? logger->fn : NULL, logger),
                  &self->logger, logger);
}

void bdbx_options_setProgress(bdbx_options *self, bdbx_logger *logger) {
  if (!bx_options_get(self, logger)) return;
  bx_options_keep(bdb_options_set_progress(self->o, logger ? bx_progress : NULL, logger),
                  &self->progress, logger);
}

/* ---- databases --------------------------------------------------------------------------- */

bdbx_db *new_bdbx_db(const char *uri, const bdbx_options *opts) {
  bdbx_reset();
  if (!uri) {
    bdbx_fail(BDB_E_INVALID, "open: the URI is null");
    return NULL;
  }
  /* The bindings create a database that does not exist unless the program says otherwise
   * (createIfMissing=0, or readOnly=1), as sqlite3.connect does; the C ABI does not. */
  bdb_options *o = opts ? opts->o : NULL, *own = NULL;
  if (!opts || !opts->access_set) {
    if (!o && !bdbx_lib(bdb_options_new(&own))) return NULL;
    if (!o) o = own;
    if (!bdbx_lib(bdb_options_set(o, "createIfMissing", "1"))) {
      bdb_options_free(own);
      return NULL;
    }
  }
  bdb_db *db = NULL;
  int opened = bdbx_lib(bdb_open(uri, o, &db));
  if (opts && !opts->access_set) bdb_options_set(o, "createIfMissing", "0"); /* as it was */
  bdb_options_free(own);
  if (!opened) return NULL;
  bdbx_db *x = (bdbx_db *)calloc(1, sizeof *x);
  if (!x || !bdbx_lib(bdb_batch_new(db, &x->anchor))) {
    free(x);
    bdb_close(db);
    if (bdbx_st == BDB_OK) bdbx_fail(BDB_E_NOMEM, "out of memory");
    return NULL;
  }
  x->db = db;
  pthread_mutex_init(&x->close_mu, NULL);
  x->logger = bdbx_logger_ref(opts ? opts->logger : NULL);
  x->progress = bdbx_logger_ref(opts ? opts->progress : NULL);
  bdbx_live_add(1);
  return x;
}

/* Frees the anchor once the database is closed and no call is in flight; afterwards no call
 * starts (bit 0 set). Whoever finds it so first (close, or the last call to leave) frees it. */
static void bx_db_let_go(bdbx_db *x) {
  unsigned idle = 0;
  if (__atomic_compare_exchange_n(&x->calls, &idle, 1u, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    bdb_batch_free(x->anchor);
    x->anchor = NULL;
  }
}

/* Starts a call on the database: its bdb_db, or NULL (status set) when the shell is gone. A
 * call that starts before the close ends gets the library's own BDB_E_INVALID. */
static bdb_db *bx_db_enter(bdbx_db *x) {
  bdbx_reset();
  if (!x) {
    bdbx_fail(BDB_E_INVALID, "the database handle is null");
    return NULL;
  }
  unsigned s = __atomic_load_n(&x->calls, __ATOMIC_SEQ_CST);
  do {
    if (s & 1u) {
      bdbx_fail(BDB_E_INVALID, "the database is closed");
      return NULL;
    }
  } while (
      !__atomic_compare_exchange_n(&x->calls, &s, s + 2u, 1, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
  return x->db;
}

static void bx_db_leave(bdbx_db *x) {
  if (__atomic_sub_fetch(&x->calls, 2u, __ATOMIC_SEQ_CST) == 0 &&
      __atomic_load_n(&x->closed, __ATOMIC_SEQ_CST))
    bx_db_let_go(x);
}

/* Closes the database once. report: bdb_db_close, whose failure (a merge at close that
 * failed) becomes the call's status; else bdb_close, which logs it (a finalizer must not
 * raise). */
static void bx_db_close(bdbx_db *x, int report) {
  bdbx_reset();
  if (!x) return;
  pthread_mutex_lock(&x->close_mu);
  if (!__atomic_load_n(&x->closed, __ATOMIC_SEQ_CST)) {
    if (report)
      bdbx_lib(bdb_db_close(x->db));
    else
      bdb_close(x->db);
    __atomic_store_n(&x->closed, 1, __ATOMIC_SEQ_CST);
    bx_db_let_go(x);
  }
  pthread_mutex_unlock(&x->close_mu);
}

void bdbx_db_close(bdbx_db *self) {
  bx_db_close(self, 1);
}

int bdbx_db_isOpen(bdbx_db *self) {
  bdbx_reset();
  return self && !__atomic_load_n(&self->closed, __ATOMIC_SEQ_CST);
}

void delete_bdbx_db(bdbx_db *self) {
  if (!self) return;
  bx_db_close(self, 0);
  bx_db_let_go(self); /* no call is in flight: the collector found the shell unreachable */
  pthread_mutex_destroy(&self->close_mu);
  bdbx_logger_unref(self->logger); /* after the anchor: a last free may still log */
  bdbx_logger_unref(self->progress);
  free(self);
  bdbx_live_add(-1);
}

/* Runs `call` (a bdb_status expression using db_) on the database. */
#define BX_DB_DO(x, call)         \
  do {                            \
    bdb_db *db_ = bx_db_enter(x); \
    if (db_) {                    \
      bdbx_lib(call);             \
      bx_db_leave(x);             \
    }                             \
  } while (0)

static bdbx_doc *bx_doc_wrap(bdb_doc *d) {
  if (!d) return NULL;
  bdbx_doc *w = (bdbx_doc *)malloc(sizeof *w);
  if (!w) {
    bdb_doc_free(d);
    bdbx_fail(BDB_E_NOMEM, "out of memory");
    return NULL;
  }
  w->d = d;
  bdbx_live_add(1);
  return w;
}

/* A document argument's bdb_doc, or NULL (status set) when it is NULL or disposed. */
static bdb_doc *bx_doc_arg(bdbx_doc *w) {
  if (!w || !w->d) {
    bdbx_fail(BDB_E_INVALID, "the document is closed");
    return NULL;
  }
  return w->d;
}

/* A doc made by one bdb_* call on the database (setting d_): new, from JSON, key, get. */
#define BX_DB_DOC(x, call)                             \
  do {                                                 \
    bdb_doc *d_ = NULL;                                \
    BX_DB_DO(x, call);                                 \
    return bdbx_st == BDB_OK ? bx_doc_wrap(d_) : NULL; \
  } while (0)

/* A string the library allocates, NULL on failure. */
#define BX_DB_TEXT(x, call) \
  do {                      \
    char *out = NULL;       \
    BX_DB_DO(x, call);      \
    return out;             \
  } while (0)

/* A count the library sets (n), 0 on failure. */
#define BX_DB_COUNT(x, call) \
  do {                       \
    uint64_t n = 0;          \
    BX_DB_DO(x, call);       \
    return n;                \
  } while (0)

void bdbx_db_registerSchema(bdbx_db *self, const char *json, int flags) {
  BX_DB_DO(self, bdb_schema_register_json_v2(db_, json, (unsigned)flags));
}

char *bdbx_db_schemasJson(bdbx_db *self) {
  BX_DB_TEXT(self, bdb_schema_list_json(db_, &out));
}

bdbx_doc *bdbx_db_newDoc(bdbx_db *self, const char *table) {
  BX_DB_DOC(self, bdb_doc_new(db_, table, &d_));
}

bdbx_doc *bdbx_db_docFromJson(bdbx_db *self, const char *table, const char *json) {
  BX_DB_DOC(self, bdb_doc_from_json(db_, table, json, &d_));
}

bdbx_doc *bdbx_db_docFromRow(bdbx_db *self, const char *table, uint32_t version, const void *fixed,
                             size_t fixed_len, const void *heap, size_t heap_len) {
  BX_DB_DOC(self, bdb_doc_from_row(db_, table, version, bx_data(fixed), fixed_len, bx_data(heap),
                                   heap_len, &d_));
}

bdbx_doc *bdbx_db_keyDoc(bdbx_db *self, const char *table, const char *keyText) {
  BX_DB_DOC(self, bdb_key_doc_from_text(db_, table, keyText, &d_));
}

bdbx_doc *bdbx_db_get(bdbx_db *self, bdbx_doc *keyDoc) {
  bdbx_reset();
  bdb_doc *k = bx_doc_arg(keyDoc);
  if (!k) return NULL;
  BX_DB_DOC(self, bdb_get(db_, k, &d_));
}

char *bdbx_db_getJson(bdbx_db *self, const char *table, const char *keyText) {
  BX_DB_TEXT(self, bdb_get_json(db_, table, keyText, &out));
}

static void bx_free_handle(int kind, void *h) {
  if (kind == BX_BATCH)
    bdb_batch_free((bdb_batch *)h);
  else if (kind == BX_QUERY)
    bdb_query_free((bdb_query *)h);
  else
    bdb_cursor_free((bdb_cursor *)h);
}

/* Wraps a new child handle h; on failure (no memory) frees h and returns NULL. */
static void *bx_child_new(int kind, void *h, bdbx_logger *logger, bdbx_logger *progress) {
  bx_child *c = (bx_child *)calloc(1, sizeof *c);
  if (!c) {
    bx_free_handle(kind, h);
    bdbx_fail(BDB_E_NOMEM, "out of memory");
    return NULL;
  }
  c->kind = kind;
  c->h = h;
  c->logger = bdbx_logger_ref(logger);
  c->progress = bdbx_logger_ref(progress);
  bdbx_live_add(1);
  return c;
}

bdbx_batch *bdbx_db_batch(bdbx_db *self) {
  bdb_batch *b = NULL;
  BX_DB_DO(self, bdb_batch_new(db_, &b));
  return b ? (bdbx_batch *)bx_child_new(BX_BATCH, b, self->logger, self->progress) : NULL;
}

bdbx_query *bdbx_db_query(bdbx_db *self, const char *table) {
  bdb_query *q = NULL;
  BX_DB_DO(self, bdb_query_new(db_, table, &q));
  return q ? (bdbx_query *)bx_child_new(BX_QUERY, q, self->logger, self->progress) : NULL;
}

bdbx_bytes bdbx_db_blobRead(bdbx_db *self, const char *blobId) {
  void *data = NULL;
  size_t len = 0;
  BX_DB_DO(self, bdb_blob_read(db_, blobId, &data, &len));
  if (bdbx_st != BDB_OK) return bx_none();
  bdbx_bytes b = bx_borrowed(data, len);
  b.owned = data != NULL;
  return b;
}

uint64_t bdbx_db_merge(bdbx_db *self) {
  BX_DB_COUNT(self, bdb_db_merge(db_, &n));
}
uint64_t bdbx_db_gc(bdbx_db *self) {
  BX_DB_COUNT(self, bdb_db_gc(db_, &n));
}

char *bdbx_db_inspectJson(bdbx_db *self, const char *what) {
  BX_DB_TEXT(self, bdb_db_inspect_json(db_, what, &out));
}

char *bdbx_db_statsJson(bdbx_db *self) {
  BX_DB_TEXT(self, bdb_db_stats_json(db_, &out));
}
void bdbx_db_refresh(bdbx_db *self) {
  BX_DB_DO(self, bdb_db_refresh(db_));
}
void bdbx_db_interrupt(bdbx_db *self) {
  BX_DB_DO(self, bdb_db_interrupt(db_));
}
void bdbx_db_dropTable(bdbx_db *self, const char *table) {
  BX_DB_DO(self, bdb_table_drop(db_, table));
}

void bdbx_db_dropIndex(bdbx_db *self, const char *table, const char *field) {
  BX_DB_DO(self, bdb_index_drop(db_, table, field));
}

char *bdbx_db_verifyJson(bdbx_db *self) {
  BX_DB_TEXT(self, bdb_db_verify(db_, &out));
}

uint64_t bdbx_db_exportTo(bdbx_db *self, const char *path) {
  BX_DB_COUNT(self, bdb_db_export(db_, path, &n));
}

uint64_t bdbx_db_importFrom(bdbx_db *self, const char *path, uint64_t batchRows, int flags) {
  BX_DB_COUNT(self, bdb_db_import(db_, path, batchRows, (unsigned)flags, &n));
}

/* ---- batches, queries, cursors ----------------------------------------------------------- */

static const char *const bx_closed_msg[] = {"", "the batch is closed", "the query is closed",
                                            "the cursor is closed"};

/* A child's handle, or NULL (status set) when it is closed. The library answers for a child
 * of a closed database. */
static void *bx_child_get(bx_child *c, int kind) {
  bdbx_reset();
  if (!c || !c->h) {
    bdbx_fail(BDB_E_INVALID, bx_closed_msg[kind]);
    return NULL;
  }
  return c->h;
}

/* Frees the child's handle now. Idempotent. */
static void bx_child_close(bx_child *c) {
  bdbx_reset();
  if (!c || !c->h) return;
  bx_free_handle(c->kind, c->h);
  c->h = NULL;
  bdbx_logger_unref(c->logger); /* after the free: it may have been the database's last */
  c->logger = NULL;
  bdbx_logger_unref(c->progress);
  c->progress = NULL;
}

static void bx_child_release(bx_child *c) {
  if (!c) return;
  bx_child_close(c);
  free(c);
  bdbx_live_add(-1);
}

/* The child part of a Batch, Query or Cursor; NULL for NULL. */
#define BX_CHILD(self) ((self) ? &(self)->c : NULL)

/* Runs `call` (using h_, the child's handle of type T). */
#define BX_CHILD_DO(self, kind, T, call)                               \
  do {                                                                 \
    /* NOLINTNEXTLINE(bugprone-macro-parentheses): T is a type name */ \
    T *h_ = (T *)bx_child_get(BX_CHILD(self), kind);                   \
    if (h_) bdbx_lib(call);                                            \
  } while (0)
#define BX_BATCH_DO(self, call) BX_CHILD_DO(self, BX_BATCH, bdb_batch, call)
#define BX_QUERY_DO(self, call) BX_CHILD_DO(self, BX_QUERY, bdb_query, call)
#define BX_CURSOR_DO(self, call) BX_CHILD_DO(self, BX_CURSOR, bdb_cursor, call)

void delete_bdbx_batch(bdbx_batch *self) {
  bx_child_release(BX_CHILD(self));
}
void delete_bdbx_query(bdbx_query *self) {
  bx_child_release(BX_CHILD(self));
}
void delete_bdbx_cursor(bdbx_cursor *self) {
  bx_child_release(BX_CHILD(self));
}
void bdbx_batch_close(bdbx_batch *self) {
  bx_child_close(BX_CHILD(self));
}
void bdbx_query_close(bdbx_query *self) {
  bx_child_close(BX_CHILD(self));
}
void bdbx_cursor_close(bdbx_cursor *self) {
  bx_child_close(BX_CHILD(self));
}

/* Runs bdb_batch_OP(h_, d) with doc's bdb_doc d. */
#define BX_BATCH_DOC(self, doc, call) \
  do {                                \
    bdbx_reset();                     \
    bdb_doc *d = bx_doc_arg(doc);     \
    if (d) BX_BATCH_DO(self, call);   \
  } while (0)

void bdbx_batch_insert(bdbx_batch *self, bdbx_doc *doc) {
  BX_BATCH_DOC(self, doc, bdb_batch_insert(h_, d));
}
void bdbx_batch_update(bdbx_batch *self, bdbx_doc *doc) {
  BX_BATCH_DOC(self, doc, bdb_batch_update(h_, d));
}
void bdbx_batch_patch(bdbx_batch *self, bdbx_doc *doc) {
  BX_BATCH_DOC(self, doc, bdb_batch_patch(h_, d));
}
void bdbx_batch_remove(bdbx_batch *self, bdbx_doc *keyDoc) {
  BX_BATCH_DOC(self, keyDoc, bdb_batch_delete(h_, d));
}

void bdbx_batch_insertJson(bdbx_batch *self, const char *table, const char *json) {
  BX_BATCH_DO(self, bdb_batch_insert_json(h_, table, json));
}
void bdbx_batch_updateJson(bdbx_batch *self, const char *table, const char *json) {
  BX_BATCH_DO(self, bdb_batch_update_json(h_, table, json));
}
void bdbx_batch_patchJson(bdbx_batch *self, const char *table, const char *json) {
  BX_BATCH_DO(self, bdb_batch_patch_json(h_, table, json));
}
void bdbx_batch_deleteKey(bdbx_batch *self, const char *table, const char *keyText) {
  BX_BATCH_DO(self, bdb_batch_delete_key(h_, table, keyText));
}
void bdbx_batch_expectVersion(bdbx_batch *self, uint64_t version) {
  BX_BATCH_DO(self, bdb_batch_expect_version(h_, version));
}
void bdbx_batch_expectExists(bdbx_batch *self) {
  BX_BATCH_DO(self, bdb_batch_expect_exists(h_));
}

uint64_t bdbx_batch_size(bdbx_batch *self) {
  uint64_t n = 0;
  BX_BATCH_DO(self, (n = bdb_batch_size(h_), BDB_OK));
  return n;
}
void bdbx_batch_clear(bdbx_batch *self) {
  BX_BATCH_DO(self, (bdb_batch_clear(h_), BDB_OK));
}

uint64_t bdbx_batch_commit(bdbx_batch *self) {
  uint64_t seq = 0;
  BX_BATCH_DO(self, bdb_batch_commit(h_, &seq));
  return seq;
}

void bdbx_query_where(bdbx_query *self, const char *field, const char *op, const char *valueJson) {
  const char *v = valueJson && *valueJson ? valueJson : NULL;
  BX_QUERY_DO(self, bdb_query_where(h_, field, op, v));
}
void bdbx_query_orGroup(bdbx_query *self) {
  BX_QUERY_DO(self, bdb_query_or(h_));
}
void bdbx_query_order(bdbx_query *self, const char *field, int descending) {
  BX_QUERY_DO(self, bdb_query_order(h_, field, descending));
}
void bdbx_query_orderThen(bdbx_query *self, const char *field, int descending) {
  BX_QUERY_DO(self, bdb_query_order_then(h_, field, descending));
}
void bdbx_query_limit(bdbx_query *self, uint64_t n) {
  BX_QUERY_DO(self, bdb_query_limit(h_, n));
}
void bdbx_query_offset(bdbx_query *self, uint64_t n) {
  BX_QUERY_DO(self, bdb_query_offset(h_, n));
}
void bdbx_query_asOf(bdbx_query *self, uint64_t seq) {
  BX_QUERY_DO(self, bdb_query_as_of(h_, seq));
}
void bdbx_query_asOfTime(bdbx_query *self, uint64_t miscMs) {
  BX_QUERY_DO(self, bdb_query_as_of_time(h_, miscMs));
}
void bdbx_query_selectField(bdbx_query *self, const char *field) {
  BX_QUERY_DO(self, bdb_query_select(h_, field));
}
void bdbx_query_after(bdbx_query *self, const char *token) {
  BX_QUERY_DO(self, bdb_query_after(h_, token));
}

uint64_t bdbx_query_count(bdbx_query *self) {
  uint64_t n = 0;
  BX_QUERY_DO(self, bdb_query_count(h_, &n));
  return n;
}

char *bdbx_query_explain(bdbx_query *self) {
  char *out = NULL;
  BX_QUERY_DO(self, bdb_query_explain(h_, &out));
  return out;
}

bdbx_cursor *bdbx_query_exec(bdbx_query *self) {
  bdb_cursor *cur = NULL;
  BX_QUERY_DO(self, bdb_query_exec(h_, &cur));
  return cur ? (bdbx_cursor *)bx_child_new(BX_CURSOR, cur, self->c.logger, self->c.progress) : NULL;
}

bdbx_doc *bdbx_cursor_next(bdbx_cursor *self) {
  bdb_doc *d = NULL;
  BX_CURSOR_DO(self, bdb_cursor_next(h_, &d));
  return bx_doc_wrap(d);
}

char *bdbx_cursor_pageToken(bdbx_cursor *self) {
  char *out = NULL;
  BX_CURSOR_DO(self, bdb_cursor_page_token(h_, &out));
  return out;
}

/* ---- documents --------------------------------------------------------------------------- */

static bdb_doc *bx_doc_get(bdbx_doc *w) {
  bdbx_reset();
  return bx_doc_arg(w);
}

void bdbx_doc_dispose(bdbx_doc *self) {
  bdbx_reset();
  if (self && self->d) {
    bdb_doc_free(self->d);
    self->d = NULL;
  }
}

void delete_bdbx_doc(bdbx_doc *self) {
  if (!self) return;
  bdbx_doc_dispose(self);
  free(self);
  bdbx_live_add(-1);
}

int bdbx_doc_isOpen(bdbx_doc *self) {
  bdbx_reset();
  return self && self->d;
}

/* `expr` (using d) on the open document, else `none`. */
#define BX_DOC_READ(self, expr, none) \
  do {                                \
    bdb_doc *d = bx_doc_get(self);    \
    return d ? (expr) : (none);       \
  } while (0)

const char *bdbx_doc_table(bdbx_doc *self) {
  BX_DOC_READ(self, bdb_doc_table(d), NULL);
}
uint64_t bdbx_doc_fieldCount(bdbx_doc *self) {
  BX_DOC_READ(self, bdb_doc_field_count(d), 0);
}
const char *bdbx_doc_fieldName(bdbx_doc *self, uint64_t index) {
  BX_DOC_READ(self, bdb_doc_field_name(d, (size_t)index), NULL);
}
int bdbx_doc_fieldType(bdbx_doc *self, const char *field) {
  BX_DOC_READ(self, bdb_doc_field_type(d, field), 0);
}
int bdbx_doc_has(bdbx_doc *self, const char *field) {
  BX_DOC_READ(self, bdb_doc_has(d, field), 0);
}
uint64_t bdbx_doc_version(bdbx_doc *self) {
  BX_DOC_READ(self, bdb_doc_version(d), 0);
}
uint64_t bdbx_doc_misc(bdbx_doc *self) {
  BX_DOC_READ(self, bdb_doc_misc(d), 0);
}
uint32_t bdbx_doc_schemaVersion(bdbx_doc *self) {
  BX_DOC_READ(self, bdb_doc_schema_version(d), 0);
}

bdbx_bytes bdbx_doc_present(bdbx_doc *self) {
  static __thread char buf[1024];
  bdb_doc *d = bx_doc_get(self);
  if (!d) return bx_none();
  size_t n = bdb_doc_field_count(d);
  if (n > sizeof buf) {
    bdbx_fail(BDB_E_INTERNAL, "more than 1024 fields");
    return bx_none();
  }
  for (size_t i = 0; i < n; i++) {
    const char *name = bdb_doc_field_name(d, i);
    buf[i] = (char)(bdb_doc_has(d, name) ? bdb_doc_field_type(d, name) : 0);
  }
  return bx_borrowed(buf, n);
}

char *bdbx_doc_toJson(bdbx_doc *self) {
  char *out = NULL;
  bdb_doc *d = bx_doc_get(self);
  if (d && !bdbx_lib(bdb_doc_to_json(d, &out))) out = NULL;
  return out;
}

bdbx_row *bdbx_doc_toRow(bdbx_doc *self) {
  bdb_doc *d = bx_doc_get(self);
  if (!d) return NULL;
  bdbx_row *r = (bdbx_row *)calloc(1, sizeof *r);
  if (!r) {
    bdbx_fail(BDB_E_NOMEM, "out of memory");
    return NULL;
  }
  if (!bdbx_lib(bdb_doc_to_row(d, &r->version, &r->fixed, &r->fixed_len, &r->heap, &r->heap_len))) {
    free(r);
    return NULL;
  }
  bdbx_live_add(1);
  return r;
}

/* Runs `call` (a bdb_status expression using d) on the open document. */
#define BX_DOC_DO(self, call)      \
  do {                             \
    bdb_doc *d = bx_doc_get(self); \
    if (d) bdbx_lib(call);         \
  } while (0)

void bdbx_doc_setNull(bdbx_doc *self, const char *field) {
  BX_DOC_DO(self, bdb_doc_set_null(d, field));
}
void bdbx_doc_setBool(bdbx_doc *self, const char *field, int value) {
  BX_DOC_DO(self, bdb_doc_set_bool(d, field, value));
}
void bdbx_doc_setInt(bdbx_doc *self, const char *field, int64_t value) {
  BX_DOC_DO(self, bdb_doc_set_int(d, field, value));
}
void bdbx_doc_setUint(bdbx_doc *self, const char *field, uint64_t value) {
  BX_DOC_DO(self, bdb_doc_set_uint(d, field, value));
}
void bdbx_doc_setDouble(bdbx_doc *self, const char *field, double value) {
  BX_DOC_DO(self, bdb_doc_set_double(d, field, value));
}
void bdbx_doc_setString(bdbx_doc *self, const char *field, const void *data, size_t len) {
  BX_DOC_DO(self, bdb_doc_set_string(d, field, (const char *)bx_data(data), len));
}
void bdbx_doc_setBytes(bdbx_doc *self, const char *field, const void *data, size_t len) {
  BX_DOC_DO(self, bdb_doc_set_bytes(d, field, bx_data(data), len));
}
void bdbx_doc_setJson(bdbx_doc *self, const char *field, const char *json) {
  BX_DOC_DO(self, bdb_doc_set_json(d, field, json));
}
void bdbx_doc_setBlob(bdbx_doc *self, const char *field, const void *data, size_t len) {
  BX_DOC_DO(self, bdb_doc_set_blob(d, field, bx_data(data), len));
}

/* A value the library sets (v of type T), 0 on failure. */
#define BX_DOC_GET(self, T, call) \
  do {                            \
    T v = 0;                      \
    BX_DOC_DO(self, call);        \
    return v;                     \
  } while (0)

int bdbx_doc_getBool(bdbx_doc *self, const char *field) {
  BX_DOC_GET(self, int, bdb_doc_get_bool(d, field, &v));
}
int64_t bdbx_doc_getInt(bdbx_doc *self, const char *field) {
  BX_DOC_GET(self, int64_t, bdb_doc_get_int(d, field, &v));
}
uint64_t bdbx_doc_getUint(bdbx_doc *self, const char *field) {
  BX_DOC_GET(self, uint64_t, bdb_doc_get_uint(d, field, &v));
}
double bdbx_doc_getDouble(bdbx_doc *self, const char *field) {
  BX_DOC_GET(self, double, bdb_doc_get_double(d, field, &v));
}

bdbx_bytes bdbx_doc_getString(bdbx_doc *self, const char *field) {
  const char *s = NULL;
  size_t n = 0;
  bdb_doc *d = bx_doc_get(self);
  if (!d || !bdbx_lib(bdb_doc_get_string(d, field, &s, &n))) return bx_none();
  return bx_borrowed(s, n);
}

bdbx_bytes bdbx_doc_getBytes(bdbx_doc *self, const char *field) {
  const void *p = NULL;
  size_t n = 0;
  bdb_doc *d = bx_doc_get(self);
  if (!d || !bdbx_lib(bdb_doc_get_bytes(d, field, &p, &n))) return bx_none();
  return bx_borrowed(p, n);
}

char *bdbx_doc_getJson(bdbx_doc *self, const char *field) {
  char *out = NULL;
  bdb_doc *d = bx_doc_get(self);
  if (d && !bdbx_lib(bdb_doc_get_json(d, field, &out))) out = NULL;
  return out;
}

const char *bdbx_doc_getBlobId(bdbx_doc *self, const char *field) {
  static __thread char id[37];
  bdb_doc *d = bx_doc_get(self);
  return d && bdbx_lib(bdb_doc_get_blob_id(d, field, id)) ? id : NULL;
}

/* ---- rows -------------------------------------------------------------------------------- */

void delete_bdbx_row(bdbx_row *self) {
  if (!self) return;
  bdb_free(self->fixed);
  bdb_free(self->heap);
  free(self);
  bdbx_live_add(-1);
}

uint32_t bdbx_row_version(bdbx_row *self) {
  bdbx_reset();
  return self ? self->version : 0;
}
bdbx_bytes bdbx_row_fixed(bdbx_row *self) {
  bdbx_reset();
  return self ? bx_borrowed(self->fixed, self->fixed_len) : bx_none();
}
bdbx_bytes bdbx_row_heap(bdbx_row *self) {
  bdbx_reset();
  return self ? bx_borrowed(self->heap, self->heap_len) : bx_none();
}

/* ---- module functions -------------------------------------------------------------------- */

char *bdbx_driver_check(const char *uri) {
  char *out = NULL;
  bdbx_reset();
  return bdbx_lib(bdb_driver_check(uri, &out)) ? out : NULL;
}

char *bdbx_recover_json(const char *uri, const bdbx_options *opts, const char *schemasJson,
                        int flags) {
  char *out = NULL;
  bdbx_reset();
  const char *schemas = schemasJson && *schemasJson ? schemasJson : NULL;
  return bdbx_lib(bdb_recover(uri, opts ? opts->o : NULL, schemas, (unsigned)flags, &out)) ? out
                                                                                           : NULL;
}

int bdbx_abi_version(void) {
  return bdb_abi_version();
}
int bdbx_header_abi_version(void) {
  return BDB_ABI_VERSION;
}
const char *bdbx_version(void) {
  return bdb_version();
}
const char *bdbx_status_string(int status) {
  return bdb_status_str(status);
}
int64_t bdbx_live_handles(void) {
  return __atomic_load_n(&bdbx_live, __ATOMIC_RELAXED);
}

int bdbx_leak_check(void) {
  int (*check)(void) = NULL;
  *(void **)&check = dlsym(RTLD_DEFAULT, "__lsan_do_recoverable_leak_check");
  return check ? check() : -1;
}
