/*
 * BucketDB: an embedded document database whose durable state lives in S3-compatible storage.
 *
 * Conventions (plain C99; usable from C and from SWIG)
 *  - Opaque handles: bdb_db, bdb_options, bdb_batch, bdb_doc, bdb_query, bdb_cursor.
 *  - Every call that can fail returns a bdb_status. BDB_OK is 0; errors are positive.
 *  - On failure, bdb_errmsg() returns a message for the last failed call of the calling thread,
 *    naming the table, field, key or object involved. It stays valid until the next failing
 *    call on that thread.
 *  - Memory: what a call hands back to you is freed with its matching function
 *    (bdb_doc_free, bdb_cursor_free, ...) or, for strings and byte buffers, bdb_free().
 *    Pointers returned as "borrowed" live as long as the handle they came from.
 *  - Documents cross the ABI as records with typed accessors by field name, or as JSON text.
 *    JSON integers are exact over the whole uint64/int64 range.
 *
 * Ownership, threads and the order of frees (the model is SQLite's sqlite3_close_v2, made
 * "for use with host languages that are garbage collected")
 *  - A bdb_db owns its engine. Each bdb_batch, bdb_query and bdb_cursor holds a reference to
 *    the bdb_db it was made from (a cursor: its query's). bdb_close/bdb_db_close may come
 *    before or after the frees of those children, in any order: a database closed while
 *    children live is stopped at once (background work ends, the merge at close runs) but
 *    its memory stays, a "zombie", until the last child is freed; then it is released.
 *  - After the close, every call on the database or on one of its children fails with
 *    BDB_E_INVALID and a message naming the call ("bdb_cursor_next: the database this cursor
 *    belongs to is closed"); bdb_batch_size returns 0 and bdb_batch_clear does nothing, both
 *    with that message. Freeing children stays valid (and is needed: it releases the zombie).
 *  - A second close of a database is detected while it is a zombie (BDB_E_INVALID from
 *    bdb_db_close). Once the database and all its children are freed the pointer is gone:
 *    using it or freeing it again is undefined, as for free(). The same holds for a child,
 *    a document or options freed twice (the bindings' shells make a second free a no-op).
 *    Freeing a handle while another thread is inside a call on it is undefined.
 *  - A bdb_doc is a value: it holds its table's schema, not the database, and stays valid
 *    (every accessor works) after the database is closed. Free each with bdb_doc_free.
 *  - Threads: a bdb_db may be shared between threads; its calls run concurrently. A close
 *    waits for calls under way on other threads to return, then makes every later call fail
 *    as above. A batch, query or cursor is meant for one thread at a time; calls on one from
 *    several threads at once are serialised (each waits for the other), never a data race.
 *    A bdb_doc is one thread's at a time, unless only read. Options are not thread-safe.
 *  - Callbacks the library makes (a logger, an in-process driver) must not call back into
 *    the database they were called for: a close waiting on another thread would deadlock.
 */
#ifndef BUCKETDB_H
#define BUCKETDB_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BDB_ABI_VERSION 1
#define BDB_VERSION_STRING "0.1.0"

#if defined(BDB_BUILDING_LIBRARY)
#define BDB_API __attribute__((visibility("default")))
#else
#define BDB_API
#endif

typedef enum bdb_status {
  BDB_OK = 0,
  BDB_E_NOT_FOUND = 1,   /* no such document, blob or object */
  BDB_E_INVALID = 2,     /* bad argument or option, misuse of the API */
  BDB_E_SCHEMA = 3,      /* unknown table or field, bad or conflicting schema */
  BDB_E_TYPE = 4,        /* value of the wrong type, out of range, or too long */
  BDB_E_JSON = 5,        /* malformed JSON text */
  BDB_E_EXISTS = 6,      /* insert of a primary key that already exists */
  BDB_E_CONFLICT = 7,    /* a precondition (expected version) did not hold */
  BDB_E_CORRUPT = 8,     /* an object in storage failed its checks */
  BDB_E_IO = 9,          /* storage failed (after retries), with the storage's own detail */
  BDB_E_PERMISSION = 10, /* storage refused the credentials or the operation */
  BDB_E_URI = 11,        /* malformed database URI, or its driver cannot be found or loaded */
  BDB_E_NOMEM = 12,
  BDB_E_NO_SPACE = 13, /* storage is full */
  BDB_E_BUSY = 14,     /* the operation could not finish in time (e.g. endless contention) */
  BDB_E_INTERNAL = 15,
  BDB_E_INTERRUPTED = 16 /* bdb_db_interrupt stopped the call */
} bdb_status;

typedef struct bdb_db bdb_db;
typedef struct bdb_options bdb_options;
typedef struct bdb_batch bdb_batch;
typedef struct bdb_doc bdb_doc;
typedef struct bdb_query bdb_query;
typedef struct bdb_cursor bdb_cursor;

