// Queries checked against SQLite (SPEC section 7: results must equal what SQLite returns for
// the same data and query). Random schemas and data (nulls, duplicates, unicode, extreme
// numbers, NaN), rows split between blocks and the committed cache, indexes on random fields,
// and thousands of random queries with every operator, orders of one to three keys, limit and
// offset. A mismatch is shrunk to a minimal query and printed with the rows involved.
//
// NaN: SQLite has none (it stores a NaN as NULL), so the rule stated in bucketdb.h and the
// README is checked instead, through SQL that spells it out: each float column has a twin
// column <name>_nan (1 where the value is NaN, the column itself then NULL). Comparisons
// follow IEEE 754: NaN matches no =, <, <=, >, >= or in, and every != (a NaN literal the
// same: nothing is equal to, less or greater than it); NaN is not null. In an order NaN comes
// above +Infinity: last ascending, first descending (nulls still first ascending).
#include <algorithm>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>

#include "core/codec/json_values.h"
#include "core/util/error.h"
#include "tests/unit/test_support.h"

namespace bucketdb {
namespace {

struct Col {
  std::string name;
  int type;
};

const int kTypes[] = {BDB_TYPE_UINT8, BDB_TYPE_UINT16,  BDB_TYPE_UINT32,  BDB_TYPE_INT8,
                      BDB_TYPE_INT16, BDB_TYPE_INT32,   BDB_TYPE_INT64,   BDB_TYPE_TIMESTAMP,
                      BDB_TYPE_BOOL,  BDB_TYPE_FLOAT64, BDB_TYPE_VARCHAR, BDB_TYPE_UINT64};

bool is_text(int t) {
  return t == BDB_TYPE_VARCHAR;
}
bool is_float(int t) {
  return t == BDB_TYPE_FLOAT64;
}

struct Cond {
  std::string field, op;
  nlohmann::json value;  // literal, array for in, null for isnull/notnull
};

bool is_nan_literal(const nlohmann::json &v) {
  return v.is_string() && v == "NaN";
}

struct OrderBy {
  std::string field;
  bool desc = false;
};

struct Q {
  std::vector<Cond> where;
  std::vector<size_t> or_at;   // an OR before where[i] (sorted, each in 1..size-1)
  std::vector<OrderBy> order;  // keys, each breaking the ties of those before
  int64_t limit = -1, offset = 0;
  std::vector<std::string> floats;  // float columns: they have a twin <name>_nan in SQLite
  bool is_float_col(const std::string &f) const {
    return std::find(floats.begin(), floats.end(), f) != floats.end();
  }
  // One condition in SQL, with the NaN rule spelled out for float columns (see the top).
  std::string cond_sql(const Cond &c) const {
    const std::string &f = c.field;
    bool fl = is_float_col(f);
    std::string nan = f + "_nan = 1";
    if (c.op == "isnull") return fl ? "(" + f + " IS NULL AND NOT " + nan + ")" : f + " IS NULL";
    if (c.op == "notnull")
      return fl ? "(" + f + " IS NOT NULL OR " + nan + ")" : f + " IS NOT NULL";
    if (c.op == "in") {
      nlohmann::json kept = nlohmann::json::array();
      for (const auto &v : c.value)
        if (!is_nan_literal(v)) kept.push_back(v);  // NaN equals nothing
      return f + " IN " + list(kept);
    }
    if (c.op == "prefix") return "substr(" + f + ",1,length(" + lit(c.value) + "))=" + lit(c.value);
    if (is_nan_literal(c.value))  // compared with NaN: only != holds, for every non-null value
      return c.op == "!=" ? "(" + f + " IS NOT NULL OR " + nan + ")" : "0";
    if (fl && c.op == "!=") return "(" + f + " != " + lit(c.value) + " OR " + nan + ")";
    return f + " " + c.op + " " + lit(c.value);  // a NaN row (NULL here) matches none of these
  }
  std::string order_sql(const std::string &pk) const {
    std::string s;
    for (const OrderBy &o : order) {
      // NaN above every number: after them ascending, before them descending.
      if (is_float_col(o.field)) s += o.field + "_nan" + (o.desc ? " DESC" : "") + ", ";
      s += o.field + (o.desc ? " DESC" : "") + ", ";
    }
    return s + pk;
  }
  std::string sql(const std::string &table, const std::string &pk) const {
    std::string s = "SELECT " + pk + " FROM " + table;
    for (size_t i = 0; i < where.size(); i++) {
      bool or_here = std::find(or_at.begin(), or_at.end(), i) != or_at.end();
      s += i == 0 ? (or_at.empty() ? " WHERE " : " WHERE (") : or_here ? ") OR (" : " AND ";
      s += cond_sql(where[i]);
    }
    if (!or_at.empty()) s += ")";
    s += " ORDER BY " + order_sql(pk);
    if (limit >= 0 || offset)
      s += " LIMIT " + std::to_string(limit) + " OFFSET " + std::to_string(offset);
    return s;
  }
  static std::string lit(const nlohmann::json &v) {
    if (v.is_string()) {
      std::string out = "'";
      for (char ch : v.get<std::string>())
        out += ch == '\'' ? std::string("''") : std::string(1, ch);
      return out + "'";
    }
    if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
    if (v.is_number_float()) {
      double d = v.get<double>();
      if (std::isinf(d)) return d > 0 ? "9e999" : "-9e999";
      std::ostringstream o;
      o.precision(17);
      o << d;
      std::string t = o.str();
      if (t.find_first_of(".e") == std::string::npos) t += ".0";
      return t;
    }
    return v.dump();
  }
  static std::string list(const nlohmann::json &arr) {
    std::string s = "(";
    for (size_t i = 0; i < arr.size(); i++) s += (i ? "," : "") + lit(arr[i]);
    return s + ")";
  }
  std::string describe() const {
    std::string s;
    for (size_t i = 0; i < where.size(); i++) {
      const Cond &c = where[i];
      if (std::find(or_at.begin(), or_at.end(), i) != or_at.end()) s += "--or ";
      s += "--where '" + c.field + " " + c.op + (c.value.is_null() ? "" : " " + c.value.dump()) +
           "' ";
    }
    for (size_t i = 0; i < order.size(); i++)
      s += (i ? "," : "--order ") + order[i].field + (order[i].desc ? ":desc" : "") +
           (i + 1 == order.size() ? " " : "");
    if (limit >= 0) s += "--limit " + std::to_string(limit) + " ";
    if (offset) s += "--offset " + std::to_string(offset);
    return s;
  }
};

class Fixture {
 public:
  explicit Fixture(unsigned seed) : rng_(seed) {}

