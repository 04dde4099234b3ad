// Run-time schemas from the JSON form.
#include <gtest/gtest.h>

#include "core/schema/schema.h"
#include "core/util/error.h"

namespace bucketdb {
namespace {

void expect_error(const std::string &json, bdb_status status, const std::string &needle) {
  try {
    TableSchema::from_json(json);
    ADD_FAILURE() << "accepted: " << json;
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), status) << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(Schema, LayoutFollowsDeclarationOrder) {
  auto s = TableSchema::from_json(R"({"name":"t","version":2,"fields":{
      "z":{"typeId":3},"a":{"typeId":10,"maxLength":4},"m":{"typeId":1}},"primaryKey":"z"})");
  ASSERT_EQ(s->fields().size(), 3u);
  EXPECT_EQ(s->field(0).name, "z");
  EXPECT_EQ(s->field(1).name, "a");
  EXPECT_EQ(s->bitmap_bytes(), 1u);
  EXPECT_EQ(s->field(0).offset, 1u);
  EXPECT_EQ(s->field(1).offset, 9u);
  EXPECT_EQ(s->field(2).offset, 17u);
  EXPECT_EQ(s->row_width(), 18u);
  EXPECT_EQ(s->version(), 2u);
  // The canonical form is stable and parses back to the same schema.
  auto again = TableSchema::from_json(s->canonical_json());
  EXPECT_EQ(again->canonical_json(), s->canonical_json());
}

TEST(Schema, ErrorsNameTheTableAndField) {
  expect_error("{", BDB_E_JSON, "malformed");
  expect_error("[]", BDB_E_SCHEMA, "object");
  expect_error(R"({"version":1,"fields":{"a":{"typeId":1}},"primaryKey":"a"})", BDB_E_SCHEMA,
               "name");
  expect_error(R"({"name":"t","version":1,"fields":{"a":{"typeId":99}},"primaryKey":"a"})",
               BDB_E_SCHEMA, "field 'a'");
  expect_error(R"({"name":"t","version":1,"fields":{"a":{"typeId":1}},"primaryKey":"b"})",
               BDB_E_SCHEMA, "primaryKey 'b'");
  expect_error(R"({"name":"t","version":1,"fields":{"a":{"typeId":7}},"primaryKey":"a"})",
               BDB_E_SCHEMA, "primary key must be");
  expect_error(R"({"name":"t","version":0,"fields":{"a":{"typeId":1}},"primaryKey":"a"})",
               BDB_E_SCHEMA, "version");
  expect_error(R"({"name":"bad/name","version":1,"fields":{"a":{"typeId":1}},"primaryKey":"a"})",
               BDB_E_SCHEMA, "table name");
  expect_error(
      R"({"name":"t","version":1,"fields":{"a":{"typeId":1,"maxLength":3}},"primaryKey":"a"})",
      BDB_E_SCHEMA, "maxLength");
  expect_error(
      R"({"name":"t","version":1,"fields":{"a":{"typeId":1},"b":{"typeId":10,"maxLength":0}},"primaryKey":"a"})",
      BDB_E_SCHEMA, "field 'b': maxLength 0");
  expect_error(
      R"({"name":"t","version":1,"fields":{"a":{"typeId":1},"a":{"typeId":10}},"primaryKey":"a"})",
      BDB_E_JSON, "'a' appears twice");
  expect_error(
      R"({"name":"t","version":1,"fields":{"a":{"typeId":1}},"primaryKey":"a","indexes":["zz"]})",
      BDB_E_SCHEMA, "'zz'");
  expect_error(
      R"({"name":"t","version":1,"fields":{"a":{"typeId":1},"j":{"typeId":9}},"primaryKey":"a","indexes":["j"]})",
      BDB_E_SCHEMA, "cannot be indexed");
  expect_error(
      R"({"name":"t","version":1,"fields":{"a":{"typeId":1,"tyepId":2}},"primaryKey":"a"})",
      BDB_E_SCHEMA, "tyepId");
  expect_error(R"({"name":"t","version":1,"fields":{"a":{"typeId":1}},"primaryKey":"a","extra":1})",
               BDB_E_SCHEMA, "extra");
}

}  // namespace
}  // namespace bucketdb
