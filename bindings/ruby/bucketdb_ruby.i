/* Ruby's part of bucketdb.i (included by it): binary Strings for bytes, UTF-8 Strings for text,
 * BucketDB::Error subclasses raised from the thread's status. */

/* Bytes in: a String (binary-safe). Bytes out: a binary (ASCII-8BIT) String; the C buffer is
 * released with bdb_free when the shim owns it. NULL data (an error) gives nil. */
%apply (const char *STRING, size_t LENGTH) { (const void *data, size_t len) }
%typemap(out) bdbx_bytes %{
  $result = Qnil;
  if ($1.data) {
    VALUE s_ = rb_str_new($1.data, (long)$1.len); /* binary (ASCII-8BIT) */
    if ($1.owned) bdb_free((void *)$1.data);
    $result = s_;
  }
%}
%typemap(out) char *, const char * %{ $result = $1 ? rb_utf8_str_new_cstr($1) : Qnil; %}

%{
static VALUE bdbx_ruby_errors[BDB_E_INTERRUPTED + 1];
static VALUE bdbx_ruby_error_base;
static void bdbx_ruby_raise(void) {
  int st = bdbx_last_status();
  VALUE cls = (st > 0 && st <= BDB_E_INTERRUPTED) ? bdbx_ruby_errors[st] : bdbx_ruby_error_base;
  VALUE e = rb_exc_new_str(cls, rb_utf8_str_new_cstr(bdbx_last_message()));
  rb_iv_set(e, "@code", INT2NUM(st));
  rb_exc_raise(e);
}
%}
/* The Ruby arguments are borrowed (no copies to free), so raising from here leaks nothing. */
%define BDBX_RAISING
%exception {
  bdbx_reset();
  $action
  if (bdbx_last_status() != BDB_OK) bdbx_ruby_raise();
}
%enddef
%define BDBX_SILENT
%exception;
%enddef
/* BucketDB::Error and one subclass per status code (names in bindings/ruby/lib/bucketdb.rb). */
%init %{
  {
    static const char *const names[BDB_E_INTERRUPTED + 1] = {
        NULL, "NotFound", "InvalidArgument", "SchemaError", "TypeMismatch", "JSONError",
        "AlreadyExists", "Conflict", "Corrupt", "StorageError", "PermissionDenied", "BadURI",
        "OutOfMemory", "StorageFull", "Busy", "InternalError", "Interrupted"};
    VALUE top = rb_define_module("BucketDB");
    bdbx_ruby_error_base = rb_define_class_under(top, "Error", rb_eStandardError);
    rb_gc_register_address(&bdbx_ruby_error_base);
    for (int i = 1; i <= BDB_E_INTERRUPTED; i++) {
      bdbx_ruby_errors[i] = rb_define_class_under(top, names[i], bdbx_ruby_error_base);
      rb_gc_register_address(&bdbx_ruby_errors[i]);
    }
  }
%}

/* ---- loggers ------------------------------------------------------------------------------ */

