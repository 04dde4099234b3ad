// Scan queries against a naive reference on random data: every operator, orders, offsets,
// limits, projections, rows split between data blocks and the committed cache.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>

#include "core/codec/json_values.h"
#include "core/codec/key_codec.h"
#include "core/util/error.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

const char *kItems = R"({"name":"items","version":1,"fields":{
  "id":{"typeId":4},"name":{"typeId":10},"qty":{"typeId":2},"delta":{"typeId":13},
  "price":{"typeId":7},"ok":{"typeId":6},"at":{"typeId":8}},"primaryKey":"id",
  "indexes":["name","qty","delta","price","ok","at"]})";

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
    long double a = v.is_number_unsigned()  ? static_cast<long double>(v.get<uint64_t>())
                    : v.is_number_integer() ? static_cast<long double>(v.get<int64_t>())
                                            : static_cast<long double>(v.get<double>());
    long double b = l.is_number_unsigned()  ? static_cast<long double>(l.get<uint64_t>())
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
  auto maybe = [&](nlohmann::json v) { return rng() % 6 == 0 ? nlohmann::json() : std::move(v); };
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
    // Some rows in blocks (found through indexes), some in the committed cache, and rows
    // changed after their index entries were written.
    if (batch == 2 || batch == 4) db->merge();
  }
  const char *fields[] = {"id", "name", "qty", "delta", "price", "ok", "at"};
  const char *ops[] = {"=", "!=", "<", "<=", ">", ">=", "in", "prefix", "isnull", "notnull"};
  auto literal = [&](const std::string &f) -> nlohmann::json {
    if (f == "name") return names[rng() % 8];
    if (f == "ok") return static_cast<bool>(rng() % 2);
    if (f == "price") return (static_cast<int>(rng() % 2000) - 1000) / 8.0;
    if (f == "at") return static_cast<int64_t>(rng() % 5) * 1000000000000LL;
    if (f == "qty" && rng() % 3 == 0)
      return static_cast<double>(rng() % 500) / 10.0;  // mixed int/float compare
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
      std::stable_sort(
          want.begin(), want.end(), [&](const nlohmann::json &a, const nlohmann::json &b) {
            Value va = a[order].is_null() ? Value{} : value_from_json(*s, fd, a[order]);
            Value vb = b[order].is_null() ? Value{} : value_from_json(*s, fd, b[order]);
            if (fd.type->kind == Kind::kInt && std::holds_alternative<uint64_t>(va))
              va = static_cast<int64_t>(std::get<uint64_t>(va));
            if (fd.type->kind == Kind::kInt && std::holds_alternative<uint64_t>(vb))
              vb = static_cast<int64_t>(std::get<uint64_t>(vb));
            if (fd.type->kind == Kind::kUInt && std::holds_alternative<int64_t>(va))
              va = static_cast<uint64_t>(std::get<int64_t>(va));
            if (fd.type->kind == Kind::kUInt && std::holds_alternative<int64_t>(vb))
              vb = static_cast<uint64_t>(std::get<int64_t>(vb));
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
    for (auto &[f, op, lit] : conds)
      desc_text.append(f).append(" ").append(op).append(" ").append(lit.dump()).append("; ");
    ASSERT_EQ(got_ids, want_ids) << "query " << qn << ": " << desc_text << " order " << order
                                 << (desc ? " desc" : "") << " offset " << q.offset << " limit "
                                 << q.limit;
    ASSERT_EQ(db->count(q), want_ids.size());
  }
}

TEST(Query, PlannerUsesKeysAndIndexesAndReadsFewerBlocks) {
  Options o = test::quiet_options();
  o.block_size_bytes = 1024;
  auto db = test::open_db(test::fresh_memory_uri(), o);
  db->register_schema(kItems);
  SchemaPtr s = db->table_schema("items");
  Batch b;
  for (int i = 0; i < 2000; i++) {
    Document d(s);
    d.set_json_object({{"id", i}, {"name", "n" + std::to_string(i % 100)}, {"qty", i}});
    b.stage(StagedOp::kUpdate, d);
  }
  db->commit(b);
  db->merge();
  auto explain = [&](const char *field, const char *op, const char *value) {
    QuerySpec q;
    q.schema = s;
    q.add_condition(field, op, value);
    return db->explain(q);
  };
  EXPECT_NE(explain("id", "=", "7").find("primary key"), std::string::npos);
  EXPECT_NE(explain("id", "in", "[1,5,1999]").find("3 ranges"), std::string::npos);
  EXPECT_NE(explain("name", "=", "\"n7\"").find("index on items.name"), std::string::npos);
  EXPECT_NE(explain("name", "=", "\"n7\"").find("read as a scan instead if the keys found outgrow"),
            std::string::npos)
      << "the fallback of an index plan whose keys outgrow the sort budget";
  EXPECT_NE(explain("qty", ">", "1990").find("index on items.qty"), std::string::npos);
  EXPECT_NE(explain("ok", "notnull", nullptr).find("full scan"), std::string::npos);
  // The point lookup and the index read one block per row; the scan reads them all.
  auto reads = [&](const char *field, const char *op, const char *value, size_t want_rows) {
    auto fresh = test::open_db(test::fresh_memory_uri());  // unused: the cache is per handle
    (void)fresh;
    QuerySpec q;
    q.schema = s;
    q.add_condition(field, op, value);
    uint64_t before = db->storage().counters().gets.load();
    size_t rows = 0;
    auto c = db->query(q);
    while (c->next()) rows++;
    EXPECT_EQ(rows, want_rows) << field << " " << op << " " << value;
    return db->storage().counters().gets.load() - before;
  };
  reads("ok", "isnull", nullptr, 2000);  // warms the cache: every block
  EXPECT_EQ(reads("id", "=", "7", 1), 0u) << "warm: no request at all";
  EXPECT_EQ(reads("name", "=", "\"n7\"", 20), 0u) << "warm index lookup";
}

// Newest first: pages in descending primary-key order read the blocks backwards from the
// page token, not every block sorted, and the committed cache's rows fall in their place.
TEST(Query, DescendingKeyPagesReadBackwardsFromTheToken) {
  Options o = test::quiet_options();
  o.block_size_bytes = 1024;
  auto uri = test::fresh_memory_uri();
  auto db = test::open_db(uri, o);
  db->register_schema(kItems);
  SchemaPtr s = db->table_schema("items");
  auto put = [&](int from, int to, int step) {
    Batch b;
    for (int i = from; i < to; i += step) {
      Document d(s);
      d.set_json_object({{"id", i}, {"name", "n" + std::to_string(i)}});
      b.stage(StagedOp::kUpdate, d);
    }
    db->commit(b);
  };
  put(0, 2000, 2);  // even ids in blocks
  db->merge();
  put(1, 2000, 10);  // some odd ids in the committed cache only
  Batch del;
  Document gone(s);
  gone.set_json_object({{"id", 1990}});
  del.stage(StagedOp::kDelete, gone);
  db->commit(del);
  auto cold = test::open_db(uri, o);
  QuerySpec q;
  q.schema = s;
  q.set_order("id", true);
  q.limit = 7;
  EXPECT_NE(cold->explain(q).find("read backwards"), std::string::npos) << cold->explain(q);
  std::vector<int64_t> got;
  std::string token;
  uint64_t before = cold->storage().counters().gets.load();
  for (int page = 0; page < 3; page++) {
    q.set_after(token);
    auto c = cold->query(q);
    while (auto d = c->next()) got.push_back(std::get<int64_t>(d->get(0)));
    token = c->page_token();
  }
  uint64_t gets = cold->storage().counters().gets.load() - before;
  std::vector<int64_t> want;
  for (int i = 1999; i >= 0 && want.size() < 21; i--)
    if ((i % 2 == 0 && i != 1990) || i % 10 == 1) want.push_back(i);
  EXPECT_EQ(got, want);
  // The manifest page and the last few blocks (about 40 rows each), not the 50-odd blocks.
  EXPECT_LE(gets, 4u);
}

// A file database of 3000 items, row(i) for i in [0, 3000), merged into 1 KiB blocks; later
// handles on it start cold.
void merged_items(const std::string &uri, const Options &o,
                  const std::function<nlohmann::json(int)> &row) {
  auto db = test::open_db(uri, o);
  db->register_schema(kItems);
  Batch b;
  for (int i = 0; i < 3000; i++) {
    Document d(db->table_schema("items"));
    d.set_json_object(row(i));
    b.stage(StagedOp::kUpdate, d);
  }
  db->commit(b);
  db->merge();
}

TEST(Query, ColdLookupsReadOnlyWhatTheyNeed) {
  test::TempDir dir;
  std::string uri = "file:" + dir.path() + "/db";
  Options o = test::quiet_options();
  o.block_size_bytes = 1024;
  merged_items(uri, o, [](int i) {
    return nlohmann::json{{"id", i}, {"name", "n" + std::to_string(i % 300)}, {"qty", i}};
  });
  auto cold = [&](const char *field, const char *op, const char *value) {
    auto db = test::open_db(uri, o);  // a fresh handle: nothing cached
    QuerySpec q;
    q.schema = db->table_schema("items");
    q.add_condition(field, op, value);
    uint64_t before = db->storage().counters().gets.load();
    auto c = db->query(q);
    size_t rows = 0;
    while (c->next()) rows++;
    return std::make_pair(rows, db->storage().counters().gets.load() - before);
  };
  auto [rows1, gets1] = cold("id", "=", "1234");
  EXPECT_EQ(rows1, 1u);
  EXPECT_LE(gets1, 3u) << "manifest page + one block (+ the log check)";
  auto [rows2, gets2] = cold("name", "=", "\"n42\"");
  EXPECT_EQ(rows2, 10u);
  auto [rows3, gets3] = cold("qty", ">=", "0");
  EXPECT_EQ(rows3, 3000u);
  std::printf("cold GETs: point %llu, index (10 rows) %llu, everything %llu\n",
              (unsigned long long)gets1, (unsigned long long)gets2, (unsigned long long)gets3);
  EXPECT_LT(gets2, gets3 / 4) << "an index lookup reads far less than a scan";
}

// Warm point reads reach their block through the manifest page, not the object cache's map;
// the cache must still see those blocks as used, or it would evict the hottest first. And a
// key the committed cache holds is answered without reading any block.
TEST(Query, WarmReadsKeepTheirBlocksCachedAndCommittedRowsNeedNoBlock) {
  test::TempDir dir;
  std::string uri = "file:" + dir.path() + "/db";
  Options o = test::quiet_options();
  o.block_size_bytes = 1024;
  o.read_staleness_ms = 600000;
  merged_items(uri, o, [](int i) {
    return nlohmann::json{{"id", i}, {"name", "n" + std::to_string(i)}, {"qty", i}};
  });
  o.max_memory_bytes = 48 << 10;  // a few dozen of the ~150 blocks
  auto db = test::open_db(uri, o);
  auto key = [&](int id) {
    Document k(db->table_schema("items"));
    k.set_json_object({{"id", id}});
    return k;
  };
  auto gets = [&] { return db->storage().counters().gets.load(); };
  ASSERT_TRUE(db->get(key(1500)));
  uint64_t hot_gets = 0, other_gets = 0;
  // The first pass fills the cache, and its first sweep gives every entry, all new, their
  // second chance at once; the second pass shows the steady state.
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < 3000; i += 10) {
      uint64_t before = gets();
      ASSERT_TRUE(db->get(key(i)));  // walks the cache through every block
      if (pass) other_gets += gets() - before;
      before = gets();
      auto hot = db->get(key(1500));
      if (pass) hot_gets += gets() - before;
      ASSERT_TRUE(hot);
      EXPECT_EQ(hot->to_json_value()["qty"], 1500);
    }
  EXPECT_GT(other_gets, 100u) << "the cache is smaller than the table";
  EXPECT_EQ(hot_gets, 0u) << "the hot block and the manifest page stay cached";

  auto cold = test::open_db(uri, o);  // nothing cached
  Batch b;
  Document d(cold->table_schema("items"));
  d.set_json_object({{"id", 77}, {"name", "changed"}, {"qty", 1}});
  b.stage(StagedOp::kUpdate, d);
  cold->commit(b);
  Document k(cold->table_schema("items"));
  k.set_json_object({{"id", 77}});
  uint64_t before = cold->storage().counters().gets.load();
  auto row = cold->get(k);
  EXPECT_EQ(cold->storage().counters().gets.load() - before, 0u)
      << "the committed cache answers: no manifest page, no block";
  ASSERT_TRUE(row);
  EXPECT_EQ(row->to_json_value()["name"], "changed");
}

