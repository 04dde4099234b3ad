// Schema evolution: a new version that could lose values of rows written before is refused,
// field by field, unless lossy changes are allowed; the primary key never narrows.
#include <gtest/gtest.h>

#include "core/schema/evolution.h"
#include "core/util/error.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

std::string users(int version, const std::string &id, const std::string &name,
                  const std::string &extra = "") {
  return R"({"name":"users","version":)" + std::to_string(version) + R"(,"fields":{"id":)" + id +
         R"(,"name":)" + name + extra + R"(},"primaryKey":"id"})";
}

TEST(Evolution, ConversionsSayWhetherEveryValueSurvives) {
  struct Case {
    int from;
    uint32_t from_max;
    int to;
    uint32_t to_max;
    bool lossless;
  } cases[] = {
      {BDB_TYPE_VARCHAR, 50, BDB_TYPE_VARCHAR, 80, true},
      {BDB_TYPE_VARCHAR, 50, BDB_TYPE_VARCHAR, 3, false},
      {BDB_TYPE_VARCHAR, 0, BDB_TYPE_VARCHAR, 3, false},  // unbounded to bounded
      {BDB_TYPE_VARCHAR, 3, BDB_TYPE_VARCHAR, 0, true},
      {BDB_TYPE_VARCHAR, 10, BDB_TYPE_BYTES, 40, true},  // 4 bytes a character at most
      {BDB_TYPE_VARCHAR, 10, BDB_TYPE_BYTES, 39, false},
      {BDB_TYPE_VARCHAR, 10, BDB_TYPE_JSON, 0, false},  // not every text is JSON
      {BDB_TYPE_JSON, 20, BDB_TYPE_VARCHAR, 20, true},
      {BDB_TYPE_BYTES, 0, BDB_TYPE_VARCHAR, 0, false},  // not every byte string is UTF-8
      {BDB_TYPE_UINT8, 0, BDB_TYPE_UINT16, 0, true},
      {BDB_TYPE_UINT8, 0, BDB_TYPE_INT16, 0, true},
      {BDB_TYPE_UINT8, 0, BDB_TYPE_INT8, 0, false},
      {BDB_TYPE_INT8, 0, BDB_TYPE_UINT64, 0, false},
      {BDB_TYPE_INT64, 0, BDB_TYPE_TIMESTAMP, 0, true},
      {BDB_TYPE_INT32, 0, BDB_TYPE_FLOAT64, 0, true},
      {BDB_TYPE_INT64, 0, BDB_TYPE_FLOAT64, 0, false},  // beyond 2^53
      {BDB_TYPE_INT32, 0, BDB_TYPE_FLOAT32, 0, false},  // beyond 2^24
      {BDB_TYPE_FLOAT32, 0, BDB_TYPE_FLOAT64, 0, true},
      {BDB_TYPE_FLOAT64, 0, BDB_TYPE_FLOAT32, 0, false},
      {BDB_TYPE_FLOAT64, 0, BDB_TYPE_INT32, 0, false},
      {BDB_TYPE_BOOL, 0, BDB_TYPE_UINT8, 0, false},
      {BDB_TYPE_BLOB, 0, BDB_TYPE_BYTES, 0, false},
  };
  for (const Case &c : cases) {
    Conversion conv = convert_type(c.from, c.from_max, c.to, c.to_max);
    EXPECT_EQ(conv.lossless, c.lossless) << type_label(c.from, c.from_max) << " -> "
                                         << type_label(c.to, c.to_max) << ": " << conv.effect;
    EXPECT_FALSE(conv.effect.empty());
  }
}

TEST(Evolution, ALossyVersionNamesEachFieldAndWhy) {
  auto v1 = TableSchema::from_json(users(1, R"({"typeId":10,"maxLength":36})",
                                         R"({"typeId":10,"maxLength":50})",
                                         R"(,"age":{"typeId":1},"score":{"typeId":7})"));
  auto v2 = TableSchema::from_json(users(2, R"({"typeId":10,"maxLength":36})",
                                         R"({"typeId":10,"maxLength":3})",
                                         R"(,"score":{"typeId":4},"extra":{"typeId":6})"));
  std::string why = evolution_problem(*v1, *v2, false);
  EXPECT_NE(why.find("field 'name' varchar(50) -> varchar(3): values longer than 3 characters"),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("field 'score' float64 -> int32"), std::string::npos) << why;
  EXPECT_NE(why.find("field 'age' (uint8) is dropped"), std::string::npos) << why;
  EXPECT_EQ(why.find("extra"), std::string::npos) << "an added field loses nothing: " << why;
  EXPECT_EQ(evolution_problem(*v1, *v2, true), "");
}

TEST(Evolution, ThePrimaryKeyNeverNarrowsEvenWhenLossIsAllowed) {
  auto v1 = TableSchema::from_json(users(1, R"({"typeId":10,"maxLength":36})", R"({"typeId":10})"));
  auto v2 = TableSchema::from_json(users(2, R"({"typeId":10,"maxLength":2})", R"({"typeId":10})"));
  std::string why = evolution_problem(*v1, *v2, true);
  EXPECT_NE(why.find("narrows the primary key 'id' from varchar(36) to varchar(2)"),
            std::string::npos)
      << why;
  auto wider =
      TableSchema::from_json(users(3, R"({"typeId":10,"maxLength":64})", R"({"typeId":10})"));
  EXPECT_EQ(evolution_problem(*v1, *wider, false), "");
}

