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