/* Field type ids (fixed forever; see SPEC section 3). */
typedef enum bdb_type {
  BDB_TYPE_UINT8 = 1,
  BDB_TYPE_UINT32 = 2,
  BDB_TYPE_UINT64 = 3,
  BDB_TYPE_INT32 = 4,
  BDB_TYPE_INT64 = 5,
  BDB_TYPE_BOOL = 6,
  BDB_TYPE_FLOAT64 = 7,
  BDB_TYPE_TIMESTAMP = 8, /* milliseconds since the Unix epoch, signed */
  BDB_TYPE_JSON = 9,      /* UTF-8 JSON text */
  BDB_TYPE_VARCHAR = 10,  /* UTF-8 text, maxLength in characters (code points) */
  BDB_TYPE_BLOB = 11,     /* managed object; the row holds its UUID */
  BDB_TYPE_UINT16 = 12,
  BDB_TYPE_INT8 = 13,
  BDB_TYPE_INT16 = 14,
  BDB_TYPE_FLOAT32 = 15,
  BDB_TYPE_BYTES = 16 /* raw bytes; base64 in JSON */
} bdb_type;

/* ---- library ------------------------------------------------------------------------------ */

BDB_API int bdb_abi_version(void);
BDB_API const char *bdb_version(void);
/* The message and code of the calling thread's last failed call. A successful call does not
 * reset them: check the status a call returns, then ask for the message. */
BDB_API const char *bdb_errmsg(void);
BDB_API bdb_status bdb_errcode(void);
/* "BDB_E_NOT_FOUND" -> "not found"; never NULL. */
BDB_API const char *bdb_status_str(int status);
BDB_API void bdb_free(void *ptr);

/* ---- options and open --------------------------------------------------------------------- */

/* Option names (values are text; numbers in decimal):
 *   dbPrefix (default "main"), nodeId (0-255, default 0), ringSize (default 1),
 *   writeForwardInterval (ms, >= 10, 5000), readStalenessMs (ms, 1000), blockSizeBytes
 *   (512 to 1 GiB, 65536), maxMemoryBytes (104857600), maxRequestsInFlight (storage requests
 *   kept in flight at once for read-ahead, merges, log catch-up and collection: 1 to 1024, 64),
 *   mergeIntervalMs (21600000: 6 hours),
 *   mergeThresholdBytes (>= 1, 4194304), mergeThresholdEntries (>= 1; 1024, or 128 on a
 *   store without conditional writes), gcGraceMs (3600000), autoMerge (1: the write-forward
 *   service runs in the background, merging, commits write log checkpoints, and a close
 *   merges when due; 0: only
 *   bdb_db_merge), createIfMissing (0: bdb_open of a prefix that holds no database is
 *   BDB_E_NOT_FOUND; 1: it creates one), readOnly (1: the handle sends only GETs and LISTs;
 *   commits, schema registration, merge and gc are BDB_E_INVALID, nothing merges at close;
 *   0), logLevel (debug|info|warn|error|silent),
 *   dataPrefix, committedPrefix, blobPrefix, indexPrefix, manifestPrefix; for tests,
 *   clockOffsetMs (signed ms added to this node's wall clock).
 *   ringSize is 1 to 256. A nodeId >= ringSize never leads merges. */
BDB_API bdb_status bdb_options_new(bdb_options **out);
BDB_API bdb_status bdb_options_set(bdb_options *opts, const char *name, const char *value);
BDB_API void bdb_options_free(bdb_options *opts);

/* Log levels: a database logs a message when its level is at least the logLevel option's
 * (debug < info < warn < error; silent logs nothing). The same numbers as the driver ABI's
 * BDB_DRV_LOG_*. */
typedef enum bdb_log_level {
  BDB_LOG_DEBUG = 0,
  BDB_LOG_INFO = 1,
  BDB_LOG_WARN = 2,
  BDB_LOG_ERROR = 3
} bdb_log_level;
/* Receives the database's log lines: level (bdb_log_level), the subsystem ("engine", "merge",
 * "driver"), one line of text without a newline. Both strings are borrowed for the call.
 * Called from any thread (the caller's, the background service's, a driver's), several at once;
 * it must return quickly, must not throw or longjmp, and must not call into the database. */
typedef void (*bdb_log_fn)(void *ctx, int level, const char *subsystem, const char *message);
/* Sends the log of databases opened with these options to fn(ctx, ...) instead of stderr
 * ("bucketdb: SUBSYSTEM: [warning: |error: ]message"). logLevel filters it either way, for the
 * engine and for its drivers alike. fn NULL restores stderr. ctx must outlive every database
 * opened with these options. */
BDB_API bdb_status bdb_options_set_logger(bdb_options *opts, bdb_log_fn fn, void *ctx);

/* Progress of long work on databases opened with these options: task is "merge TABLE" (data
 * blocks of the table looked at), "gc" (objects deleted), "verify" (objects checked),
 * "export" or "import" (rows); done of total, total 0 when not known yet. Called on the thread
 * doing the work (bdb_db_merge's, the background service's, ...), often: it must return
 * quickly and must not call into the database. The strings are borrowed for the call. fn
 * NULL: none. ctx must outlive every database opened with these options. */
