/* The one SWIG interface of BucketDB, over bucketdb.h only, for Go, Java, Ruby and Python. This
 * file is what every language shares; each language's typemaps and error raising are in its own
 * small file beside its layer (go/bucketdb_go.i, java/bucketdb_java.i, ruby/bucketdb_ruby.i,
 * python/bucketdb_python.i), included below.
 *
 * SWIG does not wrap the bdb_* functions themselves. It wraps a small shim written here in
 * plain C, whose handles are the classes the per-language layers (bindings/go, java, ruby,
 * python) use:
 *
 *   Options  Database  Batch  Query  Cursor  Doc  Row
 *
 * The shim exists for four reasons:
 *  - Errors: every shim call leaves its status and message in thread-locals. Java, Ruby and
 *    Python turn them into exceptions with %exception. Go has no %exception here (a panic would
 *    skip SWIG's freeing of string arguments), so the Go layer reads them with lastStatus() and
 *    lastMessage() while its goroutine is locked to the thread.
 *  - Idempotence: garbage collectors finalize in any order and on any thread, and programs
 *    close twice. close()/dispose() release the C handle now and leave an empty shell, so a
 *    second close, a finalizer after close, or a call after close is an error or a no-op,
 *    never a double free. Lifetimes themselves are the library's (bucketdb.h, "Ownership"): a
 *    database closed while batches, queries or cursors live stays allocated, a zombie whose
 *    every call fails, until the last of them is freed, so children and their database may be
 *    freed in any order.
 *  - A database's pointer stays valid while a call may still use it: the shell holds one
 *    child of its own (an empty batch, its anchor), so the library keeps a closed database as
 *    a zombie instead of freeing it under a call that raced the close. The anchor goes once
 *    the shell is closed and no call is in flight (a count, not a lock: nothing waits), which
 *    frees the engine at close, not at collection.
 *  - Loggers: the program's logger is the context of bdb_options_set_logger, which must outlive
 *    every database opened with it. Options, databases and children each hold a reference and
 *    drop it after freeing their C handle; each language's file makes the logger.
 * Documents (bdb_doc) hold no reference to their database.
 */
#if defined(SWIGRUBY)
%module "BucketDB::Native" /* lib: bucketdb/native.so */
#elif defined(SWIGPYTHON)
%module(package="bucketdb") native /* bucketdb/native.py over the extension bucketdb/_native */
#else
%module bucketdb_native /* Go: -module native from the .swig file; Java: -module BucketDbNative */
#endif

