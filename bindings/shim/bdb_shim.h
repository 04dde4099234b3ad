/* The C shim under the SWIG bindings (Go, Java, Ruby, Python): plain C over bucketdb.h only,
 * compiled once (bindings/shim/bdb_shim.c) into every language's module. bucketdb.i binds
 * these functions to the classes of each language by SWIG's %extend naming: the method m of
 * class T is `T_m(T *self, ...)`, its constructor `new_T`, its destructor `delete_T`.
 *
 *   Options  Database  Batch  Query  Cursor  Doc  Row
 *
 * What the shim adds to the C ABI, and why the ABI cannot do it itself:
 *  - Errors: every call leaves its status and message in thread-locals (bdbx_last_status,
 *    bdbx_last_message; OK and "" after a success). Java, Ruby and Python raise from them in
 *    %exception; Go reads them while its goroutine is locked to the thread.
 *  - Idempotence: garbage collectors finalize in any order and on any thread, and programs
 *    close twice. close() and dispose() release the C handle at once and leave an empty
 *    shell, so a second close, a finalizer after close, or a call after close is an error or
 *    a no-op, never a double free (the ABI's frees are free()'s: twice is undefined).
 *    Lifetimes themselves are the library's (bucketdb.h, "Ownership"): children and their
 *    database may be freed in any order.
 *  - A database's pointer stays valid while a call may still use it: the shell holds an empty
 *    batch of its own (its anchor), so the library keeps a closed database as a zombie instead
 *    of freeing it under a call that raced the close. The anchor goes once the shell is closed
 *    and no call is in flight (a count, not a lock: nothing waits), so the engine is freed at
 *    close, not at collection.
 *  - Loggers: a language's logger is the context of bdb_options_set_logger, which must
 *    outlive every database opened with it. Options, databases and children each hold a
 *    reference and drop it after freeing their C handle.
 *  - The bindings' default createIfMissing=1 (sqlite3.connect's), which the C ABI does not
 *    have; bytes out as (pointer, length, owned); documents as a byte of type per field.
 * Documents hold no reference to their database. Every function takes NULL for a handle (a
 * Java proxy after delete() passes NULL): methods fail with BDB_E_INVALID ("the batch is
 * closed", ...), while close(), isOpen(), the row's getters and the finalizers answer "nothing"
 * without an error. */
#ifndef BDB_SHIM_H
#define BDB_SHIM_H

#include <bucketdb/bucketdb.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the outcome of this thread's last shim call --------------------------------------- */

int bdbx_last_status(void);
/* Valid until the next failing call on this thread; "" after a success. */
const char *bdbx_last_message(void);
void bdbx_reset(void);
/* A failure of the shim or of a language's code (msg: a string literal). */
void bdbx_fail(int status, const char *msg);

/* ---- bytes out --------------------------------------------------------------------------- */

/* data NULL: nothing (an error). owned: the language copies the bytes, then bdb_free(data). */
typedef struct bdbx_bytes {
  const char *data;
  size_t len;
  int owned;
} bdbx_bytes;

/* ---- loggers ----------------------------------------------------------------------------- */

/* The context of bdb_options_set_logger. A language's logger is a struct with this one first;
 * fn is its bdb_log_fn (called with the struct), release frees it when the last reference
 * goes. refs starts at 1: the reference the setLogger/setProgress argument hands over. */
typedef struct bdbx_logger {
  int refs;
  bdb_log_fn fn;
  void (*release)(struct bdbx_logger *self);
} bdbx_logger;

bdbx_logger *bdbx_logger_ref(bdbx_logger *l);
void bdbx_logger_unref(bdbx_logger *l);
/* The line a logger that cannot reach its language any more writes instead (the library's
 * own format), so that nothing logged is lost. */
void bdbx_log_to_stderr(int level, const char *subsystem, const char *message);

/* ---- handles ----------------------------------------------------------------------------- */

typedef struct bdbx_options bdbx_options;
typedef struct bdbx_db bdbx_db;
typedef struct bdbx_batch bdbx_batch;
typedef struct bdbx_query bdbx_query;
typedef struct bdbx_cursor bdbx_cursor;
typedef struct bdbx_doc bdbx_doc;
typedef struct bdbx_row bdbx_row;

/* Destructors (the collectors' finalizers) never fail and take NULL. */
void delete_bdbx_options(bdbx_options *self);
void delete_bdbx_db(bdbx_db *self);
void delete_bdbx_batch(bdbx_batch *self);
void delete_bdbx_query(bdbx_query *self);
void delete_bdbx_cursor(bdbx_cursor *self);
void delete_bdbx_doc(bdbx_doc *self);
void delete_bdbx_row(bdbx_row *self);

bdbx_options *new_bdbx_options(void);
void bdbx_options_set(bdbx_options *self, const char *name, const char *value);
/* Databases opened with these options log to logger instead of stderr; takes the reference
 * the argument holds, also on failure. */
