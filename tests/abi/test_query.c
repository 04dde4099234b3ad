/* Reads: keys from text, point gets and queries (every operator, order, limit/offset,
 * projection, count, cursors) and their errors. */
#include "helper.h"

#include <stdio.h>
#include <string.h>

static const char *kItems =
    "{\"name\":\"items\",\"version\":1,\"fields\":{\"id\":{\"typeId\":2},\"name\":{\"typeId\":10},"
    "\"price\":{\"typeId\":7},\"qty\":{\"typeId\":4},\"tag\":{\"typeId\":10},"
    "\"flag\":{\"typeId\":6},\"raw\":{\"typeId\":16}},\"primaryKey\":\"id\",\"indexes\":[\"qty\"]}";
static const char *kUsers =
    "{\"name\":\"users\",\"version\":1,\"fields\":{\"id\":{\"typeId\":10},\"n\":{\"typeId\":1}},"
    "\"primaryKey\":\"id\"}";
static const char *kSigned =
    "{\"name\":\"signed\",\"version\":1,\"fields\":{\"k\":{\"typeId\":5}},\"primaryKey\":\"k\"}";

static const char *const kRows[] = {
    ("{\"id\":1,\"name\":\"apple\",\"price\":1.5,\"qty\":10,\"tag\":\"red\",\"flag\":true,"
     "\"raw\":\"AQI=\"}"), /* one row over two lines */
    "{\"id\":2,\"name\":\"banana\",\"price\":0.25,\"qty\":-3,\"flag\":false}",
    "{\"id\":3,\"name\":\"cherry\",\"price\":10.0,\"qty\":0,\"tag\":\"red\",\"flag\":true}",
    "{\"id\":4,\"name\":\"date\",\"price\":2.5,\"qty\":7,\"tag\":\"brown\"}",
    "{\"id\":5,\"name\":\"elder\",\"price\":1.5,\"qty\":100,\"flag\":true,\"raw\":\"AQM=\"}",
    "{\"id\":6,\"name\":\"fig\",\"price\":3.75,\"qty\":-50,\"tag\":\"green\",\"flag\":false}",
    "{\"id\":7,\"name\":\"grape\",\"price\":0.0,\"qty\":7,\"tag\":\"green\",\"flag\":true}",
    "{\"id\":8,\"name\":\"apricot\",\"price\":5.0,\"qty\":1,\"tag\":\"orange\",\"flag\":false}",
};

typedef struct fixture {
  bdb_db *db;
  bdb_query *q;
  bdb_cursor *c;
  bdb_doc *d;
  char *text;
} fixture;

static int setup(void **state) {
  static fixture f;
  memset(&f, 0, sizeof f);
  f.db = h_open("memory:", NULL);
  h_register(f.db, kItems);
  h_register(f.db, kUsers);
  h_register(f.db, kSigned);
  bdb_batch *b = NULL;
  h_ok(bdb_batch_new(f.db, &b));
  for (size_t i = 0; i < 8; i++) h_ok(bdb_batch_insert_json(b, "items", kRows[i]));
  h_ok(bdb_batch_insert_json(b, "users", "{\"id\":\"u1\",\"n\":1}"));
  h_ok(bdb_batch_insert_json(b, "users", "{\"id\":\"a \\\"quoted\\\" key\",\"n\":2}"));
  h_ok(bdb_batch_insert_json(b, "users", "{\"id\":\"\",\"n\":3}"));
  const int64_t keys[] = {-5, 3, -100, 0, INT64_MIN, INT64_MAX};
  for (size_t i = 0; i < 6; i++) {
    char json[64];
    snprintf(json, sizeof json, "{\"k\":%lld}", (long long)keys[i]);
    h_ok(bdb_batch_insert_json(b, "signed", json));
  }
  bdb_status st = bdb_batch_commit(b, NULL);
  bdb_batch_free(b);
  h_ok(st);
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  bdb_free(f->text);
  bdb_doc_free(f->d);
  bdb_cursor_free(f->c);
  bdb_query_free(f->q);
  bdb_close(f->db);
  memset(f, 0, sizeof *f);
  return 0;
}

static bdb_query *query(fixture *f, const char *table) {
  bdb_query_free(f->q);
  f->q = NULL;
  h_ok(bdb_query_new(f->db, table, &f->q));
  return f->q;
}

/* Runs f->q and compares the ids in order with want (terminated by 0). */
static void expect_ids_at(fixture *f, const uint64_t *want, const char *what, int line) {
  uint64_t got[64];
  bdb_query *q = f->q;
  f->q = NULL; /* h_collect_uint frees it */
  size_t n = h_collect_uint(q, "id", got, 64);
  size_t w = 0;
  while (want[w]) w++;
  char gs[256] = "", ws[256] = "";
  for (size_t i = 0; i < n && i < 64; i++)
    snprintf(gs + strlen(gs), sizeof gs - strlen(gs), "%llu ", (unsigned long long)got[i]);
  for (size_t i = 0; i < w; i++)
    snprintf(ws + strlen(ws), sizeof ws - strlen(ws), "%llu ", (unsigned long long)want[i]);
  if (strcmp(gs, ws) != 0) fail_msg("line %d, %s: got ids [%s], want [%s]", line, what, gs, ws);
}
#define IDS(...) ((const uint64_t[]){__VA_ARGS__, 0})
#define EXPECT(f, what, ...) expect_ids_at((f), IDS(__VA_ARGS__), (what), __LINE__)
#define EXPECT_NONE(f, what) expect_ids_at((f), IDS(0), (what), __LINE__)

/* One condition on items, expecting ids in primary-key order. */
static void where1(fixture *f, const char *field, const char *op, const char *value) {
  query(f, "items");
  bdb_status st = bdb_query_where(f->q, field, op, value);
  if (st != BDB_OK) fail_msg("where %s %s %s: %s", field, op, value ? value : "", bdb_errmsg());
}