typedef void (*bdb_progress_fn)(void *ctx, const char *task, uint64_t done, uint64_t total);
BDB_API bdb_status bdb_options_set_progress(bdb_options *opts, bdb_progress_fn fn, void *ctx);

/* uri: "memory:", "memory:NAME", "file:PATH", "s3://bucket[/prefix]?endpoint=...",
 * "plugin:/path/x.so?config", or any "scheme:..." whose driver plugin is found. NULL or ""
 * opens s3://$BUCKETDB_S3_BUCKET when that variable is set. opts may be NULL.
 * A database exists once its Block 0 ({dbPrefix}/block0) does. Opening one that does not is
 * BDB_E_NOT_FOUND, unless the option createIfMissing is 1 (then it is created: LevelDB's
 * create_if_missing; its Block 0 is written with the handle's first write, so reads alone
 * leave the prefix empty). A prefix that holds objects but no Block 0 is BDB_E_CORRUPT, whatever
 * the options: its Block 0 was lost, and `bucketdb recover` rebuilds it. */
BDB_API bdb_status bdb_open(const char *uri, const bdb_options *opts, bdb_db **out);
/* Closes the database: waits for calls under way on other threads, then, with autoMerge, runs
 * the merge that a leader makes at close when one is due (over the network), and stops the
 * background service. Returns whether that work succeeded: a failed merge at close gives its
 * error (BDB_E_IO, ...) with a message, yet loses nothing, since every committed batch is in
 * the log already, and the database is closed all the same. BDB_E_INVALID for a database
 * already closed (while it is a zombie; see the conventions at the top). BDB_OK for NULL.
 * To know the merge's outcome without closing, call bdb_db_merge first. */
BDB_API bdb_status bdb_db_close(bdb_db *db);
/* bdb_db_close without its status (a failed merge at close is logged instead). NULL is safe. */
BDB_API void bdb_close(bdb_db *db);
/* Stops every call on `db` under way when it is made, as sqlite3_interrupt does: each returns
 * soon with BDB_E_INTERRUPTED and a message naming the call and what it waited for. Calls on
 * its batches, queries and cursors count; calls started afterwards run normally. May be called
 * from any thread (also a signal handler's helper thread) while other threads are inside calls
 * on the handle; it takes no lock and waits for nothing. Returns BDB_E_INVALID for NULL. The
 * handle must not have been freed (a closed handle whose children live is fine: nothing runs).
 *
 * What stops: storage requests a driver lets go (the driver asks bdb_driver_host.interrupted
 * in its waits, as the faulty: layer's delays and the s3 driver's retry back-offs do; a
 * request on the wire finishes first), retry back-offs, the waits of the I/O pool's requests,
 * for a writer's turn (the writer locks, group commit, the window of a store without
 * conditional writes).
 *
 * Nothing committed is lost or half-applied. An interrupted bdb_batch_commit either landed,
 * and returns BDB_OK (the interrupt came after its log entry was written), or did not land,
 * and returns BDB_E_INTERRUPTED with the batch intact: committing it again commits it once.
 * The log entry's PUT and the reads that learn its outcome are never interrupted, so the
 * commit knows which. Blobs uploaded for a batch that did not land are left to the orphan
 * sweep (bdb_db_gc), or used again when the batch is committed again. An interrupted merge or
 * gc leaves the database as it was, or with that step done (Block 0 is written the same
 * way); what it wrote and nothing names is garbage the next gc collects. A cursor that
 * returned BDB_E_INTERRUPTED returns it again (as after any error); its page token resumes
 * the query where it stopped. bdb_open cannot be interrupted (there is no handle yet). */
BDB_API bdb_status bdb_db_interrupt(bdb_db *db);

/* ---- schemas ------------------------------------------------------------------------------ */

/* JSON form: {"name":"users","version":1,
 *             "fields":{"id":{"typeId":10,"maxLength":36},"age":{"typeId":1}},
 *             "primaryKey":"id","indexes":["age"]}
 * Registering the same table version again with the same definition is a no-op; with a
 * different one it is BDB_E_SCHEMA. The schema is committed to the log like a write. */
BDB_API bdb_status bdb_schema_register_json(bdb_db *db, const char *json);
/* A new version of a table must not lose what rows written in the newest registered version
 * hold: dropping a field, narrowing a maxLength or changing a type in a way that some value
 * could not survive (reads would null it) is BDB_E_SCHEMA naming each field and why, as is a
 * version lower than the newest. With BDB_SCHEMA_ALLOW_LOSSY such a version is registered:
 * reads convert what fits and null the rest, and the blocks that held the old values stay
 * readable through history queries until gcGraceMs after a merge rewrites them. The primary
 * key never changes name or type and never narrows, whatever the flags.
 * bdb_schema_register_json(db, json) is bdb_schema_register_json_v2(db, json, 0). */