void bdbx_options_setLogger(bdbx_options *self, bdbx_logger *logger);
/* Progress of long work (merge, gc, verify, export, import) arrives through logger: subsystem
 * the task, message "DONE TOTAL", level info. NULL: none. Takes the reference as setLogger. */
void bdbx_options_setProgress(bdbx_options *self, bdbx_logger *logger);

/* opts may be NULL. Creates a database that does not exist unless opts set createIfMissing
 * or readOnly themselves. */
bdbx_db *new_bdbx_db(const char *uri, const bdbx_options *opts);
/* Closes now (children fail from then on; the library frees it with the last of them) and
 * reports a merge at close that failed. A second close waits for the first, then does
 * nothing. */
void bdbx_db_close(bdbx_db *self);
int bdbx_db_isOpen(bdbx_db *self);
void bdbx_db_registerSchema(bdbx_db *self, const char *json, int flags);
char *bdbx_db_schemasJson(bdbx_db *self);
bdbx_doc *bdbx_db_newDoc(bdbx_db *self, const char *table);
bdbx_doc *bdbx_db_docFromJson(bdbx_db *self, const char *table, const char *json);
bdbx_doc *bdbx_db_docFromRow(bdbx_db *self, const char *table, uint32_t version, const void *fixed,
                             size_t fixed_len, const void *heap, size_t heap_len);
bdbx_doc *bdbx_db_keyDoc(bdbx_db *self, const char *table, const char *keyText);
/* NULL with BDB_E_NOT_FOUND when there is no row with keyDoc's key. */
bdbx_doc *bdbx_db_get(bdbx_db *self, bdbx_doc *keyDoc);
char *bdbx_db_getJson(bdbx_db *self, const char *table, const char *keyText);
bdbx_batch *bdbx_db_batch(bdbx_db *self);
bdbx_query *bdbx_db_query(bdbx_db *self, const char *table);
bdbx_bytes bdbx_db_blobRead(bdbx_db *self, const char *blobId);
uint64_t bdbx_db_merge(bdbx_db *self);
uint64_t bdbx_db_gc(bdbx_db *self);
char *bdbx_db_inspectJson(bdbx_db *self, const char *what);
char *bdbx_db_statsJson(bdbx_db *self);
void bdbx_db_refresh(bdbx_db *self);
/* bdb_db_interrupt: every call on the database under way ends soon with BDB_E_INTERRUPTED;
 * callable from any thread while they run (it waits for none of them). */
void bdbx_db_interrupt(bdbx_db *self);
void bdbx_db_dropTable(bdbx_db *self, const char *table);
void bdbx_db_dropIndex(bdbx_db *self, const char *table, const char *field);
char *bdbx_db_verifyJson(bdbx_db *self);
uint64_t bdbx_db_exportTo(bdbx_db *self, const char *path);
uint64_t bdbx_db_importFrom(bdbx_db *self, const char *path, uint64_t batchRows, int flags);

/* close() of a child frees its C handle now and cannot fail; a second one does nothing. */
void bdbx_batch_close(bdbx_batch *self);
void bdbx_batch_insert(bdbx_batch *self, bdbx_doc *doc);
void bdbx_batch_update(bdbx_batch *self, bdbx_doc *doc);
void bdbx_batch_patch(bdbx_batch *self, bdbx_doc *doc);
void bdbx_batch_remove(bdbx_batch *self, bdbx_doc *keyDoc);
void bdbx_batch_insertJson(bdbx_batch *self, const char *table, const char *json);
void bdbx_batch_updateJson(bdbx_batch *self, const char *table, const char *json);
void bdbx_batch_patchJson(bdbx_batch *self, const char *table, const char *json);
void bdbx_batch_deleteKey(bdbx_batch *self, const char *table, const char *keyText);
void bdbx_batch_expectVersion(bdbx_batch *self, uint64_t version);
void bdbx_batch_expectExists(bdbx_batch *self);
uint64_t bdbx_batch_size(bdbx_batch *self);
void bdbx_batch_clear(bdbx_batch *self);
uint64_t bdbx_batch_commit(bdbx_batch *self);

void bdbx_query_close(bdbx_query *self);
/* An empty valueJson stands for NULL (isnull, notnull): Go strings cannot be nil. */
void bdbx_query_where(bdbx_query *self, const char *field, const char *op, const char *valueJson);
void bdbx_query_orGroup(bdbx_query *self);
void bdbx_query_order(bdbx_query *self, const char *field, int descending);
void bdbx_query_orderThen(bdbx_query *self, const char *field, int descending);
void bdbx_query_limit(bdbx_query *self, uint64_t n);
void bdbx_query_offset(bdbx_query *self, uint64_t n);
void bdbx_query_asOf(bdbx_query *self, uint64_t seq);
void bdbx_query_asOfTime(bdbx_query *self, uint64_t miscMs);
void bdbx_query_selectField(bdbx_query *self, const char *field);
void bdbx_query_after(bdbx_query *self, const char *token);
uint64_t bdbx_query_count(bdbx_query *self);
char *bdbx_query_explain(bdbx_query *self);
bdbx_cursor *bdbx_query_exec(bdbx_query *self);

