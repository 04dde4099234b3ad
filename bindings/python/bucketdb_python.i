/* Python's part of bucketdb.i (included by it): bytes-like objects in and bytes out, str for
 * text (SWIG's own), and the exception classes of bucketdb/_errors.py raised from the thread's
 * status. SWIG runs with -threads: every call gives up the GIL while the shim runs (it never
 * touches Python objects), so other Python threads run while one waits for storage. */

/* exec is a Python builtin: the query method is exec_. */
%rename(exec_) bdbx_query::exec;

/* Bytes in: anything with the buffer protocol (bytes, bytearray, memoryview), held for the
 * call (a bytearray cannot be resized meanwhile). */
%typemap(in) (const void *data, size_t len) (Py_buffer view, int got = 0) {
  if (PyObject_GetBuffer($input, &view, PyBUF_SIMPLE) != 0) {
    PyErr_Clear();
    PyErr_Format(PyExc_TypeError, "expected bytes, bytearray or memoryview, not %s",
                 Py_TYPE($input)->tp_name);
    SWIG_fail;
  }
  got = 1;
  $1 = view.buf;
  $2 = (size_t)view.len;
}
%typemap(freearg) (const void *data, size_t len) {
  if (got$argnum) PyBuffer_Release(&view$argnum);
}
%typemap(typecheck) (const void *data, size_t len) { $1 = PyObject_CheckBuffer($input); }

/* Bytes out: a bytes copy; the C buffer is released with bdb_free when the shim owns it. NULL
 * data (an error) gives None. */
%typemap(out) bdbx_bytes %{
  if ($1.data) {
    $result = PyBytes_FromStringAndSize($1.data, (Py_ssize_t)$1.len);
    if ($1.owned) bdb_free((void *)$1.data);
    if (!$result) SWIG_fail;
  } else {
    $result = SWIG_Py_Void();
  }
%}

%{
/* bucketdb._errors.BY_CODE: the exception class of each status code (0: bucketdb.Error). */
static PyObject *bdbx_python_errors;
static void bdbx_python_raise(void) {
  int st = bdbx_last_status();
  if (!bdbx_python_errors) {
    PyObject *m = PyImport_ImportModule("bucketdb._errors");
    if (!m) return; /* the ImportError is raised instead */
    bdbx_python_errors = PyObject_GetAttrString(m, "BY_CODE");
    Py_DECREF(m);
    if (!bdbx_python_errors) return;
  }
  Py_ssize_t n = PyTuple_Size(bdbx_python_errors);
  PyObject *cls = PyTuple_GetItem(bdbx_python_errors, st > 0 && st < n ? st : 0);
  if (!cls) return;
  const char *text = bdbx_last_message();
  PyObject *msg = PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "replace");
  if (!msg) return;
  PyObject *e = PyObject_CallFunction(cls, "Oi", msg, st);
  Py_DECREF(msg);
  if (!e) return;
  PyErr_SetObject(cls, e);
  Py_DECREF(e);
}
%}
/* The out typemaps do not run after a failure, and the shim returns nothing to free then;
 * SWIG_fail still runs the freearg code. */
%define BDBX_RAISING
%exception {
  bdbx_reset();
  $action
  if (bdbx_last_status() != BDB_OK) {
    bdbx_python_raise();
    SWIG_fail;
  }
}
%enddef
%define BDBX_SILENT
%exception;
%enddef

/* ---- loggers ------------------------------------------------------------------------------ */

%{
/* A Python callable log(level, subsystem, message) as a bdb logger. The library calls it from
 * any thread, several at once: each call takes the GIL for the callable (no thread that waits
 * in the library holds it, as every shim call gives it up). Once the interpreter is
 * finalizing, no thread may take the GIL: lines go to stderr instead. */
typedef struct bdbx_py_logger {
  bdbx_logger base;
  PyObject *target;
} bdbx_py_logger;

static int bdbx_py_finalizing(void) {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing();
#else
  return _Py_IsFinalizing();
#endif
}

static void bdbx_py_log(void *ctx, int level, const char *subsystem, const char *message) {
  bdbx_py_logger *l = (bdbx_py_logger *)ctx;
  if (bdbx_py_finalizing()) {
    bdbx_log_to_stderr(level, subsystem, message);
    return;
  }
  PyGILState_STATE g = PyGILState_Ensure();
  PyObject *sub = PyUnicode_DecodeUTF8(subsystem, (Py_ssize_t)strlen(subsystem), "replace");
  PyObject *msg = PyUnicode_DecodeUTF8(message, (Py_ssize_t)strlen(message), "replace");
  PyObject *r = sub && msg ? PyObject_CallFunction(l->target, "iOO", level, sub, msg) : NULL;
  if (!r) PyErr_WriteUnraisable(l->target); /* a logger must not raise into the library */
  Py_XDECREF(r);
  Py_XDECREF(sub);
  Py_XDECREF(msg);
  PyGILState_Release(g);
}

static void bdbx_py_release(bdbx_logger *base) {
  bdbx_py_logger *l = (bdbx_py_logger *)base;
  if (!bdbx_py_finalizing()) { /* else the interpreter frees it with everything */
    PyGILState_STATE g = PyGILState_Ensure();
    Py_DECREF(l->target);
    PyGILState_Release(g);
  }
  free(l);
}
%}
/* A callable, taken with one reference that Options.setLogger keeps. */
%typemap(in) bdbx_logger *logger {
  if (!PyCallable_Check($input)) {
    PyErr_Format(PyExc_TypeError, "a logger is a callable, not %s", Py_TYPE($input)->tp_name);
    SWIG_fail;
  }
  bdbx_py_logger *l_ = (bdbx_py_logger *)calloc(1, sizeof *l_);
  if (!l_) {
    PyErr_NoMemory();
    SWIG_fail;
  }
  l_->base.refs = 1;
  l_->base.fn = bdbx_py_log;
  l_->base.release = bdbx_py_release;
  Py_INCREF($input);
  l_->target = $input;
  $1 = &l_->base;
}