%{
#include <bucketdb/bucketdb.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- outcome of the last shim call on this thread -------------------------------------- */

static __thread int bdbx_st = BDB_OK;
static __thread const char *bdbx_msg = "";

static void bdbx_reset(void) {
  bdbx_st = BDB_OK;
  bdbx_msg = "";
}
/* A failure of the library: keep its message (valid until the next failing call here). */
static int bdbx_lib(bdb_status st) {
  if (st != BDB_OK) {
    bdbx_st = (int)st;
    bdbx_msg = bdb_errmsg();
  }
  return st == BDB_OK;
}
/* A failure of the shim itself; msg is a string literal. */
static void bdbx_fail(int st, const char *msg) {
  bdbx_st = st;
  bdbx_msg = msg;
}

/* Shim structs alive (databases, children, docs, rows): tests check it drops back to where it
 * was once finalizers have run. */
static int64_t bdbx_live = 0;
static void bdbx_live_add(int64_t n) { __atomic_add_fetch(&bdbx_live, n, __ATOMIC_RELAXED); }

/* ---- bytes coming out ------------------------------------------------------------------- */

/* Borrowed (owned == 0) or to be released with bdb_free once copied (owned == 1). */
typedef struct bdbx_bytes {
  const char *data;
  size_t len;
  int owned;
} bdbx_bytes;

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

/* ---- loggers ----------------------------------------------------------------------------- */

/* The context of bdb_options_set_logger. A language's logger is a struct with this one first;
 * `fn` is its bdb_log_fn, `release` frees it when the last reference goes. */
typedef struct bdbx_logger {
  int refs;
  bdb_log_fn fn;
  void (*release)(struct bdbx_logger *self);
} bdbx_logger;

static bdbx_logger *bx_logger_ref(bdbx_logger *l) {
  if (l) __atomic_add_fetch(&l->refs, 1, __ATOMIC_RELAXED);
  return l;
}
static void bx_logger_unref(bdbx_logger *l) {
  if (l && __atomic_sub_fetch(&l->refs, 1, __ATOMIC_ACQ_REL) == 0) l->release(l);
}
/* The line a logger that cannot reach its language any more writes instead (the library's
 * own format), so that nothing logged is lost. */
static void bx_log_to_stderr(int level, const char *subsystem, const char *message) {
  static const char *const tags[] = {"", "", "warning: ", "error: "};
  fprintf(stderr, "bucketdb: %s: %s%s\n", subsystem, level >= 0 && level <= 3 ? tags[level] : "",
          message);
}

/* Progress (bdb_options_set_progress) arrives through a logger, each language's way of being
 * called from the library's threads: subsystem the task, message "DONE TOTAL", level info.
 * The language's layer turns it back into a call of the program's progress function. */
static void bx_progress(void *ctx, const char *task, uint64_t done, uint64_t total) {
  bdbx_logger *l = (bdbx_logger *)ctx;
  char numbers[48];
  snprintf(numbers, sizeof numbers, "%llu %llu", (unsigned long long)done,
           (unsigned long long)total);
  l->fn(l, BDB_LOG_INFO, task, numbers);
}

/* ---- databases and their children -------------------------------------------------------- */

enum { BDBX_BATCH = 1, BDBX_QUERY = 2, BDBX_CURSOR = 3 };

typedef struct bdbx_db {
  bdb_db *db;
  bdb_batch *anchor;       /* keeps db allocated (a zombie once closed) while calls may use it */
  unsigned calls;          /* atomic: 2 per call in flight; bit 0 once the anchor goes */
  int closed;              /* atomic */
  pthread_mutex_t close_mu; /* a second close() waits for the first */
  bdbx_logger *logger;
  bdbx_logger *progress;
} bdbx_db;

typedef struct bdbx_child {
  int kind;
  void *h; /* bdb_batch / bdb_query / bdb_cursor; NULL once freed */
  bdbx_logger *logger;
  bdbx_logger *progress; /* a last free may close the database, whose merge reports progress */
} bdbx_child;

typedef struct bdbx_batch { bdbx_child c; } bdbx_batch;
typedef struct bdbx_query { bdbx_child c; } bdbx_query;
typedef struct bdbx_cursor { bdbx_child c; } bdbx_cursor;

typedef struct bdbx_doc { bdb_doc *d; } bdbx_doc;

/* access_set: the program chose createIfMissing or readOnly itself. */
typedef struct bdbx_options {
  bdb_options *o;
  int access_set;
  bdbx_logger *logger;
  bdbx_logger *progress;
} bdbx_options;

typedef struct bdbx_row {
  uint32_t version;
  void *fixed, *heap;
  size_t fixed_len, heap_len;
} bdbx_row;

static bdbx_db *bx_db_open(const char *uri, const bdbx_options *opts) {
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
  x->logger = bx_logger_ref(opts ? opts->logger : NULL);
  x->progress = bx_logger_ref(opts ? opts->progress : NULL);
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
  } while (!__atomic_compare_exchange_n(&x->calls, &s, s + 2u, 1, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST));
  return x->db;
}
static void bx_db_leave(bdbx_db *x) {
  if (__atomic_sub_fetch(&x->calls, 2u, __ATOMIC_SEQ_CST) == 0 &&
      __atomic_load_n(&x->closed, __ATOMIC_SEQ_CST))
    bx_db_let_go(x);
}

/* Closes the database once (a second close waits for the first, then does nothing). report:
 * bdb_db_close, whose failure (a merge at close that failed) becomes the call's status; else
 * bdb_close, which logs it (a finalizer must not raise). */
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

static void bx_db_release(bdbx_db *x) {
  if (!x) return;
  bx_db_close(x, 0);
  bx_db_let_go(x); /* no call is in flight: the collector found the shell unreachable */
  pthread_mutex_destroy(&x->close_mu);
  bx_logger_unref(x->logger); /* after the anchor: a last free may still log */
  bx_logger_unref(x->progress);
  free(x);
  bdbx_live_add(-1);
}

static void bx_free_handle(int kind, void *h) {
  if (kind == BDBX_BATCH) bdb_batch_free((bdb_batch *)h);
  else if (kind == BDBX_QUERY) bdb_query_free((bdb_query *)h);
  else bdb_cursor_free((bdb_cursor *)h);
}

/* Wraps a new child handle h; on failure (no memory) frees h and returns NULL. */
static void *bx_child_new(int kind, void *h, bdbx_logger *logger, bdbx_logger *progress) {
  bdbx_child *c = (bdbx_child *)calloc(1, sizeof(bdbx_batch)); /* all three are one bdbx_child */
  if (!c) {
    bx_free_handle(kind, h);
    bdbx_fail(BDB_E_NOMEM, "out of memory");
    return NULL;
  }
  c->kind = kind;
  c->h = h;
  c->logger = bx_logger_ref(logger);
  c->progress = bx_logger_ref(progress);
  bdbx_live_add(1);
  return c;
}

static const char *const bx_closed_msg[] = {
    "", "the batch is closed", "the query is closed", "the cursor is closed"};

/* A child's handle, or NULL (status set) when it is closed. The library answers for a child
 * of a closed database. */
static void *bx_child_get(bdbx_child *c, int kind) {
  bdbx_reset();
  if (!c || !c->h) {
    bdbx_fail(BDB_E_INVALID, bx_closed_msg[kind]);
    return NULL;
  }
  return c->h;
}