// ORDER BY an indexed field with a limit reads the index in order: the first rows cost a few
// GETs, not a scan and a sort; descending order keeps ties in primary-key order.
TEST(Query, LimitedOrderByAnIndexedFieldReadsTheIndexInOrder) {
  test::TempDir dir;
  std::string uri = "file:" + dir.path() + "/db";
  Options o = test::quiet_options();
  o.block_size_bytes = 1024;
  merged_items(uri, o, [](int i) {
    nlohmann::json qty = i % 7 == 0 ? nlohmann::json() : nlohmann::json((i * 37) % 1000);
    return nlohmann::json{{"id", i}, {"qty", qty}};
  });
  {
    auto db = test::open_db(uri, o);
    Batch late;  // in the committed cache only: merged into the index's order at query time
    Document d(db->table_schema("items"));
    d.set_json_object({{"id", 5000}, {"qty", 999}});
    late.stage(StagedOp::kUpdate, d);
    db->commit(late);
  }
  auto cold = [&](bool desc, uint64_t limit, std::vector<int> *ids) {
    auto db = test::open_db(uri, o);
    QuerySpec q;
    q.schema = db->table_schema("items");
    q.set_order("qty", desc);
    q.limit = limit;
    EXPECT_NE(db->explain(q).find("(no sort)"), std::string::npos) << db->explain(q);
    uint64_t before = db->storage().counters().gets.load();
    auto c = db->query(q);
    while (auto d = c->next()) ids->push_back(static_cast<int>(std::get<int64_t>(d->get(0))));
    return db->storage().counters().gets.load() - before;
  };
  std::vector<int> top, bottom;
  uint64_t gets = cold(true, 5, &top);
  // qty = (i * 37) % 1000 repeats every 1000 ids: 999 is ids 27, 1027, 2027 (none a multiple
  // of 7) and the late row 5000; then 998 (ids 54, 1054, 2054).
  EXPECT_EQ(top, (std::vector<int>{27, 1027, 2027, 5000, 54}));
  EXPECT_LE(gets, 12u) << "index path + a few blocks, not every block";
  cold(false, 3, &bottom);
  EXPECT_EQ(bottom, (std::vector<int>{0, 7, 14})) << "nulls first, in key order";
  std::printf("cold GETs for ORDER BY qty DESC LIMIT 5 over 3000 rows: %llu\n",
              static_cast<unsigned long long>(gets));
}