  // rows/2 writes a round, primary keys drawn from [0, key_range); max_memory_bytes bounds
  // the object cache and the sorts (small: sorts spill to temporary files).
  void build(int rows, int key_range = 80, uint64_t max_memory_bytes = Options().max_memory_bytes) {
    make_schema();
    key_range_ = key_range;
    Options o = test::quiet_options();
    o.block_size_bytes = 700;
    o.max_memory_bytes = max_memory_bytes;
    db_ = test::open_db(test::fresh_memory_uri(), o);
    db_->register_schema(schema_json_);
    ASSERT_EQ(sqlite3_open(":memory:", &lite_), SQLITE_OK);
    std::string ddl = "CREATE TABLE t (";
    for (size_t i = 0; i < cols_.size(); i++)
      ddl += (i ? ", " : "") + cols_[i].name + " " +
             (is_text(cols_[i].type)    ? "TEXT"
              : is_float(cols_[i].type) ? "REAL"
                                        : "INTEGER") +
             (i == 0 ? " PRIMARY KEY" : "");
    for (const Col &c : cols_)
      if (is_float(c.type)) ddl += ", " + c.name + "_nan INTEGER NOT NULL DEFAULT 0";
    exec(ddl + ")");
    // Three rounds of writes with merges between: rows in blocks, rows changed and deleted
    // after their index entries were written, rows only in the committed cache.
    for (int round = 0; round < 3; round++) {
      Batch b;
      for (int i = 0; i < rows / 2; i++) {
        nlohmann::json row = random_row();
        std::string pk = Q::lit(row[cols_[0].name]);
        if (round > 0 && rng_() % 5 == 0) {
          Document d(db_->table_schema("t"));
          d.set_json_object({{cols_[0].name, row[cols_[0].name]}});
          b.stage(StagedOp::kDelete, d);
          exec("DELETE FROM t WHERE " + cols_[0].name + " = " + pk);
          continue;
        }
        Document d(db_->table_schema("t"));
        d.set_json_object(row);
        b.stage(StagedOp::kUpdate, d);
        std::string names, values;
        for (size_t c = 0; c < cols_.size(); c++) {
          names += (c ? "," : "") + cols_[c].name;
          const auto &v = row[cols_[c].name];
          bool nan = is_nan_literal(v);
          values += (c ? "," : "") + (v.is_null() || nan ? std::string("NULL") : Q::lit(v));
          if (is_float(cols_[c].type)) {
            names += "," + cols_[c].name + "_nan";
            values += nan ? ",1" : ",0";
          }
        }
        std::string sql = "INSERT OR REPLACE INTO t (" + names;
        exec(sql.append(") VALUES (").append(values).append(")"));
      }
      db_->commit(b);
      if (round < 2) db_->merge();
    }
  }