class EvolutionEngine : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = test::open_db(test::fresh_memory_uri());
    db_->register_schema(users(1, R"({"typeId":10,"maxLength":36})",
                               R"({"typeId":10,"maxLength":50})", R"(,"age":{"typeId":1})"));
    Batch b;
    for (const char *row :
         {R"({"id":"u10","name":"Bob","age":30})", R"({"id":"u2","name":"Alice","age":200})"}) {
      Document d(db_->table_schema("users"));
      d.set_json_object(nlohmann::json::parse(row));
      b.stage(StagedOp::kUpdate, d);
    }
    db_->commit(b);
    db_->merge();
  }
  std::string get(const std::string &id) {
    Document k(db_->table_schema("users"));
    k.set(0, Value{id});
    auto d = db_->get(k);
    return d ? d->to_json() : "(none)";
  }
  std::unique_ptr<Database> db_;
};

TEST_F(EvolutionEngine, ANarrowingVersionIsRefusedAndTheRowsStayWhole) {
  try {
    db_->register_schema(users(2, R"({"typeId":10,"maxLength":36})",
                               R"({"typeId":10,"maxLength":3})", R"(,"age":{"typeId":13})"));
    ADD_FAILURE() << "registered";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), BDB_E_SCHEMA);
    std::string m = e.what();
    EXPECT_NE(m.find("table users version 2 would lose data"), std::string::npos) << m;
    EXPECT_NE(m.find("field 'name'"), std::string::npos) << m;
    EXPECT_NE(m.find("field 'age' uint8 -> int8"), std::string::npos) << m;
  }
  db_->merge();
  EXPECT_EQ(db_->table_schema("users")->version(), 1u);
  EXPECT_EQ(get("u2"), R"({"id":"u2","name":"Alice","age":200})");
  EXPECT_EQ(get("u10"), R"({"id":"u10","name":"Bob","age":30})");
}

TEST_F(EvolutionEngine, ALossyVersionAllowedConvertsWhatFitsAndKeepsTheKey) {
  db_->register_schema(users(2, R"({"typeId":10,"maxLength":36})", R"({"typeId":10,"maxLength":3})",
                             R"(,"age":{"typeId":13})"),
                       true);
  db_->merge();  // rewrites the blocks into version 2
  EXPECT_EQ(get("u10"), R"({"id":"u10","name":"Bob","age":30})");
  EXPECT_EQ(get("u2"), R"({"id":"u2"})") << "Alice and 200 do not fit: null";
}

// The values a lossy version nulls stay readable in history for the grace: a read as of a
// position before the version shows rows through the version in force then, before and after
// the merge that rewrites the blocks (Block 0 format 4 remembers it), and after a reopen.
TEST_F(EvolutionEngine, HistoryBeforeALossyVersionShowsTheValuesItNulled) {
  const uint64_t before = db_->snapshot()->last_seq;
  db_->register_schema(users(2, R"({"typeId":10,"maxLength":36})", R"({"typeId":10,"maxLength":3})",
                             R"(,"age":{"typeId":13})"),
                       true);
  auto rows_as_of = [&](Database &db, uint64_t seq) {
    QuerySpec q;
    q.schema = db.table_schema("users");
    q.as_of_seq = seq;
    std::vector<std::string> got;
    auto c = db.query(q);
    while (auto d = c->next()) got.push_back(d->to_json());
    return got;
  };
  const std::vector<std::string> then = {R"({"id":"u10","name":"Bob","age":30})",
                                         R"({"id":"u2","name":"Alice","age":200})"};
  EXPECT_EQ(rows_as_of(*db_, before), then) << "the version registered later is not in force";
  db_->merge();
  EXPECT_EQ(get("u2"), R"({"id":"u2"})");
  EXPECT_EQ(rows_as_of(*db_, before), then) << "the old blocks through the old version";
  auto other = test::open_db(db_->storage().uri());
  EXPECT_EQ(other->snapshot()->block0->format, 4u);
  EXPECT_EQ(rows_as_of(*other, before), then) << "as Block 0 stores it";
}

TEST_F(EvolutionEngine, AKeyThatWouldNarrowIsRefusedEvenWhenLossIsAllowed) {
  try {
    db_->register_schema(users(2, R"({"typeId":10,"maxLength":2})",
                               R"({"typeId":10,"maxLength":50})", R"(,"age":{"typeId":1})"),
                         true);
    ADD_FAILURE() << "registered";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), BDB_E_SCHEMA);
    EXPECT_NE(std::string(e.what()).find("a primary key never narrows"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(get("u10"), R"({"id":"u10","name":"Bob","age":30})");
}

TEST_F(EvolutionEngine, AnOlderVersionNumberIsRefused) {
  db_->register_schema(users(3, R"({"typeId":10,"maxLength":36})",
                             R"({"typeId":10,"maxLength":50})",
                             R"(,"age":{"typeId":1},"x":{"typeId":6})"));
  try {
    db_->register_schema(users(2, R"({"typeId":10,"maxLength":36})",
                               R"({"typeId":10,"maxLength":50})", R"(,"age":{"typeId":1})"));
    ADD_FAILURE() << "registered";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("is older than the registered version 3"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(EvolutionEngine, SchemasRegisteredTogetherLandAllOrNone) {
  std::string good =
      R"({"name":"orders","version":1,"fields":{"id":{"typeId":3}},"primaryKey":"id"})";
  std::string lossy = users(2, R"({"typeId":10,"maxLength":36})", R"({"typeId":10,"maxLength":3})");
  EXPECT_THROW(db_->register_schema("[" + good + "," + lossy + "]"), Error);
  EXPECT_EQ(db_->snapshot()->schemas->find_newest("orders"), nullptr) << "none of them";
  db_->register_schema("[" + good + "," + lossy + "]", true);
  EXPECT_NE(db_->snapshot()->schemas->find_newest("orders"), nullptr);
  EXPECT_EQ(db_->table_schema("users")->version(), 2u);
}

}  // namespace
}  // namespace bucketdb
