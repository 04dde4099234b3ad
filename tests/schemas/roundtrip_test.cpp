// Round-trip property tests: random and edge-value records of every type go through the
// generated C codec (compiled as C99), the generated C++ class and the engine's run-time JSON
// path (bdb_doc_from_json + bdb_doc_to_row); all three must give byte-identical rows, decode
// back to the same values, and be accepted and re-encoded unchanged by the engine.
#include <array>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "alltypes_bdb.hpp"
#include "keys_bdb.hpp"
#include "roundtrip_c.h"
#include "test_db.h"
#include "wide_bdb.hpp"

namespace {

using ojson = nlohmann::ordered_json;
using Id = std::array<uint8_t, 16>;

// One all_types record, owning its text and bytes.
struct Record {
  uint64_t id = 0;
  std::optional<uint8_t> u8;
  std::optional<uint16_t> u16;
  std::optional<uint32_t> u32;
  std::optional<uint64_t> u64;
  std::optional<int8_t> i8;
  std::optional<int16_t> i16;
  std::optional<int32_t> i32;
  std::optional<int64_t> i64;
  std::optional<bool> flag;
  std::optional<float> f32;
  std::optional<double> f64;
  std::optional<int64_t> ts;
  std::optional<std::string> doc, short_doc, name, text, raw, raw4;
  std::optional<Id> pic;
};

// The engine writes JSON numbers for floats, and strings for what JSON cannot say.
ojson number(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return d;
}

std::string uuid(const Id &id) {
  bdbc_blob_id b;
  std::memcpy(b.bytes, id.data(), 16);
  char text[37];
  bdbc_blob_id_text(&b, text);
  return text;
}

// The document as the run-time path takes it. Null fields are left out or sent as null.
std::string to_json(const Record &r, bool explicit_nulls) {
  ojson j;
  j["id"] = r.id;
  auto put = [&](const char *name, const auto &opt, auto &&convert) {
    if (opt)
      j[name] = convert(*opt);
    else if (explicit_nulls)
      j[name] = nullptr;
  };
  auto same = [](auto v) { return ojson(v); };
  put("u8", r.u8, same);
  put("u16", r.u16, same);
  put("u32", r.u32, same);
  put("u64", r.u64, same);
  put("i8", r.i8, same);
  put("i16", r.i16, same);
  put("i32", r.i32, same);
  put("i64", r.i64, same);
  put("flag", r.flag, same);
  put("f32", r.f32, [](float f) { return number(static_cast<double>(f)); });
  put("f64", r.f64, [](double d) { return number(d); });
  put("ts", r.ts, same);
  auto as_json = [](const std::string &t) { return ojson::parse(t); };
  put("doc", r.doc, as_json);
  put("short_doc", r.short_doc, as_json);
  put("name", r.name, same);
  put("text", r.text, same);
  put("raw", r.raw, [](const std::string &b) { return ojson(base64(b)); });
  put("raw4", r.raw4, [](const std::string &b) { return ojson(base64(b)); });
  put("pic", r.pic, [](const Id &id) { return ojson(uuid(id)); });
  return j.dump();
}

bdbtest_all_types_row to_c(const Record &r) {
  bdbtest_all_types_row c;
  bdbtest_all_types_row_init(&c);
  c.id = r.id;
#define SCALAR(f)   \
  if (r.f) {        \
    c.f = *r.f;     \
    c.has.f = true; \
  }
  // clang-format off
  SCALAR(u8) SCALAR(u16) SCALAR(u32) SCALAR(u64) SCALAR(i8) SCALAR(i16) SCALAR(i32) SCALAR(i64)
  SCALAR(flag) SCALAR(f32) SCALAR(f64) SCALAR(ts)
  // clang-format on
#undef SCALAR
#define TEXT(f)                                  \
  if (r.f) {                                     \
    c.f = bdbc_str_of(r.f->data(), r.f->size()); \
    c.has.f = true;                              \
  }
          TEXT(doc) TEXT(short_doc) TEXT(name) TEXT(text)
#undef TEXT
#define BYTES(f)                                   \
  if (r.f) {                                       \
    c.f = bdbc_bytes_of(r.f->data(), r.f->size()); \
    c.has.f = true;                                \
  }
              BYTES(raw) BYTES(raw4)
#undef BYTES
                  if (r.pic) {
    std::memcpy(c.pic.bytes, r.pic->data(), 16);
    c.has.pic = true;
  }
  return c;
}

// Through the C++ class's setters only.
bdbtest::AllTypesRow to_cpp(const Record &r) {
  bdbtest::AllTypesRow x;
  x.set_id(r.id);
  if (r.u8) x.set_u8(*r.u8);
  if (r.u16) x.set_u16(*r.u16);
  if (r.u32) x.set_u32(*r.u32);
  if (r.u64) x.set_u64(*r.u64);
  if (r.i8) x.set_i8(*r.i8);
  if (r.i16) x.set_i16(*r.i16);
  if (r.i32) x.set_i32(*r.i32);
  if (r.i64) x.set_i64(*r.i64);
  if (r.flag) x.set_flag(*r.flag);
  if (r.f32) x.set_f32(*r.f32);
  if (r.f64) x.set_f64(*r.f64);
  if (r.ts) x.set_ts(*r.ts);
  if (r.doc) x.set_doc(*r.doc);
  if (r.short_doc) x.set_short_doc(*r.short_doc);
  if (r.name) x.set_name(*r.name);
  if (r.text) x.set_text(*r.text);
  if (r.raw) x.set_raw(*r.raw);
  if (r.raw4) x.set_raw4(*r.raw4);
  if (r.pic) {
    bdbc_blob_id b;
    std::memcpy(b.bytes, r.pic->data(), 16);
    x.set_pic(b);
  }
  return x;
}

template <typename T>
bool same_float(std::optional<T> a, std::optional<T> b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  // NOLINTNEXTLINE(bugprone-suspicious-memory-comparison): NaN and -0.0 by their bits
  return std::memcmp(&*a, &*b, sizeof(T)) == 0;
}

// What the C++ accessors say, compared with the record.
void expect_values(const Record &r, const bdbtest::AllTypesRow &x) {
  EXPECT_EQ(x.id(), r.id);
  EXPECT_EQ(x.u8(), r.u8);
  EXPECT_EQ(x.u16(), r.u16);
  EXPECT_EQ(x.u32(), r.u32);
  EXPECT_EQ(x.u64(), r.u64);
  EXPECT_EQ(x.i8(), r.i8);
  EXPECT_EQ(x.i16(), r.i16);
  EXPECT_EQ(x.i32(), r.i32);
  EXPECT_EQ(x.i64(), r.i64);
  EXPECT_EQ(x.flag(), r.flag);
  EXPECT_TRUE(same_float(x.f32(), r.f32));
  EXPECT_TRUE(same_float(x.f64(), r.f64));
  EXPECT_EQ(x.ts(), r.ts);
  auto view = [](const std::optional<std::string> &s) {
    return s ? std::optional<std::string_view>(*s) : std::nullopt;
  };
  EXPECT_EQ(x.doc(), view(r.doc));
  EXPECT_EQ(x.short_doc(), view(r.short_doc));
  EXPECT_EQ(x.name(), view(r.name));
  EXPECT_EQ(x.text(), view(r.text));
  EXPECT_EQ(x.raw(), view(r.raw));
  EXPECT_EQ(x.raw4(), view(r.raw4));
  EXPECT_EQ(x.has_pic(), r.pic.has_value());
  if (r.pic && x.pic()) {
    EXPECT_EQ(0, std::memcmp(x.pic()->bytes, r.pic->data(), 16));
  }
}

// Random values, half of them from the edges of their type; every nullable field is null
// about a quarter of the time.
class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}

  Record record() {
    Record r;
    r.id = uint_edge<uint64_t>();
    maybe(r.u8, [&] { return uint_edge<uint8_t>(); });
    maybe(r.u16, [&] { return uint_edge<uint16_t>(); });
    maybe(r.u32, [&] { return uint_edge<uint32_t>(); });
    maybe(r.u64, [&] { return uint_edge<uint64_t>(); });
    maybe(r.i8, [&] { return int_edge<int8_t>(); });
    maybe(r.i16, [&] { return int_edge<int16_t>(); });
    maybe(r.i32, [&] { return int_edge<int32_t>(); });
    maybe(r.i64, [&] { return int_edge<int64_t>(); });
    maybe(r.flag, [&] { return (rng_() & 1) != 0; });
    maybe(r.f32, [&] { return float_edge<float>(); });
    maybe(r.f64, [&] { return float_edge<double>(); });
    maybe(r.ts, [&] { return int_edge<int64_t>(); });
    maybe(r.doc, [&] { return json_text(1000); });
    maybe(r.short_doc, [&] { return json_text(16); });
    maybe(r.name, [&] { return utf8(pick(9)); });  // 0 to maxLength 8 characters
    maybe(r.text, [&] { return utf8(pick(8) == 0 ? 3000 : pick(40)); });
    maybe(r.raw, [&] { return bytes(pick(8) == 0 ? 0 : pick(100)); });
    maybe(r.raw4, [&] { return bytes(pick(5)); });
    maybe(r.pic, [&] {
      Id id;
      for (auto &b : id) b = static_cast<uint8_t>(rng_());
      return id;
    });
    return r;
  }

  size_t pick(size_t n) { return static_cast<size_t>(rng_() % n); }

  // n code points from a palette of 1- to 4-byte UTF-8 sequences, NUL included.
  std::string utf8(size_t n) {
    // Entry 3 stands for NUL, which a C string cannot hold.
    static const char *kPalette[] = {"a",
                                     "Z",
                                     "0",
                                     "",
                                     "\xc3\xa9",
                                     "\xe2\x82\xac",
                                     "\xef\xbf\xbf",
                                     "\xf0\x9f\x98\x80",
                                     "\xf4\x8f\xbf\xbf",
                                     " ",
                                     "\"",
                                     "\\"};
    std::string s;
    for (size_t i = 0; i < n; i++) {
      size_t k = pick(std::size(kPalette));
      if (k == 3)
        s += '\0';
      else
        s += kPalette[k];
    }
    return s;
  }

  std::string bytes(size_t n) {
    std::string s;
    for (size_t i = 0; i < n; i++) s += static_cast<char>(pick(4) == 0 ? 0 : rng_() & 0xff);
    return s;
  }

  // JSON text in the engine's canonical form (nlohmann's compact dump, keys sorted), which is
  // what the run-time path stores for a json field. Not "null": in a JSON document that means
  // a null field (JsonFieldHoldingNull covers it through bdb_doc_set_string).
  std::string json_text(size_t max_bytes) {
    static const char *kTexts[] = {"{}",
                                   "[]",
                                   "true",
                                   "false",
                                   "0",
                                   "-1",
                                   "1.5",
                                   "-0.0",
                                   "1e300",
                                   "\"\"",
                                   "\"a\\u0000b\"",
                                   "18446744073709551615",
                                   "-9223372036854775808",
                                   "[[[[[]]]]]",
                                   "{\"b\":[1,2,{\"c\":null}],\"a\":\"\xc3\xa9\xf0\x9f\x98\x80\"}",
                                   "\"\\\\\\\"\\n\"",
                                   "{\"k\":1}",
                                   "[1,2,3]",
                                   "2.5e-300",
                                   "\"\\ud83d\\ude00\""};
    for (;;) {
      std::string t = nlohmann::json::parse(kTexts[pick(std::size(kTexts))]).dump();
      if (t.size() <= max_bytes) return t;
    }
  }

 private:
  template <typename T, typename F>
  void maybe(std::optional<T> &field, F make) {
    if (pick(4) != 0) field = make();
  }

  template <typename T>
  T uint_edge() {
    switch (pick(6)) {
      case 0:
        return 0;
      case 1:
        return std::numeric_limits<T>::max();
      case 2:
        return 1;
      default:
        return static_cast<T>(rng_());
    }
  }

  template <typename T>
  T int_edge() {
    switch (pick(7)) {
      case 0:
        return 0;
      case 1:
        return std::numeric_limits<T>::max();
      case 2:
        return std::numeric_limits<T>::min();
      case 3:
        return -1;
      default:
        return static_cast<T>(rng_());
    }
  }

  template <typename T>
  T float_edge() {
    using L = std::numeric_limits<T>;
    switch (pick(14)) {
      case 0:
        return 0;
      case 1:
        return -T(0);
      case 2:
        return L::quiet_NaN();
      case 3:
        return L::infinity();
      case 4:
        return -L::infinity();
      case 5:
        return L::max();
      case 6:
        return L::lowest();
      case 7:
        return L::min();
      case 8:
        return L::denorm_min();
      case 9:
        return -L::denorm_min();
      default: {
        // Any bit pattern but NaNs other than the quiet one JSON can say.
        for (;;) {
          uint64_t bits = rng_();
          T v;
          if constexpr (sizeof(T) == 4) {
            uint32_t b32 = static_cast<uint32_t>(bits);
            std::memcpy(&v, &b32, 4);
          } else {
            std::memcpy(&v, &bits, 8);
          }
          if (!std::isnan(v)) return v;
        }
      }
    }
  }

  std::mt19937_64 rng_;
};

