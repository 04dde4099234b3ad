/*
 * sqlite: a complete BucketDB storage-driver plugin, written the way a user would write one:
 * outside the BucketDB tree, in plain C, against nothing but the installed <bucketdb/driver.h>
 * (no BucketDB library is linked). It keeps every object of a database in one SQLite file.
 *
 *   plugin:/path/bucketdb-driver-sqlite.so?path=/var/lib/app/objects.sqlite
 *   sqlite:/var/lib/app/objects.sqlite?page=500      once installed in the plugin directory
 *
 * Options: path=FILE (the SQLite file, created when missing; or give it before the '?'),
 * page=N (list page size, default 1000; the conformance checks ask for small pages).
 *
 * How it meets the driver contract (see the comments in driver.h):
 *  - Threads: one connection per instance behind a mutex, so calls from many threads are safe.
 *  - Conditional puts: checked and applied in one BEGIN IMMEDIATE transaction, which SQLite
 *    serializes against every other connection, in this process or another.
 *  - ETags: 128 random bits a put, so every put changes the ETag.
 *  - Keys: stored as BLOBs, compared with memcmp: byte order, any byte but NUL.
 *  - Ownership: every buffer handed to the host comes from malloc and goes back through
 *    sqlite_release / sqlite_release_list. No error escapes as anything but a status.
 */
#include <bucketdb/driver.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct store {
  sqlite3 *db;
  pthread_mutex_t mu;
  size_t page;
  unsigned long long gets, puts, dels, lists; /* under mu */
} store;

static int fail(bdb_drv_error *err, int status, int detail, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    err->detail = detail;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return status;
}

/* SQLite result codes to driver statuses: retry only what a retry can fix. */
static int status_of(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return BDB_DRV_TRANSIENT;
    case SQLITE_FULL:
      return BDB_DRV_NO_SPACE;
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      return BDB_DRV_PERMISSION;
    case SQLITE_NOMEM:
      return BDB_DRV_NOMEM;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return BDB_DRV_CORRUPT;
    default:
      return BDB_DRV_IO;
  }
}

static int sql_fail(store *s, bdb_drv_error *err, const char *op, const char *key, int rc) {
  return fail(err, status_of(rc), rc, "%s %.200s: sqlite: %s", op, key ? key : "",
              sqlite3_errmsg(s->db));
}

static int check_key(const char *op, const char *key, bdb_drv_error *err) {
  if (!key || !*key) return fail(err, BDB_DRV_INVALID, 0, "%s: empty key", op);
  if (strlen(key) > BDB_DRV_MAX_KEY)
    return fail(err, BDB_DRV_INVALID, 0, "%s %.200s...: key longer than %u bytes", op, key,
                BDB_DRV_MAX_KEY);
  return BDB_DRV_OK;
}

static char *dup_str(const char *s, size_t n) {
  char *p = malloc(n + 1);
  if (p) {
    memcpy(p, s, n);
    p[n] = 0;
  }
  return p;
}

/* "a=1&b=2" one option at a time: copies the name and value, returns the rest or NULL. */
static const char *next_option(const char *q, char *name, size_t name_cap, char *value,
                               size_t value_cap, int *ok) {
  const char *amp = strchr(q, '&');
  size_t len = amp ? (size_t)(amp - q) : strlen(q);
  const char *eq = memchr(q, '=', len);
  *ok = eq && eq > q && (size_t)(eq - q) < name_cap && len - (size_t)(eq - q) - 1 < value_cap;
  if (*ok) {
    memcpy(name, q, (size_t)(eq - q));
    name[eq - q] = 0;
    memcpy(value, eq + 1, len - (size_t)(eq - q) - 1);
    value[len - (size_t)(eq - q) - 1] = 0;
  }
  return amp ? amp + 1 : NULL;
}

static int exec(store *s, const char *sql, bdb_drv_error *err) {
  int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK ? BDB_DRV_OK : sql_fail(s, err, "open", sql, rc);
}

static void sqlite_close(void *instance) {
  store *s = instance;
  if (!s) return;
  sqlite3_close_v2(s->db);
  pthread_mutex_destroy(&s->mu);
  free(s);
}