void bdbx_cursor_close(bdbx_cursor *self);
/* The next document, or NULL with status OK at the end. */
bdbx_doc *bdbx_cursor_next(bdbx_cursor *self);
char *bdbx_cursor_pageToken(bdbx_cursor *self);

/* Frees the document now; the shell stays until deleted. */
void bdbx_doc_dispose(bdbx_doc *self);
int bdbx_doc_isOpen(bdbx_doc *self);
const char *bdbx_doc_table(bdbx_doc *self);
uint64_t bdbx_doc_fieldCount(bdbx_doc *self);
/* NULL (no error) past the last field. */
const char *bdbx_doc_fieldName(bdbx_doc *self, uint64_t index);
/* 0 for an unknown field. */
int bdbx_doc_fieldType(bdbx_doc *self, const char *field);
int bdbx_doc_has(bdbx_doc *self, const char *field);
/* One byte per field in declaration order: its type id when it holds a value, else 0 (at
 * most 1024 fields). Borrowed until this thread's next call of it. */
bdbx_bytes bdbx_doc_present(bdbx_doc *self);
uint64_t bdbx_doc_version(bdbx_doc *self);
uint64_t bdbx_doc_misc(bdbx_doc *self);
uint32_t bdbx_doc_schemaVersion(bdbx_doc *self);
char *bdbx_doc_toJson(bdbx_doc *self);
bdbx_row *bdbx_doc_toRow(bdbx_doc *self);
void bdbx_doc_setNull(bdbx_doc *self, const char *field);
void bdbx_doc_setBool(bdbx_doc *self, const char *field, int value);
void bdbx_doc_setInt(bdbx_doc *self, const char *field, int64_t value);
void bdbx_doc_setUint(bdbx_doc *self, const char *field, uint64_t value);
void bdbx_doc_setDouble(bdbx_doc *self, const char *field, double value);
/* UTF-8 text for varchar and json fields (json text is stored verbatim). */
void bdbx_doc_setString(bdbx_doc *self, const char *field, const void *data, size_t len);
void bdbx_doc_setBytes(bdbx_doc *self, const char *field, const void *data, size_t len);
void bdbx_doc_setJson(bdbx_doc *self, const char *field, const char *json);
void bdbx_doc_setBlob(bdbx_doc *self, const char *field, const void *data, size_t len);
int bdbx_doc_getBool(bdbx_doc *self, const char *field);
int64_t bdbx_doc_getInt(bdbx_doc *self, const char *field);
uint64_t bdbx_doc_getUint(bdbx_doc *self, const char *field);
double bdbx_doc_getDouble(bdbx_doc *self, const char *field);
/* The UTF-8 bytes of a varchar or json field, borrowed from the document. */
bdbx_bytes bdbx_doc_getString(bdbx_doc *self, const char *field);
bdbx_bytes bdbx_doc_getBytes(bdbx_doc *self, const char *field);
char *bdbx_doc_getJson(bdbx_doc *self, const char *field);
/* Borrowed until this thread's next call of it. */
const char *bdbx_doc_getBlobId(bdbx_doc *self, const char *field);

uint32_t bdbx_row_version(bdbx_row *self);
bdbx_bytes bdbx_row_fixed(bdbx_row *self);
bdbx_bytes bdbx_row_heap(bdbx_row *self);

/* ---- module functions -------------------------------------------------------------------- */

/* bdb_driver_check's JSON. */
char *bdbx_driver_check(const char *uri);
/* bdb_recover's JSON report; opts may be NULL, schemasJson "" for none. */
char *bdbx_recover_json(const char *uri, const bdbx_options *opts, const char *schemasJson,
                        int flags);
int bdbx_abi_version(void);
/* The ABI version of the bucketdb.h the shim was compiled against. */
int bdbx_header_abi_version(void);
const char *bdbx_version(void);
const char *bdbx_status_string(int status);
/* Shim structs alive in this process (databases, children, documents, rows): the ownership
 * tests check it drops back once finalizers have run. */
int64_t bdbx_live_handles(void);
/* Runs LeakSanitizer now when the process has it (sanitized builds preload the ASan runtime),
 * printing what it finds to stderr. 1: unreachable blocks found, 0: none, -1: no
 * LeakSanitizer here. Looked up at run time, so plain builds link no ASan. */
int bdbx_leak_check(void);

#ifdef __cplusplus
}
#endif

#endif /* BDB_SHIM_H */