%{
#include <pthread.h>
#include <ruby/thread.h>

/* A Ruby Logger cannot be called from the library's threads: they are not Ruby threads, and
 * must not wait for the GVL (the thread holding it may be waiting for them). So lines are
 * queued here, and a Ruby thread of the layer takes them with LogQueue#pop, which waits
 * without the GVL, and hands them to the Logger. */
typedef struct bdbx_log_line {
  struct bdbx_log_line *next;
  int level;
  char *subsystem, *message; /* in the same allocation */
} bdbx_log_line;

typedef struct bdbx_log_queue {
  bdbx_logger base; /* refs: the options, databases and children that may still log */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bdbx_log_line *head, *tail;
  size_t queued, dropped;
  int closed;     /* pop() ends once empty; lines after go to stderr */
  int wake;       /* Ruby interrupted pop() (Thread#kill, exit) */
  int used;       /* a producer took a reference once */
  int producers_gone, ruby_gone;
} bdbx_log_queue;

enum { BDBX_LOG_QUEUE_MAX = 10000 }; /* beyond, lines are counted as dropped */

static void bdbx_rb_queue_free(bdbx_log_queue *q) {
  while (q->head) {
    bdbx_log_line *next = q->head->next;
    free(q->head);
    q->head = next;
  }
  pthread_cond_destroy(&q->cv);
  pthread_mutex_destroy(&q->mu);
  free(q);
}

static void bdbx_rb_log(void *ctx, int level, const char *subsystem, const char *message) {
  bdbx_log_queue *q = (bdbx_log_queue *)ctx;
  size_t ns = strlen(subsystem) + 1, nm = strlen(message) + 1;
  bdbx_log_line *line = (bdbx_log_line *)malloc(sizeof *line + ns + nm);
  pthread_mutex_lock(&q->mu);
  if (q->closed || !line || q->queued >= BDBX_LOG_QUEUE_MAX) {
    if (!q->closed && line) q->dropped++;
    int to_stderr = q->closed || !line;
    pthread_mutex_unlock(&q->mu);
    free(line);
    if (to_stderr) bdbx_log_to_stderr(level, subsystem, message);
    return;
  }
  line->next = NULL;
  line->level = level;
  line->subsystem = (char *)(line + 1);
  line->message = line->subsystem + ns;
  memcpy(line->subsystem, subsystem, ns);
  memcpy(line->message, message, nm);
  if (q->tail) q->tail->next = line;
  else q->head = line;
  q->tail = line;
  q->queued++;
  pthread_cond_signal(&q->cv);
  pthread_mutex_unlock(&q->mu);
}

/* The last producer is gone: nothing more can arrive, so pop() ends once the queue is empty. */
static void bdbx_rb_release(bdbx_logger *base) {
  bdbx_log_queue *q = (bdbx_log_queue *)base;
  pthread_mutex_lock(&q->mu);
  q->producers_gone = 1;
  q->closed = 1;
  int free_now = q->ruby_gone;
  pthread_cond_broadcast(&q->cv);
  pthread_mutex_unlock(&q->mu);
  if (free_now) bdbx_rb_queue_free(q);
}

static void *bdbx_rb_wait(void *arg) {
  bdbx_log_queue *q = (bdbx_log_queue *)arg;
  pthread_mutex_lock(&q->mu);
  while (!q->head && !q->closed && !q->wake) pthread_cond_wait(&q->cv, &q->mu);
  q->wake = 0;
  pthread_mutex_unlock(&q->mu);
  return NULL;
}
static void bdbx_rb_unblock(void *arg) {
  bdbx_log_queue *q = (bdbx_log_queue *)arg;
  pthread_mutex_lock(&q->mu);
  q->wake = 1;
  pthread_cond_broadcast(&q->cv);
  pthread_mutex_unlock(&q->mu);
}
%}

/* A LogQueue, taken with a reference of its own by Options.setLogger. */
%typemap(in) bdbx_logger *logger {
  void *p_ = NULL;
  if (SWIG_ConvertPtr($input, &p_, SWIGTYPE_p_bdbx_log_queue, 0) != SWIG_OK || !p_)
    rb_raise(rb_eTypeError, "a logger is a BucketDB::Native::LogQueue");
  bdbx_log_queue *q_ = (bdbx_log_queue *)p_;
  pthread_mutex_lock(&q_->mu);
  q_->used = 1;
  pthread_mutex_unlock(&q_->mu);
  $1 = bdbx_logger_ref(&q_->base);
}