/* Frees the child's handle now. Idempotent. */
static void bx_child_close(bdbx_child *c) {
  bdbx_reset();
  if (!c || !c->h) return;
  bx_free_handle(c->kind, c->h);
  c->h = NULL;
  bx_logger_unref(c->logger); /* after the free: it may have been the database's last */
  c->logger = NULL;
  bx_logger_unref(c->progress);
  c->progress = NULL;
}

static void bx_child_release(bdbx_child *c) {
  if (!c) return;
  bx_child_close(c);
  free(c);
  bdbx_live_add(-1);
}

/* ---- documents --------------------------------------------------------------------------- */

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

static bdb_doc *bx_doc_get(bdbx_doc *w) {
  bdbx_reset();
  if (!w || !w->d) {
    bdbx_fail(BDB_E_INVALID, "the document is closed");
    return NULL;
  }
  return w->d;
}

static void bx_doc_dispose(bdbx_doc *w) {
  bdbx_reset();
  if (w && w->d) {
    bdb_doc_free(w->d);
    w->d = NULL;
  }
}

static void bx_doc_release(bdbx_doc *w) {
  if (!w) return;
  bx_doc_dispose(w);
  free(w);
  bdbx_live_add(-1);
}

/* Runs `call` (a bdb_status expression using db_) on the database. */
#define BDBX_DB_DO(x, call)       \
  do {                            \
    bdb_db *db_ = bx_db_enter(x); \
    if (db_) {                    \
      bdbx_lib(call);             \
      bx_db_leave(x);             \
    }                             \
  } while (0)

/* A doc made by one bdb_* call on the database: bdb_doc_new, from_json, key_doc, get. */
#define BDBX_DB_DOC(x, call)                           \
  do {                                                 \
    bdb_doc *d_ = NULL;                                \
    BDBX_DB_DO(x, call);                               \
    return bdbx_st == BDB_OK ? bx_doc_wrap(d_) : NULL; \
  } while (0)

/* The child part of a Batch, Query or Cursor; NULL for NULL (a Java proxy after delete()). */
#define BX_CHILD(self) ((self) ? &(self)->c : NULL)

/* Runs `call` (using h_, the child's handle of type T). */
#define BDBX_CHILD_DO(self, kind, T, call)           \
  do {                                               \
    T *h_ = (T *)bx_child_get(BX_CHILD(self), kind); \
    if (h_) bdbx_lib(call);                          \
  } while (0)

static bdb_doc *bx_doc_arg(bdbx_doc *w) {
  if (!w || !w->d) {
    bdbx_fail(BDB_E_INVALID, "the document is closed");
    return NULL;
  }
  return w->d;
}

static char bx_no_data; /* non-NULL pointer for empty byte arguments */
static const void *bx_data(const void *p) { return p ? p : &bx_no_data; }
%}

%include <stdint.i>

/* ---- the constants of bucketdb.h: status codes and type ids ------------------------------- */
/* The functions are reached through the shim classes below; the version macros through
 * headerAbiVersion() and version(). */
%rename("$ignore", %$isfunction, regextarget=1) "^bdb_";
%ignore BDB_ABI_VERSION;
%ignore BDB_VERSION_STRING;

/* ---- what each language adds: typemaps, class names, BDBX_RAISING and BDBX_SILENT ---------- */
/* BDBX_RAISING makes the declarations after it raise from the thread's status; BDBX_SILENT
 * makes them never raise. */
#if defined(SWIGGO)
%include "go/bucketdb_go.i"
#elif defined(SWIGJAVA)
%include "java/bucketdb_java.i"
#elif defined(SWIGRUBY)
%include "ruby/bucketdb_ruby.i"
#elif defined(SWIGPYTHON)
%include "python/bucketdb_python.i"
#endif

%include <bucketdb/bucketdb.h>

/* ---- typemaps ----------------------------------------------------------------------------- */

/* Bytes in, (const void *data, size_t len), and out, bdbx_bytes, are typemapped per language. */
%apply (const void *data, size_t len) { (const void *fixed, size_t fixed_len) };
%apply (const void *data, size_t len) { (const void *heap, size_t heap_len) };
/* JSON texts and other strings the library allocates. */
%typemap(newfree) char * "bdb_free($1);";

/* ---- the classes -------------------------------------------------------------------------- */

%newobject bdbx_db::newDoc;
%newobject bdbx_db::docFromJson;
%newobject bdbx_db::docFromRow;
%newobject bdbx_db::keyDoc;
%newobject bdbx_db::get;
%newobject bdbx_db::getJson;
%newobject bdbx_db::schemasJson;
%newobject bdbx_db::inspectJson;
%newobject bdbx_db::statsJson;
%newobject bdbx_db::verifyJson;
%newobject bdbx_db::batch;
%newobject bdbx_db::query;
%newobject bdbx_query::exec;
%newobject bdbx_query::explain;
%newobject bdbx_cursor::next;
%newobject bdbx_cursor::pageToken;
%newobject bdbx_doc::toJson;
%newobject bdbx_doc::getJson;
%newobject bdbx_doc::toRow;