static void every_operator(void **state) {
  fixture *f = *state;
  where1(f, "qty", "=", "7");
  EXPECT(f, "qty = 7", 4, 7);
  where1(f, "qty", "!=", "7");
  EXPECT(f, "qty != 7", 1, 2, 3, 5, 6, 8);
  where1(f, "qty", ">", "7");
  EXPECT(f, "qty > 7", 1, 5);
  where1(f, "qty", ">=", "7");
  EXPECT(f, "qty >= 7", 1, 4, 5, 7);
  where1(f, "qty", "<", "0");
  EXPECT(f, "qty < 0", 2, 6);
  where1(f, "qty", "<=", "0");
  EXPECT(f, "qty <= 0", 2, 3, 6);
  where1(f, "name", "in", "[\"fig\",\"apple\",\"nope\"]");
  EXPECT(f, "name in", 1, 6);
  where1(f, "qty", "in", "[7,-3]");
  EXPECT(f, "qty in", 2, 4, 7);
  where1(f, "qty", "in", "[]");
  EXPECT_NONE(f, "qty in []");
  where1(f, "name", "prefix", "\"ap\"");
  EXPECT(f, "name prefix ap", 1, 8);
  where1(f, "name", "prefix", "\"\"");
  EXPECT(f, "name prefix ''", 1, 2, 3, 4, 5, 6, 7, 8);
  where1(f, "raw", "prefix", "\"AQ==\""); /* bytes: base64 of the prefix 0x01 */
  EXPECT(f, "raw prefix 01", 1, 5);
  where1(f, "tag", "isnull", NULL);
  EXPECT(f, "tag isnull", 2, 5);
  where1(f, "tag", "notnull", NULL);
  EXPECT(f, "tag notnull", 1, 3, 4, 6, 7, 8);
  where1(f, "flag", "isnull", "null"); /* an explicit JSON null is accepted too */
  EXPECT(f, "flag isnull", 4);
  where1(f, "flag", "=", "true");
  EXPECT(f, "flag = true", 1, 3, 5, 7);
  /* SQL semantics: a comparison with a null field is never true, != included. */
  where1(f, "tag", "!=", "\"red\"");
  EXPECT(f, "tag != red", 4, 6, 7, 8);
  /* Numbers compare across integer and floating point literals. */
  where1(f, "price", ">", "1.5");
  EXPECT(f, "price > 1.5", 3, 4, 6, 8);
  where1(f, "price", ">=", "1");
  EXPECT(f, "price >= 1", 1, 3, 4, 5, 6, 8);
  where1(f, "qty", ">", "-1.5");
  EXPECT(f, "qty > -1.5", 1, 3, 4, 5, 7, 8);
  where1(f, "price", "=", "0");
  EXPECT(f, "price = 0", 7);
  /* The primary key. */
  where1(f, "id", "<", "3");
  EXPECT(f, "id < 3", 1, 2);
  where1(f, "id", "=", "5");
  EXPECT(f, "id = 5", 5);
  where1(f, "id", "=", "4294967296"); /* beyond uint32: matches nothing, no error */
  EXPECT_NONE(f, "id = 2^32");
  /* Conditions are joined by AND. */
  where1(f, "tag", "=", "\"red\"");
  h_ok(bdb_query_where(f->q, "qty", ">", "5"));
  EXPECT(f, "tag = red and qty > 5", 1);
  where1(f, "tag", "=", "\"red\"");
  h_ok(bdb_query_where(f->q, "tag", "=", "\"green\""));
  EXPECT_NONE(f, "tag = red and tag = green");
}

static void order_limit_offset(void **state) {
  fixture *f = *state;
  query(f, "items");
  EXPECT(f, "default order", 1, 2, 3, 4, 5, 6, 7, 8);
  query(f, "items");
  h_ok(bdb_query_order(f->q, "qty", 0));
  EXPECT(f, "qty asc", 6, 2, 3, 8, 4, 7, 1, 5);
  query(f, "items");
  h_ok(bdb_query_order(f->q, "qty", 1));
  EXPECT(f, "qty desc (ties in key order)", 5, 1, 4, 7, 8, 3, 2, 6);
  query(f, "items");
  h_ok(bdb_query_order(f->q, "id", 1));
  EXPECT(f, "id desc", 8, 7, 6, 5, 4, 3, 2, 1);
  query(f, "items");
  h_ok(bdb_query_order(f->q, "id", 0));
  EXPECT(f, "id asc", 1, 2, 3, 4, 5, 6, 7, 8);
  /* NULLs sort first ascending and last descending, as in SQLite. */
  query(f, "items");
  h_ok(bdb_query_order(f->q, "tag", 0));
  EXPECT(f, "tag asc", 2, 5, 4, 6, 7, 8, 1, 3);
  query(f, "items");
  h_ok(bdb_query_order(f->q, "tag", 1));
  EXPECT(f, "tag desc", 1, 3, 8, 6, 7, 4, 2, 5);
  query(f, "items");
  h_ok(bdb_query_order(f->q, "name", 0));
  EXPECT(f, "name asc", 1, 8, 2, 3, 4, 5, 6, 7);
  /* The last order call wins. */
  query(f, "items");
  h_ok(bdb_query_order(f->q, "name", 0));
  h_ok(bdb_query_order(f->q, "price", 1));
  EXPECT(f, "price desc", 3, 8, 6, 4, 1, 5, 2, 7);

  query(f, "items");
  h_ok(bdb_query_limit(f->q, 2));
  h_ok(bdb_query_offset(f->q, 1));
  EXPECT(f, "limit 2 offset 1", 2, 3);
  query(f, "items");
  h_ok(bdb_query_order(f->q, "qty", 0));
  h_ok(bdb_query_limit(f->q, 3));
  h_ok(bdb_query_offset(f->q, 2));
  EXPECT(f, "qty asc limit 3 offset 2", 3, 8, 4);
  query(f, "items");
  h_ok(bdb_query_order(f->q, "qty", 1));
  h_ok(bdb_query_limit(f->q, 2));
  EXPECT(f, "qty desc limit 2", 5, 1);
  query(f, "items");
  h_ok(bdb_query_offset(f->q, 6));
  EXPECT(f, "offset 6", 7, 8);
  query(f, "items");
  h_ok(bdb_query_offset(f->q, 100));
  EXPECT_NONE(f, "offset 100");
  query(f, "items");
  h_ok(bdb_query_order(f->q, "qty", 1));
  h_ok(bdb_query_offset(f->q, 100));
  EXPECT_NONE(f, "qty desc offset 100");
  query(f, "items");
  h_ok(bdb_query_limit(f->q, 0));
  EXPECT_NONE(f, "limit 0");
  query(f, "items");
  h_ok(bdb_query_order(f->q, "qty", 0));
  h_ok(bdb_query_limit(f->q, 0));
  EXPECT_NONE(f, "qty asc limit 0");
  query(f, "items");
  h_ok(bdb_query_limit(f->q, UINT64_MAX));
  h_ok(bdb_query_offset(f->q, 7));
  EXPECT(f, "limit max offset 7", 8);
  query(f, "items");
  h_ok(bdb_query_order(f->q, "qty", 0));
  h_ok(bdb_query_limit(f->q, UINT64_MAX));
  h_ok(bdb_query_offset(f->q, 7));
  EXPECT(f, "qty asc limit max offset 7", 5);
  /* Filter, order and paging together. */
  query(f, "items");
  h_ok(bdb_query_where(f->q, "tag", "notnull", NULL));
  h_ok(bdb_query_order(f->q, "price", 0));
  h_ok(bdb_query_offset(f->q, 1));
  h_ok(bdb_query_limit(f->q, 3));
  EXPECT(f, "tag notnull order price limit 3 offset 1", 1, 4, 6);
}

