/* Go's part of bucketdb.i (included by it): byte typemaps. Go has no %exception (a panic from C
 * would skip SWIG's freeing of string arguments): the Go layer reads lastStatus() and
 * lastMessage() while its goroutine is locked to the thread. */

/* Bytes in: a Go []byte. */
%typemap(gotype) (const void *data, size_t len) "[]byte"
%typemap(in) (const void *data, size_t len) %{
  $1 = $input.array;
  $2 = (size_t)$input.len;
%}

/* Bytes out: copied into a Go []byte; the C buffer is released with bdb_free when the shim
 * owns it. NULL data (an error) gives nil. */
%typemap(gotype) bdbx_bytes "[]byte"
%typemap(imtype) bdbx_bytes "uint64"
%fragment("bdbx_gobytes", "header") %{
struct bdbx_gobytes {
  intgo size;
  void *data;
};
%}
%typemap(out, fragment="bdbx_gobytes") bdbx_bytes (struct bdbx_gobytes *swig_out) %{
  swig_out = NULL;
  if ($1.data) {
    swig_out = malloc(sizeof(*swig_out));
    if (swig_out) {
      swig_out->size = (intgo)$1.len;
      swig_out->data = malloc($1.len ? $1.len : 1);
      if (swig_out->data) {
        memcpy(swig_out->data, $1.data, $1.len);
      } else {
        free(swig_out);
        swig_out = NULL;
        bdbx_fail(BDB_E_NOMEM, "out of memory");
      }
    } else {
      bdbx_fail(BDB_E_NOMEM, "out of memory");
    }
    if ($1.owned) bdb_free((void *)$1.data);
  }
  $result = *(long long *)(void **)&swig_out;
%}
%typemap(goout) bdbx_bytes %{
  {
    type swigbytes struct {
      size int
      data uintptr
    }
    p := (*swigbytes)(unsafe.Pointer(uintptr($1)))
    if p == nil {
      $result = nil
    } else {
      b := make([]byte, p.size)
      if p.size > 0 {
        copy(b, (*[1 << 40]byte)(unsafe.Pointer(p.data))[:p.size:p.size])
      }
      Swig_free(p.data)
      Swig_free(uintptr(unsafe.Pointer(p)))
      $result = b
    }
  }
%}

/* ---- loggers ------------------------------------------------------------------------------ */

%{
/* A Go func as a bdb logger: the library's threads call into Go through bdbxGoLog, exported by
 * internal/native/logger.go (cgo takes calls from threads it did not start), with the
 * runtime/cgo.Handle of the func. */
extern void bdbxGoLog(uintptr_t handle, int level, char *subsystem, char *message);
extern void bdbxGoLogRelease(uintptr_t handle);

typedef struct bdbx_go_logger {
  bdbx_logger base;
  uintptr_t handle;
} bdbx_go_logger;

static void bdbx_go_log(void *ctx, int level, const char *subsystem, const char *message) {
  bdbxGoLog(((bdbx_go_logger *)ctx)->handle, level, (char *)subsystem, (char *)message);
}
static void bdbx_go_release(bdbx_logger *base) {
  bdbxGoLogRelease(((bdbx_go_logger *)base)->handle);
  free(base);
}
/* NULL (status set) without memory; the handle is released either way. */
static bdbx_logger *bdbx_go_logger_new(uintptr_t handle) {
  bdbx_go_logger *l = (bdbx_go_logger *)calloc(1, sizeof *l);
  if (!l) {
    bdbxGoLogRelease(handle);
    bdbx_fail(BDB_E_NOMEM, "out of memory");
    return NULL;
  }
  l->base.refs = 1;
  l->base.fn = bdbx_go_log;
  l->base.release = bdbx_go_release;
  l->handle = handle;
  return &l->base;
}
%}
/* A cgo.Handle (of a func(level int, subsystem, message string)), taken with one reference. */
%typemap(gotype) bdbx_logger *logger "uintptr"
%typemap(imtype) bdbx_logger *logger "uintptr"
%typemap(in) bdbx_logger *logger %{
  $1 = bdbx_go_logger_new((uintptr_t)$input);
%}

%define BDBX_RAISING %enddef
%define BDBX_SILENT %enddef