// The fixed edge records: all null, all max, all min, NaN, -0.0, infinities, denormals,
// empty and maximum-length text, embedded NULs.
std::vector<Record> edge_records() {
  std::vector<Record> out;
  out.push_back(Record{});  // every nullable field null, key 0
  Record max;
  max.id = UINT64_MAX;
  max.u8 = UINT8_MAX;
  max.u16 = UINT16_MAX;
  max.u32 = UINT32_MAX;
  max.u64 = UINT64_MAX;
  max.i8 = INT8_MAX;
  max.i16 = INT16_MAX;
  max.i32 = INT32_MAX;
  max.i64 = INT64_MAX;
  max.flag = true;
  max.f32 = FLT_MAX;
  max.f64 = DBL_MAX;
  max.ts = INT64_MAX;
  max.doc = "\"" + std::string(998, 'd') + "\"";       // a long JSON string
  max.short_doc = "\"" + std::string(14, 'x') + "\"";  // exactly 16 bytes
  max.name = "\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\xc3\xa9" + std::string("abcde");  // 8 characters
  max.text = std::string(5000, 'T');
  max.raw = std::string(300, '\xff');
  max.raw4 = std::string("\x00\x01\x02\x03", 4);
  max.pic = Id{};
  max.pic->fill(0xff);
  out.push_back(max);
  Record min = max;
  min.id = 0;
  min.u8 = 0;
  min.u16 = 0;
  min.u32 = 0;
  min.u64 = 0;
  min.i8 = INT8_MIN;
  min.i16 = INT16_MIN;
  min.i32 = INT32_MIN;
  min.i64 = INT64_MIN;
  min.flag = false;
  min.f32 = -FLT_MAX;
  min.f64 = -DBL_MAX;
  min.ts = INT64_MIN;
  min.doc = "\"\"";
  min.short_doc = "0";
  min.name = "";
  min.text = "";
  min.raw = "";
  min.raw4 = "";
  min.pic = Id{};
  out.push_back(min);
  Record special = min;
  special.id = 7;
  special.f32 = std::numeric_limits<float>::quiet_NaN();
  special.f64 = std::numeric_limits<double>::quiet_NaN();
  out.push_back(special);
  special.id = 8;
  special.f32 = -0.0f;
  special.f64 = -0.0;
  out.push_back(special);
  special.id = 9;
  special.f32 = std::numeric_limits<float>::infinity();
  special.f64 = -std::numeric_limits<double>::infinity();
  out.push_back(special);
  special.id = 10;
  special.f32 = std::numeric_limits<float>::denorm_min();
  special.f64 = -std::numeric_limits<double>::denorm_min();
  special.name = std::string("\0\0\0\0\0\0\0\0", 8);  // eight NUL characters
  special.text = std::string("a\0b\0", 4);
  special.doc = "\"\\u0000\"";
  out.push_back(special);
  return out;
}

