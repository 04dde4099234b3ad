// Row codec, key encoding and value checks.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "core/codec/json_values.h"
#include "core/codec/key_codec.h"
#include "core/codec/row_codec.h"
#include "core/codec/text.h"
#include "core/codec/value_check.h"
#include "core/util/error.h"

namespace bucketdb {
namespace {

SchemaPtr all_types_schema() {
  return TableSchema::from_json(R"({"name":"all","version":1,"fields":{
    "k":{"typeId":5},"u8":{"typeId":1},"u32":{"typeId":2},"u64":{"typeId":3},"i32":{"typeId":4},
    "i64":{"typeId":5},"b":{"typeId":6},"f64":{"typeId":7},"ts":{"typeId":8},"j":{"typeId":9},
    "s":{"typeId":10,"maxLength":5},"blob":{"typeId":11},"u16":{"typeId":12},"i8":{"typeId":13},
    "i16":{"typeId":14},"f32":{"typeId":15},"bytes":{"typeId":16}},"primaryKey":"k"})");
}

Values roundtrip(const TableSchema &s, const Values &in) {
  std::string fixed, heap;
  encode_row(s, in, fixed, heap);
  EXPECT_EQ(fixed.size(), s.row_width());
  std::string what = "test";
  return RowView(s, reinterpret_cast<const uint8_t *>(fixed.data()), heap, &what).decode();
}

TEST(RowCodec, EveryTypeAtItsEdges) {
  auto s = all_types_schema();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<Values> rows = {
      {int64_t{1}, uint64_t{0}, uint64_t{0}, uint64_t{0}, int64_t{0}, int64_t{0}, false, 0.0,
       int64_t{0}, std::string("{}"), std::string(""), Id128{}, uint64_t{0}, int64_t{0}, int64_t{0},
       0.0, std::string("")},
      {int64_t{2}, uint64_t{255}, uint64_t{4294967295u}, ~uint64_t{0},
       int64_t{std::numeric_limits<int32_t>::max()}, std::numeric_limits<int64_t>::max(), true,
       std::numeric_limits<double>::max(), std::numeric_limits<int64_t>::max(),
       std::string("[1,\"x\"]"), std::string("héllo"), random_id(), uint64_t{65535}, int64_t{127},
       int64_t{32767}, double{std::numeric_limits<float>::max()}, std::string("\0\xff\0", 3)},
      {int64_t{3}, uint64_t{1}, uint64_t{1}, uint64_t{1},
       int64_t{std::numeric_limits<int32_t>::min()}, std::numeric_limits<int64_t>::min(), true,
       -0.0, std::numeric_limits<int64_t>::min(), std::string("null"), std::string("\0a", 2),
       random_id(), uint64_t{1}, int64_t{-128}, int64_t{-32768}, -1.5, std::string(1000, 'x')},
      {int64_t{4}, {}, {}, {}, {}, {}, {}, nan, {}, {}, {}, {}, {}, {}, {}, {}, {}},
  };
  for (const auto &row : rows) {
    Values checked(row.size());
    for (size_t i = 0; i < row.size(); i++) checked[i] = check_value(*s, s->field(i), row[i]);
    Values out = roundtrip(*s, checked);
    ASSERT_EQ(out.size(), checked.size());
    for (size_t i = 0; i < out.size(); i++) {
      if (auto *d = std::get_if<double>(&checked[i]); d && std::isnan(*d)) {
        EXPECT_TRUE(std::isnan(std::get<double>(out[i])));
        continue;
      }
      if (auto *d = std::get_if<double>(&checked[i]); d && *d == 0 && std::signbit(*d)) {
        EXPECT_TRUE(std::signbit(std::get<double>(out[i]))) << "-0.0 keeps its sign";
        continue;
      }
      EXPECT_EQ(out[i], checked[i]) << "field " << s->field(i).name;
    }
  }
}