// Index plans hold their keys to read rows in key order; keys beyond the sort budget (here
// the least, 64 KiB) make the query a scan, with the same answer.
TEST(Query, AnIndexPlanTooLargeForTheBudgetRunsAsAScan) {
  Options o = test::quiet_options();
  o.block_size_bytes = 4096;
  o.max_memory_bytes = 64 << 10;
  auto db = test::open_db(test::fresh_memory_uri(), o);
  db->register_schema(kItems);
  Batch b;
  for (int i = 0; i < 6000; i++) {
    Document d(db->table_schema("items"));
    d.set_json_object({{"id", i}, {"qty", i % 3}});
    b.stage(StagedOp::kUpdate, d);
  }
  db->commit(b);
  db->merge();
  auto scanned = [&] {
    return nlohmann::json::parse(db->stats_json())["engine"]["indexPlansScanned"].get<uint64_t>();
  };
  auto run = [&](const char *op, const char *value) {
    QuerySpec q;
    q.schema = db->table_schema("items");
    q.add_condition("qty", op, value);
    EXPECT_NE(db->explain(q).find("index on items.qty"), std::string::npos);
    std::vector<int> ids;
    auto c = db->query(q);
    while (auto d = c->next()) ids.push_back(static_cast<int>(std::get<int64_t>(d->get(0))));
    return ids;
  };
  uint64_t before = scanned();
  std::vector<int> few = run("=", "9");
  EXPECT_TRUE(few.empty());
  EXPECT_EQ(scanned(), before) << "a small index plan keeps its keys";
  std::vector<int> many = run(">=", "1");
  EXPECT_GT(scanned(), before) << "4000 keys do not fit 64 KiB";
  ASSERT_EQ(many.size(), 4000u);
  for (size_t i = 1; i < many.size(); i++) ASSERT_LT(many[i - 1], many[i]) << "key order";
  for (int id : many) ASSERT_NE(id % 3, 0);
}