// The three encoders of one record must agree byte for byte; decoding gives the record back;
// the engine accepts the generated row and re-encodes it unchanged.
void check_record(const Record &r, bool explicit_nulls) {
  SCOPED_TRACE("record " + to_json(r, true));
  bdbtest_all_types_row c = to_c(r);
  bdbc::RowBuilder cb;
  bdbc_error err{};
  ASSERT_EQ(BDB_OK, c_bdbtest_all_types_row_encode(&c, cb.get(), &err)) << err.message;
  Rows from_c = rows_of(*cb.get());

  bdbtest::AllTypesRow x = to_cpp(r);
  bdbc::RowBuilder xb;
  ASSERT_EQ(BDB_OK, x.encode(xb, &err)) << err.message;
  Rows from_cpp = rows_of(*xb.get());

  Rows from_json;
  ASSERT_EQ(BDB_OK, runtime_rows("all_types", to_json(r, explicit_nulls), &from_json))
      << last_error();

  ASSERT_EQ(from_c, from_json) << "C:    " << describe(from_c) << "\nJSON: " << describe(from_json);
  ASSERT_EQ(from_cpp, from_json) << "C++:  " << describe(from_cpp)
                                 << "\nJSON: " << describe(from_json);

  // Decode the engine's row with both decoders.
  bdbtest_all_types_row back;
  ASSERT_EQ(BDB_OK, c_bdbtest_all_types_row_decode(from_json.row.data(), from_json.row.size(),
                                                   from_json.heap.data(), from_json.heap.size(),
                                                   &back, &err))
      << err.message;
  expect_values(r, bdbtest::AllTypesRow(back));
  bdbtest::AllTypesRow y;
  ASSERT_EQ(BDB_OK, y.decode(from_json.row, from_json.heap, &err)) << err.message;
  expect_values(r, y);
  ASSERT_EQ(BDB_OK, y.check(&err)) << err.message;

  // The engine takes the generated row as it is.
  bdb_doc *doc = nullptr;
  ASSERT_EQ(BDB_OK, x.to_doc(test_db(), &doc, &err)) << err.message;
  bdbc::RowBuf storage;
  bdbtest::AllTypesRow z;
  EXPECT_EQ(BDB_OK, z.from_doc(doc, storage, &err)) << err.message;
  expect_values(r, z);
  bdb_doc_free(doc);
}

