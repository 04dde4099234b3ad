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
  int st = bdbx_st;
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
  PyObject *msg = PyUnicode_DecodeUTF8(bdbx_msg, (Py_ssize_t)strlen(bdbx_msg), "replace");
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
  bdbx_st = BDB_OK;
  $action
  if (bdbx_st != BDB_OK) {
    bdbx_python_raise();
    SWIG_fail;
  }
}
%enddef
%define BDBX_SILENT
%exception;
%enddef