TEST(Query, AnIndexAddedLaterIsBuiltInTheBackground) {
  Options o = test::quiet_options();
  o.block_size_bytes = 512;
  auto db = test::open_db(test::fresh_memory_uri(), o);
  db->register_schema(R"({"name":"t","version":1,"fields":{"id":{"typeId":4},
      "tag":{"typeId":10}},"primaryKey":"id"})");
  Batch b;
  for (int i = 0; i < 1500; i++) {
    Document d(db->table_schema("t"));
    d.set_json_object({{"id", i}, {"tag", "t" + std::to_string(i % 50)}});
    b.stage(StagedOp::kUpdate, d);
  }
  db->commit(b);
  db->merge();
  db->register_schema(R"({"name":"t","version":2,"fields":{"id":{"typeId":4},
      "tag":{"typeId":10}},"primaryKey":"id","indexes":["tag"]})");
  QuerySpec q;
  q.schema = db->table_schema("t");
  q.add_condition("tag", "=", "\"t7\"");
  EXPECT_NE(db->explain(q).find("full scan"), std::string::npos) << "not built yet";
  int merges = 0;
  while (db->merge_due_now() && merges < 100) {
    db->merge();
    merges++;
  }
  EXPECT_GT(merges, 1) << "built a few blocks per merge";
  EXPECT_NE(db->explain(q).find("index on t.tag"), std::string::npos) << db->explain(q);
  size_t rows = 0;
  auto c = db->query(q);
  while (c->next()) rows++;
  EXPECT_EQ(rows, 30u);
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