#define BDB_SCHEMA_ALLOW_LOSSY 0x1
BDB_API bdb_status bdb_schema_register_json_v2(bdb_db *db, const char *json, unsigned flags);
/* All registered schema versions as a JSON array. Free with bdb_free. */
BDB_API bdb_status bdb_schema_list_json(bdb_db *db, char **out_json);

/* Drops a table: its rows, every version of its schema and its indexes are gone from the
 * next read on, and its name is free (registering a schema under it, of any version, starts
 * a new, empty table). The drop is one log entry, ordered with the writes like a
 * registration: a batch committed after it into the table fails with BDB_E_SCHEMA. Its data
 * blocks, manifest page, index nodes and blobs stay in storage until gcGraceMs after the next
 * merge, so history queries (bdb_query_as_of) from before the drop still read the table.
 * BDB_E_SCHEMA for an unknown table. */
BDB_API bdb_status bdb_table_drop(bdb_db *db, const char *table);
/* Drops the secondary index on `field`: registers the table's next version, the same fields
 * without that index (bdb_schema_list_json shows it). Queries stop using the index at once;
 * the next merge stops maintaining it and its nodes are collected after gcGraceMs. To index
 * the field again, register a later version that names it (the index is built anew).
 * BDB_E_SCHEMA when the table has no such field or no index on it. */
BDB_API bdb_status bdb_index_drop(bdb_db *db, const char *table, const char *field);

/* ---- documents ---------------------------------------------------------------------------- */

/* An empty document for the newest version of `table`: every field is unset. */
BDB_API bdb_status bdb_doc_new(bdb_db *db, const char *table, bdb_doc **out);
/* A document from a JSON object; unknown fields and wrong types are errors. */
BDB_API bdb_status bdb_doc_from_json(bdb_db *db, const char *table, const char *json,
                                     bdb_doc **out);
BDB_API void bdb_doc_free(bdb_doc *doc);
/* The document as one JSON object (set or non-null fields only). Free with bdb_free. */
BDB_API bdb_status bdb_doc_to_json(const bdb_doc *doc, char **out_json);

/* Documents as encoded rows, for generated codecs (bucketdb-schemac). A row is the fixed part
 * (null bitmap, then every field's slot in declaration order, little-endian) and the heap its
 * varchar/json/bytes slots point into with (u32 offset, u32 length). from_row checks widths,
 * heap references and every value against `version` of `table`; the document keeps that
 * version. to_row encodes a document in its own version; free both buffers with bdb_free. */
BDB_API bdb_status bdb_doc_from_row(bdb_db *db, const char *table, uint32_t version,
                                    const void *row, size_t row_len, const void *heap,
                                    size_t heap_len, bdb_doc **out);
BDB_API bdb_status bdb_doc_to_row(const bdb_doc *doc, uint32_t *out_version, void **out_row,
                                  size_t *out_row_len, void **out_heap, size_t *out_heap_len);
/* The schema version a document is laid out in. */
BDB_API uint32_t bdb_doc_schema_version(const bdb_doc *doc);

BDB_API const char *bdb_doc_table(const bdb_doc *doc); /* borrowed */
BDB_API size_t bdb_doc_field_count(const bdb_doc *doc);
BDB_API const char *bdb_doc_field_name(const bdb_doc *doc,
                                       size_t index); /* borrowed; NULL if out of range */
/* Type id of a field, or 0 when the field is unknown. */
BDB_API int bdb_doc_field_type(const bdb_doc *doc, const char *field);
/* 1 if the field holds a value, 0 if it is null or unset (or unknown). */
BDB_API int bdb_doc_has(const bdb_doc *doc, const char *field);
/* The row version (the log sequence number that last wrote it); 0 for a new document. */
BDB_API uint64_t bdb_doc_version(const bdb_doc *doc);
/* When that version was committed: its MISC stamp (ms since the epoch, monotonic across the
 * database even when clocks drift); 0 for a new document. */
BDB_API uint64_t bdb_doc_misc(const bdb_doc *doc);

/* Setters check the field exists and the value fits its type (range, maxLength, UTF-8). */
BDB_API bdb_status bdb_doc_set_null(bdb_doc *doc, const char *field);
BDB_API bdb_status bdb_doc_set_bool(bdb_doc *doc, const char *field, int value);
BDB_API bdb_status bdb_doc_set_int(bdb_doc *doc, const char *field, int64_t value);
BDB_API bdb_status bdb_doc_set_uint(bdb_doc *doc, const char *field, uint64_t value);
BDB_API bdb_status bdb_doc_set_double(bdb_doc *doc, const char *field, double value);
BDB_API bdb_status bdb_doc_set_string(bdb_doc *doc, const char *field, const char *value,
                                      size_t len);
BDB_API bdb_status bdb_doc_set_bytes(bdb_doc *doc, const char *field, const void *value,
                                     size_t len);
/* A JSON value for a field: a literal for most fields; for a json field any JSON value, stored
 * re-serialised compactly (bdb_doc_set_string stores json text verbatim instead). */