static void signed_key_order(void **state) {
  fixture *f = *state;
  int64_t want[] = {INT64_MIN, -100, -5, 0, 3, INT64_MAX};
  for (int desc = 0; desc < 2; desc++) {
    query(f, "signed");
    if (desc) h_ok(bdb_query_order(f->q, "k", 1));
    h_ok(bdb_query_exec(f->q, &f->c));
    for (int i = 0; i < 6; i++) {
      h_ok(bdb_cursor_next(f->c, &f->d));
      assert_non_null(f->d);
      int64_t k = 0;
      h_ok(bdb_doc_get_int(f->d, "k", &k));
      assert_true(k == want[desc ? 5 - i : i]);
      bdb_doc_free(f->d);
      f->d = NULL;
    }
    h_ok(bdb_cursor_next(f->c, &f->d));
    assert_null(f->d);
    bdb_cursor_free(f->c);
    f->c = NULL;
  }
  query(f, "signed");
  h_ok(bdb_query_where(f->q, "k", "<", "0"));
  uint64_t n = 0;
  h_ok(bdb_query_count(f->q, &n));
  assert_int_equal(n, 3);
}

static void select_fields(void **state) {
  fixture *f = *state;
  query(f, "items");
  h_ok(bdb_query_select(f->q, "name"));
  h_ok(bdb_query_select(f->q, "qty"));
  h_ok(bdb_query_where(f->q, "id", "=", "1"));
  h_ok(bdb_query_exec(f->q, &f->c));
  h_ok(bdb_cursor_next(f->c, &f->d));
  assert_non_null(f->d);
  /* The primary key always comes along; other fields are left out. */
  h_ok(bdb_doc_to_json(f->d, &f->text));
  assert_string_equal(f->text, "{\"id\":1,\"name\":\"apple\",\"qty\":10}");
  assert_int_equal(bdb_doc_has(f->d, "price"), 0);
  assert_int_equal(bdb_doc_has(f->d, "id"), 1);
  double x = 0;
  h_expect_err(bdb_doc_get_double(f->d, "price", &x), BDB_E_NOT_FOUND, "price", NULL);
  /* A query may filter on a field it does not select. */
  bdb_doc_free(f->d);
  f->d = NULL;
  bdb_cursor_free(f->c);
  f->c = NULL;
  query(f, "items");
  h_ok(bdb_query_select(f->q, "name"));
  h_ok(bdb_query_where(f->q, "tag", "=", "\"brown\""));
  h_ok(bdb_query_order(f->q, "price", 1));
  h_ok(bdb_query_exec(f->q, &f->c));
  h_ok(bdb_cursor_next(f->c, &f->d));
  assert_non_null(f->d);
  bdb_free(f->text);
  f->text = NULL;
  h_ok(bdb_doc_to_json(f->d, &f->text));
  assert_string_equal(f->text, "{\"id\":4,\"name\":\"date\"}");
}

static void count_queries(void **state) {
  fixture *f = *state;
  uint64_t n = 99;
  query(f, "items");
  h_ok(bdb_query_count(f->q, &n));
  assert_int_equal(n, 8);
  query(f, "items");
  h_ok(bdb_query_where(f->q, "tag", "notnull", NULL));
  h_ok(bdb_query_order(f->q, "price", 1)); /* order does not change a count */
  h_ok(bdb_query_count(f->q, &n));
  assert_int_equal(n, 6);
  query(f, "items");
  h_ok(bdb_query_where(f->q, "qty", ">", "1000"));
  h_ok(bdb_query_count(f->q, &n));
  assert_int_equal(n, 0);
  /* A query can be counted and then run. */
  query(f, "items");
  h_ok(bdb_query_where(f->q, "flag", "=", "false"));
  h_ok(bdb_query_count(f->q, &n));
  assert_int_equal(n, 3);
  EXPECT(f, "flag = false", 2, 6, 8);
  h_expect_err(bdb_query_count(NULL, &n), BDB_E_INVALID, "query", NULL);
  query(f, "items");
  h_expect_err(bdb_query_count(f->q, NULL), BDB_E_INVALID, "out_count", NULL);
}

