// Scan queries against a naive reference on random data: every operator, orders, offsets,
// limits, projections, rows split between data blocks and the committed cache.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/codec/json_values.h"
#include "core/codec/key_codec.h"
#include "core/util/error.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

const char *kItems = R"({"name":"items","version":1,"fields":{
  "id":{"typeId":4},"name":{"typeId":10},"qty":{"typeId":2},"delta":{"typeId":13},
  "price":{"typeId":7},"ok":{"typeId":6},"at":{"typeId":8}},"primaryKey":"id"})";

struct Row {
  nlohmann::json j;  // field -> value, nulls absent
};

// Reference semantics, written independently of the engine: SQL three-valued comparisons
// (null matches nothing but isnull), numbers compared as long double.
bool ref_test(const nlohmann::json &v, const std::string &op, const nlohmann::json &lit) {
  if (op == "isnull") return v.is_null();
  if (op == "notnull") return !v.is_null();
  if (v.is_null()) return false;
  auto cmp = [&](const nlohmann::json &l) -> int {
    if (v.is_string()) return v.get<std::string>() < l.get<std::string>() ? -1 : (v == l ? 0 : 1);
    if (v.is_boolean()) return static_cast<int>(v.get<bool>()) - static_cast<int>(l.get<bool>());
    long double a = v.is_number_unsigned() ? static_cast<long double>(v.get<uint64_t>())
                    : v.is_number_integer() ? static_cast<long double>(v.get<int64_t>())
                                            : static_cast<long double>(v.get<double>());
    long double b = l.is_number_unsigned() ? static_cast<long double>(l.get<uint64_t>())
                    : l.is_number_integer() ? static_cast<long double>(l.get<int64_t>())
                                            : static_cast<long double>(l.get<double>());
    return a < b ? -1 : (a > b ? 1 : 0);
  };
  if (op == "=") return cmp(lit) == 0;
  if (op == "!=") return cmp(lit) != 0;
  if (op == "<") return cmp(lit) < 0;
  if (op == "<=") return cmp(lit) <= 0;
  if (op == ">") return cmp(lit) > 0;
  if (op == ">=") return cmp(lit) >= 0;
  if (op == "in") {
    for (const auto &l : lit)
      if (cmp(l) == 0) return true;
    return false;
  }
  if (op == "prefix") return v.get<std::string>().rfind(lit.get<std::string>(), 0) == 0;
  return false;
}

