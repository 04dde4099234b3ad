/* A complete storage driver that lives in the test program: objects in a sorted array under
 * one mutex per store, stores shared by name within the process. It is registered with
 * bdb_driver_register, never built as a shared object. */
#include "inproc_driver.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct object {
  char *key;
  unsigned char *data;
  size_t size;
  unsigned long long version; /* the ETag */
} object;

typedef struct store {
  char name[128];
  pthread_mutex_t mu;
  object *objects; /* sorted by key (strcmp: byte order) */
  size_t count, cap;
  unsigned long long next_version;
} store;

/* Stores stay for the life of the process, as memory:NAME stores do: a database closed and
 * opened again finds its objects. */
static pthread_mutex_t g_stores_mu = PTHREAD_MUTEX_INITIALIZER;
static store *g_stores[64];
static size_t g_nstores;

typedef struct instance {
  store *s;
  const inproc_driver *self; /* host->driver, as the embedding pattern finds it */
  const bdb_driver_host *host;
} instance;

static int fail_with(bdb_drv_error *err, int st, int detail, const char *fmt, const char *a) {
  if (err) {
    err->detail = detail;
    snprintf(err->message, sizeof err->message, fmt, a);
  }
  return st;
}

/* Index of key, or of where it would go (*found says which). */
static size_t find(const store *s, const char *key, int *found) {
  size_t lo = 0, hi = s->count;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(s->objects[mid].key, key);
    if (c == 0) {
      *found = 1;
      return mid;
    }
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  *found = 0;
  return lo;
}

static char *etag_text(unsigned long long v) {
  char *e = malloc(24);
  if (e) snprintf(e, 24, "v%llu", v);
  return e;
}