%rename(LogQueue) bdbx_log_queue;
struct bdbx_log_queue {};
%extend bdbx_log_queue {
  bdbx_log_queue() {
    bdbx_log_queue *q = (bdbx_log_queue *)calloc(1, sizeof *q);
    if (!q) rb_raise(rb_eNoMemError, "bucketdb log queue");
    q->base.fn = bdbx_rb_log;
    q->base.release = bdbx_rb_release;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    return q;
  }
  ~bdbx_log_queue() {
    pthread_mutex_lock(&$self->mu);
    $self->ruby_gone = 1;
    $self->closed = 1;
    int free_now = $self->producers_gone || !$self->used;
    pthread_mutex_unlock(&$self->mu);
    if (free_now) bdbx_rb_queue_free($self);
  }
  /* The next line as [level, subsystem, message], waiting for one without the GVL; nil once
   * the queue is closed and empty. Lines dropped for want of room come back as one warning. */
  VALUE pop() {
    for (;;) {
      bdbx_log_line *line = NULL;
      size_t dropped = 0;
      pthread_mutex_lock(&$self->mu);
      if ($self->dropped) {
        dropped = $self->dropped;
        $self->dropped = 0;
      } else if ($self->head) {
        line = $self->head;
        $self->head = line->next;
        if (!$self->head) $self->tail = NULL;
        $self->queued--;
      }
      int done = !line && !dropped && $self->closed;
      pthread_mutex_unlock(&$self->mu);
      if (dropped) {
        char text[96];
        snprintf(text, sizeof text, "%zu log lines dropped: the Ruby logger fell behind", dropped);
        return rb_ary_new_from_args(3, INT2NUM(BDB_LOG_WARN), rb_utf8_str_new_cstr("bindings"),
                                    rb_utf8_str_new_cstr(text));
      }
      if (line) {
        VALUE out = rb_ary_new_from_args(3, INT2NUM(line->level),
                                         rb_utf8_str_new_cstr(line->subsystem),
                                         rb_utf8_str_new_cstr(line->message));
        free(line);
        return out;
      }
      if (done) return Qnil;
      rb_thread_call_without_gvl(bdbx_rb_wait, $self, bdbx_rb_unblock, $self);
      rb_thread_check_ints(); /* raises here when the thread is being killed */
    }
  }
  /* No more lines: pop() ends once the queue is empty; lines logged later go to stderr. */
  void close() {
    pthread_mutex_lock(&$self->mu);
    $self->closed = 1;
    pthread_cond_broadcast(&$self->cv);
    pthread_mutex_unlock(&$self->mu);
  }
}

/* ---- calls that wait: without the GVL, and interruptible ---------------------------------- */

