/* Java's part of bucketdb.i (included by it): package-private shim classes named Native*,
 * int constants, UTF-8 byte arrays for text, BucketDbException from the thread's status. */

/* Plain int constants in package-private holder classes. */
%include <enumtypeunsafe.swg>
%javaconst(1);
/* Java has no unsigned literal: bucketdb.h's 0x1u as Java spells it. */
%javaconstvalue(1) BDB_IMPORT_UPSERT;
%typemap(javaclassmodifiers) enum SWIGTYPE "final class"

/* The shim classes are package-private: io.bucketdb's public API is the hand-written layer. */
%typemap(javaclassmodifiers) SWIGTYPE "final class"
%pragma(java) moduleclassmodifiers = "final class"
%pragma(java) jniclassclassmodifiers = "final class"
%pragma(java) jniclasscode = %{
  static {
    NativeLoader.load();
  }
%}
/* Finalizers are deprecated: the layer frees through java.lang.ref.Cleaner and delete(). */
%typemap(javafinalize) SWIGTYPE ""
%apply int64_t { uint64_t };
%nojavaexception;

/* io.bucketdb's public classes take the plain names. */
%rename(NativeOptions) bdbx_options;
%rename(NativeDatabase) bdbx_db;
%rename(NativeBatch) bdbx_batch;
%rename(NativeQuery) bdbx_query;
%rename(NativeCursor) bdbx_cursor;
%rename(NativeDoc) bdbx_doc;
%rename(NativeRow) bdbx_row;
#define BDBX_RENAMED

/* Bytes in: byte[]. Bytes out: a byte[] copy; the C buffer is released with bdb_free when the
 * shim owns it. NULL data (an error) gives null. */
%apply (const char *STRING, size_t LENGTH) { (const void *data, size_t len) }
%typemap(jni) bdbx_bytes "jbyteArray"
%typemap(jtype) bdbx_bytes "byte[]"
%typemap(jstype) bdbx_bytes "byte[]"
%typemap(javaout) bdbx_bytes { return $jnicall; }
%typemap(out) bdbx_bytes %{
  $result = NULL;
  if ($1.data) {
    if ($1.len > 0x7fffffff) {
      bdbx_fail(BDB_E_NOMEM, "a Java byte array holds at most 2 GiB");
      bdbx_java_throw(jenv); /* after %exception's check: throw here */
    } else {
      $result = (*jenv)->NewByteArray(jenv, (jsize)$1.len);
      if ($result)
        (*jenv)->SetByteArrayRegion(jenv, $result, 0, (jsize)$1.len, (const jbyte *)$1.data);
    }
    if ($1.owned) bdb_free((void *)$1.data);
  }
%}

/* Text: UTF-8 both ways. Java's own JNI string calls use modified UTF-8 (CESU-8), which mangles
 * characters outside the BMP, so Java passes and gets byte arrays and converts them itself. */
%typemap(jni) const char * "jbyteArray"
%typemap(jtype) const char * "byte[]"
%typemap(jstype) const char * "String"
%typemap(javain) const char * "Utf8.encodeZ($javainput)"
%typemap(in) const char * %{
  $1 = $input ? (char *)(*jenv)->GetByteArrayElements(jenv, $input, NULL) : NULL;
%}
%typemap(freearg) const char * %{
  if ($1) (*jenv)->ReleaseByteArrayElements(jenv, $input, (jbyte *)$1, JNI_ABORT);
%}
%typemap(jni) char *, const char * "jbyteArray"
%typemap(jtype) char *, const char * "byte[]"
%typemap(jstype) char *, const char * "String"
%typemap(javaout) char *, const char * { return Utf8.decode($jnicall); }
%typemap(out) char *, const char * %{
  $result = NULL;
  if ($1) {
    size_t n_ = strlen($1);
    $result = (*jenv)->NewByteArray(jenv, (jsize)n_);
    if ($result) (*jenv)->SetByteArrayRegion(jenv, $result, 0, (jsize)n_, (const jbyte *)$1);
  }
%}

/* ---- errors ------------------------------------------------------------------------------- */

%{
static void bdbx_java_throw(JNIEnv *jenv) {
  jclass cls = (*jenv)->FindClass(jenv, "io/bucketdb/BucketDbException");
  if (!cls) return; /* NoClassDefFoundError is pending */
  jmethodID ctor = (*jenv)->GetMethodID(jenv, cls, "<init>", "(I[B)V");
  if (!ctor) return;
  const char *text = bdbx_last_message();
  size_t n = strlen(text);
  jbyteArray msg = (*jenv)->NewByteArray(jenv, (jsize)n);
  if (!msg) return;
  (*jenv)->SetByteArrayRegion(jenv, msg, 0, (jsize)n, (const jbyte *)text);
  jobject e = (*jenv)->NewObject(jenv, cls, ctor, (jint)bdbx_last_status(), msg);
  if (e) (*jenv)->Throw(jenv, (jthrowable)e);
}
%}
/* No early return: the out, argout and freearg code still runs (it is safe with an exception
 * pending) and releases what the arguments pinned. Java discards the return value. */