/* Groups of conditions joined by OR: (a AND b) OR c. */
static void or_groups(void **state) {
  fixture *f = *state;
  uint64_t n = 0;
  query(f, "items");
  h_ok(bdb_query_where(f->q, "qty", "=", "7"));
  h_ok(bdb_query_or(f->q));
  h_ok(bdb_query_where(f->q, "tag", "=", "\"red\""));
  h_ok(bdb_query_count(f->q, &n));
  assert_int_equal(n, 4);
  EXPECT(f, "qty = 7 or tag = red", 1, 3, 4, 7);

  query(f, "items");
  h_ok(bdb_query_where(f->q, "flag", "=", "true"));
  h_ok(bdb_query_where(f->q, "price", ">", "1"));
  h_ok(bdb_query_or(f->q));
  h_ok(bdb_query_where(f->q, "name", "prefix", "\"ap\""));
  EXPECT(f, "(flag and price > 1) or name prefix ap", 1, 3, 5, 8);

  query(f, "items");
  h_ok(bdb_query_where(f->q, "flag", "=", "true"));
  h_ok(bdb_query_where(f->q, "price", ">", "1"));
  h_ok(bdb_query_or(f->q));
  h_ok(bdb_query_where(f->q, "name", "prefix", "\"ap\""));
  h_ok(bdb_query_order(f->q, "price", 1));
  EXPECT(f, "the same by price, descending", 3, 8, 1, 5);

  /* Nulls on one side, a range on the other; three groups. */
  query(f, "items");
  h_ok(bdb_query_where(f->q, "tag", "isnull", NULL));
  h_ok(bdb_query_or(f->q));
  h_ok(bdb_query_where(f->q, "qty", "<", "0"));
  h_ok(bdb_query_or(f->q));
  h_ok(bdb_query_where(f->q, "id", "=", "8"));
  EXPECT(f, "tag isnull or qty < 0 or id = 8", 2, 5, 6, 8);

  /* The plan says why it scans. */
  query(f, "items");
  h_ok(bdb_query_where(f->q, "id", "=", "1"));
  h_ok(bdb_query_or(f->q));
  h_ok(bdb_query_where(f->q, "id", "=", "2"));
  h_ok(bdb_query_explain(f->q, &f->text));
  if (!strstr(f->text, "OR")) fail_msg("explain does not mention OR: %s", f->text);
  EXPECT(f, "id = 1 or id = 2", 1, 2);

  /* Each side needs a condition. */
  query(f, "items");
  h_expect_err(bdb_query_or(f->q), BDB_E_INVALID, "'or' needs conditions before it", NULL);
  h_ok(bdb_query_where(f->q, "qty", "=", "7"));
  h_ok(bdb_query_or(f->q));
  h_expect_err(bdb_query_count(f->q, &n), BDB_E_INVALID, "'or' needs conditions after it", NULL);
  h_expect_err(bdb_query_exec(f->q, &f->c), BDB_E_INVALID, "after it", NULL);
  h_expect_err(bdb_query_or(NULL), BDB_E_INVALID, "query", NULL);
}

static void cursor_to_the_end(void **state) {
  fixture *f = *state;
  query(f, "items");
  h_ok(bdb_query_where(f->q, "qty", "=", "7"));
  h_ok(bdb_query_exec(f->q, &f->c));
  /* The query may be freed while its cursor runs. */
  bdb_query_free(f->q);
  f->q = NULL;
  uint64_t ids[2] = {0, 0};
  for (int i = 0; i < 2; i++) {
    h_ok(bdb_cursor_next(f->c, &f->d));
    assert_non_null(f->d);
    h_ok(bdb_doc_get_uint(f->d, "id", &ids[i]));
    assert_true(bdb_doc_version(f->d) > 0);
    bdb_doc_free(f->d);
    f->d = NULL;
  }
  assert_int_equal(ids[0], 4);
  assert_int_equal(ids[1], 7);
  for (int i = 0; i < 3; i++) {
    f->d = (bdb_doc *)1;
    h_ok(bdb_cursor_next(f->c, &f->d));
    assert_null(f->d);
  }
  h_expect_err(bdb_cursor_next(NULL, &f->d), BDB_E_INVALID, "cursor", NULL);
  h_expect_err(bdb_cursor_next(f->c, NULL), BDB_E_INVALID, "out", NULL);
  /* A cursor reads the snapshot it started from. */
  bdb_cursor_free(f->c);
  f->c = NULL;
  query(f, "items");
  h_ok(bdb_query_exec(f->q, &f->c));
  h_commit_json(f->db, "insert", "items", "{\"id\":9,\"name\":\"kiwi\"}");
  size_t n = 0;
  for (;;) {
    h_ok(bdb_cursor_next(f->c, &f->d));
    if (!f->d) break;
    bdb_doc_free(f->d);
    f->d = NULL;
    n++;
  }
  assert_int_equal(n, 8);
}