%{
/* A shim call that may wait on storage runs without the GVL, so other Ruby threads run
 * meanwhile, as in Ruby's own IO. Ruby's unblocking function (Thread#raise and #kill, Timeout,
 * Ctrl-C, exit) calls bdb_db_interrupt on the call's database: the call returns
 * BDB_E_INTERRUPTED soon, and the Ruby exception is raised instead of BucketDB::Interrupted.
 * bdb_db_interrupt stops every call on the database under way, not only this thread's (as
 * db.interrupt and Go's contexts do). Without the GVL nothing of Ruby's is touched: the
 * strings are copies, a database's handle stays valid under a racing close (the shim's
 * anchor), and the child or document a call uses is kept from other threads (bx_rb_busy). */
typedef struct bx_rb_call bx_rb_call;
struct bx_rb_call {
  void (*run)(bx_rb_call *c);
  bdbx_db *db; /* what the unblocking function interrupts; NULL: nothing can (open) */
  void *arg;   /* the child or document the call uses, or the options */
  char *s[3];  /* copies of the string arguments */
  uint64_t n;
  int flags;
  int ran, status;
  union {
    void *p;
    uint64_t n;
    bdbx_bytes b;
  } out;
};

/* The message of this thread's last failure without the GVL, kept past the Ruby code that
 * handling an interrupt may run (a trap handler's or a finalizer's calls overwrite the
 * shim's and the library's). */
static __thread char bx_rb_msg[1024];

static void *bx_rb_body(void *p) {
  bx_rb_call *c = (bx_rb_call *)p;
  c->run(c);
  c->ran = 1;
  c->status = bdbx_last_status();
  if (c->status != BDB_OK) snprintf(bx_rb_msg, sizeof bx_rb_msg, "%s", bdbx_last_message());
  return NULL;
}

/* Ruby calls it (under its interrupt lock, maybe from another thread) only while the call
 * runs, when the database is alive. That thread's own last status stays as it was. */
static void bx_rb_unblock(void *p) {
  int st = bdbx_last_status();
  const char *msg = bdbx_last_message();
  bdbx_db_interrupt(((bx_rb_call *)p)->db);
  if (st != BDB_OK)
    bdbx_fail(st, msg);
  else
    bdbx_reset();
}

/* The children and documents in use by a call without the GVL, touched only with the GVL.
 * Their calls are not thread-safe, and the GVL no longer keeps other threads out: a call on
 * one of them (its close too) waits for the end of the call using it. */
static st_table *bx_rb_busy;

static void bx_rb_wait_idle(const void *h) {
  while (h && st_is_member(bx_rb_busy, (st_data_t)h)) {
    struct timeval poll = {0, 2000};
    rb_thread_wait_for(poll); /* without the GVL; Thread#raise and #kill end it */
  }
}

static void bx_rb_hold(void *h) {
  bx_rb_wait_idle(h);
  if (h) st_insert(bx_rb_busy, (st_data_t)h, 1);
}

static void bx_rb_let_go(void *h) {
  st_data_t key = (st_data_t)h;
  if (h) st_delete(bx_rb_busy, &key, NULL);
}

static VALUE bx_rb_check_ints(VALUE unused) {
  (void)unused;
  rb_thread_check_ints();
  return Qnil;
}

static void bx_rb_free_strings(bx_rb_call *c) {
  for (int i = 0; i < 3; i++) {
    free(c->s[i]);
    c->s[i] = NULL;
  }
}

/* Ruby 3.1 and 3.2 start a thread for each call without the GVL that has an unblocking
 * function (not async-signal-safe, as bdb_db_interrupt is not) when the main thread is the
 * only one: ten times the cost of a get. This sleeping thread (started again in a forked
 * child, where it is gone) keeps the main thread from being the only one. Its sleep counts as
 * a deadlock's, so Ruby still reports "No live threads left. Deadlock?" as it would. */
#include <unistd.h>
static pid_t bx_rb_keeper_pid;

static VALUE bx_rb_keeper(void *unused) {
  (void)unused;
  for (;;) rb_thread_sleep_deadly();
  return Qnil;
}

static void bx_rb_keep_company(void) {
  pid_t pid = getpid();
  if (bx_rb_keeper_pid == pid) return;
  bx_rb_keeper_pid = pid;
  VALUE t = rb_thread_create(bx_rb_keeper, NULL);
  rb_funcall(t, rb_intern("name="), 1, rb_str_new_cstr("bucketdb interrupts"));
}

/* Runs c->run without the GVL with copies of the strings a and b (each may be NULL), and
 * leaves its outcome as the thread's status for %exception. A Ruby interrupt that stopped the
 * call raises here; one that came after a success is raised by Ruby at its next check (so
 * what the call returned is not lost: it becomes a Ruby object first). */
static void bx_rb_run(bx_rb_call *c, const char *a, const char *b) {
  const char *in[2] = {a, b};
  if (c->db) bx_rb_keep_company();
  bx_rb_hold(c->arg);
  for (int i = 0; i < 2; i++) {
    if (in[i] && !(c->s[i] = strdup(in[i]))) {
      bx_rb_let_go(c->arg);
      bx_rb_free_strings(c);
      rb_raise(rb_eNoMemError, "bucketdb: no memory for a copy of an argument");
    }
  }
  for (;;) {
    /* Returns without running c->run while an interrupt is pending: handled, then again. */
    rb_thread_call_without_gvl2(bx_rb_body, c, c->db ? bx_rb_unblock : NULL, c);
    if (c->ran) break;
    int state = 0;
    rb_protect(bx_rb_check_ints, Qnil, &state);
    if (state) {
      bx_rb_let_go(c->arg);
      bx_rb_free_strings(c);
      rb_jump_tag(state);
    }
  }
  bx_rb_let_go(c->arg);
  bx_rb_free_strings(c);
  if (c->status != BDB_OK) {
    rb_thread_check_ints(); /* Timeout::Error, Interrupt, ... rather than Interrupted */
    bdbx_fail(c->status, bx_rb_msg);
  } else {
    bdbx_reset();
  }
}

/* One call: a bx_rb_call c_ with run, db, arg, n and flags, run with the strings a and b. */
#define BX_RB_DO(fn, db_, arg_, a, b, n_, flags_) \
  bx_rb_call c_;                                  \
  memset(&c_, 0, sizeof c_);                      \
  c_.run = fn;                                    \
  c_.db = db_;                                    \
  c_.arg = (void *)(arg_);                        \
  c_.n = n_;                                      \
  c_.flags = flags_;                              \
  bx_rb_run(&c_, a, b)

/* What each call runs without the GVL: the shim function on the bx_rb_call's fields. */
#define BX_RB_ARG(T) ((T *)c->arg)
static void bx_rb_open(bx_rb_call *c) {
  c->out.p = new_bdbx_db(c->s[0], BX_RB_ARG(const bdbx_options));
}
static void bx_rb_db_close(bx_rb_call *c) { bdbx_db_close(c->db); }
static void bx_rb_register(bx_rb_call *c) { bdbx_db_registerSchema(c->db, c->s[0], c->flags); }
static void bx_rb_get(bx_rb_call *c) { c->out.p = bdbx_db_get(c->db, BX_RB_ARG(bdbx_doc)); }
static void bx_rb_get_json(bx_rb_call *c) { c->out.p = bdbx_db_getJson(c->db, c->s[0], c->s[1]); }
static void bx_rb_blob(bx_rb_call *c) { c->out.b = bdbx_db_blobRead(c->db, c->s[0]); }
static void bx_rb_merge(bx_rb_call *c) { c->out.n = bdbx_db_merge(c->db); }
static void bx_rb_gc(bx_rb_call *c) { c->out.n = bdbx_db_gc(c->db); }
static void bx_rb_inspect(bx_rb_call *c) { c->out.p = bdbx_db_inspectJson(c->db, c->s[0]); }
static void bx_rb_stats(bx_rb_call *c) { c->out.p = bdbx_db_statsJson(c->db); }
static void bx_rb_refresh(bx_rb_call *c) { bdbx_db_refresh(c->db); }
static void bx_rb_drop_table(bx_rb_call *c) { bdbx_db_dropTable(c->db, c->s[0]); }
static void bx_rb_drop_index(bx_rb_call *c) { bdbx_db_dropIndex(c->db, c->s[0], c->s[1]); }
static void bx_rb_verify(bx_rb_call *c) { c->out.p = bdbx_db_verifyJson(c->db); }
static void bx_rb_export(bx_rb_call *c) { c->out.n = bdbx_db_exportTo(c->db, c->s[0]); }
static void bx_rb_import(bx_rb_call *c) {
  c->out.n = bdbx_db_importFrom(c->db, c->s[0], c->n, c->flags);
}
static void bx_rb_commit(bx_rb_call *c) { c->out.n = bdbx_batch_commit(BX_RB_ARG(bdbx_batch)); }
static void bx_rb_count(bx_rb_call *c) { c->out.n = bdbx_query_count(BX_RB_ARG(bdbx_query)); }
static void bx_rb_explain(bx_rb_call *c) { c->out.p = bdbx_query_explain(BX_RB_ARG(bdbx_query)); }
static void bx_rb_exec(bx_rb_call *c) { c->out.p = bdbx_query_exec(BX_RB_ARG(bdbx_query)); }
static void bx_rb_next(bx_rb_call *c) { c->out.p = bdbx_cursor_next(BX_RB_ARG(bdbx_cursor)); }
static void bx_rb_check(bx_rb_call *c) { c->out.p = bdbx_driver_check(c->s[0]); }
static void bx_rb_recover(bx_rb_call *c) {
  c->out.p = bdbx_recover_json(c->s[0], BX_RB_ARG(const bdbx_options), c->s[1], c->flags);
}
%}