TEST(RoundTrip, EdgeRecordsThroughCCppAndJson) {
  for (const Record &r : edge_records()) {
    check_record(r, false);
    check_record(r, true);
  }
}

TEST(RoundTrip, RandomRecordsThroughCCppAndJson) {
  Gen gen(20240601);
  for (int i = 0; i < 400; i++) {
    check_record(gen.record(), i % 2 == 0);
    if (HasFatalFailure()) return;
  }
}

TEST(RoundTrip, EveryNullableFieldAloneNull) {
  // Each field null once while all others hold values: catches a bitmap bit off by one.
  Record full = edge_records()[1];
  std::vector<std::function<void(Record &)>> clear = {
      [](Record &r) { r.u8.reset(); },   [](Record &r) { r.u16.reset(); },
      [](Record &r) { r.u32.reset(); },  [](Record &r) { r.u64.reset(); },
      [](Record &r) { r.i8.reset(); },   [](Record &r) { r.i16.reset(); },
      [](Record &r) { r.i32.reset(); },  [](Record &r) { r.i64.reset(); },
      [](Record &r) { r.flag.reset(); }, [](Record &r) { r.f32.reset(); },
      [](Record &r) { r.f64.reset(); },  [](Record &r) { r.ts.reset(); },
      [](Record &r) { r.doc.reset(); },  [](Record &r) { r.short_doc.reset(); },
      [](Record &r) { r.name.reset(); }, [](Record &r) { r.text.reset(); },
      [](Record &r) { r.raw.reset(); },  [](Record &r) { r.raw4.reset(); },
      [](Record &r) { r.pic.reset(); }};
  for (auto &f : clear) {
    Record r = full;
    f(r);
    check_record(r, true);
  }
}