#ifndef BDBX_RENAMED
%rename(Options) bdbx_options;
%rename(Database) bdbx_db;
%rename(Batch) bdbx_batch;
%rename(Query) bdbx_query;
%rename(Cursor) bdbx_cursor;
%rename(Doc) bdbx_doc;
%rename(Row) bdbx_row;
#endif

%nodefaultctor;
%nodefaultdtor;

/* Destructors never fail and never raise. */
BDBX_SILENT
struct bdbx_options {};
%extend bdbx_options {
  ~bdbx_options() {
    if (!$self) return;
    bdb_options_free($self->o);
    bx_logger_unref($self->logger);
    bx_logger_unref($self->progress);
    free($self);
  }
}
struct bdbx_db {};
%extend bdbx_db {
  ~bdbx_db() { bx_db_release($self); }
}
struct bdbx_batch {};
%extend bdbx_batch {
  ~bdbx_batch() { bx_child_release(BX_CHILD($self)); }
}
struct bdbx_query {};
%extend bdbx_query {
  ~bdbx_query() { bx_child_release(BX_CHILD($self)); }
}
struct bdbx_cursor {};
%extend bdbx_cursor {
  ~bdbx_cursor() { bx_child_release(BX_CHILD($self)); }
}
struct bdbx_doc {};
%extend bdbx_doc {
  ~bdbx_doc() { bx_doc_release($self); }
}
struct bdbx_row {};
%extend bdbx_row {
  ~bdbx_row() {
    if (!$self) return;
    bdb_free($self->fixed);
    bdb_free($self->heap);
    free($self);
    bdbx_live_add(-1);
  }
}

/* Everything below reports failures, except the children's close(), dispose() and isOpen(),
 * which cannot fail. */
BDBX_RAISING