// NaN follows IEEE 754 in conditions (only != holds, against NaN and against it) and sorts
// above +Infinity; -0 is 0. Through every plan: the index on price, a scan, the merged blocks
// and the committed cache.
TEST(Query, NaNComparesAsIeee754AndSortsAboveInfinity) {
  auto db = test::open_db(test::fresh_memory_uri());
  db->register_schema(kItems);
  SchemaPtr s = db->table_schema("items");
  auto add = [&](int id, const char *price) {
    Document d(s);
    d.set_json_object(nlohmann::json::parse(std::string(R"({"id":)") + std::to_string(id) +
                                            (price ? std::string(R"(,"price":)") + price : "") +
                                            "}"));
    Batch b;
    b.stage(StagedOp::kUpdate, d);
    db->commit(b);
  };
  add(1, "\"NaN\"");
  add(2, "1.5");
  add(3, "\"Infinity\"");
  add(4, nullptr);
  add(5, "-0.0");
  db->merge();
  add(6, "\"NaN\"");  // in the committed cache
  add(7, "\"-Infinity\"");
  auto ids = [&](const std::vector<std::pair<const char *, const char *>> &conds, bool desc = false,
                 bool ordered = false) {
    QuerySpec q;
    q.schema = s;
    for (auto &[op, v] : conds) q.add_condition("price", op, v);
    if (ordered) q.set_order("price", desc);
    std::vector<int> out;
    auto c = db->query(q);
    while (auto d = c->next()) out.push_back(static_cast<int>(std::get<int64_t>(d->get(0))));
    EXPECT_EQ(db->count(q), out.size());
    return out;
  };
  using V = std::vector<int>;
  EXPECT_EQ(ids({{">", "0"}}), (V{2, 3})) << "NaN is not greater than 0";
  EXPECT_EQ(ids({{"<", "0"}}), (V{7})) << "nor less";
  EXPECT_EQ(ids({{">=", "\"-Infinity\""}, {"<=", "\"Infinity\""}}), (V{2, 3, 5, 7}));
  EXPECT_EQ(ids({{"=", "0"}}), (V{5})) << "-0 equals 0";
  EXPECT_EQ(ids({{"!=", "1.5"}}), (V{1, 3, 5, 6, 7})) << "NaN != 1.5 holds; null matches nothing";
  EXPECT_EQ(ids({{"=", "\"NaN\""}}), V{}) << "NaN equals nothing, itself included";
  EXPECT_EQ(ids({{">", "\"NaN\""}}), V{});
  EXPECT_EQ(ids({{"<=", "\"NaN\""}}), V{});
  EXPECT_EQ(ids({{"!=", "\"NaN\""}}), (V{1, 2, 3, 5, 6, 7}))
      << "everything but null differs from NaN";
  EXPECT_EQ(ids({{"in", "[\"NaN\", 1.5]"}}), (V{2}));
  EXPECT_EQ(ids({{"isnull", nullptr}}), (V{4})) << "NaN is not null";
  EXPECT_EQ(ids({{"notnull", nullptr}}).size(), 6u);
  // Orders: null first ascending, NaN after +Infinity (ties in key order); the reverse.
  EXPECT_EQ(ids({}, false, true), (V{4, 7, 5, 2, 3, 1, 6}));
  EXPECT_EQ(ids({}, true, true), (V{1, 6, 3, 2, 5, 7, 4}));
}