BDB_API bdb_status bdb_doc_set_json(bdb_doc *doc, const char *field, const char *json);
/* Stages bytes for a blob field; they are uploaded when the batch commits. */
BDB_API bdb_status bdb_doc_set_blob(bdb_doc *doc, const char *field, const void *data, size_t len);

/* Getters return BDB_E_NOT_FOUND if the field is null or unset, BDB_E_SCHEMA if unknown,
 * BDB_E_TYPE if the value does not convert (e.g. get_int on a varchar, or a uint64 > INT64_MAX). */
BDB_API bdb_status bdb_doc_get_bool(const bdb_doc *doc, const char *field, int *out);
BDB_API bdb_status bdb_doc_get_int(const bdb_doc *doc, const char *field, int64_t *out);
BDB_API bdb_status bdb_doc_get_uint(const bdb_doc *doc, const char *field, uint64_t *out);
BDB_API bdb_status bdb_doc_get_double(const bdb_doc *doc, const char *field, double *out);
/* varchar and json text; bytes for a bytes field. *out is borrowed from the doc. */
BDB_API bdb_status bdb_doc_get_string(const bdb_doc *doc, const char *field, const char **out,
                                      size_t *out_len);
BDB_API bdb_status bdb_doc_get_bytes(const bdb_doc *doc, const char *field, const void **out,
                                     size_t *out_len);
/* The field's value as JSON text (a literal, or the text of a json field). Free with bdb_free. */
BDB_API bdb_status bdb_doc_get_json(const bdb_doc *doc, const char *field, char **out_json);
/* A blob field's id as 36 characters + NUL. */
BDB_API bdb_status bdb_doc_get_blob_id(const bdb_doc *doc, const char *field, char out[37]);

/* ---- batches ------------------------------------------------------------------------------ */

BDB_API bdb_status bdb_batch_new(bdb_db *db, bdb_batch **out);
BDB_API void bdb_batch_free(bdb_batch *batch);
/* Stage operations; nothing touches storage until commit. The doc is copied. */
BDB_API bdb_status bdb_batch_insert(bdb_batch *batch,
                                    const bdb_doc *doc); /* error if the key exists */
BDB_API bdb_status bdb_batch_update(bdb_batch *batch,
                                    const bdb_doc *doc); /* upsert of a full row */
BDB_API bdb_status bdb_batch_patch(bdb_batch *batch,
                                   const bdb_doc *doc); /* set fields of an existing row */
BDB_API bdb_status bdb_batch_delete(bdb_batch *batch, const bdb_doc *key_doc); /* by primary key */
/* The same, from JSON text. delete takes the key as text (see bdb_key_doc_from_text). */
BDB_API bdb_status bdb_batch_insert_json(bdb_batch *batch, const char *table, const char *json);
BDB_API bdb_status bdb_batch_update_json(bdb_batch *batch, const char *table, const char *json);
BDB_API bdb_status bdb_batch_patch_json(bdb_batch *batch, const char *table, const char *json);
BDB_API bdb_status bdb_batch_delete_key(bdb_batch *batch, const char *table, const char *key_text);
/* The last staged operation applies only if the row's current version is `version`
 * (0: the row must not exist). Otherwise commit fails with BDB_E_CONFLICT. With the version a
 * read gave (bdb_doc_version), this is compare-and-set: read, change, write back only if no
 * one wrote the row in between. */
BDB_API bdb_status bdb_batch_expect_version(bdb_batch *batch, uint64_t version);
/* The last staged operation applies only if its row exists (as the operations staged before
 * it in the batch leave it). Otherwise commit fails with BDB_E_NOT_FOUND naming the table and
 * key, and nothing of the batch is visible: how a delete learns that its key was absent (a
 * delete without it succeeds either way). */
BDB_API bdb_status bdb_batch_expect_exists(bdb_batch *batch);
BDB_API size_t bdb_batch_size(const bdb_batch *batch);
/* Drops every staged operation (e.g. after a failed commit). */
BDB_API void bdb_batch_clear(bdb_batch *batch);
/* Delete by query: run a query (bdb_query_select of the primary key alone is enough), stage
 * bdb_batch_delete(batch, doc) for each document its cursor returns, and commit once (one
 * atomic batch) or every N documents (batches of N, each atomic). The cursor reads the
 * database as of bdb_query_exec, so the deletes do not disturb it. */
/* Writes the batch atomically as one log entry. On success the batch is empty again and
 * *out_seq (may be NULL) is the log sequence number that holds it: its rows' version. Batches
 * committed concurrently from threads of one bdb_db may share one entry (group commit), so
 * they may get the same number. A batch with no effect (e.g. deleting absent keys) writes
 * nothing and gets the current log position. On failure nothing of the batch is visible and
 * the batch keeps its operations (bdb_batch_clear drops them). */
BDB_API bdb_status bdb_batch_commit(bdb_batch *batch, uint64_t *out_seq);

/* ---- reads -------------------------------------------------------------------------------- */