static int d_open(const bdb_driver_host *host, const char *config, void **out, bdb_drv_error *err) {
  if (strchr(config, '?') || strlen(config) >= sizeof g_stores[0]->name)
    return fail_with(err, BDB_DRV_INVALID, 0, "inproc: bad config '%s' (inproc:NAME)", config);
  instance *in = calloc(1, sizeof *in);
  if (!in) return fail_with(err, BDB_DRV_NOMEM, ENOMEM, "inproc: open %s: out of memory", config);
  /* NOLINTNEXTLINE(bugprone-sizeof-expression): the macro sizes the pointer member itself */
  in->self = BDB_DRIVER_HOST_HAS(host, driver) ? (const inproc_driver *)host->driver : NULL;
  in->host = host;
  if (in->self) __atomic_add_fetch((int *)&in->self->opens, 1, __ATOMIC_RELAXED);
  pthread_mutex_lock(&g_stores_mu);
  for (size_t i = 0; i < g_nstores && !in->s; i++)
    if (strcmp(g_stores[i]->name, config) == 0) in->s = g_stores[i];
  if (!in->s && g_nstores < sizeof g_stores / sizeof g_stores[0]) {
    store *s = calloc(1, sizeof *s);
    if (s) {
      snprintf(s->name, sizeof s->name, "%s", config);
      pthread_mutex_init(&s->mu, NULL);
      s->next_version = 1;
      g_stores[g_nstores++] = s;
      in->s = s;
    }
  }
  pthread_mutex_unlock(&g_stores_mu);
  if (!in->s) {
    free(in);
    return fail_with(err, BDB_DRV_NOMEM, ENOMEM, "inproc: open %s: no room for a store", config);
  }
  if (BDB_DRIVER_HOST_HAS(host, log_level) && host->log_level <= BDB_DRV_LOG_DEBUG)
    host->log(host->host_ctx, BDB_DRV_LOG_DEBUG, "inproc: opened");
  *out = in;
  return BDB_DRV_OK;
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The delay of inproc_driver.delay_ms; BDB_DRV_TRANSIENT when the host interrupts it. */
static int delay(const instance *in, const char *op, const char *key, bdb_drv_error *err) {
  if (!in->self) return BDB_DRV_OK;
  int ms = __atomic_load_n(&in->self->delay_ms, __ATOMIC_RELAXED);
  const bdb_driver_host *h = in->host;
  const int can_ask = BDB_DRIVER_HOST_HAS(h, interrupted) && h->interrupted;
  for (long long end = now_ms() + ms; now_ms() < end;) {
    if (can_ask && h->interrupted(h->host_ctx)) {
      __atomic_add_fetch((int *)&in->self->let_go, 1, __ATOMIC_RELAXED);
      if (err) snprintf(err->message, sizeof err->message, "inproc: %s %s interrupted", op, key);
      return BDB_DRV_TRANSIENT;
    }
    struct timespec step = {0, 5 * 1000000L};
    nanosleep(&step, NULL);
  }
  return BDB_DRV_OK;
}

static void d_close(void *p) {
  free(p);
}

static int d_get(void *p, const char *key, const char *inm, bdb_drv_object *out,
                 bdb_drv_error *err) {
  (void)inm;
  store *s = ((instance *)p)->s;
  int found = 0, st = delay(p, "get", key, err);
  if (st) return st;
  pthread_mutex_lock(&s->mu);
  size_t i = find(s, key, &found);
  if (!found) {
    st = BDB_DRV_NOT_FOUND;
  } else {
    const object *o = &s->objects[i];
    out->data = malloc(o->size ? o->size : 1);
    out->etag = etag_text(o->version);
    out->size = o->size;
    if (!out->data || !out->etag) {
      free(out->data);
      free(out->etag);
      out->data = NULL;
      out->etag = NULL;
      st = fail_with(err, BDB_DRV_NOMEM, ENOMEM, "inproc: get %s: out of memory", key);
    } else {
      memcpy(out->data, o->data, o->size);
    }
  }
  pthread_mutex_unlock(&s->mu);
  return st;
}

static int d_put(void *p, const char *key, const void *data, size_t size,
                 const bdb_drv_put_options *opts, char **out_etag, bdb_drv_error *err) {
  store *s = ((instance *)p)->s;
  if (!*key || strlen(key) > BDB_DRV_MAX_KEY)
    return fail_with(err, BDB_DRV_INVALID, 0, "inproc: put: bad key '%.100s'", key);
  int late = delay(p, "put", key, err);
  if (late) return late;
  unsigned char *copy = malloc(size ? size : 1);
  char *k = strdup(key);
  if (!copy || !k) {
    free(copy);
    free(k);
    return fail_with(err, BDB_DRV_NOMEM, ENOMEM, "inproc: put %s: out of memory", key);
  }
  if (size) memcpy(copy, data, size);
  int found = 0, st = BDB_DRV_OK;
  pthread_mutex_lock(&s->mu);
  size_t i = find(s, key, &found);
  if (opts->if_none_match && found) st = BDB_DRV_PRECONDITION_FAILED;
  if (opts->if_match) {
    const char *want = opts->if_match;
    if (*want == '"') want++;
    char have[24];
    if (found) snprintf(have, sizeof have, "v%llu", s->objects[i].version);
    if (!found || strncmp(want, have, strlen(have)) != 0 ||
        (want[strlen(have)] != '\0' && want[strlen(have)] != '"'))
      st = BDB_DRV_PRECONDITION_FAILED;
  }
  if (st == BDB_DRV_OK && !found && s->count == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 16;
    object *grown = realloc(s->objects, cap * sizeof *grown);
    if (!grown)
      st = fail_with(err, BDB_DRV_NOMEM, ENOMEM, "inproc: put %s: out of memory", key);
    else {
      s->objects = grown;
      s->cap = cap;
    }
  }
  unsigned long long version = 0;
  if (st == BDB_DRV_OK) {
    if (found) {
      free(s->objects[i].data);
      free(k);
    } else {
      memmove(&s->objects[i + 1], &s->objects[i], (s->count - i) * sizeof *s->objects);
      s->objects[i].key = k;
      s->count++;
    }
    s->objects[i].data = copy;
    s->objects[i].size = size;
    version = s->objects[i].version = s->next_version++;
  }
  pthread_mutex_unlock(&s->mu);
  if (st != BDB_DRV_OK) {
    free(copy);
    free(k);
    return st;
  }
  *out_etag = etag_text(version);
  return BDB_DRV_OK;
}

static int d_del(void *p, const char *key, bdb_drv_error *err) {
  store *s = ((instance *)p)->s;
  int found = 0, late = delay(p, "delete", key, err);
  if (late) return late;
  pthread_mutex_lock(&s->mu);
  size_t i = find(s, key, &found);
  if (found) {
    free(s->objects[i].key);
    free(s->objects[i].data);
    memmove(&s->objects[i], &s->objects[i + 1], (s->count - i - 1) * sizeof *s->objects);
    s->count--;
  }
  pthread_mutex_unlock(&s->mu);
  return BDB_DRV_OK;
}

enum { kPage = 50 };

/* Pages of kPage keys; the token is the last key of the page before. */
static int d_list(void *p, const char *prefix, const char *token, bdb_drv_list *out,
                  bdb_drv_error *err) {
  store *s = ((instance *)p)->s;
  int late = delay(p, "list", prefix, err);
  if (late) return late;
  size_t plen = strlen(prefix);
  out->keys = calloc(kPage, sizeof *out->keys);
  if (!out->keys)
    return fail_with(err, BDB_DRV_NOMEM, ENOMEM, "inproc: list %s: no memory", prefix);
  int found = 0;
  pthread_mutex_lock(&s->mu);
  size_t i = find(s, token ? token : prefix, &found);
  if (token && found) i++;
  for (; i < s->count && strncmp(s->objects[i].key, prefix, plen) == 0; i++) {
    if (out->count == kPage) {
      out->truncated = 1;
      out->next_token = strdup(out->keys[kPage - 1]);
      break;
    }
    out->keys[out->count++] = strdup(s->objects[i].key);
  }
  pthread_mutex_unlock(&s->mu);
  return BDB_DRV_OK;
}

static void d_release(void *p, void *ptr) {
  (void)p;
  free(ptr);
}

static void d_release_list(void *p, bdb_drv_list *l) {
  (void)p;
  for (size_t i = 0; i < l->count; i++) free(l->keys[i]);
  free(l->keys);
  free(l->next_token);
}

static int d_stats(void *p, char *buf, size_t cap) {
  store *s = ((instance *)p)->s;
  pthread_mutex_lock(&s->mu);
  snprintf(buf, cap, "{\"objects\":%zu}", s->count);
  pthread_mutex_unlock(&s->mu);
  return BDB_DRV_OK;
}

void inproc_driver_init(inproc_driver *d, const char *tag) {
  memset(d, 0, sizeof *d);
  d->table.abi_version = BDB_DRIVER_ABI_VERSION;
  d->table.struct_size = sizeof d->table;
  d->table.name = "inproc";
  d->table.capabilities = BDB_DRV_CAP_CONDITIONAL_PUT | BDB_DRV_CAP_STRONG_LIST;
  d->table.open = d_open;
  d->table.close = d_close;
  d->table.get = d_get;
  d->table.put = d_put;
  d->table.del = d_del;
  d->table.list = d_list;
  d->table.release = d_release;
  d->table.release_list = d_release_list;
  d->table.stats = d_stats;
  d->tag = tag;
}