TEST(RoundTrip, BuilderAppendsRowsWithHeapOffsetsFromItsStart) {
  Gen gen(7);
  std::vector<Record> records = {gen.record(), gen.record(), gen.record()};
  bdbc::RowBuilder b;
  bdbc_error err{};
  for (const auto &r : records) {
    bdbtest_all_types_row c = to_c(r);
    ASSERT_EQ(BDB_OK, bdbtest_all_types_row_encode(&c, b.get(), &err)) << err.message;
  }
  ASSERT_EQ(b.rows().size(), 3 * bdbtest::AllTypesRow::kRowWidth);
  for (size_t i = 0; i < records.size(); i++) {
    bdbtest::AllTypesRow x;
    ASSERT_EQ(BDB_OK, x.decode(b.rows().substr(i * x.kRowWidth, x.kRowWidth), b.heap(), &err))
        << err.message;
    expect_values(records[i], x);
  }
  // A failed encode leaves the builder as it was.
  bdbtest_all_types_row bad = to_c(records[0]);
  bad.name = bdbc_str_c("nine chars");
  bad.has.name = true;
  size_t rows = b.get()->row_len, heap = b.get()->heap_len;
  EXPECT_EQ(BDB_E_TYPE, bdbtest_all_types_row_encode(&bad, b.get(), &err));
  EXPECT_EQ(rows, b.get()->row_len);
  EXPECT_EQ(heap, b.get()->heap_len);
}