/* config: "FILE[?page=N]" (sqlite:FILE) or "path=FILE[&page=N]" (plugin:/x.so?path=FILE). */
static int sqlite_open(const bdb_driver_host *host, const char *config, void **out,
                       bdb_drv_error *err) {
  char path[4096] = "", name[64], value[4096];
  size_t page = 1000;
  const char *q = strchr(config, '?');
  (void)host;
  if (q || !strchr(config, '=')) {
    size_t n = q ? (size_t)(q - config) : strlen(config);
    if (n >= sizeof path) return fail(err, BDB_DRV_INVALID, 0, "sqlite: path too long");
    memcpy(path, config, n);
    path[n] = 0;
    q = q ? q + 1 : NULL;
  } else {
    q = config;
  }
  while (q && *q) {
    int ok;
    q = next_option(q, name, sizeof name, value, sizeof value, &ok);
    if (!ok) return fail(err, BDB_DRV_INVALID, 0, "sqlite: malformed option in '%s'", config);
    if (strcmp(name, "path") == 0) {
      snprintf(path, sizeof path, "%s", value);
    } else if (strcmp(name, "page") == 0) {
      char *end = NULL;
      long v = strtol(value, &end, 10);
      if (!*value || *end || v < 1 || v > 1000000)
        return fail(err, BDB_DRV_INVALID, 0, "sqlite: page must be 1 to 1000000, not '%s'", value);
      page = (size_t)v;
    } else {
      return fail(err, BDB_DRV_INVALID, 0, "sqlite: unknown option '%s' (known: path, page)", name);
    }
  }
  if (!*path) return fail(err, BDB_DRV_INVALID, 0, "sqlite: no file (use path=FILE)");

  store *s = calloc(1, sizeof *s);
  if (!s) return fail(err, BDB_DRV_NOMEM, 0, "sqlite: out of memory");
  pthread_mutex_init(&s->mu, NULL);
  s->page = page;
  int rc = sqlite3_open_v2(path, &s->db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    int st = fail(err, status_of(rc), rc, "sqlite: cannot open %s: %s", path,
                  s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
    sqlite_close(s);
    return st;
  }
  /* Another process may hold the write lock for a moment: wait rather than fail. */
  sqlite3_busy_timeout(s->db, 10000);
  int st = exec(s, "PRAGMA journal_mode=WAL", err);
  if (!st) st = exec(s, "PRAGMA synchronous=FULL", err);
  if (!st)
    st = exec(s,
              "CREATE TABLE IF NOT EXISTS objects (key BLOB PRIMARY KEY, etag TEXT NOT NULL, "
              "data BLOB NOT NULL) WITHOUT ROWID",
              err);
  if (st) {
    sqlite_close(s);
    return st;
  }
  *out = s;
  return BDB_DRV_OK;
}

/* The host strips quotes from the ETags it compares; If-Match may still arrive quoted. */
static int same_etag(const char *given, const char *stored) {
  size_t n = strlen(given);
  if (n >= 2 && given[0] == '"' && given[n - 1] == '"')
    return strlen(stored) == n - 2 && strncmp(given + 1, stored, n - 2) == 0;
  return strcmp(given, stored) == 0;
}

static int sqlite_get(void *instance, const char *key, const char *if_none_match,
                      bdb_drv_object *out, bdb_drv_error *err) {
  store *s = instance;
  sqlite3_stmt *stmt = NULL;
  int st = check_key("get", key, err);
  memset(out, 0, sizeof *out);
  if (st) return st;
  pthread_mutex_lock(&s->mu);
  s->gets++;
  int rc =
      sqlite3_prepare_v2(s->db, "SELECT etag, data FROM objects WHERE key = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_bind_blob(stmt, 1, key, (int)strlen(key), SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE) {
    st = BDB_DRV_NOT_FOUND;
  } else if (rc != SQLITE_ROW) {
    st = sql_fail(s, err, "get", key, rc);
  } else {
    const char *etag = (const char *)sqlite3_column_text(stmt, 0);
    size_t etag_len = (size_t)sqlite3_column_bytes(stmt, 0);
    if (if_none_match && same_etag(if_none_match, etag)) {
      st = BDB_DRV_NOT_MODIFIED;
    } else {
      const void *data = sqlite3_column_blob(stmt, 1);
      size_t n = (size_t)sqlite3_column_bytes(stmt, 1);
      out->data = malloc(n ? n : 1);
      out->etag = dup_str(etag, etag_len);
      if (!out->data || !out->etag) {
        free(out->data);
        free(out->etag);
        memset(out, 0, sizeof *out);
        st = fail(err, BDB_DRV_NOMEM, 0, "get %.200s: out of memory", key);
      } else {
        if (n) memcpy(out->data, data, n);
        out->size = n;
      }
    }
  }
  sqlite3_finalize(stmt);
  pthread_mutex_unlock(&s->mu);
  return st;
}

/* Runs inside the transaction: the current ETag of key (NULL if none) in *current. */
static int current_etag(store *s, const char *key, char current[64], int *exists,
                        bdb_drv_error *err) {
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(s->db, "SELECT etag FROM objects WHERE key = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_bind_blob(stmt, 1, key, (int)strlen(key), SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  *exists = rc == SQLITE_ROW;
  if (*exists) snprintf(current, 64, "%s", (const char *)sqlite3_column_text(stmt, 0));
  int st = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? BDB_DRV_OK : sql_fail(s, err, "put", key, rc);
  sqlite3_finalize(stmt);
  return st;
}

static int sqlite_put(void *instance, const char *key, const void *data, size_t size,
                      const bdb_drv_put_options *options, char **out_etag, bdb_drv_error *err) {
  store *s = instance;
  sqlite3_stmt *stmt = NULL;
  unsigned char rnd[16];
  char etag[33], current[64] = "";
  int exists = 0, rc;
  int st = check_key("put", key, err);
  *out_etag = NULL;
  if (st) return st;
  if (size > 0x7fffffff) return fail(err, BDB_DRV_INVALID, 0, "put %.200s: object over 2 GiB", key);
  sqlite3_randomness(sizeof rnd, rnd);
  for (size_t i = 0; i < 16; i++) snprintf(etag + 2 * i, 3, "%02x", rnd[i]);

  pthread_mutex_lock(&s->mu);
  s->puts++;
  rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    st = sql_fail(s, err, "put", key, rc);
    goto out;
  }
  if (options && (options->if_match || options->if_none_match)) {
    st = current_etag(s, key, current, &exists, err);
    if (!st && options->if_none_match && exists)
      st = fail(err, BDB_DRV_PRECONDITION_FAILED, 412, "put %.200s: key already exists", key);
    if (!st && options->if_match && (!exists || !same_etag(options->if_match, current)))
      st = fail(err, BDB_DRV_PRECONDITION_FAILED, 412, "put %.200s: If-Match %s failed", key,
                options->if_match);
  }
  if (!st) {
    rc = sqlite3_prepare_v2(s->db,
                            "INSERT OR REPLACE INTO objects (key, etag, data) "
                            "VALUES (?1, ?2, ?3)",
                            -1, &stmt, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_bind_blob(stmt, 1, key, (int)strlen(key), SQLITE_STATIC);
    if (rc == SQLITE_OK) rc = sqlite3_bind_text(stmt, 2, etag, -1, SQLITE_STATIC);
    /* zeroblob for an empty object: a NULL data pointer would store NULL, not zero bytes. */
    if (rc == SQLITE_OK)
      rc = size ? sqlite3_bind_blob(stmt, 3, data, (int)size, SQLITE_STATIC)
                : sqlite3_bind_zeroblob(stmt, 3, 0);
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE) st = sql_fail(s, err, "put", key, rc);
    sqlite3_finalize(stmt);
  }
  rc = sqlite3_exec(s->db, st ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
  if (!st && rc != SQLITE_OK) {
    st = sql_fail(s, err, "put", key, rc);
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
  }
  if (!st && !(*out_etag = dup_str(etag, strlen(etag))))
    st = fail(err, BDB_DRV_NOMEM, 0, "put %.200s: out of memory", key);
out:
  pthread_mutex_unlock(&s->mu);
  return st;
}

static int sqlite_del(void *instance, const char *key, bdb_drv_error *err) {
  store *s = instance;
  sqlite3_stmt *stmt = NULL;
  int st = check_key("delete", key, err);
  if (st) return st;
  pthread_mutex_lock(&s->mu);
  s->dels++;
  int rc = sqlite3_prepare_v2(s->db, "DELETE FROM objects WHERE key = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_bind_blob(stmt, 1, key, (int)strlen(key), SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  if (rc != SQLITE_DONE) st = sql_fail(s, err, "delete", key, rc);
  sqlite3_finalize(stmt);
  pthread_mutex_unlock(&s->mu);
  return st; /* deleting a missing key is OK */
}

static void sqlite_release_list(void *instance, bdb_drv_list *list) {
  (void)instance;
  for (size_t i = 0; i < list->count; i++) free(list->keys[i]);
  free(list->keys);
  free(list->next_token);
  memset(list, 0, sizeof *list);
}

/* Keys from prefix on, after the token (the last key of the previous page), page+1 of them
   to know whether another page follows. */
static int sqlite_list(void *instance, const char *prefix, const char *token, bdb_drv_list *out,
                       bdb_drv_error *err) {
  store *s = instance;
  sqlite3_stmt *stmt = NULL;
  int st = BDB_DRV_OK;
  memset(out, 0, sizeof *out);
  if (!prefix) prefix = "";
  out->keys = calloc(s->page + 1, sizeof(char *));
  if (!out->keys) return fail(err, BDB_DRV_NOMEM, 0, "list %.200s: out of memory", prefix);
  pthread_mutex_lock(&s->mu);
  s->lists++;
  int rc = sqlite3_prepare_v2(s->db,
                              "SELECT key FROM objects WHERE key >= ?1 AND substr(key, 1, ?2) = ?1 "
                              "AND (?3 IS NULL OR key > ?3) ORDER BY key LIMIT ?4",
                              -1, &stmt, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_bind_blob(stmt, 1, prefix, (int)strlen(prefix), SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int(stmt, 2, (int)strlen(prefix));
  if (rc == SQLITE_OK && token && *token)
    rc = sqlite3_bind_blob(stmt, 3, token, (int)strlen(token), SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int64(stmt, 4, (sqlite3_int64)s->page + 1);
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) break;
    if (out->count == s->page) {
      out->truncated = 1;
      break;
    }
    const char *k = sqlite3_column_blob(stmt, 0);
    char *copy = dup_str(k, (size_t)sqlite3_column_bytes(stmt, 0));
    if (!copy) {
      st = fail(err, BDB_DRV_NOMEM, 0, "list %.200s: out of memory", prefix);
      break;
    }
    out->keys[out->count++] = copy;
  }
  if (!st && rc != SQLITE_DONE && rc != SQLITE_ROW) st = sql_fail(s, err, "list", prefix, rc);
  sqlite3_finalize(stmt);
  pthread_mutex_unlock(&s->mu);
  if (!st && out->truncated) {
    const char *last = out->keys[out->count - 1];
    if (!(out->next_token = dup_str(last, strlen(last))))
      st = fail(err, BDB_DRV_NOMEM, 0, "list %.200s: out of memory", prefix);
  }
  if (st) sqlite_release_list(instance, out);
  return st;
}

static void sqlite_release(void *instance, void *ptr) {
  (void)instance;
  free(ptr);
}

static int sqlite_stats(void *instance, char *buf, size_t cap) {
  store *s = instance;
  pthread_mutex_lock(&s->mu);
  snprintf(buf, cap, "{\"gets\":%llu,\"puts\":%llu,\"deletes\":%llu,\"lists\":%llu}", s->gets,
           s->puts, s->dels, s->lists);
  pthread_mutex_unlock(&s->mu);
  return BDB_DRV_OK;
}

static const bdb_driver_v1 table = {
    BDB_DRIVER_ABI_VERSION,
    sizeof(bdb_driver_v1),
    "sqlite",
    BDB_DRV_CAP_CONDITIONAL_PUT | BDB_DRV_CAP_STRONG_LIST | BDB_DRV_CAP_IF_NONE_MATCH_GET,
    sqlite_open,
    sqlite_close,
    sqlite_get,
    sqlite_put,
    sqlite_del,
    sqlite_list,
    sqlite_release,
    sqlite_release_list,
    sqlite_stats,
    NULL, /* instance_capabilities: the same for every instance */
};

BDB_DRIVER_EXPORT const bdb_driver_v1 *bdb_driver_entry(uint32_t host_abi) {
  return host_abi >= 1 ? &table : NULL;
}
