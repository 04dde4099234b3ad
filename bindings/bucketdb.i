/* The one SWIG interface of BucketDB, for Go, Java, Ruby and Python. SWIG does not wrap the
 * bdb_* functions of bucketdb.h: it wraps the small C shim of bindings/shim (bdb_shim.h says
 * what it adds and why; bdb_shim.c is compiled into every language's module), whose handles
 * are the classes the per-language layers (bindings/go, java, ruby, python) use:
 *
 *   Options  Database  Batch  Query  Cursor  Doc  Row
 *
 * This file holds only SWIG directives: the classes and their methods (each bound by name to
 * the shim function T_method), what the library allocates, and the module functions. Each
 * language's typemaps, class names, loggers and error raising are in its own small file beside
 * its layer (go/bucketdb_go.i, java/bucketdb_java.i, ruby/bucketdb_ruby.i,
 * python/bucketdb_python.i), included below.
 */
#if defined(SWIGRUBY)
%module "BucketDB::Native" /* lib: bucketdb/native.so */
#elif defined(SWIGPYTHON)
%module(package="bucketdb") native /* bucketdb/native.py over the extension bucketdb/_native */
#else
%module bucketdb_native /* Go: -module native from the .swig file; Java: -module BucketDbNative */
#endif

%{
#include "bdb_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Destructors (delete_T) never fail and never raise. */
BDBX_SILENT
struct bdbx_options {};
struct bdbx_db {};
struct bdbx_batch {};
struct bdbx_query {};
struct bdbx_cursor {};
struct bdbx_doc {};
struct bdbx_row {};
%extend bdbx_options { ~bdbx_options(); }
%extend bdbx_db { ~bdbx_db(); }
%extend bdbx_batch { ~bdbx_batch(); }
%extend bdbx_query { ~bdbx_query(); }
%extend bdbx_cursor { ~bdbx_cursor(); }
%extend bdbx_doc { ~bdbx_doc(); }
%extend bdbx_row { ~bdbx_row(); }

/* Everything below reports failures, except the children's close(), dispose() and isOpen(),
 * which cannot fail. */
BDBX_RAISING

%extend bdbx_options {
  bdbx_options();
  void set(const char *name, const char *value);
  /* logger: made from a language's object by its typemap, which hands over one reference. */
  void setLogger(bdbx_logger *logger);
  void setProgress(bdbx_logger *logger);
}

%extend bdbx_db {
  /* opts may be null. */
  bdbx_db(const char *uri, const bdbx_options *opts);
  void close();
  int isOpen();
  /* flags: BDB_SCHEMA_ALLOW_LOSSY or 0. A JSON array registers every schema in it or none. */
  void registerSchema(const char *json, int flags);
  char *schemasJson();
  bdbx_doc *newDoc(const char *table);
  bdbx_doc *docFromJson(const char *table, const char *json);
  bdbx_doc *docFromRow(const char *table, uint32_t version, const void *fixed, size_t fixed_len,
                       const void *heap, size_t heap_len);
  bdbx_doc *keyDoc(const char *table, const char *keyText);
  bdbx_doc *get(bdbx_doc *keyDoc);
  char *getJson(const char *table, const char *keyText);
  bdbx_batch *batch();
  bdbx_query *query(const char *table);
  bdbx_bytes blobRead(const char *blobId);
  uint64_t merge();
  uint64_t gc();
  char *inspectJson(const char *what);
  char *statsJson();
  void refresh();
  /* Stops every call on the database under way (bdb_db_interrupt), from any thread. */
  void interrupt();
  void dropTable(const char *table);
  void dropIndex(const char *table, const char *field);
  char *verifyJson();
  /* "export" and "import" are keywords somewhere: exportTo, importFrom. Return the rows. */
  uint64_t exportTo(const char *path);
  /* flags: BDB_IMPORT_UPSERT or 0. */
  uint64_t importFrom(const char *path, uint64_t batchRows, int flags);
}


%extend bdbx_batch {
  void close();
  void insert(bdbx_doc *doc);
  void update(bdbx_doc *doc);
  void patch(bdbx_doc *doc);
  /* "delete" is taken in Java (the proxy's own delete()). */
  void remove(bdbx_doc *keyDoc);
  void insertJson(const char *table, const char *json);
  void updateJson(const char *table, const char *json);
  void patchJson(const char *table, const char *json);
  void deleteKey(const char *table, const char *keyText);
  void expectVersion(uint64_t version);
  void expectExists();
  uint64_t size();
  void clear();
  uint64_t commit();
}

%extend bdbx_query {
  void close();
  void where(const char *field, const char *op, const char *valueJson);
  /* "or" reads badly as a method: orGroup. */
  void orGroup();
  void order(const char *field, int descending);
  void orderThen(const char *field, int descending);
  void limit(uint64_t n);
  void offset(uint64_t n);
  void asOf(uint64_t seq);
  void asOfTime(uint64_t miscMs);
  void selectField(const char *field);
  /* Keyset pagination: continue after the position a cursor's pageToken() gave. */
  void after(const char *token);
  uint64_t count();
  /* One line: how the query would run and the objects it would read at most. */
  char *explain();
  bdbx_cursor *exec();
}

%extend bdbx_cursor {
  void close();
  bdbx_doc *next();
  char *pageToken();
}

%extend bdbx_doc {
  void dispose();
  int isOpen();
  const char *table();
  uint64_t fieldCount();
  const char *fieldName(uint64_t index);
  int fieldType(const char *field);
  int has(const char *field);
  /* The layers turn a document into a native map with this and one typed getter per value. */
  bdbx_bytes present();
  uint64_t version();
  uint64_t misc();
  uint32_t schemaVersion();
  char *toJson();
  bdbx_row *toRow();
  void setNull(const char *field);
  void setBool(const char *field, int value);
  void setInt(const char *field, int64_t value);
  void setUint(const char *field, uint64_t value);
  void setDouble(const char *field, double value);
  void setString(const char *field, const void *data, size_t len);
  void setBytes(const char *field, const void *data, size_t len);
  void setJson(const char *field, const char *json);
  void setBlob(const char *field, const void *data, size_t len);
  int getBool(const char *field);
  int64_t getInt(const char *field);
  uint64_t getUint(const char *field);
  double getDouble(const char *field);
  bdbx_bytes getString(const char *field);
  bdbx_bytes getBytes(const char *field);
  char *getJson(const char *field);
  const char *getBlobId(const char *field);
}

%extend bdbx_row {
  uint32_t version();
  bdbx_bytes fixed();
  bdbx_bytes heap();
}

/* ---- module functions --------------------------------------------------------------------- */

/* The driver conformance checks on the store of uri, as JSON; they take seconds. */
%newobject bdbx_driver_check;
%rename(driverCheck) bdbx_driver_check;
char *bdbx_driver_check(const char *uri);
/* bdb_recover: looks at the database under the prefix opts names (may be null) without opening
 * it and reports, as JSON; repairs with flags BDB_RECOVER_WRITE (and
 * BDB_RECOVER_ACCEPT_LOST_ENTRIES). schemasJson: one schema or an array, or "" for none. */
%newobject bdbx_recover_json;
%rename(recoverJson) bdbx_recover_json;
char *bdbx_recover_json(const char *uri, const bdbx_options *opts, const char *schemasJson,
                        int flags);

BDBX_SILENT
%rename(abiVersion) bdbx_abi_version;
%rename(headerAbiVersion) bdbx_header_abi_version;
%rename(version) bdbx_version;
%rename(statusString) bdbx_status_string;
%rename(lastStatus) bdbx_last_status;
%rename(lastMessage) bdbx_last_message;
%rename(liveHandles) bdbx_live_handles;
%rename(leakCheck) bdbx_leak_check;
int bdbx_abi_version(void);
/* The ABI version of the bucketdb.h these bindings were compiled against. */
int bdbx_header_abi_version(void);
const char *bdbx_version(void);
const char *bdbx_status_string(int status);
/* The status and message of this thread's last shim call (what Go reads instead of an
 * exception); OK and "" after a success. */
int bdbx_last_status(void);
const char *bdbx_last_message(void);
/* Shim structs alive in this process (for the ownership tests). */
int64_t bdbx_live_handles(void);
/* LeakSanitizer now, when the process has it: 1 leaks found, 0 none, -1 no LeakSanitizer. */
int bdbx_leak_check(void);