// Each key type at its edges, through C and JSON.
template <typename CRow, typename T>
void check_key(const char *table, T key,
               bdb_status (*encode)(const CRow *, bdbc_builder *, bdbc_error *),
               bdb_status (*decode)(const void *, size_t, const void *, size_t, CRow *,
                                    bdbc_error *)) {
  SCOPED_TRACE(std::string(table) + " key " + std::to_string(key));
  CRow c;
  std::memset(&c, 0, sizeof c);
  c.k = key;
  c.v = -5;
  c.has.v = true;
  bdbc::RowBuilder b;
  bdbc_error err{};
  ASSERT_EQ(BDB_OK, encode(&c, b.get(), &err)) << err.message;
  ojson j;
  j["k"] = key;
  j["v"] = -5;
  Rows from_json;
  ASSERT_EQ(BDB_OK, runtime_rows(table, j.dump(), &from_json)) << last_error();
  EXPECT_EQ(rows_of(*b.get()), from_json);
  CRow back;
  ASSERT_EQ(BDB_OK, decode(from_json.row.data(), from_json.row.size(), from_json.heap.data(),
                           from_json.heap.size(), &back, &err));
  EXPECT_EQ(back.k, key);
}

#define KEY_EDGES(table, T)                                                                    \
  for (T key : {std::numeric_limits<T>::min(), T(0), std::numeric_limits<T>::max()})           \
    check_key<bdbtest_keys_##table##_row, T>(#table, key, c_bdbtest_keys_##table##_row_encode, \
                                             c_bdbtest_keys_##table##_row_decode);

TEST(RoundTrip, PrimaryKeysOfEveryTypeAtTheirEdges) {
  KEY_EDGES(k_u8, uint8_t)
  KEY_EDGES(k_i8, int8_t)
  KEY_EDGES(k_u16, uint16_t)
  KEY_EDGES(k_i16, int16_t)
  KEY_EDGES(k_u32, uint32_t)
  KEY_EDGES(k_i32, int32_t)
  KEY_EDGES(k_i64, int64_t)
  KEY_EDGES(k_ts, int64_t)
  for (const std::string &key :
       {std::string(), std::string("a\0b", 3), std::string("\xe2\x82\xac")}) {
    bdbtest::keys::KTextRow x;
    x.set_k(key);
    bdbc::RowBuilder b;
    ASSERT_EQ(BDB_OK, x.encode(b));
    ojson j;
    j["k"] = key;
    Rows from_json;
    ASSERT_EQ(BDB_OK, runtime_rows("k_text", j.dump(), &from_json)) << last_error();
    EXPECT_EQ(rows_of(*b.get()), from_json);
  }
}

TEST(RoundTrip, JsonFieldHoldingNull) {
  bdbtest::AllTypesRow x;
  x.set_id(3).set_doc("null");
  bdbc::RowBuilder b;
  ASSERT_EQ(BDB_OK, x.encode(b));
  bdb_doc *doc = nullptr;
  ASSERT_EQ(BDB_OK, bdb_doc_new(test_db(), "all_types", &doc));
  ASSERT_EQ(BDB_OK, bdb_doc_set_uint(doc, "id", 3));
  ASSERT_EQ(BDB_OK, bdb_doc_set_string(doc, "doc", "null", 4));
  void *row = nullptr, *heap = nullptr;
  size_t row_len = 0, heap_len = 0;
  ASSERT_EQ(BDB_OK, bdb_doc_to_row(doc, nullptr, &row, &row_len, &heap, &heap_len));
  Rows engine{std::string(static_cast<char *>(row), row_len),
              std::string(static_cast<char *>(heap), heap_len)};
  EXPECT_EQ(rows_of(*b.get()), engine);
  bdb_free(row);
  bdb_free(heap);
  bdb_doc_free(doc);
}

TEST(RoundTrip, KeywordFieldAndFloatIndex) {
  bdbtest::ByNameRow x;
  x.set_name("n").set_default_(-1).set_score(2.5f);
  bdbc::RowBuilder b;
  ASSERT_EQ(BDB_OK, x.encode(b));
  Rows from_json;
  ASSERT_EQ(BDB_OK,
            runtime_rows("by_name", R"({"name":"n","default":-1,"score":2.5})", &from_json));
  EXPECT_EQ(rows_of(*b.get()), from_json);
}