%init %{
  bx_rb_busy = st_init_numtable();
%}

/* The waiting methods' actions: arg1 is self (the first argument of a module function), arg2...
 * the arguments, result the value returned. */
%feature("action") bdbx_db::bdbx_db %{{
  BX_RB_DO(bx_rb_open, NULL, arg2, arg1, NULL, 0, 0);
  result = (bdbx_db *)c_.out.p;
  DATA_PTR(self) = result;
}%}
%feature("action") bdbx_db::close %{{ BX_RB_DO(bx_rb_db_close, arg1, NULL, NULL, NULL, 0, 0); }%}
%feature("action") bdbx_db::registerSchema %{{
  BX_RB_DO(bx_rb_register, arg1, NULL, arg2, NULL, 0, arg3);
}%}
%feature("action") bdbx_db::get %{{
  BX_RB_DO(bx_rb_get, arg1, arg2, NULL, NULL, 0, 0);
  result = (bdbx_doc *)c_.out.p;
}%}
%feature("action") bdbx_db::getJson %{{
  BX_RB_DO(bx_rb_get_json, arg1, NULL, arg2, arg3, 0, 0);
  result = (char *)c_.out.p;
}%}
%feature("action") bdbx_db::blobRead %{{
  BX_RB_DO(bx_rb_blob, arg1, NULL, arg2, NULL, 0, 0);
  result = c_.out.b;
}%}
%feature("action") bdbx_db::merge %{{
  BX_RB_DO(bx_rb_merge, arg1, NULL, NULL, NULL, 0, 0);
  result = c_.out.n;
}%}
%feature("action") bdbx_db::gc %{{
  BX_RB_DO(bx_rb_gc, arg1, NULL, NULL, NULL, 0, 0);
  result = c_.out.n;
}%}
%feature("action") bdbx_db::inspectJson %{{
  BX_RB_DO(bx_rb_inspect, arg1, NULL, arg2, NULL, 0, 0);
  result = (char *)c_.out.p;
}%}
%feature("action") bdbx_db::statsJson %{{
  BX_RB_DO(bx_rb_stats, arg1, NULL, NULL, NULL, 0, 0);
  result = (char *)c_.out.p;
}%}
%feature("action") bdbx_db::refresh %{{ BX_RB_DO(bx_rb_refresh, arg1, NULL, NULL, NULL, 0, 0); }%}
%feature("action") bdbx_db::dropTable %{{
  BX_RB_DO(bx_rb_drop_table, arg1, NULL, arg2, NULL, 0, 0);
}%}
%feature("action") bdbx_db::dropIndex %{{
  BX_RB_DO(bx_rb_drop_index, arg1, NULL, arg2, arg3, 0, 0);
}%}
%feature("action") bdbx_db::verifyJson %{{
  BX_RB_DO(bx_rb_verify, arg1, NULL, NULL, NULL, 0, 0);
  result = (char *)c_.out.p;
}%}
%feature("action") bdbx_db::exportTo %{{
  BX_RB_DO(bx_rb_export, arg1, NULL, arg2, NULL, 0, 0);
  result = c_.out.n;
}%}
%feature("action") bdbx_db::importFrom %{{
  BX_RB_DO(bx_rb_import, arg1, NULL, arg2, NULL, arg3, arg4);
  result = c_.out.n;
}%}
/* No database yet: not interruptible, but other threads run meanwhile. */
%feature("action") bdbx_driver_check %{{
  BX_RB_DO(bx_rb_check, NULL, NULL, arg1, NULL, 0, 0);
  result = (char *)c_.out.p;
}%}
%feature("action") bdbx_recover_json %{{
  BX_RB_DO(bx_rb_recover, NULL, arg2, arg1, arg3, 0, arg4);
  result = (char *)c_.out.p;
}%}

