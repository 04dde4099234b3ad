// Keyset pagination: walking a result page by page with tokens gives the whole result once,
// in every order, while rows change between pages; bad tokens are clear errors.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include <xxhash.h>

#include "core/codec/text.h"
#include "core/util/bytes.h"
#include "core/util/error.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

const char *kItems = R"({"name":"items","version":1,"fields":{
  "id":{"typeId":4},"name":{"typeId":10},"qty":{"typeId":2},"price":{"typeId":7},
  "ok":{"typeId":6}},"primaryKey":"id","indexes":["name","qty"]})";
const char *kOther = R"({"name":"other","version":1,"fields":{"k":{"typeId":10}},
  "primaryKey":"k"})";

class Pages : public ::testing::Test {
 protected:
  void SetUp() override {
    Options o = test::quiet_options();
    o.block_size_bytes = 1024;
    db = test::open_db(test::fresh_memory_uri(), o);
    db->register_schema(kItems);
    db->register_schema(kOther);
    s = db->table_schema("items");
  }
  void put(int id) {
    const char *names[] = {"apple", "b", "", "zeta", "Äpfel", "app"};
    auto maybe = [&](nlohmann::json v) { return rng() % 5 == 0 ? nlohmann::json() : std::move(v); };
    Document d(s);
    d.set_json_object({{"id", id},
                       {"name", maybe(names[rng() % 6])},
                       {"qty", maybe(rng() % 7)},
                       {"price", maybe((static_cast<int>(rng() % 40) - 20) / 4.0)},
                       {"ok", maybe(static_cast<bool>(rng() % 2))}});
    Batch b;
    b.stage(StagedOp::kUpdate, d);
    db->commit(b);
  }
  void remove(int id) {
    Document d(s);
    d.set(0, Value{static_cast<int64_t>(id)});
    Batch b;
    b.stage(StagedOp::kDelete, d);
    db->commit(b);
  }
  // A query of items ordered by `field`, `limit` rows a page.
  QuerySpec ordered(const char *field, bool desc, uint64_t limit) {
    QuerySpec q;
    q.schema = s;
    q.set_order(field, desc);
    q.limit = limit;
    return q;
  }
  std::vector<int> ids(const QuerySpec &q, std::string *token = nullptr) {
    std::vector<int> out;
    auto c = db->query(q);
    while (auto d = c->next()) out.push_back(static_cast<int>(std::get<int64_t>(d->get(0))));
    if (token) *token = c->page_token();
    return out;
  }
  std::unique_ptr<Database> db;
  SchemaPtr s;
  std::mt19937 rng{99};
};

TEST_F(Pages, WalkEveryOrderAndGetTheWholeResultOnce) {
  for (int i = 0; i < 300; i++) put(static_cast<int>(rng() % 600) - 200);
  db->merge();
  for (int i = 0; i < 40; i++) put(static_cast<int>(rng() % 600) - 200);  // committed cache
  const char *orders[] = {"", "id", "name", "qty", "price", "ok"};
  for (const char *order : orders)
    for (bool desc : {false, true})
      for (int where = 0; where < 4; where++)
        for (uint64_t page : {1u, 7u, 50u}) {
          QuerySpec q;
          q.schema = s;
          if (where == 1) q.add_condition("qty", ">=", "2");
          if (where == 2) q.add_condition("name", "=", "\"apple\"");
          if (where == 3) {
            q.add_condition("ok", "=", "true");
            q.add_or();
            q.add_condition("price", "<", "0");
          }
          if (*order)
            q.set_order(order, desc);
          else if (desc)
            continue;
          std::vector<int> all = ids(q), walked;
          q.limit = page;
          std::string token;
          for (int n = 0;; n++) {
            ASSERT_LT(n, 1000) << "pagination does not end";
            q.set_after(token);
            std::string next;
            auto got = ids(q, &next);
            walked.insert(walked.end(), got.begin(), got.end());
            if (got.empty()) {
              EXPECT_EQ(next, token) << "an empty page keeps its position";
            } else {
              ASSERT_NE(next, token);
            }
            token = next;
            if (got.size() < page) break;
          }
          EXPECT_EQ(walked, all) << "order " << order << (desc ? " desc" : "") << ", where "
                                 << where << ", page " << page;
          QuerySpec rest = q;
          rest.limit = std::numeric_limits<uint64_t>::max();
          rest.set_after(token);
          EXPECT_EQ(db->count(rest), 0u);
        }
}