// 300 fields: the JSON path's row, decoded and re-encoded by the generated C, is unchanged.
TEST(RoundTrip, WideTable) {
  ojson j;
  j["id"] = 1;
  for (int i = 1; i < 300; i++) {
    std::string f = "f" + std::to_string(i);
    if (i % 7 == 0) continue;  // some nulls
    switch (i % 4) {
      case 0:
        j[f] = -i;
        break;
      case 1:
        j[f] = std::string(static_cast<size_t>(i % 6), 'x');
        break;
      case 2:
        j[f] = i + 0.25;
        break;
      default:
        j[f] = i % 2 == 1;
        break;
    }
  }
  Rows from_json;
  ASSERT_EQ(BDB_OK, runtime_rows("wide", j.dump(), &from_json)) << last_error();
  EXPECT_EQ(from_json.row.size(), WideRow::kRowWidth);
  wide_row c;
  bdbc_error err{};
  ASSERT_EQ(BDB_OK, c_wide_row_decode(from_json.row.data(), from_json.row.size(),
                                      from_json.heap.data(), from_json.heap.size(), &c, &err))
      << err.message;
  bdbc::RowBuilder b;
  ASSERT_EQ(BDB_OK, c_wide_row_encode(&c, b.get(), &err)) << err.message;
  EXPECT_EQ(rows_of(*b.get()), from_json);
  EXPECT_GT(std::strlen(WideRow::descriptor()), 4095u);
}

// The embedded descriptors register to exactly the text the engine stores.
TEST(Descriptor, RegistersToTheEnginesCanonicalJson) {
  char *list = nullptr;
  ASSERT_EQ(BDB_OK, bdb_schema_list_json(test_db(), &list));
  std::string text = list;
  bdb_free(list);
  auto schemas = nlohmann::json::parse(text);
  std::vector<std::string> stored;
  for (const auto &s : schemas) stored.push_back(nlohmann::ordered_json(s).dump());
  for (const char *d : {bdbtest::AllTypesRow::descriptor(), bdbtest::ByNameRow::descriptor(),
                        bdbtest::keys::KTsRow::descriptor(), WideRow::descriptor()})
    EXPECT_NE(text.find(d), std::string::npos) << d << "\nnot in\n" << text;
  // Registering again is a no-op, not a conflict.
  EXPECT_EQ(BDB_OK, bdbtest::AllTypesRow::register_schema(test_db())) << last_error();
}

TEST(Docs, FromDocRefusesAnotherTable) {
  bdb_doc *doc = nullptr;
  ASSERT_EQ(BDB_OK, bdb_doc_from_json(test_db(), "by_name", R"({"name":"x"})", &doc));
  bdbtest::AllTypesRow x;
  bdbc::RowBuf storage;
  bdbc_error err{};
  EXPECT_EQ(BDB_E_SCHEMA, x.from_doc(doc, storage, &err));
  EXPECT_NE(std::string(err.message).find("by_name"), std::string::npos) << err.message;
  bdb_doc_free(doc);
}

TEST(Docs, InsertThroughABatchAndGetBack) {
  Gen gen(99);
  Record r = gen.record();
  r.id = 424242;
  r.pic.reset();  // a blob id must name an uploaded blob to be read back; not this test's job
  bdbtest::AllTypesRow x = to_cpp(r);
  bdb_doc *doc = nullptr;
  bdbc_error err{};
  ASSERT_EQ(BDB_OK, x.to_doc(test_db(), &doc, &err)) << err.message;
  bdb_batch *batch = nullptr;
  ASSERT_EQ(BDB_OK, bdb_batch_new(test_db(), &batch));
  ASSERT_EQ(BDB_OK, bdb_batch_update(batch, doc)) << last_error();
  ASSERT_EQ(BDB_OK, bdb_batch_commit(batch, nullptr)) << last_error();
  bdb_batch_free(batch);
  bdb_doc_free(doc);
  char *json = nullptr;
  ASSERT_EQ(BDB_OK, bdb_get_json(test_db(), "all_types", "424242", &json)) << last_error();
  bdb_free(json);
  bdb_doc *key = nullptr, *got = nullptr;
  ASSERT_EQ(BDB_OK, bdb_key_doc_from_text(test_db(), "all_types", "424242", &key));
  ASSERT_EQ(BDB_OK, bdb_get(test_db(), key, &got)) << last_error();
  bdbtest::AllTypesRow y;
  bdbc::RowBuf storage;
  ASSERT_EQ(BDB_OK, y.from_doc(got, storage, &err)) << err.message;
  expect_values(r, y);
  bdb_doc_free(key);
  bdb_doc_free(got);
}

}  // namespace