%define BDBX_RAISING
%javaexception("BucketDbException") {
  bdbx_reset();
  $action
  if (bdbx_last_status() != BDB_OK) bdbx_java_throw(jenv);
}
%enddef
%define BDBX_SILENT
%exception;
%nojavaexception;
%enddef
/* The children's close(), dispose() and isOpen() cannot fail (a database's close can). */
%nojavaexception bdbx_db::isOpen;
%nojavaexception bdbx_batch::close;
%nojavaexception bdbx_query::close;
%nojavaexception bdbx_cursor::close;
%nojavaexception bdbx_doc::dispose;
%nojavaexception bdbx_doc::isOpen;

/* ---- loggers ------------------------------------------------------------------------------ */

%{
/* An io.bucketdb.LogBridge (over a System.Logger) as a bdb logger. The library calls it from
 * any thread: one the JVM does not know is attached for the call, as a daemon (it never holds
 * up the JVM's exit), and detached after; the engine logs rarely. */
typedef struct bdbx_java_logger {
  bdbx_logger base;
  JavaVM *vm;
  jobject target;    /* a global reference to the LogBridge */
  jmethodID deliver; /* void log(int level, byte[] subsystem, byte[] message) */
} bdbx_java_logger;

static jbyteArray bdbx_java_utf8(JNIEnv *env, const char *s) {
  size_t n = strlen(s);
  jbyteArray a = (*env)->NewByteArray(env, (jsize)n);
  if (a) (*env)->SetByteArrayRegion(env, a, 0, (jsize)n, (const jbyte *)s);
  return a;
}

/* The calling thread's JNIEnv; *attached says whether this call attached it. */
static JNIEnv *bdbx_java_env(JavaVM *vm, int *attached) {
  JNIEnv *env = NULL;
  *attached = 0;
  jint got = (*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8);
  if (got == JNI_EDETACHED) {
    if ((*vm)->AttachCurrentThreadAsDaemon(vm, (void **)&env, NULL) != JNI_OK) return NULL;
    *attached = 1;
  } else if (got != JNI_OK) {
    return NULL;
  }
  return env;
}

static void bdbx_java_log(void *ctx, int level, const char *subsystem, const char *message) {
  bdbx_java_logger *l = (bdbx_java_logger *)ctx;
  int attached = 0;
  JNIEnv *env = bdbx_java_env(l->vm, &attached);
  if (!env) { /* the JVM is going away */
    bdbx_log_to_stderr(level, subsystem, message);
    return;
  }
  jthrowable pending = (*env)->ExceptionOccurred(env);
  if (pending) (*env)->ExceptionClear(env);
  if ((*env)->PushLocalFrame(env, 4) == 0) {
    jbyteArray sub = bdbx_java_utf8(env, subsystem);
    jbyteArray msg = sub ? bdbx_java_utf8(env, message) : NULL;
    if (msg) (*env)->CallVoidMethod(env, l->target, l->deliver, (jint)level, sub, msg);
    if ((*env)->ExceptionCheck(env)) (*env)->ExceptionClear(env); /* LogBridge catches all */
    (*env)->PopLocalFrame(env, NULL);
  } else {
    (*env)->ExceptionClear(env);
  }
  if (pending) (*env)->Throw(env, pending);
  if (attached) (*l->vm)->DetachCurrentThread(l->vm);
}

static void bdbx_java_release(bdbx_logger *base) {
  bdbx_java_logger *l = (bdbx_java_logger *)base;
  int attached = 0;
  JNIEnv *env = bdbx_java_env(l->vm, &attached);
  if (env) (*env)->DeleteGlobalRef(env, l->target);
  if (attached) (*l->vm)->DetachCurrentThread(l->vm);
  free(l);
}

/* NULL with a Java exception pending when target is not a LogBridge. */
static bdbx_logger *bdbx_java_logger_new(JNIEnv *jenv, jobject target) {
  if (!target) {
    jclass npe = (*jenv)->FindClass(jenv, "java/lang/NullPointerException");
    if (npe) (*jenv)->ThrowNew(jenv, npe, "logger");
    return NULL;
  }
  jclass cls = (*jenv)->GetObjectClass(jenv, target);
  jmethodID m = cls ? (*jenv)->GetMethodID(jenv, cls, "log", "(I[B[B)V") : NULL;
  if (!m) return NULL; /* NoSuchMethodError is pending */
  bdbx_java_logger *l = (bdbx_java_logger *)calloc(1, sizeof *l);
  if (!l || (*jenv)->GetJavaVM(jenv, &l->vm) != JNI_OK ||
      !(l->target = (*jenv)->NewGlobalRef(jenv, target))) {
    free(l);
    jclass oom = (*jenv)->FindClass(jenv, "java/lang/OutOfMemoryError");
    if (oom) (*jenv)->ThrowNew(jenv, oom, "bucketdb logger");
    return NULL;
  }
  l->deliver = m;
  l->base.refs = 1;
  l->base.fn = bdbx_java_log;
  l->base.release = bdbx_java_release;
  return &l->base;
}
%}
%typemap(jni) bdbx_logger *logger "jobject"
%typemap(jtype) bdbx_logger *logger "Object"
%typemap(jstype) bdbx_logger *logger "Object"
%typemap(javain) bdbx_logger *logger "$javainput"
%typemap(in) bdbx_logger *logger %{
  $1 = bdbx_java_logger_new(jenv, $input);
  if (!$1) return $null;
%}