TEST_F(Pages, RowsChangingBetweenPagesAreNeitherRepeatedNorSkipped) {
  for (int i = 0; i < 200; i++) put(i * 10);
  db->merge();
  for (const char *order : {"", "qty"}) {
    QuerySpec q;
    q.schema = s;
    if (*order) q.set_order(order, true);
    q.limit = 25;
    std::string token;
    std::vector<int> seen;
    std::set<int> removed, added;
    for (int page = 0;; page++) {
      q.set_after(token);
      std::string next;
      auto got = ids(q, &next);
      seen.insert(seen.end(), got.begin(), got.end());
      if (got.size() < 25) break;
      token = next;
      // Between pages: delete an unseen row, add one before and one after the position.
      int victim = 10 * static_cast<int>(rng() % 200);
      if (std::find(seen.begin(), seen.end(), victim) == seen.end() && !removed.count(victim)) {
        remove(victim);
        removed.insert(victim);
      }
      int fresh = 5 + 10 * page;
      put(fresh);
      added.insert(fresh);
      if (page % 3 == 0) db->merge();
    }
    std::set<int> unique(seen.begin(), seen.end());
    EXPECT_EQ(unique.size(), seen.size()) << "a row came twice, order " << order;
    for (int i = 0; i < 200; i++) {
      if (!removed.count(i * 10)) {
        EXPECT_TRUE(unique.count(i * 10)) << "row " << i * 10 << " skipped, order " << order;
      }
    }
    for (int r : removed) EXPECT_FALSE(unique.count(r)) << "deleted row " << r << " returned";
    for (int id : added) remove(id);
    for (int r : removed) put(r);
  }
}

TEST_F(Pages, KeyOrderNextPageReadsOnlyTheBlocksAfterTheToken) {
  for (int i = 0; i < 2000; i += 50) {
    Batch b;
    for (int j = i; j < i + 50; j++) {
      Document d(s);
      d.set_json_object({{"id", j}, {"name", "n"}});
      b.stage(StagedOp::kUpdate, d);
    }
    db->commit(b);
  }
  db->merge();
  QuerySpec q;
  q.schema = s;
  q.limit = 10;
  q.add_condition("id", ">=", "0");
  std::string token;
  ids(q, &token);
  QuerySpec all = q;
  all.limit = 1990;
  std::string late;
  ids(all, &late);
  q.set_after(late);
  EXPECT_NE(db->explain(q).find("primary key of items"), std::string::npos) << db->explain(q);
  EXPECT_EQ(ids(q), (std::vector<int>{1990, 1991, 1992, 1993, 1994, 1995, 1996, 1997, 1998, 1999}));
  std::string text = db->explain(q);
  auto at = text.find("at most ");
  ASSERT_NE(at, std::string::npos) << text;
  EXPECT_LE(std::stoi(text.substr(at + 8)), 2) << text;
}