/* A call on a child or document in use without the GVL waits for that call's end. */
%typemap(check) struct bdbx_batch *self, struct bdbx_query *self, struct bdbx_cursor *self,
                struct bdbx_doc *self %{
  bx_rb_wait_idle($1);
%}

/* The waiting calls of batches, queries and cursors are the database's methods here: its
 * unblocking function needs the database, which the shim's children do not name
 * (lib/bucketdb.rb calls db.commitBatch(batch), ...). */
%ignore bdbx_batch::commit;
%ignore bdbx_query::count;
%ignore bdbx_query::explain;
%ignore bdbx_query::exec;
%ignore bdbx_cursor::next;
%typemap(newfree) char * "bdb_free($1);";
%newobject bdbx_db::explainQuery;
%newobject bdbx_db::execQuery;
%newobject bdbx_db::nextDoc;
BDBX_RAISING
%extend bdbx_db {
  uint64_t commitBatch(bdbx_batch *batch) {
    BX_RB_DO(bx_rb_commit, $self, batch, NULL, NULL, 0, 0);
    return c_.out.n;
  }
  uint64_t countQuery(bdbx_query *query) {
    BX_RB_DO(bx_rb_count, $self, query, NULL, NULL, 0, 0);
    return c_.out.n;
  }
  char *explainQuery(bdbx_query *query) {
    BX_RB_DO(bx_rb_explain, $self, query, NULL, NULL, 0, 0);
    return (char *)c_.out.p;
  }
  bdbx_cursor *execQuery(bdbx_query *query) {
    BX_RB_DO(bx_rb_exec, $self, query, NULL, NULL, 0, 0);
    return (bdbx_cursor *)c_.out.p;
  }
  /* The cursor's next document; nil at its end. */
  bdbx_doc *nextDoc(bdbx_cursor *cursor) {
    BX_RB_DO(bx_rb_next, $self, cursor, NULL, NULL, 0, 0);
    return (bdbx_doc *)c_.out.p;
  }
}
BDBX_SILENT