  Q random_query() {
    Q q;
    int n = static_cast<int>(rng_() % 4);
    for (int i = 0; i < n; i++) q.where.push_back(random_cond());
    // Some queries join groups by OR: (a AND b) OR c, a OR b OR c.
    if (n >= 2 && rng_() % 3 == 0)
      for (size_t i = 1; i < static_cast<size_t>(n); i++)
        if (q.or_at.empty() || rng_() % 2) q.or_at.push_back(i);
    // One key mostly, sometimes two or three (distinct fields).
    for (int keys = rng_() % 3 ? 1 + (rng_() % 4 == 0 ? 1 + static_cast<int>(rng_() % 2) : 0) : 0;
         keys > 0; keys--) {
      std::string f = cols_[rng_() % cols_.size()].name;
      bool dup = false;
      for (const OrderBy &o : q.order) dup = dup || o.field == f;
      if (!dup) q.order.push_back({f, rng_() % 2 == 1});
    }
    q.floats = floats();
    if (rng_() % 2) q.limit = static_cast<int64_t>(rng_() % 40);
    if (rng_() % 3 == 0) q.offset = static_cast<int64_t>(rng_() % 30);
    if (q.offset && q.limit < 0) q.limit = -1;
    return q;
  }

  std::vector<std::string> ours(const Q &q, uint64_t *count, std::string *plan) {
    QuerySpec s = spec(q);
    std::vector<std::string> out;
    auto c = db_->query(s);
    while (auto d = c->next()) out.push_back(value_to_json(d->schema().field(0), d->get(0)).dump());
    *count = db_->count(s);
    *plan = db_->explain(s);
    return out;
  }

  // The whole result walked in pages of `page` rows with keyset tokens (q without offset).
  std::vector<std::string> paged(const Q &q, uint64_t page) {
    QuerySpec s = spec(q);
    s.limit = page;
    std::vector<std::string> out;
    for (std::string token;;) {
      s.set_after(token);
      auto c = db_->query(s);
      uint64_t n = 0;
      while (auto d = c->next()) {
        out.push_back(value_to_json(d->schema().field(0), d->get(0)).dump());
        n++;
      }
      token = c->page_token();
      if (n < page || out.size() > 100000) return out;
    }
  }

  QuerySpec spec(const Q &q) {
    QuerySpec s;
    s.schema = db_->table_schema("t");
    // JSON has no infinities: the API spells them "Infinity" / "-Infinity".
    auto api = [](nlohmann::json v) {
      auto fix = [](nlohmann::json &x) {
        if (x.is_number_float() && std::isinf(x.get<double>()))
          x = x.get<double>() > 0 ? "Infinity" : "-Infinity";
      };
      if (v.is_array())
        for (auto &x : v) fix(x);
      else
        fix(v);
      return v.dump();
    };
    for (size_t i = 0; i < q.where.size(); i++) {
      const Cond &c = q.where[i];
      if (std::find(q.or_at.begin(), q.or_at.end(), i) != q.or_at.end()) s.add_or();
      std::string v = api(c.value);
      s.add_condition(c.field, c.op, c.value.is_null() ? nullptr : v.c_str());
    }
    for (size_t i = 0; i < q.order.size(); i++) {
      if (i == 0)
        s.set_order(q.order[i].field, q.order[i].desc);
      else
        s.add_order(q.order[i].field, q.order[i].desc);
    }
    if (q.limit >= 0) s.limit = static_cast<uint64_t>(q.limit);
    s.offset = static_cast<uint64_t>(q.offset);
    return s;
  }