TEST_F(Pages, BadTokensAreClearErrorsAndChangeNothing) {
  put(1);
  put(2);
  QuerySpec by_name = ordered("name", false, 1);
  std::string token;
  ids(by_name, &token);
  ASSERT_FALSE(token.empty());
  auto status = [&](auto &&f) {
    try {
      f();
    } catch (const Error &e) {
      EXPECT_NE(std::string(e.what()).find("token"), std::string::npos) << e.what();
      return e.status();
    }
    return BDB_OK;
  };
  QuerySpec q;
  q.schema = s;
  EXPECT_EQ(status([&] { q.set_after("not a token!"); }), BDB_E_INVALID);
  std::string damaged = token;
  damaged[damaged.size() / 2] = damaged[damaged.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(status([&] { q.set_after(damaged); }), BDB_E_INVALID);
  EXPECT_EQ(status([&] { q.set_after(token.substr(0, token.size() - 3)); }), BDB_E_INVALID);
  EXPECT_FALSE(q.after) << "a failed set_after keeps the query as it was";
  QuerySpec other;
  other.schema = db->table_schema("other");
  EXPECT_EQ(status([&] { other.set_after(token); }), BDB_E_INVALID);
  q.set_after(token);  // fits the table; the order is checked when the query runs
  EXPECT_EQ(status([&] { db->query(q); }), BDB_E_INVALID);
  q.set_order("name", true);
  EXPECT_EQ(status([&] { db->count(q); }), BDB_E_INVALID);
  q.set_order("name", false);
  EXPECT_EQ(ids(q).size(), 1u);
  q.set_after("");
  EXPECT_EQ(ids(q).size(), 2u);
}

// A token forged with a right checksum but names that are no identifiers (here not even
// UTF-8) is refused without its bytes in the message: bindings make strings of messages.
TEST_F(Pages, AForgedTokenKeepsItsBytesOutOfTheMessage) {
  auto forge = [](const std::string &table, const std::string &field) {
    Bytes raw;
    Writer w(raw);
    w.u8(2);  // the token format's version
    w.u8(0);
    w.blob(table);
    w.blob(field);
    w.varint(BDB_TYPE_VARCHAR);
    w.blob(std::string("\001a\0\0", 4));
    w.blob(std::string("\x80\0\0\0\0\0\0\x01", 8));
    w.u32(static_cast<uint32_t>(XXH64(raw.data(), raw.size(), 0)));
    std::string b64 = base64_encode(as_view(raw));
    while (!b64.empty() && b64.back() == '=') b64.pop_back();
    for (char &c : b64) c = c == '+' ? '-' : (c == '/' ? '_' : c);
    return b64;
  };
  for (auto [table, field] : {std::pair<std::string, std::string>{"\xff\xfe\x80", "name"},
                              {"items", "na\xc3me"},
                              {"items", std::string("na\0me", 5)}}) {
    QuerySpec q;
    q.schema = s;
    try {
      q.set_after(forge(table, field));
      ADD_FAILURE() << "a forged token was taken";
    } catch (const Error &e) {
      EXPECT_EQ(e.status(), BDB_E_INVALID);
      std::string msg = e.what();
      EXPECT_NE(msg.find("malformed"), std::string::npos) << msg;
      for (unsigned char c : msg) EXPECT_LT(c, 0x80) << msg;
    }
  }
}

TEST_F(Pages, ATokenOutlivingATypeChangeOfItsFieldIsRefused) {
  for (int i = 0; i < 5; i++) put(i);
  QuerySpec q = ordered("qty", false, 2);
  std::string token;
  ids(q, &token);
  // Version 2 makes qty a float64: the token's bytes would mean another value.
  db->register_schema(R"({"name":"items","version":2,"fields":{
    "id":{"typeId":4},"name":{"typeId":10},"qty":{"typeId":7},"price":{"typeId":7},
    "ok":{"typeId":6}},"primaryKey":"id"})");
  QuerySpec next;
  next.schema = db->table_schema("items");
  next.set_order("qty", false);
  try {
    next.set_after(token);
    FAIL() << "accepted";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), BDB_E_INVALID);
    EXPECT_NE(std::string(e.what()).find("another type"), std::string::npos) << e.what();
  }
  // A query built before the change is bound again when it runs: the same refusal.
  q.set_after(token);
  EXPECT_THROW(db->query(q), Error);
}

TEST_F(Pages, AKeyPageAfterTheLastOfItsKeysIsEmpty) {
  for (int i = 0; i < 10; i++) put(i);
  db->merge();
  QuerySpec q;
  q.schema = s;
  q.add_condition("id", "in", "[1, 2, 3]");
  q.limit = 3;
  std::string token;
  EXPECT_EQ(ids(q, &token), (std::vector<int>{1, 2, 3}));
  q.set_after(token);
  EXPECT_TRUE(ids(q).empty());
}

}  // namespace
}  // namespace bucketdb
