/* Documents: typed setters and getters for all 16 types, JSON in and out, introspection and
 * every error of the accessors. Values are checked in memory and again after a commit and a
 * read, so the row codec is covered too. */
#include "helper.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Every type once, in type-id order after the key; `s` has a maxLength of 5 characters. */
static const char *kAll =
    "{\"name\":\"t_all\",\"version\":1,\"fields\":{"
    "\"id\":{\"typeId\":10,\"maxLength\":36},"
    "\"u8\":{\"typeId\":1},\"u32\":{\"typeId\":2},\"u64\":{\"typeId\":3},"
    "\"i32\":{\"typeId\":4},\"i64\":{\"typeId\":5},\"b\":{\"typeId\":6},"
    "\"f64\":{\"typeId\":7},\"ts\":{\"typeId\":8},\"j\":{\"typeId\":9},"
    "\"s\":{\"typeId\":10,\"maxLength\":5},\"bl\":{\"typeId\":11},\"u16\":{\"typeId\":12},"
    "\"i8\":{\"typeId\":13},\"i16\":{\"typeId\":14},\"f32\":{\"typeId\":15},"
    "\"by\":{\"typeId\":16}},\"primaryKey\":\"id\"}";

static const char *const kNames[] = {"id", "u8", "u32", "u64", "i32", "i64", "b",   "f64", "ts",
                                     "j",  "s",  "bl",  "u16", "i8",  "i16", "f32", "by"};