  std::vector<std::string> theirs(const Q &q) {
    std::vector<std::string> out;
    sqlite3_stmt *st = nullptr;
    std::string sql = q.sql("t", cols_[0].name);
    if (sqlite3_prepare_v2(lite_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sqlite3_errmsg(lite_) << ": " << sql;
      return out;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
      if (sqlite3_column_type(st, 0) == SQLITE_TEXT)
        out.push_back(
            nlohmann::json(reinterpret_cast<const char *>(sqlite3_column_text(st, 0))).dump());
      else
        out.push_back(std::to_string(sqlite3_column_int64(st, 0)));
    }
    sqlite3_finalize(st);
    return out;
  }

  // Drops conditions and clauses while the mismatch stays: the smallest failing query.
  Q shrink(Q q) {
    auto fails = [&](const Q &t) {
      uint64_t n;
      std::string p;
      return ours(t, &n, &p) != theirs(t);
    };
    for (bool again = true; again;) {
      again = false;
      for (size_t i = 0; i < q.where.size(); i++) {
        Q t = q;
        t.where.erase(t.where.begin() + static_cast<long>(i));
        // The ORs keep their place among the conditions left; none at either end.
        std::vector<size_t> at;
        for (size_t o : q.or_at) {
          size_t n = o > i ? o - 1 : o;
          if (n >= 1 && n < t.where.size() && std::find(at.begin(), at.end(), n) == at.end())
            at.push_back(n);
        }
        t.or_at = at;
        if (fails(t)) {
          q = t;
          again = true;
          break;
        }
      }
      for (size_t i = 0; !again && i < q.or_at.size(); i++) {
        Q t = q;
        t.or_at.erase(t.or_at.begin() + static_cast<long>(i));
        if (fails(t)) {
          q = t;
          again = true;
        }
      }
      for (size_t i = 0; !again && i < q.order.size(); i++) {
        Q t = q;
        t.order.erase(t.order.begin() + static_cast<long>(i));
        if (fails(t)) {
          q = t;
          again = true;
        }
      }
      if (!again && q.limit >= 0) {
        Q t = q;
        t.limit = -1;
        t.offset = 0;
        if (fails(t)) {
          q = t;
          again = true;
        }
      }
    }
    return q;
  }

  const std::string &schema_json() const { return schema_json_; }
  std::vector<std::string> floats() const {
    std::vector<std::string> out;
    for (const Col &c : cols_)
      if (is_float(c.type)) out.push_back(c.name);
    return out;
  }
  uint64_t sort_runs_spilled() const {
    return nlohmann::json::parse(db_->stats_json())["engine"]["sortRunsSpilled"].get<uint64_t>();
  }
  ~Fixture() {
    if (lite_) sqlite3_close(lite_);
  }

 private:
  void exec(const std::string &sql) {
    char *err = nullptr;
    if (sqlite3_exec(lite_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      ADD_FAILURE() << (err ? err : "?") << ": " << sql;
      sqlite3_free(err);
    }
  }

  void make_schema() {
    int pk_type = std::vector<int>{BDB_TYPE_INT64, BDB_TYPE_VARCHAR, BDB_TYPE_UINT32,
                                   BDB_TYPE_INT16}[rng_() % 4];
    cols_ = {{"k", pk_type}};
    int n = 3 + static_cast<int>(rng_() % 4);
    for (int i = 0; i < n; i++) cols_.push_back({"f" + std::to_string(i), kTypes[rng_() % 12]});
    nlohmann::ordered_json j = {{"name", "t"}, {"version", 1}};
    nlohmann::ordered_json fields = nlohmann::ordered_json::object();
    for (const auto &c : cols_) fields[c.name] = {{"typeId", c.type}};
    j["fields"] = fields;
    j["primaryKey"] = "k";
    nlohmann::ordered_json idx = nlohmann::ordered_json::array();
    for (size_t i = 1; i < cols_.size(); i++)
      if (rng_() % 2) idx.push_back(cols_[i].name);
    j["indexes"] = idx;
    schema_json_ = j.dump();
  }

  nlohmann::json random_value(int type, bool allow_null) {
    if (allow_null && rng_() % 7 == 0) return nullptr;
    auto pick = [&](std::initializer_list<int64_t> v) { return *(v.begin() + rng_() % v.size()); };
    switch (type) {
      case BDB_TYPE_UINT8:
        return pick({0, 1, 7, 42, 254, 255});
      case BDB_TYPE_UINT16:
        return pick({0, 3, 1000, 65535});
      case BDB_TYPE_UINT32:
        return pick({0, 5, 77777, 4294967295});
      case BDB_TYPE_UINT64:
        return pick({0, 9, 1ll << 40, std::numeric_limits<int64_t>::max()});
      case BDB_TYPE_INT8:
        return pick({-128, -1, 0, 3, 127});
      case BDB_TYPE_INT16:
        return pick({-32768, -5, 0, 12, 32767});
      case BDB_TYPE_INT32:
        return pick(
            {std::numeric_limits<int32_t>::min(), -9, 0, 9, std::numeric_limits<int32_t>::max()});
      case BDB_TYPE_INT64:
      case BDB_TYPE_TIMESTAMP:
        return pick({std::numeric_limits<int64_t>::min(), -1, 0, 1700000000000,
                     std::numeric_limits<int64_t>::max()});
      case BDB_TYPE_BOOL:
        return static_cast<bool>(rng_() % 2);
      case BDB_TYPE_FLOAT64: {
        double v[] = {0.0,
                      -0.0,
                      1.5,
                      -2.25,
                      1e300,
                      -1e300,
                      5e-324,
                      3.0,
                      42.0,
                      std::numeric_limits<double>::infinity(),
                      -std::numeric_limits<double>::infinity()};
        if (rng_() % 12 == 0) return "NaN";  // how JSON and the API spell it
        return v[rng_() % 11];
      }
      default: {
        const char *v[] = {"", "a", "ab", "abc", "b", "B", "é", "日本", "a'b", "zz", "ax"};
        return std::string(v[rng_() % 11]);
      }
    }
  }

  nlohmann::json random_row() {
    nlohmann::json row = nlohmann::json::object();
    for (size_t c = 0; c < cols_.size(); c++) {
      if (c == 0) {
        int k = static_cast<int>(rng_() % static_cast<unsigned>(key_range_));
        row["k"] =
            is_text(cols_[0].type) ? nlohmann::json("k" + std::to_string(k)) : nlohmann::json(k);
      } else {
        row[cols_[c].name] = random_value(cols_[c].type, true);
      }
    }
    return row;
  }

  Cond random_cond() {
    const Col &c = cols_[rng_() % cols_.size()];
    const char *ops[] = {"=", "!=", "<", "<=", ">", ">=", "in", "prefix", "isnull", "notnull"};
    std::string op = ops[rng_() % 10];
    if (op == "prefix" && !is_text(c.type)) op = "=";
    Cond cond{c.name, op, nullptr};
    auto lit = [&] {
      nlohmann::json v = c.name == "k" ? random_row()["k"] : random_value(c.type, false);
      // Numbers compared across integer and float.
      if (!is_text(c.type) && c.type != BDB_TYPE_BOOL && rng_() % 6 == 0 && v.is_number())
        v = v.get<double>() + 0.5;
      // NaN as a literal (a float field takes it; other types refuse it as not a number).
      if (is_float(c.type) && rng_() % 8 == 0) v = "NaN";
      return v;
    };
    if (op == "in") {
      cond.value = nlohmann::json::array();
      for (int i = 0, n = 1 + static_cast<int>(rng_() % 3); i < n; i++) cond.value.push_back(lit());
    } else if (op == "prefix") {
      std::string s = lit().get<std::string>();
      size_t cut = rng_() % (s.size() + 1);
      while (cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xc0) == 0x80) cut++;
      cond.value = s.substr(0, cut);  // whole UTF-8 characters
    } else if (op != "isnull" && op != "notnull") {
      cond.value = lit();
    }
    return cond;
  }

  std::mt19937 rng_;
  int key_range_ = 80;
  std::vector<Col> cols_;
  std::string schema_json_;
  std::unique_ptr<Database> db_;
  sqlite3 *lite_ = nullptr;
};

TEST(Differential, RandomQueriesEqualSqlite) {
  int queries = 0, index_plans = 0, key_plans = 0, or_queries = 0, paged_queries = 0,
      ordered_plans = 0, union_plans = 0;
  for (unsigned seed = 1; seed <= 8; seed++) {
    Fixture f(seed);
    f.build(160);
    for (int i = 0; i < 500; i++) {
      Q q = f.random_query();
      uint64_t count = 0;
      std::string plan;
      std::vector<std::string> got = f.ours(q, &count, &plan);
      std::vector<std::string> want = f.theirs(q);
      queries++;
      or_queries += !q.or_at.empty();
      index_plans += plan.rfind("index", 0) == 0;
      key_plans += plan.rfind("primary", 0) == 0;
      ordered_plans += plan.find("(no sort)") != std::string::npos;
      union_plans += plan.rfind("union", 0) == 0;
      if (got != want || count != want.size()) {
        Q small = f.shrink(q);
        uint64_t n;
        std::string p;
        auto g = f.ours(small, &n, &p), w = f.theirs(small);
        std::string gs, ws;
        for (auto &x : g) gs += x + " ";
        for (auto &x : w) ws += x + " ";
        FAIL() << "mismatch with SQLite (seed " << seed << ", query " << i
               << ")\n  schema: " << f.schema_json() << "\n  query:  " << small.describe()
               << "\n  sql:    " << small.sql("t", "k") << "\n  plan:   " << p
               << "\n  ours:   " << gs << "\n  sqlite: " << ws;
      }
      if (i % 5 == 0) {  // the whole result again, page by page with keyset tokens
        Q whole = q;
        whole.limit = -1;
        whole.offset = 0;
        uint64_t page = 1 + i % 13;
        std::vector<std::string> walked = f.paged(whole, page), all = f.theirs(whole);
        paged_queries++;
        ASSERT_EQ(walked, all) << "pages of " << page << " (seed " << seed << ", query " << i
                               << ")\n  query: " << whole.describe()
                               << "\n  sql:   " << whole.sql("t", "k");
      }
    }
  }
  std::printf(
      "differential: %d queries equal SQLite's answers (%d by index, %d of them in the index's "
      "order; %d by key; %d with OR, %d of them a union of plans; %d walked in pages)\n",
      queries, index_plans, ordered_plans, key_plans, or_queries, union_plans, paged_queries);
  EXPECT_GT(union_plans, 50) << "too few OR queries ran as a union of plans";
  EXPECT_GT(ordered_plans, 100) << "too few queries read an index in order";
}

// Sorts that spill: a few thousand rows and maxMemoryBytes of 64 KiB (the least a sort gets),
// so ordered queries without a small limit sort through temporary files.
TEST(Differential, SpillingSortsEqualSqlite) {
  int queries = 0;
  uint64_t runs = 0;
  for (unsigned seed = 101; seed <= 103; seed++) {
    Fixture f(seed);
    f.build(6000, 4000, 64 << 10);
    for (int i = 0; i < 120; i++) {
      Q q = f.random_query();
      if (q.order.empty() || i % 2 == 0) {  // mostly ordered, half of them with no limit
        q.order = {{"f0", false}};
        if (i % 3 == 0) q.order.push_back({"f1", i % 2 == 1});  // a second key in the sort
        if (i % 4 == 0) q.limit = -1;
      }
      uint64_t count = 0;
      std::string plan;
      std::vector<std::string> got = f.ours(q, &count, &plan);
      std::vector<std::string> want = f.theirs(q);
      queries++;
      if (got != want || count != want.size()) {
        Q small = f.shrink(q);
        uint64_t n;
        std::string p;
        auto g = f.ours(small, &n, &p), w = f.theirs(small);
        size_t at = 0;
        while (at < g.size() && at < w.size() && g[at] == w[at]) at++;
        FAIL() << "mismatch with SQLite (seed " << seed << ", query " << i
               << ")\n  schema: " << f.schema_json() << "\n  query:  " << small.describe()
               << "\n  sql:    " << small.sql("t", "k") << "\n  plan:   " << p
               << "\n  ours:   " << g.size() << " rows (count " << n << ")\n  sqlite: " << w.size()
               << " rows\n  first difference at row " << at << ": ours "
               << (at < g.size() ? g[at] : "-") << ", sqlite " << (at < w.size() ? w[at] : "-");
      }
    }
    EXPECT_GT(f.sort_runs_spilled(), 0u) << "seed " << seed << ": no sort spilled";
    runs += f.sort_runs_spilled();
  }
  std::printf("differential: %d queries with spilling sorts (%llu runs spilled) equal SQLite's\n",
              queries, static_cast<unsigned long long>(runs));
}

}  // namespace
}  // namespace bucketdb