/* Pages of 3 by price descending (ties by id): tokens walk the result once; errors. */
static void page_tokens(void **state) {
  fixture *f = *state;
  const uint64_t want[] = {3, 8, 6, 4, 1, 5, 2, 7};
  char *token = NULL;
  size_t seen = 0;
  for (int page = 0; page < 4; page++) {
    query(f, "items");
    h_ok(bdb_query_order(f->q, "price", 1));
    h_ok(bdb_query_limit(f->q, 3));
    h_ok(bdb_query_after(f->q, token));
    h_ok(bdb_query_exec(f->q, &f->c));
    for (;;) {
      uint64_t id = 0;
      h_ok(bdb_cursor_next(f->c, &f->d));
      if (!f->d) break;
      h_ok(bdb_doc_get_uint(f->d, "id", &id));
      assert_true(seen < 8);
      assert_int_equal(id, want[seen++]);
      bdb_doc_free(f->d);
      f->d = NULL;
    }
    char *next = NULL;
    h_ok(bdb_cursor_page_token(f->c, &next));
    assert_non_null(next);
    if (page == 3) assert_string_equal(next, token); /* an empty page keeps its position */
    bdb_free(token);
    token = next;
    bdb_cursor_free(f->c);
    f->c = NULL;
  }
  assert_int_equal(seen, 8);
  /* A token before any row is "", and "" or NULL start from the beginning. */
  query(f, "items");
  h_ok(bdb_query_exec(f->q, &f->c));
  h_ok(bdb_cursor_page_token(f->c, &f->text));
  assert_string_equal(f->text, "");
  bdb_free(f->text);
  f->text = NULL;
  bdb_cursor_free(f->c);
  f->c = NULL;
  /* Errors name the token; a query keeps its order check until it runs. */
  h_expect_err(bdb_query_after(f->q, "%%%"), BDB_E_INVALID, "items", "page token", NULL);
  query(f, "users");
  h_expect_err(bdb_query_after(f->q, token), BDB_E_INVALID, "made for table items", NULL);
  query(f, "items");
  h_ok(bdb_query_after(f->q, token));
  h_expect_err(bdb_query_exec(f->q, &f->c), BDB_E_INVALID, "price descending", NULL);
  assert_null(f->c);
  uint64_t n = 9;
  h_expect_err(bdb_query_count(f->q, &n), BDB_E_INVALID, "price descending", NULL);
  h_ok(bdb_query_order(f->q, "price", 1));
  h_ok(bdb_query_after(f->q, NULL));
  h_ok(bdb_query_count(f->q, &n));
  assert_int_equal(n, 8);
  h_expect_err(bdb_query_after(NULL, token), BDB_E_INVALID, "query", NULL);
  h_expect_err(bdb_cursor_page_token(NULL, &f->text), BDB_E_INVALID, "cursor", NULL);
  bdb_free(token);
}

static void bad_where(void **state) {
  fixture *f = *state;
  query(f, "items");
  h_expect_err(bdb_query_where(f->q, "nope", "=", "1"), BDB_E_SCHEMA, "items", "nope", NULL);
  h_expect_err(bdb_query_where(f->q, "qty", "~=", "1"), BDB_E_INVALID, "~=", NULL);
  h_expect_err(bdb_query_where(f->q, "qty", "", "1"), BDB_E_INVALID, "operator", NULL);
  h_expect_err(bdb_query_where(f->q, "qty", "=", "\"seven\""), BDB_E_TYPE, "qty", NULL);
  h_expect_err(bdb_query_where(f->q, "name", "=", "5"), BDB_E_TYPE, "name", NULL);
  h_expect_err(bdb_query_where(f->q, "flag", "=", "1"), BDB_E_TYPE, "flag", NULL);
  h_expect_err(bdb_query_where(f->q, "raw", "=", "\"***\""), BDB_E_TYPE, "raw", NULL);
  h_expect_err(bdb_query_where(f->q, "qty", "=", "{"), BDB_E_JSON, "qty", NULL);
  h_expect_err(bdb_query_where(f->q, "qty", "=", ""), BDB_E_JSON, NULL);
  h_expect_err(bdb_query_where(f->q, "qty", "=", NULL), BDB_E_INVALID, "needs a value", NULL);
  h_expect_err(bdb_query_where(f->q, "qty", "=", "null"), BDB_E_TYPE, "isnull", NULL);
  h_expect_err(bdb_query_where(f->q, "qty", "in", "7"), BDB_E_TYPE, "array", NULL);
  h_expect_err(bdb_query_where(f->q, "qty", "in", "[1,\"x\"]"), BDB_E_TYPE, "qty", NULL);
  h_expect_err(bdb_query_where(f->q, "qty", "prefix", "\"1\""), BDB_E_TYPE, "prefix", NULL);
  h_expect_err(bdb_query_where(f->q, "name", "prefix", "1"), BDB_E_TYPE, "name", NULL);
  h_expect_err(bdb_query_where(f->q, "tag", "isnull", "\"x\""), BDB_E_INVALID, "no value", NULL);
  h_expect_err(bdb_query_order(f->q, "nope", 0), BDB_E_SCHEMA, "nope", NULL);
  h_expect_err(bdb_query_select(f->q, "nope"), BDB_E_SCHEMA, "nope", NULL);
  /* None of the failures added a condition. */
  EXPECT(f, "after failed conditions", 1, 2, 3, 4, 5, 6, 7, 8);
  /* NULL arguments. */
  bdb_query *q = (bdb_query *)1;
  h_expect_err(bdb_query_new(f->db, "nosuch", &q), BDB_E_SCHEMA, "nosuch", NULL);
  assert_null(q);
  h_expect_err(bdb_query_new(NULL, "items", &q), BDB_E_INVALID, "db", NULL);
  h_expect_err(bdb_query_new(f->db, NULL, &q), BDB_E_INVALID, "table", NULL);
  h_expect_err(bdb_query_new(f->db, "items", NULL), BDB_E_INVALID, "out", NULL);
  query(f, "items");
  h_expect_err(bdb_query_where(NULL, "qty", "=", "1"), BDB_E_INVALID, "query", NULL);
  h_expect_err(bdb_query_where(f->q, NULL, "=", "1"), BDB_E_INVALID, "field", NULL);
  h_expect_err(bdb_query_where(f->q, "qty", NULL, "1"), BDB_E_INVALID, "op", NULL);
  h_expect_err(bdb_query_order(NULL, "qty", 0), BDB_E_INVALID, NULL);
  h_expect_err(bdb_query_order(f->q, NULL, 0), BDB_E_INVALID, "field", NULL);
  h_expect_err(bdb_query_limit(NULL, 1), BDB_E_INVALID, NULL);
  h_expect_err(bdb_query_offset(NULL, 1), BDB_E_INVALID, NULL);
  h_expect_err(bdb_query_select(NULL, "qty"), BDB_E_INVALID, NULL);
  h_expect_err(bdb_query_select(f->q, NULL), BDB_E_INVALID, "field", NULL);
  bdb_cursor *c = (bdb_cursor *)1;
  h_expect_err(bdb_query_exec(NULL, &c), BDB_E_INVALID, "query", NULL);
  assert_null(c);
  h_expect_err(bdb_query_exec(f->q, NULL), BDB_E_INVALID, "out", NULL);
}