static const int kTypes[] = {10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

typedef struct fixture {
  bdb_db *db;
  bdb_doc *doc;  /* a fresh t_all document */
  bdb_doc *read; /* a document read back, freed at teardown */
  char *text;    /* a JSON text, freed at teardown */
} fixture;

static int setup(void **state) {
  static fixture f;
  memset(&f, 0, sizeof f);
  f.db = h_open("memory:", NULL);
  h_register(f.db, kAll);
  h_ok(bdb_doc_new(f.db, "t_all", &f.doc));
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  bdb_free(f->text);
  bdb_doc_free(f->read);
  bdb_doc_free(f->doc);
  bdb_close(f->db);
  memset(f, 0, sizeof *f);
  return 0;
}

/* Commits f->doc as an update and reads it back into f->read. */
static bdb_doc *roundtrip(fixture *f) {
  bdb_batch *b = NULL;
  h_ok(bdb_batch_new(f->db, &b));
  h_ok(bdb_batch_update(b, f->doc));
  uint64_t seq = 0;
  bdb_status st = bdb_batch_commit(b, &seq);
  bdb_batch_free(b);
  h_ok(st);
  bdb_doc_free(f->read);
  f->read = NULL;
  h_ok(bdb_get(f->db, f->doc, &f->read));
  assert_int_equal(bdb_doc_version(f->read), seq);
  return f->read;
}

static char *field_json(fixture *f, const bdb_doc *d, const char *field) {
  bdb_free(f->text);
  f->text = NULL;
  h_ok(bdb_doc_get_json(d, field, &f->text));
  return f->text;
}

/* ---- introspection ------------------------------------------------------------------------ */

static void introspection(void **state) {
  fixture *f = *state;
  bdb_doc *d = f->doc;
  assert_string_equal(bdb_doc_table(d), "t_all");
  assert_int_equal(bdb_doc_field_count(d), 17);
  for (size_t i = 0; i < 17; i++) {
    assert_string_equal(bdb_doc_field_name(d, i), kNames[i]);
    assert_int_equal(bdb_doc_field_type(d, kNames[i]), kTypes[i]);
    assert_int_equal(bdb_doc_has(d, kNames[i]), 0);
  }
  assert_null(bdb_doc_field_name(d, 17));
  assert_null(bdb_doc_field_name(d, (size_t)-1));
  assert_int_equal(bdb_doc_field_type(d, "nope"), 0);
  assert_int_equal(bdb_doc_field_type(d, ""), 0);
  assert_int_equal(bdb_doc_field_type(d, NULL), 0);
  assert_int_equal(bdb_doc_has(d, "nope"), 0);
  assert_int_equal(bdb_doc_has(d, NULL), 0);
  assert_int_equal(bdb_doc_version(d), 0);
  /* NULL handles give neutral answers. */
  assert_null(bdb_doc_table(NULL));
  assert_int_equal(bdb_doc_field_count(NULL), 0);
  assert_null(bdb_doc_field_name(NULL, 0));
  assert_int_equal(bdb_doc_field_type(NULL, "id"), 0);
  assert_int_equal(bdb_doc_has(NULL, "id"), 0);
  assert_int_equal(bdb_doc_version(NULL), 0);

  h_ok(bdb_doc_set_string(d, "id", "k", 1));
  h_ok(bdb_doc_set_uint(d, "u8", 1));
  assert_int_equal(bdb_doc_has(d, "u8"), 1);
  h_ok(bdb_doc_set_null(d, "u8"));
  assert_int_equal(bdb_doc_has(d, "u8"), 0);
  /* A read document has every field set (null ones still report has() == 0). */
  bdb_doc *r = roundtrip(f);
  assert_string_equal(bdb_doc_table(r), "t_all");
  assert_int_equal(bdb_doc_field_count(r), 17);
  assert_true(bdb_doc_version(r) > 0);
  assert_int_equal(bdb_doc_has(r, "id"), 1);
  assert_int_equal(bdb_doc_has(r, "u8"), 0);
}

/* ---- integers ----------------------------------------------------------------------------- */

static void unsigned_integers_and_ranges(void **state) {
  fixture *f = *state;
  bdb_doc *d = f->doc;
  h_ok(bdb_doc_set_string(d, "id", "k", 1));
  static const struct {
    const char *field;
    uint64_t max;
  } kU[] = {{"u8", UINT8_MAX}, {"u16", UINT16_MAX}, {"u32", UINT32_MAX}, {"u64", UINT64_MAX}};
  for (size_t i = 0; i < 4; i++) {
    h_ok(bdb_doc_set_uint(d, kU[i].field, kU[i].max));
    if (kU[i].max != UINT64_MAX) {
      /* One past the maximum is refused and the value stays. */
      h_expect_err(bdb_doc_set_uint(d, kU[i].field, kU[i].max + 1), BDB_E_TYPE, "t_all",
                   kU[i].field, "out of range", NULL);
      h_expect_err(bdb_doc_set_int(d, kU[i].field, (int64_t)kU[i].max + 1), BDB_E_TYPE, kU[i].field,
                   NULL);
    }
    h_expect_err(bdb_doc_set_int(d, kU[i].field, -1), BDB_E_TYPE, kU[i].field, "negative", NULL);
    uint64_t u = 0;
    h_ok(bdb_doc_get_uint(d, kU[i].field, &u));
    assert_int_equal(u, kU[i].max);
  }
  /* get_int works while the value fits int64, and refuses uint64 max. */
  int64_t i64 = 0;
  h_ok(bdb_doc_get_int(d, "u32", &i64));
  assert_int_equal(i64, UINT32_MAX);
  h_expect_err(bdb_doc_get_int(d, "u64", &i64), BDB_E_TYPE, "u64", "get_uint", NULL);
  double dbl = 0;
  h_ok(bdb_doc_get_double(d, "u8", &dbl));
  assert_true(dbl == 255.0);
  assert_string_equal(field_json(f, d, "u64"), "18446744073709551615");
  assert_string_equal(field_json(f, d, "u8"), "255");

  bdb_doc *r = roundtrip(f);
  uint64_t u = 0;
  h_ok(bdb_doc_get_uint(r, "u64", &u));
  assert_true(u == UINT64_MAX);
  h_ok(bdb_doc_get_uint(r, "u16", &u));
  assert_int_equal(u, UINT16_MAX);
  h_ok(bdb_doc_get_uint(r, "u32", &u));
  assert_int_equal(u, UINT32_MAX);
  h_ok(bdb_doc_get_uint(r, "u8", &u));
  assert_int_equal(u, UINT8_MAX);
  assert_string_equal(field_json(f, r, "u64"), "18446744073709551615");

  /* Zero is a value, not null. */
  h_ok(bdb_doc_set_uint(d, "u64", 0));
  r = roundtrip(f);
  h_ok(bdb_doc_get_uint(r, "u64", &u));
  assert_int_equal(u, 0);
  assert_int_equal(bdb_doc_has(r, "u64"), 1);
}

static void signed_integers_and_ranges(void **state) {
  fixture *f = *state;
  bdb_doc *d = f->doc;
  h_ok(bdb_doc_set_string(d, "id", "k", 1));
  static const struct {
    const char *field;
    int64_t min, max;
  } kI[] = {{"i8", INT8_MIN, INT8_MAX},
            {"i16", INT16_MIN, INT16_MAX},
            {"i32", INT32_MIN, INT32_MAX},
            {"i64", INT64_MIN, INT64_MAX},
            {"ts", INT64_MIN, INT64_MAX}};
  for (size_t i = 0; i < 5; i++) {
    int64_t v = 0;
    h_ok(bdb_doc_set_int(d, kI[i].field, kI[i].max));
    h_ok(bdb_doc_get_int(d, kI[i].field, &v));
    assert_true(v == kI[i].max);
    if (kI[i].max != INT64_MAX) {
      h_expect_err(bdb_doc_set_int(d, kI[i].field, kI[i].max + 1), BDB_E_TYPE, kI[i].field,
                   "out of range", NULL);
      h_expect_err(bdb_doc_set_int(d, kI[i].field, kI[i].min - 1), BDB_E_TYPE, kI[i].field,
                   "out of range", NULL);
    } else {
      h_expect_err(bdb_doc_set_uint(d, kI[i].field, (uint64_t)INT64_MAX + 1), BDB_E_TYPE,
                   kI[i].field, NULL);
    }
    h_ok(bdb_doc_set_int(d, kI[i].field, kI[i].min));
    h_ok(bdb_doc_get_int(d, kI[i].field, &v));
    assert_true(v == kI[i].min);
    /* A negative value does not convert to unsigned. */
    uint64_t u = 0;
    h_expect_err(bdb_doc_get_uint(d, kI[i].field, &u), BDB_E_TYPE, kI[i].field, NULL);
  }
  /* A positive value set through set_uint reads back through get_int. */
  h_ok(bdb_doc_set_uint(d, "i16", 300));
  int64_t v = 0;
  h_ok(bdb_doc_get_int(d, "i16", &v));
  assert_int_equal(v, 300);
  h_ok(bdb_doc_set_int(d, "i16", INT16_MIN));
  /* An integral double converts, a fraction does not. */
  h_ok(bdb_doc_set_double(d, "i32", -7.0));
  h_ok(bdb_doc_get_int(d, "i32", &v));
  assert_int_equal(v, -7);
  h_expect_err(bdb_doc_set_double(d, "i32", 1.5), BDB_E_TYPE, "i32", NULL);
  h_expect_err(bdb_doc_set_double(d, "u8", NAN), BDB_E_TYPE, "u8", NULL);
  h_ok(bdb_doc_set_int(d, "i32", INT32_MIN));
  assert_string_equal(field_json(f, d, "i64"), "-9223372036854775808");

  bdb_doc *r = roundtrip(f);
  for (size_t i = 0; i < 5; i++) {
    h_ok(bdb_doc_get_int(r, kI[i].field, &v));
    if (v != kI[i].min) fail_msg("%s read back as %lld", kI[i].field, (long long)v);
  }
  assert_string_equal(field_json(f, r, "i64"), "-9223372036854775808");
  assert_string_equal(field_json(f, r, "ts"), "-9223372036854775808");
  assert_string_equal(field_json(f, r, "i8"), "-128");
}

/* ---- booleans and floating point ---------------------------------------------------------- */

static void booleans(void **state) {
  fixture *f = *state;
  bdb_doc *d = f->doc;
  h_ok(bdb_doc_set_string(d, "id", "k", 1));
  int b = -1;
  h_ok(bdb_doc_set_bool(d, "b", 42)); /* any nonzero is true */
  h_ok(bdb_doc_get_bool(d, "b", &b));
  assert_int_equal(b, 1);
  assert_string_equal(field_json(f, d, "b"), "true");
  h_ok(bdb_doc_set_bool(d, "b", 0));
  h_ok(bdb_doc_get_bool(d, "b", &b));
  assert_int_equal(b, 0);
  h_expect_err(bdb_doc_set_int(d, "b", 1), BDB_E_TYPE, "b", NULL);
  h_expect_err(bdb_doc_set_string(d, "b", "true", 4), BDB_E_TYPE, "b", NULL);
  h_expect_err(bdb_doc_set_bool(d, "u8", 1), BDB_E_TYPE, "u8", NULL);
  int64_t i = 0;
  h_expect_err(bdb_doc_get_int(d, "b", &i), BDB_E_TYPE, "b", NULL);
  bdb_doc *r = roundtrip(f);
  b = -1;
  h_ok(bdb_doc_get_bool(r, "b", &b));
  assert_int_equal(b, 0); /* false is stored, not null */
  assert_string_equal(field_json(f, r, "b"), "false");
}

static void floats_edge_values(void **state) {
  fixture *f = *state;
  bdb_doc *d = f->doc;
  h_ok(bdb_doc_set_string(d, "id", "k", 1));
  double x = 0;
  /* -0.0 keeps its sign, in memory and through storage. */
  h_ok(bdb_doc_set_double(d, "f64", -0.0));
  h_ok(bdb_doc_set_double(d, "f32", -0.0));
  bdb_doc *r = roundtrip(f);
  h_ok(bdb_doc_get_double(r, "f64", &x));
  assert_true(x == 0.0 && signbit(x));
  h_ok(bdb_doc_get_double(r, "f32", &x));
  assert_true(x == 0.0 && signbit(x));
  assert_string_equal(field_json(f, r, "f64"), "-0.0");

  /* NaN and the infinities; JSON spells them as strings. */
  h_ok(bdb_doc_set_double(d, "f64", NAN));
  h_ok(bdb_doc_set_double(d, "f32", INFINITY));
  assert_string_equal(field_json(f, d, "f64"), "\"NaN\"");
  assert_string_equal(field_json(f, d, "f32"), "\"Infinity\"");
  r = roundtrip(f);
  h_ok(bdb_doc_get_double(r, "f64", &x));
  assert_true(isnan(x));
  h_ok(bdb_doc_get_double(r, "f32", &x));
  assert_true(isinf(x) && x > 0);
  h_ok(bdb_doc_set_double(d, "f64", -INFINITY));
  r = roundtrip(f);
  h_ok(bdb_doc_get_double(r, "f64", &x));
  assert_true(isinf(x) && x < 0);
  assert_string_equal(field_json(f, r, "f64"), "\"-Infinity\"");

  /* Extremes of float64; float32 rounds to the nearest float and refuses what it cannot hold. */
  h_ok(bdb_doc_set_double(d, "f64", 1.7976931348623157e308));
  h_ok(bdb_doc_set_double(d, "f32", 0.1));
  r = roundtrip(f);
  h_ok(bdb_doc_get_double(r, "f64", &x));
  assert_true(x == 1.7976931348623157e308);
  h_ok(bdb_doc_get_double(r, "f32", &x));
  assert_true(x == (double)0.1f);
  h_expect_err(bdb_doc_set_double(d, "f32", 1e39), BDB_E_TYPE, "f32", "float32", NULL);
  h_ok(bdb_doc_set_double(d, "f64", 4.9e-324)); /* smallest subnormal */
  h_ok(bdb_doc_set_int(d, "f32", -3));          /* integers convert to floats */
  r = roundtrip(f);
  h_ok(bdb_doc_get_double(r, "f64", &x));
  assert_true(x == 4.9e-324);
  h_ok(bdb_doc_get_double(r, "f32", &x));
  assert_true(x == -3.0);
  assert_string_equal(field_json(f, r, "f32"), "-3.0");
  /* A float is not an integer. */
  int64_t i = 0;
  h_expect_err(bdb_doc_get_int(r, "f32", &i), BDB_E_TYPE, "f32", NULL);
  h_expect_err(bdb_doc_set_string(d, "f64", "1.5", 3), BDB_E_TYPE, "f64", NULL);
}

/* ---- text, json, bytes -------------------------------------------------------------------- */

static void strings_and_utf8(void **state) {
  fixture *f = *state;
  bdb_doc *d = f->doc;
  h_ok(bdb_doc_set_string(d, "id", "k", 1));
  const char *s = NULL;
  size_t n = 99;
  /* The empty string is a value, not null. */
  h_ok(bdb_doc_set_string(d, "s", "", 0));
  assert_int_equal(bdb_doc_has(d, "s"), 1);
  h_ok(bdb_doc_get_string(d, "s", &s, &n));
  assert_int_equal(n, 0);
  assert_string_equal(s, "");
  h_ok(bdb_doc_set_string(d, "s", NULL, 0)); /* NULL with length 0 is the empty string too */
  bdb_doc *r = roundtrip(f);
  h_ok(bdb_doc_get_string(r, "s", &s, &n));
  assert_int_equal(n, 0);
  assert_int_equal(bdb_doc_has(r, "s"), 1);
  assert_string_equal(field_json(f, r, "s"), "\"\"");

  /* maxLength counts characters: five 1-3 byte characters (11 bytes) fit in 5. */
  const char *jp =
      "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"
      "ab"; /* "日本語ab" */
  h_ok(bdb_doc_set_string(d, "s", jp, strlen(jp)));
  r = roundtrip(f);
  h_ok(bdb_doc_get_string(r, "s", &s, &n));
  assert_int_equal(n, 11);
  assert_memory_equal(s, jp, 11);
  assert_int_equal(s[n], '\0'); /* borrowed text is NUL-terminated */
  /* A 4-byte character counts once as well. */
  const char *emoji =
      "\xf0\x9f\x98\x80"
      "abcd"; /* 5 characters, 8 bytes */
  h_ok(bdb_doc_set_string(d, "s", emoji, strlen(emoji)));

  /* Six characters: refused, never truncated, the previous value stays. */
  const char *six =
      "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"
      "abc";
  h_expect_err(bdb_doc_set_string(d, "s", six, strlen(six)), BDB_E_TYPE, "t_all", "'s'",
               "maxLength", NULL);
  h_ok(bdb_doc_get_string(d, "s", &s, &n));
  assert_int_equal(n, 8);
  assert_memory_equal(s, emoji, 8);
  h_expect_err(bdb_doc_set_string(d, "s", "abcdef", 6), BDB_E_TYPE, "maxLength", NULL);
  h_expect_err(bdb_doc_set_json(d, "s", "\"abcdef\""), BDB_E_TYPE, "maxLength", NULL);
  h_ok(bdb_doc_get_string(d, "s", &s, &n));
  assert_int_equal(n, 8);

  /* Invalid UTF-8 (a stray continuation byte, an overlong, a surrogate) is refused. */
  h_expect_err(bdb_doc_set_string(d, "s", "a\x80", 2), BDB_E_TYPE, "UTF-8", NULL);
  h_expect_err(bdb_doc_set_string(d, "s", "\xc0\xaf", 2), BDB_E_TYPE, "UTF-8", NULL);
  h_expect_err(bdb_doc_set_string(d, "s", "\xed\xa0\x80", 3), BDB_E_TYPE, "UTF-8", NULL);
  h_expect_err(bdb_doc_set_string(d, "s", "\xe6\x97", 2), BDB_E_TYPE, "UTF-8", NULL);
  h_expect_err(bdb_doc_set_string(d, "s", NULL, 3), BDB_E_INVALID, "NULL", NULL);

  /* Wrong types both ways. */
  h_expect_err(bdb_doc_set_string(d, "u8", "1", 1), BDB_E_TYPE, "u8", NULL);
  h_expect_err(bdb_doc_set_uint(d, "s", 1), BDB_E_TYPE, "'s'", NULL);
  h_expect_err(bdb_doc_set_bytes(d, "s", "ab", 2), BDB_E_TYPE, "'s'", "bytes", NULL);
  h_expect_err(bdb_doc_get_string(d, "u8", &s, &n), BDB_E_NOT_FOUND, "u8", NULL); /* unset */
  h_ok(bdb_doc_set_uint(d, "u8", 5));
  h_expect_err(bdb_doc_get_string(d, "u8", &s, &n), BDB_E_TYPE, "u8", NULL);
  uint64_t u = 0;
  h_expect_err(bdb_doc_get_uint(d, "s", &u), BDB_E_TYPE, "'s'", NULL);
  /* out_len may be NULL. */
  h_ok(bdb_doc_get_string(d, "s", &s, NULL));
  assert_string_equal(s, emoji);
}

static void json_field(void **state) {
  fixture *f = *state;
  bdb_doc *d = f->doc;
  h_ok(bdb_doc_set_string(d, "id", "k", 1));
  /* set_string keeps JSON text verbatim; get_json returns that text, not a quoted string. */
  const char *text = "{\"b\": [1, 2.5, \"x\"], \"a\": null, \"big\": 18446744073709551615}";
  h_ok(bdb_doc_set_string(d, "j", text, strlen(text)));
  assert_string_equal(field_json(f, d, "j"), text);
  const char *s = NULL;
  size_t n = 0;
  h_ok(bdb_doc_get_string(d, "j", &s, &n));
  assert_string_equal(s, text);
  bdb_doc *r = roundtrip(f);
  assert_string_equal(field_json(f, r, "j"), text);
  /* Inside the whole document it is embedded as JSON, not as a string. */
  bdb_free(f->text);
  f->text = NULL;
  h_ok(bdb_doc_to_json(r, &f->text));
  h_assert_contains(f->text, "\"j\":{");
  h_assert_contains(f->text, "18446744073709551615");
  /* Text that is not JSON is refused. */
  h_expect_err(bdb_doc_set_string(d, "j", "{nope", 5), BDB_E_TYPE, "'j'", "JSON", NULL);
  /* set_json takes the JSON value itself; scalars are JSON too. */
  h_ok(bdb_doc_set_json(d, "j", "[1,\"two\",{\"three\":3}]"));
  assert_string_equal(field_json(f, d, "j"), "[1,\"two\",{\"three\":3}]");
  h_ok(bdb_doc_set_json(d, "j", "\"just a string\""));
  assert_string_equal(field_json(f, d, "j"), "\"just a string\"");
  h_ok(bdb_doc_set_json(d, "j", "42"));
  assert_string_equal(field_json(f, d, "j"), "42");
  /* JSON null through set_json makes the field null. */
  h_ok(bdb_doc_set_json(d, "j", "null"));
  assert_int_equal(bdb_doc_has(d, "j"), 0);
  h_expect_err(bdb_doc_set_json(d, "j", "{nope"), BDB_E_JSON, "'j'", NULL);
  /* Object members set through set_json keep their values (member order may be normalised). */
  h_ok(bdb_doc_set_json(d, "j", "{\"b\":1,\"a\":2}"));
  char *got = field_json(f, d, "j");
  h_assert_contains(got, "\"a\":2");
  h_assert_contains(got, "\"b\":1");
}

static void bytes_with_nul(void **state) {
  fixture *f = *state;
  bdb_doc *d = f->doc;
  h_ok(bdb_doc_set_string(d, "id", "k", 1));
  const unsigned char raw[] = {0x00, 'a', 0x00, 'b'};
  h_ok(bdb_doc_set_bytes(d, "by", raw, sizeof raw));
  const void *p = NULL;
  size_t n = 0;
  h_ok(bdb_doc_get_bytes(d, "by", &p, &n));
  assert_int_equal(n, 4);
  assert_memory_equal(p, raw, 4);
  assert_string_equal(field_json(f, d, "by"), "\"AGEAYg==\"");
  bdb_doc *r = roundtrip(f);
  h_ok(bdb_doc_get_bytes(r, "by", &p, &n));
  assert_int_equal(n, 4);
  assert_memory_equal(p, raw, 4);
  /* Not text. */
  const char *s = NULL;
  h_expect_err(bdb_doc_get_string(r, "by", &s, &n), BDB_E_TYPE, "by", NULL);
  h_expect_err(bdb_doc_set_string(d, "by", "ab", 2), BDB_E_TYPE, "by", NULL);
  h_expect_err(bdb_doc_get_bytes(r, "by", &p, NULL), BDB_E_INVALID, "out_len", NULL);
  /* Empty bytes are a value; bytes arbitrary, not UTF-8. */
  h_ok(bdb_doc_set_bytes(d, "by", NULL, 0));
  assert_int_equal(bdb_doc_has(d, "by"), 1);
  assert_string_equal(field_json(f, d, "by"), "\"\"");
  const unsigned char bin[] = {0xff, 0xfe, 0x80, 0x00};
  h_ok(bdb_doc_set_bytes(d, "by", bin, 4));
  r = roundtrip(f);
  h_ok(bdb_doc_get_bytes(r, "by", &p, &n));
  assert_int_equal(n, 4);
  assert_memory_equal(p, bin, 4);
  h_expect_err(bdb_doc_set_bytes(d, "by", NULL, 2), BDB_E_INVALID, "NULL", NULL);
  /* JSON input is base64; bad base64 is a type error. */
  h_ok(bdb_doc_set_json(d, "by", "\"AAEC/w==\""));
  h_ok(bdb_doc_get_bytes(d, "by", &p, &n));
  assert_int_equal(n, 4);
  assert_memory_equal(p, "\x00\x01\x02\xff", 4);
  h_expect_err(bdb_doc_set_json(d, "by", "\"not*base64\""), BDB_E_TYPE, "by", "base64", NULL);
}

static void blob_field(void **state) {
  fixture *f = *state;
  bdb_doc *d = f->doc;
  h_ok(bdb_doc_set_string(d, "id", "k", 1));
  char id[37];
  memset(id, 'x', sizeof id);
  h_expect_err(bdb_doc_get_blob_id(d, "bl", id), BDB_E_NOT_FOUND, "bl", NULL);
  h_ok(bdb_doc_set_blob(d, "bl", "hello", 5));
  assert_int_equal(bdb_doc_has(d, "bl"), 1);
  h_ok(bdb_doc_get_blob_id(d, "bl", id));
  /* RFC 4122 layout, lower-case hex, NUL-terminated. */
  assert_int_equal(strlen(id), 36);
  for (int i = 0; i < 36; i++) {
    if (i == 8 || i == 13 || i == 18 || i == 23)
      assert_int_equal(id[i], '-');
    else
      assert_non_null(strchr("0123456789abcdef", id[i]));
  }
  char quoted[40];
  snprintf(quoted, sizeof quoted, "\"%s\"", id);
  assert_string_equal(field_json(f, d, "bl"), quoted);
  bdb_doc *r = roundtrip(f);
  char id2[37];
  h_ok(bdb_doc_get_blob_id(r, "bl", id2));
  assert_string_equal(id2, id);
  /* A blob is none of the other kinds. */
  h_expect_err(bdb_doc_set_blob(d, "by", "x", 1), BDB_E_TYPE, "by", "blob", NULL);
  h_expect_err(bdb_doc_get_blob_id(d, "by", id2), BDB_E_NOT_FOUND, "by", NULL); /* unset */
  h_expect_err(bdb_doc_get_blob_id(d, "id", id2), BDB_E_TYPE, "id", NULL);
  h_expect_err(bdb_doc_set_string(d, "bl", "x", 1), BDB_E_TYPE, "bl", NULL);
  h_expect_err(bdb_doc_set_blob(d, "bl", NULL, 3), BDB_E_INVALID, "NULL", NULL);
  /* An id from JSON is taken as is; a malformed one is refused. */
  h_ok(bdb_doc_set_json(d, "bl", quoted));
  h_ok(bdb_doc_get_blob_id(d, "bl", id2));
  assert_string_equal(id2, id);
  h_expect_err(bdb_doc_set_json(d, "bl", "\"not-a-uuid\""), BDB_E_TYPE, "bl", NULL);
  h_expect_err(bdb_doc_get_blob_id(d, "bl", NULL), BDB_E_INVALID, "out", NULL);
}

/* ---- errors common to all accessors ------------------------------------------------------- */

static void unknown_field_names_table_and_field(void **state) {
  fixture *f = *state;
  bdb_doc *d = f->doc;
  int b = 0;
  int64_t i = 0;
  uint64_t u = 0;
  double x = 0;
  const char *s = NULL;
  const void *p = NULL;
  size_t n = 0;
  char *j = NULL;
  char id[37];
  h_expect_err(bdb_doc_set_null(d, "nope"), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  h_expect_err(bdb_doc_set_bool(d, "nope", 1), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  h_expect_err(bdb_doc_set_int(d, "nope", 1), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  h_expect_err(bdb_doc_set_uint(d, "nope", 1), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  h_expect_err(bdb_doc_set_double(d, "nope", 1), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  h_expect_err(bdb_doc_set_string(d, "nope", "a", 1), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  h_expect_err(bdb_doc_set_bytes(d, "nope", "a", 1), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  h_expect_err(bdb_doc_set_json(d, "nope", "1"), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  h_expect_err(bdb_doc_set_blob(d, "nope", "a", 1), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  h_expect_err(bdb_doc_get_bool(d, "nope", &b), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  h_expect_err(bdb_doc_get_int(d, "nope", &i), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  h_expect_err(bdb_doc_get_uint(d, "nope", &u), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  h_expect_err(bdb_doc_get_double(d, "nope", &x), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  h_expect_err(bdb_doc_get_string(d, "nope", &s, &n), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  h_expect_err(bdb_doc_get_bytes(d, "nope", &p, &n), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  h_expect_err(bdb_doc_get_json(d, "nope", &j), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  h_expect_err(bdb_doc_get_blob_id(d, "nope", id), BDB_E_SCHEMA, "t_all", "'nope'", NULL);
  assert_null(j);
}

static void unset_and_null_getters_not_found(void **state) {
  fixture *f = *state;
  bdb_doc *d = f->doc;
  int b = 0;
  int64_t i = 0;
  uint64_t u = 0;
  double x = 0;
  const char *s = NULL;
  const void *p = NULL;
  size_t n = 0;
  char *j = NULL;
  char id[37];
  /* Unset, then explicitly null: both are "not found" and say which field. */
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1)
      for (size_t k = 1; k < 17; k++) h_ok(bdb_doc_set_null(d, kNames[k]));
    h_expect_err(bdb_doc_get_bool(d, "b", &b), BDB_E_NOT_FOUND, "t_all", "'b'", NULL);
    h_expect_err(bdb_doc_get_int(d, "i64", &i), BDB_E_NOT_FOUND, "'i64'", NULL);
    h_expect_err(bdb_doc_get_uint(d, "u64", &u), BDB_E_NOT_FOUND, "'u64'", NULL);
    h_expect_err(bdb_doc_get_double(d, "f64", &x), BDB_E_NOT_FOUND, "'f64'", NULL);
    h_expect_err(bdb_doc_get_string(d, "s", &s, &n), BDB_E_NOT_FOUND, "'s'", NULL);
    h_expect_err(bdb_doc_get_bytes(d, "by", &p, &n), BDB_E_NOT_FOUND, "'by'", NULL);
    h_expect_err(bdb_doc_get_json(d, "j", &j), BDB_E_NOT_FOUND, "'j'", NULL);
    h_expect_err(bdb_doc_get_blob_id(d, "bl", id), BDB_E_NOT_FOUND, "'bl'", NULL);
  }
  /* Null fields are left out of the JSON. */
  h_ok(bdb_doc_set_string(d, "id", "k", 1));
  h_ok(bdb_doc_to_json(d, &f->text));
  assert_string_equal(f->text, "{\"id\":\"k\"}");
  /* ... and stored as null. */
  bdb_doc *r = roundtrip(f);
  for (size_t k = 1; k < 17; k++) assert_int_equal(bdb_doc_has(r, kNames[k]), 0);
  h_expect_err(bdb_doc_get_uint(r, "u8", &u), BDB_E_NOT_FOUND, "'u8'", NULL);
}

static void null_arguments(void **state) {
  fixture *f = *state;
  bdb_doc *d = f->doc;
  bdb_doc *out = (bdb_doc *)1;
  h_expect_err(bdb_doc_new(NULL, "t_all", &out), BDB_E_INVALID, "db", NULL);
  assert_null(out);
  h_expect_err(bdb_doc_new(f->db, NULL, &out), BDB_E_INVALID, "table", NULL);
  h_expect_err(bdb_doc_new(f->db, "t_all", NULL), BDB_E_INVALID, "out", NULL);
  h_expect_err(bdb_doc_from_json(f->db, "t_all", NULL, &out), BDB_E_INVALID, "json", NULL);
  h_expect_err(bdb_doc_from_json(NULL, "t_all", "{}", &out), BDB_E_INVALID, "db", NULL);
  h_expect_err(bdb_doc_from_json(f->db, NULL, "{}", &out), BDB_E_INVALID, "table", NULL);
  h_expect_err(bdb_doc_from_json(f->db, "t_all", "{}", NULL), BDB_E_INVALID, "out", NULL);
  char *j = NULL;
  h_expect_err(bdb_doc_to_json(NULL, &j), BDB_E_INVALID, "doc", NULL);
  h_expect_err(bdb_doc_to_json(d, NULL), BDB_E_INVALID, "out_json", NULL);
  h_expect_err(bdb_doc_set_uint(NULL, "u8", 1), BDB_E_INVALID, "doc", NULL);
  h_expect_err(bdb_doc_set_uint(d, NULL, 1), BDB_E_INVALID, "field", NULL);
  h_expect_err(bdb_doc_set_null(NULL, "u8"), BDB_E_INVALID, NULL);
  h_expect_err(bdb_doc_set_bool(NULL, "b", 1), BDB_E_INVALID, NULL);
  h_expect_err(bdb_doc_set_int(NULL, "i8", 1), BDB_E_INVALID, NULL);
  h_expect_err(bdb_doc_set_double(NULL, "f64", 1), BDB_E_INVALID, NULL);
  h_expect_err(bdb_doc_set_string(NULL, "s", "a", 1), BDB_E_INVALID, NULL);
  h_expect_err(bdb_doc_set_bytes(NULL, "by", "a", 1), BDB_E_INVALID, NULL);
  h_expect_err(bdb_doc_set_json(NULL, "u8", "1"), BDB_E_INVALID, NULL);
  h_expect_err(bdb_doc_set_json(d, NULL, "1"), BDB_E_INVALID, "field", NULL);
  h_expect_err(bdb_doc_set_json(d, "u8", NULL), BDB_E_INVALID, "json", NULL);
  h_expect_err(bdb_doc_set_blob(NULL, "bl", "a", 1), BDB_E_INVALID, NULL);
  h_expect_err(bdb_doc_set_blob(d, NULL, "a", 1), BDB_E_INVALID, NULL);
  h_ok(bdb_doc_set_uint(d, "u8", 1));
  uint64_t u = 0;
  int b = 0;
  int64_t i = 0;
  double x = 0;
  h_expect_err(bdb_doc_get_uint(NULL, "u8", &u), BDB_E_INVALID, NULL);
  h_expect_err(bdb_doc_get_uint(d, NULL, &u), BDB_E_INVALID, NULL);
  h_expect_err(bdb_doc_get_uint(d, "u8", NULL), BDB_E_INVALID, "out", NULL);
  h_expect_err(bdb_doc_get_int(d, "u8", NULL), BDB_E_INVALID, "out", NULL);
  h_expect_err(bdb_doc_get_bool(d, "u8", NULL), BDB_E_INVALID, "out", NULL);
  h_expect_err(bdb_doc_get_double(d, "u8", NULL), BDB_E_INVALID, "out", NULL);
  h_expect_err(bdb_doc_get_string(d, "u8", NULL, NULL), BDB_E_INVALID, "out", NULL);
  h_expect_err(bdb_doc_get_bytes(d, "u8", NULL, NULL), BDB_E_INVALID, "out", NULL);
  h_expect_err(bdb_doc_get_json(d, "u8", NULL), BDB_E_INVALID, "out_json", NULL);
  h_expect_err(bdb_doc_get_bool(NULL, "b", &b), BDB_E_INVALID, NULL);
  h_expect_err(bdb_doc_get_int(NULL, "i8", &i), BDB_E_INVALID, NULL);
  h_expect_err(bdb_doc_get_double(NULL, "f64", &x), BDB_E_INVALID, NULL);
  h_expect_err(bdb_doc_get_json(NULL, "u8", &j), BDB_E_INVALID, NULL);
}

/* ---- JSON documents ----------------------------------------------------------------------- */

static const char *kFullJson =
    "{\"id\":\"k1\",\"u8\":255,\"u32\":4294967295,\"u64\":18446744073709551615,"
    "\"i32\":-2147483648,\"i64\":-9223372036854775808,\"b\":true,\"f64\":-0.0,"
    "\"ts\":1700000000123,\"j\":{\"a\":[1,2]},\"s\":\"\xc3\xa9t\xc3\xa9!\","
    "\"u16\":65535,\"i8\":-128,\"i16\":32767,\"f32\":\"NaN\",\"by\":\"AGEAYg==\"}";

static void from_json_to_json_roundtrip(void **state) {
  fixture *f = *state;
  bdb_doc *d = NULL;
  h_ok(bdb_doc_from_json(f->db, "t_all", kFullJson, &d));
  bdb_doc_free(f->doc);
  f->doc = d;
  /* Typed getters see exact values. */
  uint64_t u = 0;
  h_ok(bdb_doc_get_uint(d, "u64", &u));
  assert_true(u == UINT64_MAX);
  int64_t i = 0;
  h_ok(bdb_doc_get_int(d, "i64", &i));
  assert_true(i == INT64_MIN);
  h_ok(bdb_doc_get_int(d, "ts", &i));
  assert_true(i == 1700000000123LL);
  double x = 0;
  h_ok(bdb_doc_get_double(d, "f32", &x));
  assert_true(isnan(x));
  h_ok(bdb_doc_get_double(d, "f64", &x));
  assert_true(x == 0 && signbit(x));
  const void *p = NULL;
  size_t n = 0;
  h_ok(bdb_doc_get_bytes(d, "by", &p, &n));
  assert_int_equal(n, 4);
  assert_memory_equal(p, "\0a\0b", 4);
  /* to_json gives the same document back, in declaration order. */
  h_ok(bdb_doc_to_json(d, &f->text));
  assert_string_equal(f->text, kFullJson);
  /* ... and so does a stored and re-read copy, and a doc built from that JSON. */
  bdb_doc *r = roundtrip(f);
  bdb_free(f->text);
  f->text = NULL;
  h_ok(bdb_doc_to_json(r, &f->text));
  assert_string_equal(f->text, kFullJson);
  bdb_doc *again = NULL;
  h_ok(bdb_doc_from_json(f->db, "t_all", f->text, &again));
  char *text2 = NULL;
  bdb_status st = bdb_doc_to_json(again, &text2);
  bdb_doc_free(again);
  h_ok(st);
  int same = strcmp(text2, kFullJson) == 0;
  bdb_free(text2);
  assert_true(same);
}

/* get_json for each type gives the literal that to_json uses. */
static void get_json_each_type(void **state) {
  fixture *f = *state;
  bdb_doc *d = NULL;
  h_ok(bdb_doc_from_json(f->db, "t_all", kFullJson, &d));
  bdb_doc_free(f->doc);
  f->doc = d;
  static const char *const kWant[][2] = {
      {"id", "\"k1\""},
      {"u8", "255"},
      {"u32", "4294967295"},
      {"u64", "18446744073709551615"},
      {"i32", "-2147483648"},
      {"i64", "-9223372036854775808"},
      {"b", "true"},
      {"f64", "-0.0"},
      {"ts", "1700000000123"},
      {"j", "{\"a\":[1,2]}"},
      {"s", "\"\xc3\xa9t\xc3\xa9!\""},
      {"u16", "65535"},
      {"i8", "-128"},
      {"i16", "32767"},
      {"f32", "\"NaN\""},
      {"by", "\"AGEAYg==\""},
  };
  for (size_t k = 0; k < sizeof kWant / sizeof kWant[0]; k++) {
    char *j = field_json(f, d, kWant[k][0]);
    if (strcmp(j, kWant[k][1]) != 0)
      fail_msg("get_json(%s) = %s, want %s", kWant[k][0], j, kWant[k][1]);
  }
  /* set_json accepts what get_json gives, for every field. */
  bdb_doc *copy = NULL;
  h_ok(bdb_doc_new(f->db, "t_all", &copy));
  for (size_t k = 0; k < sizeof kWant / sizeof kWant[0]; k++) {
    bdb_status st = bdb_doc_set_json(copy, kWant[k][0], kWant[k][1]);
    if (st != BDB_OK) {
      bdb_doc_free(copy);
      fail_msg("set_json(%s, %s): %s", kWant[k][0], kWant[k][1], bdb_errmsg());
    }
  }
  bdb_free(f->text);
  f->text = NULL;
  bdb_status st = bdb_doc_to_json(copy, &f->text);
  bdb_doc_free(copy);
  h_ok(st);
  assert_string_equal(f->text, kFullJson);
}

static void from_json_errors(void **state) {
  fixture *f = *state;
  static const struct {
    const char *json;
    bdb_status st;
    const char *mention;
  } kBad[] = {
      {"{\"id\":\"k\",\"nope\":1}", BDB_E_SCHEMA, "nope"},
      {"{\"id\":\"k\",\"u8\":256}", BDB_E_TYPE, "u8"},
      {"{\"id\":\"k\",\"u8\":-1}", BDB_E_TYPE, "u8"},
      {"{\"id\":\"k\",\"u8\":1.5}", BDB_E_TYPE, "u8"},
      {"{\"id\":\"k\",\"u8\":\"1\"}", BDB_E_TYPE, "u8"},
      {"{\"id\":\"k\",\"u64\":18446744073709551616}", BDB_E_TYPE, "u64"},
      {"{\"id\":\"k\",\"i64\":9223372036854775808}", BDB_E_TYPE, "i64"},
      {"{\"id\":\"k\",\"b\":1}", BDB_E_TYPE, "'b'"},
      {"{\"id\":\"k\",\"f64\":\"nan\"}", BDB_E_TYPE, "f64"},
      {"{\"id\":\"k\",\"s\":\"toolong\"}", BDB_E_TYPE, "maxLength"},
      {"{\"id\":\"k\",\"s\":5}", BDB_E_TYPE, "'s'"},
      {"{\"id\":\"k\",\"by\":\"***\"}", BDB_E_TYPE, "base64"},
      {"{\"id\":\"k\",\"bl\":\"x\"}", BDB_E_TYPE, "bl"},
      {"{\"id\":\"k\",\"bl\":{\"bytes\":\"AA==\"}}", BDB_E_TYPE, "bl"},
      {"{\"id\":123}", BDB_E_TYPE, "id"},
      {"[1]", BDB_E_TYPE, "object"},
      {"{\"id\":\"k\"", BDB_E_JSON, "t_all"},
      {"", BDB_E_JSON, "JSON"},
  };
  for (size_t k = 0; k < sizeof kBad / sizeof kBad[0]; k++) {
    bdb_doc *d = (bdb_doc *)1;
    bdb_status st = bdb_doc_from_json(f->db, "t_all", kBad[k].json, &d);
    if (st == BDB_OK) bdb_doc_free(d);
    if (st != kBad[k].st)
      fail_msg("%s: expected %d, got %d (%s)", kBad[k].json, (int)kBad[k].st, (int)st,
               bdb_errmsg());
    assert_null(d);
    if (!strstr(bdb_errmsg(), kBad[k].mention))
      fail_msg("%s: \"%s\" does not mention %s", kBad[k].json, bdb_errmsg(), kBad[k].mention);
  }
  bdb_doc *d = NULL;
  h_expect_err(bdb_doc_from_json(f->db, "nosuch", "{}", &d), BDB_E_SCHEMA, "nosuch", NULL);
  /* JSON null is an explicit null. */
  h_ok(bdb_doc_from_json(f->db, "t_all", "{\"id\":\"k\",\"u8\":null}", &d));
  assert_int_equal(bdb_doc_has(d, "u8"), 0);
  bdb_doc_free(d);
}

/* JSON integers beyond int64 must be refused, not rounded: the parser turns such a literal
 * into a double, and -9223372036854775809 rounds to exactly -2^63, which then passes as an
 * "integral double" and silently becomes INT64_MIN. */
static void json_integer_below_int64_refused(void **state) {
  fixture *f = *state;
  static const char *const kBad[] = {
      "{\"id\":\"k\",\"i64\":-9223372036854775809}",
      "{\"id\":\"k\",\"ts\":-9223372036854775809}",
      "{\"id\":\"k\",\"i64\":-9223372036854776000}",
  };
  for (size_t k = 0; k < sizeof kBad / sizeof kBad[0]; k++) {
    bdb_doc *d = NULL;
    bdb_status st = bdb_doc_from_json(f->db, "t_all", kBad[k], &d);
    char *text = NULL;
    if (st == BDB_OK) bdb_doc_to_json(d, &text);
    bdb_doc_free(d);
    if (st != BDB_E_TYPE) {
      char copy[256];
      snprintf(copy, sizeof copy, "%s", text ? text : "");
      bdb_free(text);
      fail_msg("%s: expected BDB_E_TYPE, got %d; the document became %s", kBad[k], (int)st, copy);
    }
  }
  h_expect_err(bdb_doc_set_json(f->doc, "i64", "-9223372036854775809"), BDB_E_TYPE, "i64", NULL);
}

/* A failed set_json leaves the document as it was (no half-applied values). */
static void failed_setters_leave_doc_unchanged(void **state) {
  fixture *f = *state;
  bdb_doc *d = f->doc;
  h_ok(bdb_doc_set_uint(d, "u8", 7));
  h_expect_err(bdb_doc_set_json(d, "u8", "300"), BDB_E_TYPE, "u8", NULL);
  h_expect_err(bdb_doc_set_json(d, "u8", "[1"), BDB_E_JSON, NULL);
  h_expect_err(bdb_doc_set_uint(d, "u8", 256), BDB_E_TYPE, NULL);
  uint64_t u = 0;
  h_ok(bdb_doc_get_uint(d, "u8", &u));
  assert_int_equal(u, 7);
  h_ok(bdb_doc_to_json(d, &f->text));
  assert_string_equal(f->text, "{\"u8\":7}");
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(introspection),
      T(unsigned_integers_and_ranges),
      T(signed_integers_and_ranges),
      T(booleans),
      T(floats_edge_values),
      T(strings_and_utf8),
      T(json_field),
      T(bytes_with_nul),
      T(blob_field),
      T(unknown_field_names_table_and_field),
      T(unset_and_null_getters_not_found),
      T(null_arguments),
      T(from_json_to_json_roundtrip),
      T(get_json_each_type),
      T(from_json_errors),
      T(json_integer_below_int64_refused),
      T(failed_setters_leave_doc_unchanged),
  };
#undef T
  return cmocka_run_group_tests_name("abi.docs", tests, NULL, NULL);
}