TEST(Query, RandomQueriesMatchReference) {
  Options o = test::quiet_options();
  o.block_size_bytes = 1024;
  auto db = test::open_db(test::fresh_memory_uri(), o);
  db->register_schema(kItems);
  SchemaPtr s = db->table_schema("items");
  std::mt19937 rng(1234);
  const char *names[] = {"apple", "apricot", "banana", "b", "", "zeta", "Äpfel", "app"};
  std::map<int, nlohmann::json> data;
  auto maybe = [&](nlohmann::json v) { return rng() % 6 == 0 ? nlohmann::json() : v; };
  for (int batch = 0; batch < 6; batch++) {
    Batch b;
    for (int i = 0; i < 60; i++) {
      int id = static_cast<int>(rng() % 300) - 100;
      nlohmann::json j = {{"id", id},
                          {"name", maybe(names[rng() % 8])},
                          {"qty", maybe(rng() % 50)},
                          {"delta", maybe(static_cast<int>(rng() % 256) - 128)},
                          {"price", maybe((static_cast<int>(rng() % 2000) - 1000) / 8.0)},
                          {"ok", maybe(static_cast<bool>(rng() % 2))},
                          {"at", maybe(static_cast<int64_t>(rng() % 5) * 1000000000000LL)}};
      Document d(s);
      d.set_json_object(j);
      b.stage(StagedOp::kUpdate, d);
      data[id] = j;
    }
    db->commit(b);
    if (batch == 3) db->merge();  // half in blocks, half in the committed cache
  }
  const char *fields[] = {"id", "name", "qty", "delta", "price", "ok", "at"};
  const char *ops[] = {"=", "!=", "<", "<=", ">", ">=", "in", "prefix", "isnull", "notnull"};
  auto literal = [&](const std::string &f) -> nlohmann::json {
    if (f == "name") return names[rng() % 8];
    if (f == "ok") return static_cast<bool>(rng() % 2);
    if (f == "price") return (static_cast<int>(rng() % 2000) - 1000) / 8.0;
    if (f == "at") return static_cast<int64_t>(rng() % 5) * 1000000000000LL;
    if (f == "qty" && rng() % 3 == 0) return (rng() % 500) / 10.0;  // mixed int/float compare
    return static_cast<int>(rng() % 300) - 100;
  };
  for (int qn = 0; qn < 400; qn++) {
    QuerySpec q;
    q.schema = s;
    std::vector<std::tuple<std::string, std::string, nlohmann::json>> conds;
    int nc = static_cast<int>(rng() % 3);
    for (int c = 0; c < nc; c++) {
      std::string f = fields[rng() % 7], op = ops[rng() % 10];
      if (op == "prefix" && f != "name") op = "=";
      nlohmann::json lit;
      if (op == "in") {
        lit = nlohmann::json::array();
        for (int k = 0; k < 3; k++) lit.push_back(literal(f));
      } else if (op == "prefix") {
        lit = std::string(names[rng() % 8]).substr(0, rng() % 3);
      } else if (op != "isnull" && op != "notnull") {
        lit = literal(f);
      }
      q.add_condition(f, op, lit.is_null() ? nullptr : lit.dump().c_str());
      conds.emplace_back(f, op, lit);
    }
    std::string order = rng() % 3 ? fields[rng() % 7] : "";
    bool desc = rng() % 2;
    if (!order.empty()) q.set_order(order, desc);
    if (rng() % 2) q.offset = rng() % 20;
    if (rng() % 2) q.limit = rng() % 30;
    // Reference: filter, stable sort by (field, id), offset, limit.
    std::vector<nlohmann::json> want;
    for (auto &[id, j] : data) {
      bool ok = true;
      for (auto &[f, op, lit] : conds) ok = ok && ref_test(j[f], op, lit);
      if (ok) want.push_back(j);
    }
    if (!order.empty()) {
      const Field &fd = s->field(static_cast<size_t>(s->field_index(order)));
      std::stable_sort(want.begin(), want.end(), [&](const nlohmann::json &a, const nlohmann::json &b) {
        Value va = a[order].is_null() ? Value{} : value_from_json(*s, fd, a[order]);
        Value vb = b[order].is_null() ? Value{} : value_from_json(*s, fd, b[order]);
        if (fd.type->kind == Kind::kInt && std::holds_alternative<uint64_t>(va)) va = static_cast<int64_t>(std::get<uint64_t>(va));
        if (fd.type->kind == Kind::kInt && std::holds_alternative<uint64_t>(vb)) vb = static_cast<int64_t>(std::get<uint64_t>(vb));
        if (fd.type->kind == Kind::kUInt && std::holds_alternative<int64_t>(va)) va = static_cast<uint64_t>(std::get<int64_t>(va));
        if (fd.type->kind == Kind::kUInt && std::holds_alternative<int64_t>(vb)) vb = static_cast<uint64_t>(std::get<int64_t>(vb));
        int c = compare_values(*fd.type, va, vb);
        return desc ? c > 0 : c < 0;
      });
    }
    size_t from = std::min<size_t>(q.offset, want.size());
    size_t to = q.limit >= want.size() - from ? want.size() : from + q.limit;
    std::vector<int> want_ids, got_ids;
    for (size_t i = from; i < to; i++) want_ids.push_back(want[i]["id"].get<int>());
    auto c = db->query(q);
    while (auto d = c->next()) got_ids.push_back(static_cast<int>(std::get<int64_t>(d->get(0))));
    std::string desc_text;
    for (auto &[f, op, lit] : conds) desc_text += f + " " + op + " " + lit.dump() + "; ";
    ASSERT_EQ(got_ids, want_ids) << "query " << qn << ": " << desc_text << " order " << order
                                 << (desc ? " desc" : "") << " offset " << q.offset << " limit "
                                 << q.limit;
    ASSERT_EQ(db->count(q), want_ids.size());
  }
}

TEST(Query, ProjectionKeepsThePrimaryKey) {
  auto db = test::open_db(test::fresh_memory_uri());
  db->register_schema(kItems);
  Batch b;
  Document d(db->table_schema("items"));
  d.set_json_object(nlohmann::json::parse(R"({"id":1,"name":"a","qty":2})"));
  b.stage(StagedOp::kUpdate, d);
  db->commit(b);
  QuerySpec q;
  q.schema = db->table_schema("items");
  q.add_select("qty");
  EXPECT_EQ(db->query(q)->next()->to_json(), R"({"id":1,"qty":2})");
}

TEST(Query, BadConditionsAreClearErrors) {
  auto db = test::open_db(test::fresh_memory_uri());
  db->register_schema(kItems);
  QuerySpec q;
  q.schema = db->table_schema("items");
  auto st = [&](const char *f, const char *op, const char *v) {
    try {
      q.add_condition(f, op, v);
    } catch (const Error &e) {
      EXPECT_NE(std::string(e.what()).find("items"), std::string::npos) << e.what();
      return e.status();
    }
    return BDB_OK;
  };
  EXPECT_EQ(st("nope", "=", "1"), BDB_E_SCHEMA);
  EXPECT_EQ(st("qty", "~", "1"), BDB_E_INVALID);
  EXPECT_EQ(st("qty", "=", "\"x\""), BDB_E_TYPE);
  EXPECT_EQ(st("qty", "=", "{oops"), BDB_E_JSON);
  EXPECT_EQ(st("qty", "prefix", "\"1\""), BDB_E_TYPE);
  EXPECT_EQ(st("qty", "in", "3"), BDB_E_TYPE);
  EXPECT_EQ(st("qty", "=", nullptr), BDB_E_INVALID);
}

}  // namespace
}  // namespace bucketdb