static void key_doc_from_text(void **state) {
  fixture *f = *state;
  const char *s = NULL;
  size_t n = 0;
  uint64_t u = 0;
  /* varchar keys: verbatim text, or a JSON string. */
  h_ok(bdb_key_doc_from_text(f->db, "users", "u1", &f->d));
  assert_string_equal(bdb_doc_table(f->d), "users");
  h_ok(bdb_doc_get_string(f->d, "id", &s, &n));
  assert_string_equal(s, "u1");
  assert_int_equal(bdb_doc_has(f->d, "n"), 0);
  assert_int_equal(bdb_doc_version(f->d), 0);
  bdb_doc_free(f->d);
  f->d = NULL;
  h_ok(bdb_key_doc_from_text(f->db, "users", "\"u1\"", &f->d));
  h_ok(bdb_doc_get_string(f->d, "id", &s, &n));
  assert_string_equal(s, "u1");
  bdb_doc_free(f->d);
  f->d = NULL;
  /* Text with quotes inside (not at the start) is verbatim; a key starting with a quote must be
   * JSON-quoted. */
  h_ok(bdb_key_doc_from_text(f->db, "users", "it's \"x\"", &f->d));
  h_ok(bdb_doc_get_string(f->d, "id", &s, &n));
  assert_string_equal(s, "it's \"x\"");
  bdb_doc_free(f->d);
  f->d = NULL;
  h_ok(bdb_key_doc_from_text(f->db, "users", "\"\\\"q\"", &f->d));
  h_ok(bdb_doc_get_string(f->d, "id", &s, &n));
  assert_string_equal(s, "\"q");
  bdb_doc_free(f->d);
  f->d = NULL;
  h_expect_err(bdb_key_doc_from_text(f->db, "users", "\"unterminated", &f->d), BDB_E_JSON, "users",
               NULL);
  assert_null(f->d);
  /* Integer keys: JSON numbers only. */
  h_ok(bdb_key_doc_from_text(f->db, "items", "42", &f->d));
  h_ok(bdb_doc_get_uint(f->d, "id", &u));
  assert_int_equal(u, 42);
  bdb_doc_free(f->d);
  f->d = NULL;
  h_expect_err(bdb_key_doc_from_text(f->db, "items", "abc", &f->d), BDB_E_JSON, "items", NULL);
  h_expect_err(bdb_key_doc_from_text(f->db, "items", "\"42\"", &f->d), BDB_E_TYPE, "id", NULL);
  h_expect_err(bdb_key_doc_from_text(f->db, "items", "-1", &f->d), BDB_E_TYPE, "id", NULL);
  h_expect_err(bdb_key_doc_from_text(f->db, "items", "4294967296", &f->d), BDB_E_TYPE, "id", NULL);
  h_expect_err(bdb_key_doc_from_text(f->db, "items", "", &f->d), BDB_E_JSON, NULL);
  h_ok(bdb_key_doc_from_text(f->db, "signed", "-9223372036854775808", &f->d));
  int64_t k = 0;
  h_ok(bdb_doc_get_int(f->d, "k", &k));
  assert_true(k == INT64_MIN);
  bdb_doc_free(f->d);
  f->d = NULL;
  h_expect_err(bdb_key_doc_from_text(f->db, "nosuch", "1", &f->d), BDB_E_SCHEMA, "nosuch", NULL);
  h_expect_err(bdb_key_doc_from_text(NULL, "items", "1", &f->d), BDB_E_INVALID, "db", NULL);
  h_expect_err(bdb_key_doc_from_text(f->db, NULL, "1", &f->d), BDB_E_INVALID, "table", NULL);
  h_expect_err(bdb_key_doc_from_text(f->db, "items", NULL, &f->d), BDB_E_INVALID, "key_text", NULL);
  h_expect_err(bdb_key_doc_from_text(f->db, "items", "1", NULL), BDB_E_INVALID, "out", NULL);
}