TEST(RowCodec, NullBitmapMarksEveryNullField) {
  auto s = all_types_schema();
  Values row(s->fields().size());
  row[0] = int64_t{9};
  std::string fixed, heap;
  encode_row(*s, row, fixed, heap);
  std::string what = "t";
  RowView v(*s, reinterpret_cast<const uint8_t *>(fixed.data()), heap, &what);
  EXPECT_FALSE(v.null(0));
  for (size_t i = 1; i < row.size(); i++) EXPECT_TRUE(v.null(i));
  EXPECT_TRUE(heap.empty());
}

TEST(RowCodec, HeapReferenceOutOfBoundsIsCorrupt) {
  auto s = all_types_schema();
  Values row(s->fields().size());
  row[0] = int64_t{1};
  row[10] = std::string("abc");
  std::string fixed, heap;
  encode_row(*s, row, fixed, heap);
  heap.resize(1);
  std::string what = "data/all/x";
  RowView v(*s, reinterpret_cast<const uint8_t *>(fixed.data()), heap, &what);
  try {
    v.get(10);
    FAIL() << "expected a corrupt error";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), BDB_E_CORRUPT);
    EXPECT_NE(std::string(e.what()).find("data/all/x"), std::string::npos);
  }
}

TEST(ValueCheck, RejectsWithoutTruncating) {
  auto s = all_types_schema();
  auto expect_type_error = [&](const char *field, Value v, const char *needle) {
    try {
      check_value(*s, s->field(static_cast<size_t>(s->field_index(field))), std::move(v));
      ADD_FAILURE() << field << " accepted a bad value";
    } catch (const Error &e) {
      EXPECT_EQ(e.status(), BDB_E_TYPE);
      std::string m = e.what();
      EXPECT_NE(m.find(field), std::string::npos) << m;
      EXPECT_NE(m.find("all"), std::string::npos) << m;
      EXPECT_NE(m.find(needle), std::string::npos) << m;
    }
  };
  expect_type_error("u8", uint64_t{256}, "out of range");
  expect_type_error("u8", int64_t{-1}, "negative");
  expect_type_error("i8", int64_t{128}, "out of range");
  expect_type_error("u64", 1.5, "fraction");
  expect_type_error("i32", std::string("7"), "string");
  expect_type_error("s", std::string("toolong"), "maxLength");
  expect_type_error("s", std::string("\xff"), "UTF-8");
  expect_type_error("j", std::string("{not json"), "JSON");
  expect_type_error("b", int64_t{1}, "true or false");
  expect_type_error("f32", 1e300, "float32");
  // maxLength counts characters, not bytes.
  EXPECT_NO_THROW(check_value(*s, s->field(10), std::string("ééééé")));
}

TEST(KeyCodec, OrderMatchesValueOrder) {
  std::mt19937_64 rng(42);
  auto s = all_types_schema();
  for (size_t f = 0; f < s->fields().size(); f++) {
    const Field &fd = s->field(f);
    if (fd.type_id == BDB_TYPE_JSON || fd.type_id == BDB_TYPE_BLOB) continue;
    std::vector<Value> vals;
    for (int i = 0; i < 300; i++) {
      Value v;
      switch (fd.type->kind) {
        case Kind::kUInt:
          v = fd.type->width == 8 ? rng() : rng() % (uint64_t{1} << (fd.type->width * 8));
          break;
        case Kind::kInt: {
          int64_t x = static_cast<int64_t>(rng());
          if (fd.type->width < 8) x >>= (64 - fd.type->width * 8);
          v = x;
          break;
        }
        case Kind::kBool:
          v = static_cast<bool>(rng() & 1);
          break;
        case Kind::kFloat: {
          double d = std::ldexp(static_cast<double>(static_cast<int64_t>(rng())),
                                static_cast<int>(rng() % 40) - 20);
          if (i % 50 == 0)
            d = i % 100 ? std::numeric_limits<double>::infinity()
                        : -std::numeric_limits<double>::infinity();
          if (fd.type->width == 4) d = static_cast<float>(d);
          v = d;
          break;
        }
        default: {
          std::string str;
          size_t n = rng() % 6;
          for (size_t k = 0; k < n; k++) str += "a\0b\xff"[rng() % 4];
          v = str;
        }
      }
      vals.push_back(v);
    }
    for (size_t i = 0; i < vals.size(); i++)
      for (size_t j = 0; j < vals.size(); j += 7) {
        int byv = compare_values(*fd.type, vals[i], vals[j]);
        std::string a = encode_key(*fd.type, vals[i]), b = encode_key(*fd.type, vals[j]);
        int byk = a < b ? -1 : (a > b ? 1 : 0);
        ASSERT_EQ(byv, byk) << "field " << fd.name << " at " << i << "," << j;
      }
  }
}