/* A document holding only the primary key, parsed from text the way the key prints in a
 * document's JSON, so a printed key can be pasted back: a varchar key as its text, bare or as
 * a JSON string ("u1" or "\"u1\""); a bytes key as its base64, bare or as a JSON string
 * (BDB_E_TYPE naming the table and field when it is not base64); any other key as a JSON
 * literal ("42"). Text that starts with '"' is read as a JSON string. */
BDB_API bdb_status bdb_key_doc_from_text(bdb_db *db, const char *table, const char *key_text,
                                         bdb_doc **out);
/* Point get by primary key: BDB_E_NOT_FOUND when there is none. */
BDB_API bdb_status bdb_get(bdb_db *db, const bdb_doc *key_doc, bdb_doc **out);
BDB_API bdb_status bdb_get_json(bdb_db *db, const char *table, const char *key_text,
                                char **out_json);

/* Queries. op: "=", "!=", ">", ">=", "<", "<=", "in", "prefix", "isnull", "notnull".
 * Comparisons follow SQL for null (a null field matches only isnull) and IEEE 754 for a
 * float's NaN (the literal "NaN"): NaN is a value, not null (isnull is false), equal to,
 * less than and greater than nothing, itself included, so of the comparisons only != holds
 * (and "in" never matches it).
 * value_json: a JSON literal for the field's type; an array for "in"; a string for "prefix";
 * NULL for isnull/notnull. Conditions are joined by AND; bdb_query_or starts another group of
 * them, joined to the ones before by OR. Default order: primary key ascending. */
BDB_API bdb_status bdb_query_new(bdb_db *db, const char *table, bdb_query **out);
BDB_API void bdb_query_free(bdb_query *query);
BDB_API bdb_status bdb_query_where(bdb_query *query, const char *field, const char *op,
                                   const char *value_json);
/* Closes the current group of conditions: the ones added after form an alternative, so
 * where(a) where(b) or() where(c) matches (a AND b) OR c. Each side needs a condition
 * (BDB_E_INVALID here for the left, at exec/count/explain for the right). A query with OR
 * runs as the union of each group's own index or primary-key lookups when every group has
 * one (an =, in, range or prefix on an indexed field, or = / in on the key), else as a scan;
 * bdb_query_explain tells which. */
BDB_API bdb_status bdb_query_or(bdb_query *query);
/* One sort key (a later call replaces it, and the keys bdb_query_order_then added); ties
 * keep primary-key order. Nulls sort first in ascending order, last in descending order. A
 * float's NaN sorts above +Infinity (last ascending, first descending), -0 with +0. */
BDB_API bdb_status bdb_query_order(bdb_query *query, const char *field, int descending);
/* A further sort key, after those set: rows equal in every key before it are ordered by this
 * one (ORDER BY a, b DESC is order(a, 0) then order_then(b, 1)); the first key when none is
 * set. BDB_E_INVALID for a field already in the order. A page token (bdb_query_after) is
 * bound to every key and direction of the order. */
BDB_API bdb_status bdb_query_order_then(bdb_query *query, const char *field, int descending);
BDB_API bdb_status bdb_query_limit(bdb_query *query, uint64_t limit);
BDB_API bdb_status bdb_query_offset(bdb_query *query, uint64_t offset);
/* History: read the database as it was just after log entry `seq` (a commit's number), or
 * after the last commit stamped at or before `misc_ms` (MISC time, ms since the epoch), while
 * that state is retained (gcGraceMs, default one hour). BDB_E_NOT_FOUND at exec when it is
 * not retained any more. */
BDB_API bdb_status bdb_query_as_of(bdb_query *query, uint64_t seq);
BDB_API bdb_status bdb_query_as_of_time(bdb_query *query, uint64_t misc_ms);
/* Restrict the fields returned; call once per field. The primary key is always returned. */
BDB_API bdb_status bdb_query_select(bdb_query *query, const char *field);
/* Keyset pagination: only the rows after the position `token` names, a token that
 * bdb_cursor_page_token gave for a query on the same table with the same order (its
 * conditions may differ). "" or NULL starts from the beginning. Unlike an offset, a page stays
 * correct and cheap when rows are added or removed before it: in primary-key order the next
 * page reads only the blocks after the token's key. BDB_E_INVALID for a malformed token or one
 * of another table, here; for one of another order, at exec/count/explain. */
BDB_API bdb_status bdb_query_after(bdb_query *query, const char *token);
/* How the query would run (primary-key lookup, index, or scan) and the objects it would read
 * at most, as one line of text. Free with bdb_free. */
BDB_API bdb_status bdb_query_explain(bdb_query *query, char **out_text);
/* The number of rows bdb_query_exec would return (offset and limit apply). */
BDB_API bdb_status bdb_query_count(bdb_query *query, uint64_t *out_count);
/* A cursor reads the database as of this call; later commits are not seen by it. */
BDB_API bdb_status bdb_query_exec(bdb_query *query, bdb_cursor **out);
/* Sets *out to the next document (free with bdb_doc_free), or to NULL at the end. After an
 * error the cursor repeats it on every later call (rows are never repeated or skipped): run
 * the query again, with bdb_query_after and the cursor's page token to resume. */