static void point_gets(void **state) {
  fixture *f = *state;
  /* Found, by key doc and as JSON. */
  h_ok(bdb_key_doc_from_text(f->db, "items", "3", &f->d));
  bdb_doc *row = NULL;
  h_ok(bdb_get(f->db, f->d, &row));
  assert_non_null(row);
  h_ok(bdb_doc_to_json(row, &f->text));
  bdb_doc_free(row);
  assert_string_equal(f->text, kRows[2]);
  bdb_free(f->text);
  f->text = NULL;
  h_ok(bdb_get_json(f->db, "items", "1", &f->text));
  assert_string_equal(f->text, kRows[0]);
  bdb_free(f->text);
  f->text = NULL;
  h_assert_row(f->db, "users", "u1", "{\"id\":\"u1\",\"n\":1}");
  h_assert_row(f->db, "users", "\"u1\"", "{\"id\":\"u1\",\"n\":1}");
  h_assert_row(f->db, "users", "a \"quoted\" key", "{\"id\":\"a \\\"quoted\\\" key\",\"n\":2}");
  h_assert_row(f->db, "users", "", "{\"id\":\"\",\"n\":3}");
  h_assert_row(f->db, "signed", "-9223372036854775808", "{\"k\":-9223372036854775808}");

  /* Missing: not found, naming table and key; nothing handed out. */
  bdb_doc_free(f->d);
  f->d = NULL;
  h_ok(bdb_key_doc_from_text(f->db, "items", "99", &f->d));
  row = (bdb_doc *)1;
  h_expect_err(bdb_get(f->db, f->d, &row), BDB_E_NOT_FOUND, "items", "99", NULL);
  assert_null(row);
  h_expect_err(bdb_get_json(f->db, "users", "zz", &f->text), BDB_E_NOT_FOUND, "users", "\"zz\"",
               NULL);
  f->text = NULL;
  h_expect_err(bdb_get_json(f->db, "nosuch", "1", &f->text), BDB_E_SCHEMA, "nosuch", NULL);
  h_expect_err(bdb_get_json(f->db, "items", "x", &f->text), BDB_E_JSON, NULL);
  /* A key doc without its key. */
  bdb_doc_free(f->d);
  f->d = NULL;
  h_ok(bdb_doc_new(f->db, "items", &f->d));
  h_expect_err(bdb_get(f->db, f->d, &row), BDB_E_INVALID, "items", "id", NULL);
  /* A whole document works as a key doc too. */
  h_ok(bdb_doc_set_uint(f->d, "id", 8));
  h_ok(bdb_doc_set_string(f->d, "name", "ignored", 7));
  h_ok(bdb_get(f->db, f->d, &row));
  h_ok(bdb_doc_to_json(row, &f->text));
  bdb_doc_free(row);
  assert_string_equal(f->text, kRows[7]);
  /* NULL arguments. */
  h_expect_err(bdb_get(NULL, f->d, &row), BDB_E_INVALID, "db", NULL);
  h_expect_err(bdb_get(f->db, NULL, &row), BDB_E_INVALID, "key_doc", NULL);
  h_expect_err(bdb_get(f->db, f->d, NULL), BDB_E_INVALID, "out", NULL);
  char *j = NULL;
  h_expect_err(bdb_get_json(f->db, "items", "1", NULL), BDB_E_INVALID, "out_json", NULL);
  h_expect_err(bdb_get_json(NULL, "items", "1", &j), BDB_E_INVALID, NULL);
}

/* A bytes primary key from text: verbatim text is the raw bytes, JSON-quoted text is base64
 * (as bytes are in JSON). */
static void bytes_key_from_text(void **state) {
  fixture *f = *state;
  h_register(f->db,
             "{\"name\":\"bk\",\"version\":1,\"fields\":{\"k\":{\"typeId\":16},\"v\":{\"typeId\":1}"
             "},\"primaryKey\":\"k\"}");
  h_commit_json(f->db, "insert", "bk", "{\"k\":\"AAE=\",\"v\":1}");
  h_ok(bdb_doc_new(f->db, "bk", &f->d));
  h_ok(bdb_doc_set_bytes(f->d, "k", "hello", 5));
  h_ok(bdb_doc_set_uint(f->d, "v", 2));
  bdb_batch *b = NULL;
  h_ok(bdb_batch_new(f->db, &b));
  bdb_status st = bdb_batch_insert(b, f->d);
  if (st == BDB_OK) st = bdb_batch_commit(b, NULL);
  bdb_batch_free(b);
  h_ok(st);
  h_assert_row(f->db, "bk", "\"AAE=\"", "{\"k\":\"AAE=\",\"v\":1}");
  /* A bytes key reads the way it prints: base64, bare or as a JSON string; raw text is not. */
  h_assert_row(f->db, "bk", "aGVsbG8=", "{\"k\":\"aGVsbG8=\",\"v\":2}");
  h_assert_row(f->db, "bk", "\"aGVsbG8=\"", "{\"k\":\"aGVsbG8=\",\"v\":2}");
  h_expect_err(bdb_get_json(f->db, "bk", "hello", &f->text), BDB_E_TYPE, "base64", NULL);
  h_expect_err(bdb_get_json(f->db, "bk", "enp6", &f->text), BDB_E_NOT_FOUND, "bk", NULL);
  h_expect_err(bdb_get_json(f->db, "bk", "\"*\"", &f->text), BDB_E_TYPE, "base64", NULL);
  /* Keys order bytewise. */
  query(f, "bk");
  h_ok(bdb_query_order(f->q, "k", 1));
  uint64_t v[4];
  bdb_query *q = f->q;
  f->q = NULL;
  assert_int_equal(h_collect_uint(q, "v", v, 4), 2);
  assert_int_equal(v[0], 2);
  assert_int_equal(v[1], 1);
}

/* varchar keys may hold NUL bytes: they stay distinct, order bytewise, and are reachable
 * through JSON-quoted key text. An empty table reads as empty. */
static void nul_in_varchar_keys_and_empty_table(void **state) {
  fixture *f = *state;
  static const struct {
    const char *key;
    size_t len;
    int n;
  } kKeys[] = {{"k\x01", 2, 3}, {"k", 1, 1}, {"k\0z", 3, 2}};
  bdb_batch *b = NULL;
  h_ok(bdb_batch_new(f->db, &b));
  for (int i = 0; i < 3; i++) {
    bdb_doc_free(f->d);
    f->d = NULL;
    h_ok(bdb_doc_new(f->db, "users", &f->d));
    h_ok(bdb_doc_set_string(f->d, "id", kKeys[i].key, kKeys[i].len));
    h_ok(bdb_doc_set_uint(f->d, "n", (uint64_t)kKeys[i].n + 10));
    h_ok(bdb_batch_insert(b, f->d));
  }
  bdb_status st = bdb_batch_commit(b, NULL);
  bdb_batch_free(b);
  h_ok(st);
  h_assert_row(f->db, "users", "\"k\\u0000z\"", "{\"id\":\"k\\u0000z\",\"n\":12}");
  h_assert_row(f->db, "users", "k", "{\"id\":\"k\",\"n\":11}");
  query(f, "users");
  h_ok(bdb_query_where(f->q, "id", "prefix", "\"k\""));
  uint64_t n[4];
  bdb_query *q = f->q;
  f->q = NULL;
  assert_int_equal(h_collect_uint(q, "n", n, 4), 3);
  assert_int_equal(n[0], 11);
  assert_int_equal(n[1], 12);
  assert_int_equal(n[2], 13);
  /* The text of a NUL-holding key comes back whole. */
  bdb_doc_free(f->d);
  f->d = NULL;
  h_ok(bdb_key_doc_from_text(f->db, "users", "\"k\\u0000z\"", &f->d));
  bdb_doc *row = NULL;
  h_ok(bdb_get(f->db, f->d, &row));
  const char *s = NULL;
  size_t len = 0;
  st = bdb_doc_get_string(row, "id", &s, &len);
  int same = st == BDB_OK && len == 3 && memcmp(s, "k\0z", 3) == 0;
  bdb_doc_free(row);
  h_ok(st);
  assert_true(same);

  h_register(f->db,
             "{\"name\":\"empty\",\"version\":1,\"fields\":{\"id\":{\"typeId\":2}},"
             "\"primaryKey\":\"id\"}");
  query(f, "empty");
  uint64_t count = 99;
  h_ok(bdb_query_count(f->q, &count));
  assert_int_equal(count, 0);
  h_ok(bdb_query_order(f->q, "id", 1));
  EXPECT_NONE(f, "empty table");
  assert_null(h_get_json(f->db, "empty", "1"));
}

