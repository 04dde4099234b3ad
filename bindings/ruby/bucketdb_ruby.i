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
static VALUE bdbx_ruby_errors[BDB_E_INTERNAL + 1];
static VALUE bdbx_ruby_error_base;
static void bdbx_ruby_raise(void) {
  int st = bdbx_st;
  VALUE cls = (st > 0 && st <= BDB_E_INTERNAL) ? bdbx_ruby_errors[st] : bdbx_ruby_error_base;
  VALUE e = rb_exc_new_str(cls, rb_utf8_str_new_cstr(bdbx_msg));
  rb_iv_set(e, "@code", INT2NUM(st));
  rb_exc_raise(e);
}
%}
/* The Ruby arguments are borrowed (no copies to free), so raising from here leaks nothing. */
%define BDBX_RAISING
%exception {
  bdbx_st = BDB_OK;
  $action
  if (bdbx_st != BDB_OK) bdbx_ruby_raise();
}
%enddef
%define BDBX_SILENT
%exception;
%enddef
/* BucketDB::Error and one subclass per status code (names in bindings/ruby/lib/bucketdb.rb). */
%init %{
  {
    static const char *const names[BDB_E_INTERNAL + 1] = {
        NULL, "NotFound", "InvalidArgument", "SchemaError", "TypeMismatch", "JSONError",
        "AlreadyExists", "Conflict", "Corrupt", "StorageError", "PermissionDenied", "BadURI",
        "OutOfMemory", "StorageFull", "Busy", "InternalError"};
    VALUE top = rb_define_module("BucketDB");
    bdbx_ruby_error_base = rb_define_class_under(top, "Error", rb_eStandardError);
    rb_gc_register_address(&bdbx_ruby_error_base);
    for (int i = 1; i <= BDB_E_INTERNAL; i++) {
      bdbx_ruby_errors[i] = rb_define_class_under(top, names[i], bdbx_ruby_error_base);
      rb_gc_register_address(&bdbx_ruby_errors[i]);
    }
  }
%}