%extend bdbx_options {
  bdbx_options() {
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
  void set(const char *name, const char *value) {
    bdbx_reset();
    if (!$self) {
      bdbx_fail(BDB_E_INVALID, "the options handle is null");
    } else if (bdbx_lib(bdb_options_set($self->o, name, value)) && name &&
               (!strcmp(name, "createIfMissing") || !strcmp(name, "readOnly"))) {
      $self->access_set = 1;
    }
  }
  /* The databases opened with these options log to `logger` (made from a language's object by
   * its typemap, which hands over one reference) instead of stderr. */
  void setLogger(bdbx_logger *logger) {
    bdbx_reset();
    if (!$self) {
      bx_logger_unref(logger);
      bdbx_fail(BDB_E_INVALID, "the options handle is null");
      return;
    }
    if (!bdbx_lib(bdb_options_set_logger($self->o, logger ? logger->fn : NULL, logger))) {
      bx_logger_unref(logger);
      return;
    }
    bx_logger_unref($self->logger);
    $self->logger = logger;
  }
  /* The databases opened with these options report the progress of long work (merges, gc,
   * verify, export, import) to `logger` (see bx_progress); null: none. */
  void setProgress(bdbx_logger *logger) {
    bdbx_reset();
    if (!$self) {
      bx_logger_unref(logger);
      bdbx_fail(BDB_E_INVALID, "the options handle is null");
      return;
    }
    if (!bdbx_lib(bdb_options_set_progress($self->o, logger ? bx_progress : NULL, logger))) {
      bx_logger_unref(logger);
      return;
    }
    bx_logger_unref($self->progress);
    $self->progress = logger;
  }
}

%extend bdbx_db {
  /* opts may be null. */
  bdbx_db(const char *uri, const bdbx_options *opts) { return bx_db_open(uri, opts); }
  /* Closes the database now (its children fail from then on; the library frees it with the
   * last of them); the shell stays until collected. Reports a merge at close that failed
   * (nothing is lost: the commits are in the log). A second close does nothing. */
  void close() { bx_db_close($self, 1); }
  int isOpen() {
    bdbx_reset();
    return $self && !__atomic_load_n(&$self->closed, __ATOMIC_SEQ_CST);
  }

  /* flags: BDB_SCHEMA_ALLOW_LOSSY or 0. A JSON array registers every schema in it or none. */
  void registerSchema(const char *json, int flags) {
    BDBX_DB_DO($self, bdb_schema_register_json_v2(db_, json, (unsigned)flags));
  }
  char *schemasJson() {
    char *out = NULL;
    BDBX_DB_DO($self, bdb_schema_list_json(db_, &out));
    return out;
  }

  bdbx_doc *newDoc(const char *table) { BDBX_DB_DOC($self, bdb_doc_new(db_, table, &d_)); }
  bdbx_doc *docFromJson(const char *table, const char *json) {
    BDBX_DB_DOC($self, bdb_doc_from_json(db_, table, json, &d_));
  }
  bdbx_doc *docFromRow(const char *table, uint32_t version, const void *fixed, size_t fixed_len,
                       const void *heap, size_t heap_len) {
    BDBX_DB_DOC($self, bdb_doc_from_row(db_, table, version, bx_data(fixed), fixed_len,
                                        bx_data(heap), heap_len, &d_));
  }
  bdbx_doc *keyDoc(const char *table, const char *keyText) {
    BDBX_DB_DOC($self, bdb_key_doc_from_text(db_, table, keyText, &d_));
  }
  /* The row with the key of keyDoc; NULL with BDB_E_NOT_FOUND when there is none. */
  bdbx_doc *get(bdbx_doc *keyDoc) {
    bdb_doc *k = bx_doc_arg(keyDoc);
    if (!k) return NULL;
    BDBX_DB_DOC($self, bdb_get(db_, k, &d_));
  }
  char *getJson(const char *table, const char *keyText) {
    char *out = NULL;
    BDBX_DB_DO($self, bdb_get_json(db_, table, keyText, &out));
    return bdbx_st == BDB_OK ? out : NULL;
  }

  bdbx_batch *batch() {
    bdb_batch *b = NULL;
    BDBX_DB_DO($self, bdb_batch_new(db_, &b));
    return b ? (bdbx_batch *)bx_child_new(BDBX_BATCH, b, $self->logger, $self->progress) : NULL;
  }
  bdbx_query *query(const char *table) {
    bdb_query *q = NULL;
    BDBX_DB_DO($self, bdb_query_new(db_, table, &q));
    return q ? (bdbx_query *)bx_child_new(BDBX_QUERY, q, $self->logger, $self->progress) : NULL;
  }

  bdbx_bytes blobRead(const char *blobId) {
    void *data = NULL;
    size_t len = 0;
    BDBX_DB_DO($self, bdb_blob_read(db_, blobId, &data, &len));
    if (bdbx_st != BDB_OK) return bx_none();
    bdbx_bytes b = bx_borrowed(data, len);
    b.owned = data != NULL;
    return b;
  }

  uint64_t merge() {
    uint64_t n = 0;
    BDBX_DB_DO($self, bdb_db_merge(db_, &n));
    return n;
  }
  uint64_t gc() {
    uint64_t n = 0;
    BDBX_DB_DO($self, bdb_db_gc(db_, &n));
    return n;
  }
  char *inspectJson(const char *what) {
    char *out = NULL;
    BDBX_DB_DO($self, bdb_db_inspect_json(db_, what, &out));
    return out;
  }
  char *statsJson() {
    char *out = NULL;
    BDBX_DB_DO($self, bdb_db_stats_json(db_, &out));
    return out;
  }
  void refresh() { BDBX_DB_DO($self, bdb_db_refresh(db_)); }

  void dropTable(const char *table) { BDBX_DB_DO($self, bdb_table_drop(db_, table)); }
  void dropIndex(const char *table, const char *field) {
    BDBX_DB_DO($self, bdb_index_drop(db_, table, field));
  }
  /* bdb_db_verify's report, JSON. */
  char *verifyJson() {
    char *out = NULL;
    BDBX_DB_DO($self, bdb_db_verify(db_, &out));
    return out;
  }
  /* "export" and "import" are keywords somewhere: exportTo, importFrom. Return the rows. */
  uint64_t exportTo(const char *path) {
    uint64_t n = 0;
    BDBX_DB_DO($self, bdb_db_export(db_, path, &n));
    return n;
  }
  /* flags: BDB_IMPORT_UPSERT or 0. */
  uint64_t importFrom(const char *path, uint64_t batchRows, int flags) {
    uint64_t n = 0;
    BDBX_DB_DO($self, bdb_db_import(db_, path, batchRows, (unsigned)flags, &n));
    return n;
  }
}

%extend bdbx_batch {
  void close() { bx_child_close(BX_CHILD($self)); }
  void insert(bdbx_doc *doc) {
    bdb_doc *d = bx_doc_arg(doc);
    if (d) BDBX_CHILD_DO($self, BDBX_BATCH, bdb_batch, bdb_batch_insert(h_, d));
  }
  void update(bdbx_doc *doc) {
    bdb_doc *d = bx_doc_arg(doc);
    if (d) BDBX_CHILD_DO($self, BDBX_BATCH, bdb_batch, bdb_batch_update(h_, d));
  }
  void patch(bdbx_doc *doc) {
    bdb_doc *d = bx_doc_arg(doc);
    if (d) BDBX_CHILD_DO($self, BDBX_BATCH, bdb_batch, bdb_batch_patch(h_, d));
  }
  /* "delete" is taken in Java (the proxy's own delete()). */
  void remove(bdbx_doc *keyDoc) {
    bdb_doc *d = bx_doc_arg(keyDoc);
    if (d) BDBX_CHILD_DO($self, BDBX_BATCH, bdb_batch, bdb_batch_delete(h_, d));
  }
  void insertJson(const char *table, const char *json) {
    BDBX_CHILD_DO($self, BDBX_BATCH, bdb_batch, bdb_batch_insert_json(h_, table, json));
  }
  void updateJson(const char *table, const char *json) {
    BDBX_CHILD_DO($self, BDBX_BATCH, bdb_batch, bdb_batch_update_json(h_, table, json));
  }
  void patchJson(const char *table, const char *json) {
    BDBX_CHILD_DO($self, BDBX_BATCH, bdb_batch, bdb_batch_patch_json(h_, table, json));
  }
  void deleteKey(const char *table, const char *keyText) {
    BDBX_CHILD_DO($self, BDBX_BATCH, bdb_batch, bdb_batch_delete_key(h_, table, keyText));
  }
  void expectVersion(uint64_t version) {
    BDBX_CHILD_DO($self, BDBX_BATCH, bdb_batch, bdb_batch_expect_version(h_, version));
  }
  void expectExists() {
    BDBX_CHILD_DO($self, BDBX_BATCH, bdb_batch, bdb_batch_expect_exists(h_));
  }
  uint64_t size() {
    uint64_t n = 0;
    BDBX_CHILD_DO($self, BDBX_BATCH, bdb_batch, (n = bdb_batch_size(h_), BDB_OK));
    return n;
  }
  void clear() { BDBX_CHILD_DO($self, BDBX_BATCH, bdb_batch, (bdb_batch_clear(h_), BDB_OK)); }
  uint64_t commit() {
    uint64_t seq = 0;
    BDBX_CHILD_DO($self, BDBX_BATCH, bdb_batch, bdb_batch_commit(h_, &seq));
    return seq;
  }
}

%extend bdbx_query {
  void close() { bx_child_close(BX_CHILD($self)); }
  /* An empty valueJson stands for NULL (isnull, notnull): Go strings cannot be nil. */
  void where(const char *field, const char *op, const char *valueJson) {
    const char *v = valueJson && *valueJson ? valueJson : NULL;
    BDBX_CHILD_DO($self, BDBX_QUERY, bdb_query, bdb_query_where(h_, field, op, v));
  }
  /* "or" is a keyword in none of the three languages' SWIG layers, but reads badly: orGroup. */
  void orGroup() { BDBX_CHILD_DO($self, BDBX_QUERY, bdb_query, bdb_query_or(h_)); }
  void order(const char *field, int descending) {
    BDBX_CHILD_DO($self, BDBX_QUERY, bdb_query, bdb_query_order(h_, field, descending));
  }
  void orderThen(const char *field, int descending) {
    BDBX_CHILD_DO($self, BDBX_QUERY, bdb_query, bdb_query_order_then(h_, field, descending));
  }
  void limit(uint64_t n) { BDBX_CHILD_DO($self, BDBX_QUERY, bdb_query, bdb_query_limit(h_, n)); }
  void offset(uint64_t n) { BDBX_CHILD_DO($self, BDBX_QUERY, bdb_query, bdb_query_offset(h_, n)); }
  void asOf(uint64_t seq) { BDBX_CHILD_DO($self, BDBX_QUERY, bdb_query, bdb_query_as_of(h_, seq)); }
  void asOfTime(uint64_t miscMs) {
    BDBX_CHILD_DO($self, BDBX_QUERY, bdb_query, bdb_query_as_of_time(h_, miscMs));
  }
  void selectField(const char *field) {
    BDBX_CHILD_DO($self, BDBX_QUERY, bdb_query, bdb_query_select(h_, field));
  }
  /* Keyset pagination: continue after the position a cursor's pageToken() gave. */
  void after(const char *token) {
    BDBX_CHILD_DO($self, BDBX_QUERY, bdb_query, bdb_query_after(h_, token));
  }
  uint64_t count() {
    uint64_t n = 0;
    BDBX_CHILD_DO($self, BDBX_QUERY, bdb_query, bdb_query_count(h_, &n));
    return n;
  }
  /* One line: how the query would run and the objects it would read at most. */
  char *explain() {
    char *out = NULL;
    BDBX_CHILD_DO($self, BDBX_QUERY, bdb_query, bdb_query_explain(h_, &out));
    return out;
  }
  bdbx_cursor *exec() {
    bdb_cursor *cur = NULL;
    BDBX_CHILD_DO($self, BDBX_QUERY, bdb_query, bdb_query_exec(h_, &cur));
    return cur ? (bdbx_cursor *)bx_child_new(BDBX_CURSOR, cur, $self->c.logger, $self->c.progress)
               : NULL;
  }
}

%extend bdbx_cursor {
  void close() { bx_child_close(BX_CHILD($self)); }
  /* The next document, or NULL (status OK) at the end. */
  bdbx_doc *next() {
    bdb_doc *d = NULL;
    BDBX_CHILD_DO($self, BDBX_CURSOR, bdb_cursor, bdb_cursor_next(h_, &d));
    return d ? bx_doc_wrap(d) : NULL;
  }
  /* Where the rows returned so far end, for the next page's after(). */
  char *pageToken() {
    char *out = NULL;
    BDBX_CHILD_DO($self, BDBX_CURSOR, bdb_cursor, bdb_cursor_page_token(h_, &out));
    return out;
  }
}

%extend bdbx_doc {
  /* Frees the document now; the shell stays until collected. */
  void dispose() { bx_doc_dispose($self); }
  int isOpen() { return $self && $self->d; }
  const char *table() {
    bdb_doc *d = bx_doc_get($self);
    return d ? bdb_doc_table(d) : NULL;
  }
  uint64_t fieldCount() {
    bdb_doc *d = bx_doc_get($self);
    return d ? bdb_doc_field_count(d) : 0;
  }
  /* NULL (no error) past the last field. */
  const char *fieldName(uint64_t index) {
    bdb_doc *d = bx_doc_get($self);
    return d ? bdb_doc_field_name(d, (size_t)index) : NULL;
  }
  /* 0 for an unknown field. */
  int fieldType(const char *field) {
    bdb_doc *d = bx_doc_get($self);
    return d ? bdb_doc_field_type(d, field) : 0;
  }
  int has(const char *field) {
    bdb_doc *d = bx_doc_get($self);
    return d ? bdb_doc_has(d, field) : 0;
  }
  /* One byte per field in declaration order: its type id when it holds a value, else 0. The
   * layers turn a document into a native map with this and one typed getter per value. */
  bdbx_bytes present() {
    static __thread char buf[1024];
    bdb_doc *d = bx_doc_get($self);
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
  uint64_t version() {
    bdb_doc *d = bx_doc_get($self);
    return d ? bdb_doc_version(d) : 0;
  }
  uint64_t misc() {
    bdb_doc *d = bx_doc_get($self);
    return d ? bdb_doc_misc(d) : 0;
  }
  uint32_t schemaVersion() {
    bdb_doc *d = bx_doc_get($self);
    return d ? bdb_doc_schema_version(d) : 0;
  }
  char *toJson() {
    char *out = NULL;
    bdb_doc *d = bx_doc_get($self);
    if (d && !bdbx_lib(bdb_doc_to_json(d, &out))) out = NULL;
    return out;
  }
  bdbx_row *toRow() {
    bdb_doc *d = bx_doc_get($self);
    if (!d) return NULL;
    bdbx_row *r = (bdbx_row *)calloc(1, sizeof *r);
    if (!r) {
      bdbx_fail(BDB_E_NOMEM, "out of memory");
      return NULL;
    }
    if (!bdbx_lib(bdb_doc_to_row(d, &r->version, &r->fixed, &r->fixed_len, &r->heap,
                                 &r->heap_len))) {
      free(r);
      return NULL;
    }
    bdbx_live_add(1);
    return r;
  }

  void setNull(const char *field) {
    bdb_doc *d = bx_doc_get($self);
    if (d) bdbx_lib(bdb_doc_set_null(d, field));
  }
  void setBool(const char *field, int value) {
    bdb_doc *d = bx_doc_get($self);
    if (d) bdbx_lib(bdb_doc_set_bool(d, field, value));
  }
  void setInt(const char *field, int64_t value) {
    bdb_doc *d = bx_doc_get($self);
    if (d) bdbx_lib(bdb_doc_set_int(d, field, value));
  }
  void setUint(const char *field, uint64_t value) {
    bdb_doc *d = bx_doc_get($self);
    if (d) bdbx_lib(bdb_doc_set_uint(d, field, value));
  }
  void setDouble(const char *field, double value) {
    bdb_doc *d = bx_doc_get($self);
    if (d) bdbx_lib(bdb_doc_set_double(d, field, value));
  }
  /* UTF-8 text for varchar and json fields (json text is stored verbatim). */
  void setString(const char *field, const void *data, size_t len) {
    bdb_doc *d = bx_doc_get($self);
    if (d) bdbx_lib(bdb_doc_set_string(d, field, (const char *)bx_data(data), len));
  }
  void setBytes(const char *field, const void *data, size_t len) {
    bdb_doc *d = bx_doc_get($self);
    if (d) bdbx_lib(bdb_doc_set_bytes(d, field, bx_data(data), len));
  }
  void setJson(const char *field, const char *json) {
    bdb_doc *d = bx_doc_get($self);
    if (d) bdbx_lib(bdb_doc_set_json(d, field, json));
  }
  void setBlob(const char *field, const void *data, size_t len) {
    bdb_doc *d = bx_doc_get($self);
    if (d) bdbx_lib(bdb_doc_set_blob(d, field, bx_data(data), len));
  }

  int getBool(const char *field) {
    int v = 0;
    bdb_doc *d = bx_doc_get($self);
    if (d) bdbx_lib(bdb_doc_get_bool(d, field, &v));
    return v;
  }
  int64_t getInt(const char *field) {
    int64_t v = 0;
    bdb_doc *d = bx_doc_get($self);
    if (d) bdbx_lib(bdb_doc_get_int(d, field, &v));
    return v;
  }
  uint64_t getUint(const char *field) {
    uint64_t v = 0;
    bdb_doc *d = bx_doc_get($self);
    if (d) bdbx_lib(bdb_doc_get_uint(d, field, &v));
    return v;
  }
  double getDouble(const char *field) {
    double v = 0;
    bdb_doc *d = bx_doc_get($self);
    if (d) bdbx_lib(bdb_doc_get_double(d, field, &v));
    return v;
  }
  /* The UTF-8 bytes of a varchar or json field (the layers decode them). */
  bdbx_bytes getString(const char *field) {
    const char *s = NULL;
    size_t n = 0;
    bdb_doc *d = bx_doc_get($self);
    if (!d || !bdbx_lib(bdb_doc_get_string(d, field, &s, &n))) return bx_none();
    return bx_borrowed(s, n);
  }
  bdbx_bytes getBytes(const char *field) {
    const void *p = NULL;
    size_t n = 0;
    bdb_doc *d = bx_doc_get($self);
    if (!d || !bdbx_lib(bdb_doc_get_bytes(d, field, &p, &n))) return bx_none();
    return bx_borrowed(p, n);
  }
  char *getJson(const char *field) {
    char *out = NULL;
    bdb_doc *d = bx_doc_get($self);
    if (d && !bdbx_lib(bdb_doc_get_json(d, field, &out))) out = NULL;
    return out;
  }
  const char *getBlobId(const char *field) {
    static __thread char id[37];
    bdb_doc *d = bx_doc_get($self);
    return d && bdbx_lib(bdb_doc_get_blob_id(d, field, id)) ? id : NULL;
  }
}

%extend bdbx_row {
  uint32_t version() {
    bdbx_reset();
    return $self ? $self->version : 0;
  }
  bdbx_bytes fixed() {
    bdbx_reset();
    return $self ? bx_borrowed($self->fixed, $self->fixed_len) : bx_none();
  }
  bdbx_bytes heap() {
    bdbx_reset();
    return $self ? bx_borrowed($self->heap, $self->heap_len) : bx_none();
  }
}

/* The driver conformance checks (bdb_driver_check) on the store of uri, as JSON; they take
 * seconds. Raises like the methods above, so it comes before the %exception reset below. */
%newobject driverCheck;
%inline %{
static char *driverCheck(const char *uri) {
  char *out = NULL;
  bdbx_reset();
  return bdbx_lib(bdb_driver_check(uri, &out)) ? out : NULL;
}
%}

/* bdb_recover: looks at the database under the prefix opts names (may be null) without opening
 * it and reports, as JSON; repairs with flags BDB_RECOVER_WRITE (and
 * BDB_RECOVER_ACCEPT_LOST_ENTRIES). schemasJson: one schema or an array, or "" for none. */
%newobject recoverJson;
%inline %{
static char *recoverJson(const char *uri, const bdbx_options *opts, const char *schemasJson,
                         int flags) {
  char *out = NULL;
  bdbx_reset();
  const char *schemas = schemasJson && *schemasJson ? schemasJson : NULL;
  return bdbx_lib(bdb_recover(uri, opts ? opts->o : NULL, schemas, (unsigned)flags, &out)) ? out
                                                                                          : NULL;
}
%}

/* ---- library-wide ------------------------------------------------------------------------- */

BDBX_SILENT
%inline %{
static int abiVersion(void) { return bdb_abi_version(); }
/* The ABI version of the bucketdb.h these bindings were compiled against. */
static int headerAbiVersion(void) { return BDB_ABI_VERSION; }
static const char *version(void) { return bdb_version(); }
static const char *statusString(int status) { return bdb_status_str(status); }
/* The status and message of this thread's last shim call (what Go reads instead of an
 * exception); OK and "" after a success. */
static int lastStatus(void) { return bdbx_st; }
static const char *lastMessage(void) { return bdbx_msg; }
/* Shim structs alive in this process (for the ownership tests). */
static int64_t liveHandles(void) { return __atomic_load_n(&bdbx_live, __ATOMIC_RELAXED); }
/* For the ownership tests: runs LeakSanitizer now when the process has it (sanitized builds
 * preload the ASan runtime), printing what it finds to stderr. 1: unreachable blocks found,
 * 0: none, -1: no LeakSanitizer here. Looked up at run time, so plain builds link no ASan. */
static int leakCheck(void) {
  int (*check)(void) = NULL;
  *(void **)&check = dlsym(RTLD_DEFAULT, "__lsan_do_recoverable_leak_check");
  return check ? check() : -1;
}
%}