/* Reads merge data blocks with the committed log: many blocks, then changes on top. */
static void reads_across_blocks_and_log(void **state) {
  (void)state;
  bdb_db *db = h_open("memory:", "blockSizeBytes", "512", NULL);
  h_register(db, kItems);
  bdb_batch *b = NULL;
  h_ok(bdb_batch_new(db, &b));
  for (int i = 1; i <= 300; i++) {
    char json[128];
    snprintf(json, sizeof json, "{\"id\":%d,\"name\":\"n%03d\",\"qty\":%d}", i * 2, i, i % 10);
    h_ok(bdb_batch_insert_json(b, "items", json));
    if (i % 50 == 0) h_ok(bdb_batch_commit(b, NULL));
  }
  uint64_t merged = 0;
  h_ok(bdb_db_merge(db, &merged));
  assert_int_equal(merged, 7); /* the schema and six batches */
  char *blocks = NULL;
  h_ok(bdb_db_inspect_json(db, "blocks", &blocks));
  size_t nblocks = h_count_substr(blocks, "\"schemaVersion\"");
  bdb_free(blocks);
  assert_true(nblocks > 3);
  /* On top of the blocks: odd keys between existing ones, updates, deletes. */
  for (int i = 1; i <= 300; i += 30) {
    char json[128];
    snprintf(json, sizeof json, "{\"id\":%d,\"name\":\"odd\",\"qty\":%d}", i * 2 + 1, 42);
    h_ok(bdb_batch_insert_json(b, "items", json));
    snprintf(json, sizeof json, "{\"id\":%d,\"qty\":42}", i * 2);
    h_ok(bdb_batch_patch_json(b, "items", json));
    snprintf(json, sizeof json, "%d", i * 2 + 2);
    h_ok(bdb_batch_delete_key(b, "items", json));
  }
  h_ok(bdb_batch_insert_json(b, "items", "{\"id\":100000,\"qty\":42}"));
  h_ok(bdb_batch_commit(b, NULL));
  bdb_batch_free(b);

  for (int pass = 0; pass < 2; pass++) {
    bdb_query *q = NULL;
    uint64_t n = 0;
    h_ok(bdb_query_new(db, "items", &q));
    h_ok(bdb_query_count(q, &n));
    bdb_query_free(q);
    assert_int_equal(n, 300 + 10 - 10 + 1);
    /* qty = 42: 10 inserted, 10 patched, 1 more. */
    h_ok(bdb_query_new(db, "items", &q));
    h_ok(bdb_query_where(q, "qty", "=", "42"));
    uint64_t ids[32];
    size_t got = h_collect_uint(q, "id", ids, 32);
    assert_int_equal(got, 21);
    for (size_t i = 1; i < got; i++) assert_true(ids[i - 1] < ids[i]);
    assert_int_equal(ids[0], 2);
    assert_int_equal(ids[1], 3);
    assert_int_equal(ids[20], 100000);
    /* Key order over everything, and a range through the middle. */
    h_ok(bdb_query_new(db, "items", &q));
    h_ok(bdb_query_where(q, "id", ">=", "100"));
    h_ok(bdb_query_where(q, "id", "<", "130"));
    uint64_t r[32];
    got = h_collect_uint(q, "id", r, 32);
    /* 100..128 even (15 keys), minus deleted 124, plus odd 123. */
    assert_int_equal(got, 15);
    for (size_t i = 1; i < got; i++) assert_true(r[i - 1] < r[i]);
    char *row = h_get_json(db, "items", "124");
    assert_null(row);
    h_assert_row(db, "items", "123", "{\"id\":123,\"name\":\"odd\",\"qty\":42}");
    h_assert_row(db, "items", "122", "{\"id\":122,\"name\":\"n061\",\"qty\":42}");
    h_assert_row(db, "items", "120", "{\"id\":120,\"name\":\"n060\",\"qty\":0}");
    h_assert_row(db, "items", "600", "{\"id\":600,\"name\":\"n300\",\"qty\":0}");
    if (pass == 0) h_ok(bdb_db_merge(db, &merged));
  }
  bdb_close(db);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(every_operator),
      T(order_limit_offset),
      T(signed_key_order),
      T(select_fields),
      T(count_queries),
      T(or_groups),
      T(cursor_to_the_end),
      T(page_tokens),
      T(bad_where),
      T(key_doc_from_text),
      T(point_gets),
      T(bytes_key_from_text),
      T(nul_in_varchar_keys_and_empty_table),
      cmocka_unit_test(reads_across_blocks_and_log),
  };
#undef T
  return cmocka_run_group_tests_name("abi.query", tests, NULL, NULL);
}