BDB_API bdb_status bdb_cursor_next(bdb_cursor *cursor, bdb_doc **out);
/* The position after the last document the cursor returned, for bdb_query_after on the next
 * page (before the first document: the query's own starting token, "" for the beginning).
 * URL-safe text (base64url); free with bdb_free. */
BDB_API bdb_status bdb_cursor_page_token(bdb_cursor *cursor, char **out_token);
BDB_API void bdb_cursor_free(bdb_cursor *cursor);

/* Reads a managed blob by id. Free *out_data with bdb_free. (A blob to a file: bdb_get the
 * row, bdb_doc_get_blob_id, bdb_blob_read, write the bytes; a blob from a file: read the
 * bytes, bdb_doc_set_blob on a document holding the key, bdb_batch_patch, commit.) */
BDB_API bdb_status bdb_blob_read(bdb_db *db, const char *blob_id, void **out_data, size_t *out_len);

/* ---- maintenance and introspection -------------------------------------------------------- */

/* Folds the committed log into data blocks now and swaps Block 0, whichever node leads the
 * current window (an operator's command; the background service merges only as leader).
 * *out_merged (may be NULL) is the number of log entries folded. */
BDB_API bdb_status bdb_db_merge(bdb_db *db, uint64_t *out_merged);
/* Deletes what is garbage and older than gcGraceMs. *out_deleted may be NULL. */
BDB_API bdb_status bdb_db_gc(bdb_db *db, uint64_t *out_deleted);
/* what: "block0", "log", "blocks". JSON text, free with bdb_free. */
BDB_API bdb_status bdb_db_inspect_json(bdb_db *db, const char *what, char **out_json);
/* Counters: objects and bytes, requests by kind, commits, merges. JSON, free with bdb_free. */
BDB_API bdb_status bdb_db_stats_json(bdb_db *db, char **out_json);
/* Reads and checks every object the current Block 0 reaches, straight from storage (neither
 * read from nor kept in the cache): every table's manifest page, data blocks (checksums,
 * every row and value, key order, the counts and key ranges the manifest names) and index
 * nodes, the blobs the rows hold, the unmerged log entries, and the contention hint
 * (PREFIX/contended, kind "contention hint": written by writers that lose races, digits and
 * spaces; its absence is normal). Damage does not stop it: each
 * damaged or missing object is reported. *out_report (free with bdb_free): {"ok": bool,
 * "objects", "bytes", "rows", "checked": {KIND: count}, "damaged": [{"key", "kind",
 * "problem"}]}. Returns BDB_OK when the check ran, whatever it found ("ok" tells); an error
 * when storage fails (I/O, permissions). Works on a read-only handle. */
BDB_API bdb_status bdb_db_verify(bdb_db *db, char **out_report);

/* Writes the whole database, as of one log position, to the file at `path` (created or
 * replaced) as NDJSON: a header line {"bucketdb":"export","format":1,"seq":N,"tables":T},
 * then {"schema":{...}} for every schema version (by table, oldest first), then
 * {"table":"NAME","row":{...}} for every row (by table, in primary-key order), each row the
 * document's JSON with its blobs' bytes inline ({"base64": "..."}). *out_rows (may be NULL)
 * is the number of rows. Rows' versions and MISC stamps are not kept: an import writes them
 * anew. */
BDB_API bdb_status bdb_db_export(bdb_db *db, const char *path, uint64_t *out_rows);
/* Reads an export from the file at `path` into the database: registers its schema versions
 * (all in one registration, lossy steps allowed, as the exporting database had them; a
 * version registered here with another definition is BDB_E_SCHEMA), then inserts its rows,
 * committing every batch_rows rows (each batch atomic; 0: all in one batch). A row whose key
 * exists is BDB_E_EXISTS, unless flags has BDB_IMPORT_UPSERT. On failure the message names
 * the line and how far the import got ("rows up to line N were imported, none after").
 * *out_rows (may be NULL) is the number of rows imported, on success. Values round-trip exactly: an
 * export of the imported database holds the same lines but the header's "seq". */
#define BDB_IMPORT_UPSERT 0x1u
BDB_API bdb_status bdb_db_import(bdb_db *db, const char *path, uint64_t batch_rows, unsigned flags,
                                 uint64_t *out_rows);

/* Makes the next read look at the log regardless of readStalenessMs. */
BDB_API bdb_status bdb_db_refresh(bdb_db *db);

