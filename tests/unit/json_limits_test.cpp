// JSON input the engine must refuse rather than crash on or change silently: nesting past the
// limit, duplicate keys, integers beyond 64 bits, numbers beyond a double, float32 underflow.
#include <gtest/gtest.h>

#include <functional>

#include "core/codec/json_values.h"
#include "core/util/error.h"
#include "core/util/json_text.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

std::string nested(size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

bdb_status status_of(const std::function<void()> &f, std::string *msg = nullptr) {
  try {
    f();
  } catch (const Error &e) {
    if (msg) *msg = e.what();
    return e.status();
  }
  return BDB_OK;
}

TEST(JsonText, DepthIsCountedOutsideStringsWithoutRecursion) {
  EXPECT_TRUE(json_depth_within(nested(kMaxJsonDepth)));
  EXPECT_FALSE(json_depth_within(nested(kMaxJsonDepth + 1)));
  EXPECT_TRUE(json_depth_within("[\"" + std::string(1000, '[') + "\"]"));
  EXPECT_TRUE(json_depth_within("[\"\\\"" + std::string(1000, '{') + "\"]"));
  EXPECT_FALSE(json_depth_within(nested(1000000), 256)) << "a million levels: no stack used";
}

TEST(JsonText, StrictParsingRefusesWhatWouldChangeSilently) {
  std::string msg;
  auto parse = [&](const std::string &t) {
    return status_of([&] { parse_json(t, "a document of table t"); }, &msg);
  };
  EXPECT_EQ(parse(R"({"id":1,"id":2})"), BDB_E_JSON);
  EXPECT_NE(msg.find("the key 'id' appears twice"), std::string::npos) << msg;
  // Well-formed, but no field can hold the number: a type error naming the field.
  EXPECT_EQ(parse(R"({"n":123456789012345678901234567890})"), BDB_E_TYPE);
  EXPECT_NE(msg.find("field 'n': the integer 123456789012345678901234567890 does not fit 64 bits"),
            std::string::npos)
      << msg;
  EXPECT_EQ(parse(R"({"n":1e400})"), BDB_E_TYPE);
  EXPECT_EQ(msg, "a document of table t: field 'n': the number 1e400 is out of range");
  EXPECT_EQ(parse(R"({"data":{"x":[1e400]}})"), BDB_E_TYPE);
  EXPECT_NE(msg.find("field 'data': the number 1e400"), std::string::npos) << msg;
  EXPECT_EQ(parse(R"({"n":1e-400})"), BDB_E_TYPE);
  EXPECT_EQ(msg,
            "a document of table t: field 'n': the number 1e-400 is too small for a double (it "
            "would be 0)");
  EXPECT_EQ(parse(R"({"data":[-2.5e-999]})"), BDB_E_TYPE);
  EXPECT_NE(msg.find("field 'data': the number -2.5e-999 is too small"), std::string::npos) << msg;
  EXPECT_EQ(parse(R"({"a":0e-400,"b":0.000e5,"c":-0.0,"d":4.9e-324})"), BDB_OK) << msg;
  EXPECT_EQ(parse("[18446744073709551616]"), BDB_E_TYPE);
  EXPECT_EQ(msg,
            "a document of table t: the integer 18446744073709551616 does not fit 64 bits "
            "(write it as a string)");
  EXPECT_EQ(msg.find("json.exception"), std::string::npos) << "no library text: " << msg;
  EXPECT_EQ(parse(nested(60000)), BDB_E_JSON);
  EXPECT_NE(msg.find("nested deeper than 256 levels"), std::string::npos) << msg;
  EXPECT_EQ(parse(R"({"a":{"x":1},"b":{"x":2},"n":-9223372036854775808,"u":18446744073709551615})"),
            BDB_OK)
      << msg;
}

class JsonLimits : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = test::open_db(test::fresh_memory_uri());
    db_->register_schema(R"({"name":"t","version":1,"fields":{"id":{"typeId":3},
        "data":{"typeId":9},"f":{"typeId":15}},"primaryKey":"id"})");
  }
  bdb_status put(const std::string &json, std::string *msg) {
    return status_of(
        [&] {
          Document d(db_->table_schema("t"));
          d.set_json_object(parse_json(json, "a document of table t"));
          Batch b;
          b.stage(StagedOp::kUpdate, d);
          db_->commit(b);
        },
        msg);
  }
  std::unique_ptr<Database> db_;
};

TEST_F(JsonLimits, AJsonFieldNestedTooDeeplyIsATypeErrorNamingTheField) {
  std::string msg;
  Document d(db_->table_schema("t"));
  EXPECT_EQ(status_of([&] { d.set(1, Value{nested(10000)}); }, &msg), BDB_E_TYPE);
  EXPECT_NE(msg.find("table t, field 'data' (json)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("nested deeper than 256 levels"), std::string::npos) << msg;
  EXPECT_EQ(put(R"({"id":1,"data":)" + nested(300) + "}", &msg), BDB_E_JSON) << msg;
  EXPECT_EQ(put(R"({"id":1,"data":)" + nested(200) + "}", &msg), BDB_OK) << msg;
}

TEST_F(JsonLimits, Float32RefusesUnderflowAndPrintsItsShortestText) {
  std::string msg;
  EXPECT_EQ(put(R"({"id":1,"f":1e-50})", &msg), BDB_E_TYPE);
  EXPECT_NE(msg.find("field 'f' (float32): number is too small for float32"), std::string::npos)
      << msg;
  ASSERT_EQ(put(R"({"id":2,"f":0.1})", &msg), BDB_OK) << msg;
  Document k(db_->table_schema("t"));
  k.set(0, Value{uint64_t{2}});
  EXPECT_EQ(db_->get(k)->to_json(), R"({"id":2,"f":0.1})");
}

}  // namespace
}  // namespace bucketdb