// Several sort keys, each breaking the ties of those before, ties last in key order; pages by
// keyset token; a token is bound to the whole order.
TEST(Query, SeveralSortKeysOrderAndPage) {
  Options o = test::quiet_options();
  o.block_size_bytes = 512;
  auto db = test::open_db(test::fresh_memory_uri(), o);
  db->register_schema(kItems);
  SchemaPtr s = db->table_schema("items");
  Batch b;
  std::vector<nlohmann::json> data;
  for (int i = 0; i < 300; i++) {
    nlohmann::json j = {
        {"id", i}, {"name", std::string(1, static_cast<char>('a' + i % 3))}, {"qty", (i * 7) % 5}};
    if (i % 11 == 0) j.erase("qty");
    Document d(s);
    d.set_json_object(j);
    b.stage(StagedOp::kUpdate, d);
    data.push_back(j);
    if (i == 150) {
      db->commit(b);
      db->merge();
    }
  }
  db->commit(b);
  // name ascending, qty descending (nulls last), id ascending.
  std::vector<int> want;
  std::vector<nlohmann::json> sorted = data;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const nlohmann::json &x, const nlohmann::json &y) {
                     if (x["name"] != y["name"]) return x["name"] < y["name"];
                     int qa = x.contains("qty") ? x["qty"].get<int>() : -1;
                     int qb = y.contains("qty") ? y["qty"].get<int>() : -1;
                     return qa > qb;
                   });
  want.reserve(sorted.size());
  for (const auto &j : sorted) want.push_back(j["id"].get<int>());
  QuerySpec q;
  q.schema = s;
  q.set_order("name", false);
  q.add_order("qty", true);
  EXPECT_NE(db->explain(q).find("sorts the matching rows by name, qty descending"),
            std::string::npos)
      << db->explain(q);
  for (uint64_t page : {uint64_t{7}, uint64_t{1000}}) {
    std::vector<int> got;
    q.limit = page;
    for (std::string token;;) {
      q.set_after(token);
      auto c = db->query(q);
      size_t n = 0;
      while (auto d = c->next()) {
        got.push_back(static_cast<int>(std::get<int64_t>(d->get(0))));
        n++;
      }
      token = c->page_token();
      if (n < page) break;
    }
    EXPECT_EQ(got, want) << "pages of " << page;
  }
  // A token of this order does not continue another.
  q.limit = 5;
  q.set_after("");
  auto c = db->query(q);
  while (c->next()) {
  }
  std::string token = c->page_token();
  QuerySpec other;
  other.schema = s;
  other.set_order("name", false);
  other.set_after(token);
  try {
    db->query(other);
    ADD_FAILURE() << "a token of (name, qty desc) continued (name)";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), BDB_E_INVALID);
    EXPECT_NE(std::string(e.what()).find("name, qty descending"), std::string::npos) << e.what();
  }
  // The same field twice is refused; a key after the primary key never decides.
  EXPECT_THROW(other.add_order("name", true), Error);
  QuerySpec by_key;
  by_key.schema = s;
  by_key.set_order("id", false);
  by_key.add_order("qty", true);
  EXPECT_TRUE(by_key.key_order());
  EXPECT_EQ(by_key.order_keys().size(), 1u);
}

}  // namespace
}  // namespace bucketdb