/* Recovery of a damaged database (SQLite's .recover counterpart), without opening it: looks at
 * every object under the prefix opts names (NULL: "main") and reports, as JSON in
 * *out_report (free with bdb_free): {"block0": "present"|"missing", "log": {"entries",
 * "first", "last", "missing": [seq...]}, "tables": [...], "problems": [...], "actions":
 * [...], "written": bool}. Nothing is written unless flags has BDB_RECOVER_WRITE; then:
 *  - a missing Block 0 is rebuilt from what remains: per table the newest manifest page whose
 *    blocks all remain and parse, schemas from the log entries that remain and from
 *    schemas_json (one schema or an array; NULL or "": none), and the log position from the
 *    remaining entries (indexes are rebuilt by the next merges). A table whose blocks are in
 *    a schema version nothing holds any more needs that schema in schemas_json;
 *  - with BDB_RECOVER_ACCEPT_LOST_ENTRIES, each missing log entry that others follow is
 *    replaced by an empty one, so the log reads on (that commit is lost for good).
 * It only creates objects that are absent, never overwrites one. When a problem stands in the
 * way of writing (e.g. a missing schema, or lost entries not accepted) it writes nothing and
 * returns BDB_E_CORRUPT naming it; the report is then not set. */
#define BDB_RECOVER_WRITE 0x1
#define BDB_RECOVER_ACCEPT_LOST_ENTRIES 0x2
BDB_API bdb_status bdb_recover(const char *uri, const bdb_options *opts, const char *schemas_json,
                               unsigned flags, char **out_report);

/* ---- storage drivers ---------------------------------------------------------------------- */

struct bdb_driver_v1; /* <bucketdb/driver.h>: the driver ABI, its table and its rules */

/* Registers an in-process driver for "scheme:" URIs (the counterpart of sqlite3_vfs_register):
 * an application, a binding or a test supplies a storage driver without a shared object. A
 * registered scheme is served before any plugin of that name, by bdb_open, by layers
 * ("crypt:scheme:..." opens it as the inner driver) and by bdb_driver_check. Registering a
 * scheme again replaces its table for later opens. `driver` is checked as a loaded plugin's
 * table is (abi_version, struct_size, the required functions; see driver.h): BDB_E_URI
 * naming what is wrong, BDB_E_INVALID for a scheme that is not lowercase letters, digits, '-'
 * and '_' (or is "plugin").
 * Ownership: the host does not copy the table. It must stay valid, unchanged, while it is
 * registered and while any instance opened from it is open (until the last database using
 * it is closed and freed). To run several registrations of one implementation, embed the
 * table as the first member of a struct of your own per registration and find it again in
 * open() through host->driver (ABI 2).
 * Threads: both calls may be made from any thread, at any time, also while databases are open
 * and other threads open them: an open sees either the old or the new registration. The
 * driver's functions are called from the threads that call into the database and from its
 * background service thread (autoMerge), many at once (driver.h, "Threads"). A driver whose
 * runtime is single-threaded (JavaScript, ...) must hand each call over to its own thread and
 * block until it is answered; then that thread must never wait inside a bdb_* call that may
 * reach the driver (bdb_open, commits, reads, merges, bdb_db_close), or both wait forever:
 * make those calls from worker threads. A driver must not call back into the database it
 * serves. */
BDB_API bdb_status bdb_driver_register(const char *scheme, const struct bdb_driver_v1 *driver);
/* Removes a registration (open instances keep their table); BDB_E_NOT_FOUND when none. */
BDB_API bdb_status bdb_driver_unregister(const char *scheme);

/* Registers the drivers built into this library (memory, file, s3, crypt, compress, cache,
 * tiered, faulty) as bdb_driver_register would, replacing registrations of those schemes. Only
 * the one-file library (-DBDB_ONEFILE=ON; CONTRIBUTING.md) has any; its shared form registers
 * them when it is loaded (call this to restore one you replaced), a program linked with its
 * static archive calls this once before opening (the linker keeps only what is referred to).
 * They are served before plugin files of their schemes; other schemes still load as plugins.
 * The plain library returns BDB_E_NOT_FOUND naming the plugin search path. Any thread. */
BDB_API bdb_status bdb_register_builtin_drivers(void);

/* Runs the driver conformance suite (get/put/delete/list semantics, pagination, ETags,
 * conditional puts, races between threads and between processes, odd keys, large objects:
 * the very checks the project's own driver tests run) against the store of `uri` (any URI
 * bdb_open takes, e.g. "plugin:/path/x.so?config"), under a random key prefix that it deletes
 * afterwards. *out_json: {"uri","driver","capabilities":[...],"prefix","passed","failed",
 * "skipped","checks":[{"name","result":"pass|fail|skip","message","ms","id"}]}; free it with
 * bdb_free. Returns BDB_OK when the checks ran, whatever their results ("failed" counts the
 * failures), and an error when the driver cannot be loaded or opened. Takes seconds.
 * The suite is a module of its own, bucketdb-conformance.so, loaded the first time from where
 * the driver plugins are: BDB_E_NOT_FOUND naming it when it is not installed. The checks
 * across processes fork() the caller (not for memory: stores); each child only talks to the
 * store and exits. */
BDB_API bdb_status bdb_driver_check(const char *uri, char **out_json);

#ifdef __cplusplus
}
#endif

#endif /* BUCKETDB_H */