TEST(KeyCodec, FloatsFoldNegativeZeroAndSortNaNLast) {
  const TypeInfo &t = *type_info(BDB_TYPE_FLOAT64);
  EXPECT_EQ(encode_key(t, 0.0), encode_key(t, -0.0));
  EXPECT_LT(encode_key(t, -INFINITY), encode_key(t, -1.0));
  EXPECT_LT(encode_key(t, INFINITY), encode_key(t, std::nan("")));
  EXPECT_LT(encode_key(t, -1e-300), encode_key(t, 0.0));
}

TEST(KeyCodec, NullableKeysPutNullsFirst) {
  const TypeInfo &t = *type_info(BDB_TYPE_INT64);
  std::string n, v;
  append_nullable_key(n, t, Value{});
  append_nullable_key(v, t, Value{std::numeric_limits<int64_t>::min()});
  EXPECT_LT(n, v);
}

TEST(Text, Utf8AndBase64) {
  EXPECT_EQ(utf8_length("héllo"), 5u);
  EXPECT_FALSE(utf8_length("\xc0\x80"));      // overlong
  EXPECT_FALSE(utf8_length("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(utf8_length("\xe2\x82"));      // truncated
  for (const std::string &s :
       std::vector<std::string>{"", "f", "fo", "foo", "foob", std::string("\0\xff\x10", 3)})
    EXPECT_EQ(base64_decode(base64_encode(s)), s);
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_FALSE(base64_decode("a$bc"));
  EXPECT_FALSE(base64_decode("Zm9vY"));        // a lone 6 bits make no byte
  EXPECT_EQ(base64_decode("Zm9vYg"), "foob");  // padding may be left out
  // The URL-safe alphabet reads too (page tokens use it): 0xfb 0xff is "+/8" or "-_8".
  EXPECT_EQ(base64_decode("-_8"), std::string("\xfb\xff"));
  EXPECT_EQ(base64_decode("+/8="), std::string("\xfb\xff"));
  std::string all;
  for (int c = 0; c < 256; c++) all += static_cast<char>(c);
  EXPECT_EQ(base64_decode(base64_encode(all)), all);
}

TEST(JsonValues, IntegersStayExact) {
  auto s = all_types_schema();
  auto j = nlohmann::json::parse(R"({"u64": 18446744073709551615, "i64": -9223372036854775808})");
  const Field &u = s->field(3), &i = s->field(5);
  Value uv = check_value(*s, u, value_from_json(*s, u, j["u64"]));
  Value iv = check_value(*s, i, value_from_json(*s, i, j["i64"]));
  EXPECT_EQ(std::get<uint64_t>(uv), ~uint64_t{0});
  EXPECT_EQ(value_to_json(u, uv).dump(), "18446744073709551615");
  EXPECT_EQ(value_to_json(i, iv).dump(), "-9223372036854775808");
  EXPECT_EQ(value_to_json(s->field(7), std::nan("")).dump(), "\"NaN\"");
}

}  // namespace
}  // namespace bucketdb
