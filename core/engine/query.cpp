// Queries (SPEC section 7): rows stream from the plan's source (data blocks merged with the
// committed cache, or the keys an index names, in primary-key order; or an index read in its
// field's order); conditions filter; any other order sorts (a top-N heap under a limit, else
// an external sort that spills within its budget); the outer cursor projects and remembers
// the page position.
#include "core/engine/query.h"

#include <algorithm>
#include <cmath>

#include "core/codec/json_values.h"
#include "core/codec/key_codec.h"
#include "core/codec/row_codec.h"
#include "core/codec/text.h"
#include "core/codec/value_check.h"
#include "core/codec/index_key.h"
#include "core/engine/database.h"
#include "core/engine/index_tree.h"
#include "core/engine/planner.h"
#include "core/engine/row_source.h"
#include "core/engine/row_sorter.h"
#include "core/util/error.h"

namespace bucketdb {

namespace {

[[noreturn]] void qfail(const QuerySpec &q, const std::string &why, bdb_status st = BDB_E_INVALID) {
  fail(st, "query on " + q.schema->name() + ": " + why);
}

Op parse_op(const QuerySpec &q, std::string op) {
  for (auto &c : op) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (op == "=" || op == "==" || op == "eq") return Op::kEq;
  if (op == "!=" || op == "<>" || op == "ne") return Op::kNe;
  if (op == "<" || op == "lt") return Op::kLt;
  if (op == "<=" || op == "lte") return Op::kLe;
  if (op == ">" || op == "gt") return Op::kGt;
  if (op == ">=" || op == "gte") return Op::kGe;
  if (op == "in") return Op::kIn;
  if (op == "prefix" || op == "like") return Op::kPrefix;
  if (op == "isnull" || op == "is null") return Op::kIsNull;
  if (op == "notnull" || op == "is not null") return Op::kNotNull;
  qfail(q, "unknown operator '" + op + "' (use = != > >= < <= in prefix isnull notnull)");
}

Literal literal_for(const QuerySpec &q, const Field &f, const nlohmann::json &j) {
  Literal l;
  auto bad = [&](const char *want) -> Literal {
    qfail(q,
          "field '" + f.name + "' (" + f.type->name + ") cannot be compared with " + j.dump() +
              ": expected " + want,
          BDB_E_TYPE);
  };
  switch (f.type->kind) {
    case Kind::kUInt:
    case Kind::kInt:
    case Kind::kFloat:
      if (j.is_number_unsigned()) {
        l.kind = Literal::kUInt;
        l.u = j.get<uint64_t>();
      } else if (j.is_number_integer()) {
        l.kind = Literal::kInt;
        l.i = j.get<int64_t>();
      } else if (j.is_number_float()) {
        l.kind = Literal::kDouble;
        l.d = j.get<double>();
      } else if (f.type->kind == Kind::kFloat && j.is_string() &&
                 (j == "NaN" || j == "Infinity" || j == "-Infinity")) {
        l.kind = Literal::kDouble;
        l.d = j == "NaN" ? std::nan("") : (j == "Infinity" ? INFINITY : -INFINITY);
      } else {
        return bad("a number");
      }
      return l;
    case Kind::kBool:
      if (!j.is_boolean()) return bad("true or false");
      l.kind = Literal::kBool;
      l.b = j.get<bool>();
      return l;
    case Kind::kText:
      if (!j.is_string()) return bad("a string");
      l.kind = Literal::kBytes;
      l.s = j.get<std::string>();
      return l;
    case Kind::kBytes: {
      if (!j.is_string()) return bad("base64 text");
      auto b = base64_decode(j.get_ref<const std::string &>());
      if (!b) return bad("base64 text");
      l.kind = Literal::kBytes;
      l.s = *b;
      return l;
    }
    case Kind::kBlob: {
      auto id = j.is_string() ? parse_uuid(j.get_ref<const std::string &>()) : std::nullopt;
      if (!id) return bad("a blob id");
      l.kind = Literal::kBlob;
      l.id = *id;
      return l;
    }
  }
  return l;
}

int sign(long double x) {
  return x < 0 ? -1 : x > 0;
}

// compare()'s answer when NaN is on either side: IEEE 754 orders NaN with nothing, so it is
// neither equal to, less than nor greater than any number, itself included, and only != holds.
// (Orders are another matter: ORDER BY puts NaN above +Infinity, as the key encoding does.)
constexpr int kUnordered = 2;

// Compares a non-null field value with a literal of a compatible kind: -1, 0, 1, or
// kUnordered. Numbers compare exactly across unsigned, signed and floating point.
int compare_text(std::string_view s, const Literal &l) {
  int c = s.compare(l.s);
  return c < 0 ? -1 : c > 0;
}

int compare(const Value &v, const Literal &l) {
  if (auto *s = std::get_if<std::string>(&v)) return compare_text(*s, l);
  if (auto *b = std::get_if<bool>(&v)) return static_cast<int>(*b) - static_cast<int>(l.b);
  if (auto *id = std::get_if<Id128>(&v)) {
    int c = std::memcmp(id->data(), l.id.data(), 16);
    return c < 0 ? -1 : c > 0;
  }
  bool vnan = false, lnan = l.kind == Literal::kDouble && std::isnan(l.d);
  if (auto *d = std::get_if<double>(&v)) vnan = std::isnan(*d);
  if (vnan || lnan) return kUnordered;
  if (l.kind == Literal::kDouble || std::holds_alternative<double>(v)) {
    long double a = 0, b = 0;  // long double holds every int64/uint64 exactly
    if (auto *u = std::get_if<uint64_t>(&v))
      a = static_cast<long double>(*u);
    else if (auto *i = std::get_if<int64_t>(&v))
      a = static_cast<long double>(*i);
    else
      a = static_cast<long double>(std::get<double>(v));
    if (l.kind == Literal::kUInt)
      b = static_cast<long double>(l.u);
    else if (l.kind == Literal::kInt)
      b = static_cast<long double>(l.i);
    else
      b = static_cast<long double>(l.d);
    return sign(a - b) ? (a < b ? -1 : 1) : 0;
  }
  // Both integers.
  bool vneg = false, lneg = l.kind == Literal::kInt && l.i < 0;
  uint64_t vm = 0, lm = lneg ? static_cast<uint64_t>(-(l.i + 1)) + 1
                             : (l.kind == Literal::kInt ? static_cast<uint64_t>(l.i) : l.u);
  if (auto *u = std::get_if<uint64_t>(&v))
    vm = *u;
  else {
    int64_t i = std::get<int64_t>(v);
    vneg = i < 0;
    vm = vneg ? static_cast<uint64_t>(-(i + 1)) + 1 : static_cast<uint64_t>(i);
  }
  if (vneg != lneg) return vneg ? -1 : 1;
  if (vm == lm) return 0;
  return (vm < lm) != vneg ? -1 : 1;
}

// A condition on a non-null value, given how the value compares with a literal (cmp) and,
// for text and bytes, the value itself (prefix).
template <class Cmp>
bool test_non_null(const Condition &c, Cmp &&cmp, std::string_view text) {
  switch (c.op) {
    case Op::kIsNull:
      return false;
    case Op::kNotNull:
      return true;
    case Op::kEq:
      return cmp(c.values[0]) == 0;
    case Op::kNe:
      return cmp(c.values[0]) != 0;
    case Op::kLt:
      return cmp(c.values[0]) == -1;
    case Op::kLe: {
      int r = cmp(c.values[0]);
      return r == -1 || r == 0;
    }
    case Op::kGt:
      return cmp(c.values[0]) == 1;
    case Op::kGe: {
      int r = cmp(c.values[0]);
      return r == 1 || r == 0;
    }
    case Op::kIn:
      for (const auto &l : c.values)
        if (cmp(l) == 0) return true;
      return false;
    case Op::kPrefix: {
      const std::string &p = c.values[0].s;
      return text.size() >= p.size() && text.compare(0, p.size(), p) == 0;
    }
    default:
      return false;
  }
}

bool test(const Condition &c, const Value &v) {
  if (is_null(v)) return c.op == Op::kIsNull;  // SQL: comparisons with NULL are never true
  const auto *text = std::get_if<std::string>(&v);
  return test_non_null(
      c, [&](const Literal &l) { return compare(v, l); },
      text ? std::string_view(*text) : std::string_view());
}

// The same on the stored bytes of a non-null text or bytes field, compared in place (a
// filter tests stored rows before they are decoded).
bool test_bytes(const Condition &c, std::string_view s) {
  return test_non_null(
      c, [&](const Literal &l) { return compare_text(s, l); }, s);
}

}  // namespace

void QuerySpec::add_condition(const std::string &field, const std::string &op_text,
                              const char *value_json) {
  asked_.push_back(
      Asked{field, op_text, value_json ? std::optional<std::string>(value_json) : std::nullopt});
  int fi = schema->field_index(field);
  if (fi < 0) qfail(*this, "unknown field '" + field + "'", BDB_E_SCHEMA);
  const Field &f = schema->field(static_cast<size_t>(fi));
  Condition c{static_cast<size_t>(fi), parse_op(*this, op_text), {}};
  if (c.op == Op::kIsNull || c.op == Op::kNotNull) {
    if (value_json && *value_json && std::string(value_json) != "null")
      qfail(*this, "operator " + op_text + " takes no value");
    where.push_back(std::move(c));
    return;
  }
  if (!value_json) qfail(*this, "operator " + op_text + " on '" + field + "' needs a value");
  nlohmann::json j =
      parse_json(value_json, "query on " + schema->name() + ": the value for '" + field + "'");
  if (c.op == Op::kIn) {
    if (!j.is_array()) qfail(*this, "'in' on '" + field + "' needs a JSON array", BDB_E_TYPE);
    for (const auto &e : j)
      if (!e.is_null()) c.values.push_back(literal_for(*this, f, e));
  } else {
    if (j.is_null())
      qfail(*this, "compare '" + field + "' with null using isnull or notnull", BDB_E_TYPE);
    if (c.op == Op::kPrefix && f.type->kind != Kind::kText && f.type->kind != Kind::kBytes)
      qfail(*this,
            "prefix needs a varchar, json or bytes field; '" + field + "' is " + f.type->name,
            BDB_E_TYPE);
    c.values.push_back(literal_for(*this, f, j));
  }
  where.push_back(std::move(c));
}

void QuerySpec::add_or() {
  if (where.empty())
    qfail(*this, "'or' needs conditions before it (an empty side would match every row)",
          BDB_E_INVALID);
  asked_.push_back(Asked{"", "or", std::nullopt});
  or_groups.push_back(std::move(where));
  where.clear();
}

void QuerySpec::check() const {
  if (!or_groups.empty() && where.empty())
    qfail(*this, "'or' needs conditions after it (an empty side would match every row)",
          BDB_E_INVALID);
  if (after && after->keys() != order_keys()) {
    std::string made;
    for (const OrderKey &k : after->keys())
      made += (made.empty() ? "" : ", ") + schema->field(k.field).name +
              (k.descending ? " descending" : "");
    qfail(*this,
          "the page token was made for a query ordered by " + made + ", not by " + order_text());
  }
}

void QuerySpec::set_after(const std::string &token) {
  if (token.empty())
    after.reset();
  else
    after = parse_page_token(*schema, token);
  after_token_ = token;
}

void QuerySpec::set_order(const std::string &field, bool desc) {
  int fi = schema->field_index(field);
  if (fi < 0) qfail(*this, "cannot order by unknown field '" + field + "'", BDB_E_SCHEMA);
  order_field = static_cast<size_t>(fi);
  descending = desc;
  order_name_ = field;
  then_by.clear();
  then_names_.clear();
}

void QuerySpec::add_order(const std::string &field, bool desc) {
  if (!order_field) return set_order(field, desc);
  int fi = schema->field_index(field);
  if (fi < 0) qfail(*this, "cannot order by unknown field '" + field + "'", BDB_E_SCHEMA);
  size_t f = static_cast<size_t>(fi);
  if (f == *order_field) qfail(*this, "the order names '" + field + "' twice");
  for (const OrderKey &k : then_by)
    if (k.field == f) qfail(*this, "the order names '" + field + "' twice");
  then_by.push_back(OrderKey{f, desc});
  then_names_.push_back(field);
}

std::vector<OrderKey> QuerySpec::order_keys() const {
  std::vector<OrderKey> keys{OrderKey{effective_order(), descending}};
  if (keys[0].field == schema->primary_key()) return keys;
  for (const OrderKey &k : then_by) {
    keys.push_back(k);
    if (k.field == schema->primary_key()) break;
  }
  return keys;
}

std::string QuerySpec::order_text() const {
  std::string text;
  for (const OrderKey &k : order_keys())
    text += (text.empty() ? "" : ", ") + schema->field(k.field).name +
            (k.descending ? " descending" : "");
  return text;
}

void QuerySpec::add_select(const std::string &field) {
  int fi = schema->field_index(field);
  if (fi < 0) qfail(*this, "cannot select unknown field '" + field + "'", BDB_E_SCHEMA);
  select.push_back(static_cast<size_t>(fi));
  select_names_.push_back(field);
}

QuerySpec QuerySpec::bound_to(SchemaPtr other) const {
  QuerySpec q;
  q.schema = std::move(other);
  q.offset = offset;
  q.limit = limit;
  q.as_of_seq = as_of_seq;
  q.as_of_time = as_of_time;
  for (const Asked &a : asked_) {
    if (a.op == "or")
      q.add_or();
    else
      q.add_condition(a.field, a.op, a.value ? a.value->c_str() : nullptr);
  }
  if (!order_name_.empty()) q.set_order(order_name_, descending);
  for (size_t i = 0; i < then_names_.size(); i++)
    q.add_order(then_names_[i], then_by[i].descending);
  for (const auto &f : select_names_) q.add_select(f);
  q.set_after(after_token_);
  return q;
}

namespace {

template <typename Test>
bool group_matches(const std::vector<Condition> &group, Test &&test_one) {
  for (const auto &c : group)
    if (!test_one(c)) return false;
  return true;
}

template <typename Test>
bool any_group_matches(const QuerySpec &q, Test &&test_one) {
  if (group_matches(q.where, test_one)) return true;
  for (const auto &g : q.or_groups)
    if (group_matches(g, test_one)) return true;
  return false;
}

bool conditions_match(const QuerySpec &q, const Values &row) {
  return any_group_matches(q, [&](const Condition &c) { return test(c, row[c.field]); });
}

}  // namespace

bool matches(const QuerySpec &q, const Values &row) {
  if (q.after && !q.after->admits(*q.schema, row)) return false;
  return conditions_match(q, row);
}

bool matches(const QuerySpec &q, const RowView &row) {
  return any_group_matches(q, [&](const Condition &c) {
    Kind kind = row.schema().field(c.field).type->kind;
    if ((kind == Kind::kText || kind == Kind::kBytes) && !row.null(c.field))
      return test_bytes(c, row.heap_value(c.field));
    return test(c, row.get(c.field));
  });
}

namespace {

struct Found {
  Values values;
  uint64_t seq, misc;
};

// Whether a row from `source` is one of the query's: past the page token, unless the plan's
// ranges start past it, and its conditions, unless the source tested them already.
bool wanted(const QuerySpec &q, const RowSource &source, const Values &values,
            bool past_token = false) {
  if (q.after && !past_token && !q.after->admits(*q.schema, values)) return false;
  return source.matched || conditions_match(q, values);
}

// One query shared by its cursor and its row filter.
using SpecPtr = std::shared_ptr<const QuerySpec>;

// Rows already in the query's order (primary key, or an index's order), streamed: bounded
// memory whatever the result size.
class StreamCursor : public Cursor {
 public:
  // past_token: the source's rows all lie past the query's page token (Plan::past_token).
  StreamCursor(std::unique_ptr<RowSource> source, SchemaPtr newest, SpecPtr q, bool past_token)
      : spec_(std::move(q)),
        newest_(std::move(newest)),
        scan_(std::move(source)),
        past_token_(past_token) {}
  std::optional<Document> next() override {
    Found f;
    if (!advance(f, false)) return std::nullopt;
    return Document::from_values(newest_, std::move(f.values), f.seq, f.misc);
  }
  // The same rows, without decoding those the source's filter already matched.
  uint64_t count() override {
    if (q_.after && !past_token_) return Cursor::count();  // the token reads decoded rows
    Found f;
    uint64_t n = 0;
    while (advance(f, true)) n++;
    return n;
  }

 private:
  // To the query's next row past the offset, within the limit. Counting, a row its source
  // matched may come without values.
  bool advance(Found &f, bool counting) {
    while (returned_ < q_.limit &&
           (counting ? scan_->next_for_count(f.values) : scan_->next(f.values, f.seq, f.misc))) {
      if (!wanted(q_, *scan_, f.values, past_token_)) continue;
      if (skipped_ < q_.offset) {
        skipped_++;
        continue;
      }
      returned_++;
      return true;
    }
    return false;
  }

  SpecPtr spec_;
  const QuerySpec &q_ = *spec_;
  SchemaPtr newest_;
  std::unique_ptr<RowSource> scan_;
  bool past_token_;
  uint64_t skipped_ = 0, returned_ = 0;
};

// The budget of one sort, besides the object cache: a quarter of maxMemoryBytes, at least
// 64 KiB (README, options).
uint64_t sort_budget(const Options &o) {
  return std::max<uint64_t>(o.max_memory_bytes / 4, 64 << 10);
}

// Any other order: sort, then serve. With a limit, a bounded heap keeps the first
// offset+limit rows while they fit the sort's budget; without one, or when they do not fit,
// the rows go through a RowSorter, which spills sorted runs to temporary files beyond the
// budget and merges them as it serves: bounded memory whatever the result size.
class SortedCursor : public Cursor {
 public:
  SortedCursor(Database &db, std::unique_ptr<RowSource> scan, SchemaPtr newest, SpecPtr q)
      : spec_(std::move(q)), newest_(std::move(newest)) {
    const std::vector<OrderKey> keys = q_.order_keys();
    const uint64_t budget = sort_budget(db.options());
    uint64_t seqno = 0;  // scan position: ties keep primary-key order
    auto before = [&](const Item &a, const Item &b) {
      for (const OrderKey &k : keys) {
        int c =
            compare_values(*newest_->field(k.field).type, a.f.values[k.field], b.f.values[k.field]);
        if (c != 0) return k.descending ? c > 0 : c < 0;
      }
      return a.pos < b.pos;
    };
    uint64_t keep = q_.limit == std::numeric_limits<uint64_t>::max()
                        ? std::numeric_limits<uint64_t>::max()
                        : q_.offset + q_.limit;
    if (keep < q_.limit) keep = std::numeric_limits<uint64_t>::max();  // overflow
    std::vector<Item> top;   // a heap: its front is the last of the rows kept
    uint64_t top_bytes = 0;  // the heap's rows, roughly as they sit in memory
    std::unique_ptr<RowSorter> sorter;
    if (keep == std::numeric_limits<uint64_t>::max())
      sorter = std::make_unique<RowSorter>(newest_, keys, budget);
    Item it;
    while (scan->next(it.f.values, it.f.seq, it.f.misc)) {
      if (!wanted(q_, *scan, it.f.values)) continue;
      if (keep == 0) break;
      if (sorter) {  // rows arrive in primary-key order: the sorter numbers them
        sorter->add(it.f.values, it.f.seq, it.f.misc);
        continue;
      }
      it.pos = seqno++;
      it.bytes = item_bytes(it.f.values);
      if (top.size() < keep) {
        top_bytes += it.bytes;
        top.push_back(std::move(it));
        std::push_heap(top.begin(), top.end(), before);
      } else if (before(it, top.front())) {
        std::pop_heap(top.begin(), top.end(), before);
        top_bytes -= top.back().bytes;
        top.back() = std::move(it);
        top_bytes += top.back().bytes;
        std::push_heap(top.begin(), top.end(), before);
      }
      it = Item{};
      if (top_bytes > budget) {
        // offset+limit rows do not fit: sort them all externally. A row the heap dropped
        // already cannot be among the first offset+limit; the rest go in in scan order.
        std::vector<Item> held = std::move(top);
        top = {};
        std::sort(held.begin(), held.end(),
                  [](const Item &a, const Item &b) { return a.pos < b.pos; });
        sorter = std::make_unique<RowSorter>(newest_, keys, budget);
        for (Item &h : held) {
          sorter->add(h.f.values, h.f.seq, h.f.misc);
          h = Item{};
        }
      }
    }
    if (sorter) {
      sorter->finish();
      db.count_sort_runs_spilled(sorter->runs_spilled());
      for (uint64_t i = 0; i < q_.offset && sorter->skip(); i++) {
      }
      sorter_ = std::move(sorter);
      return;
    }
    std::sort_heap(top.begin(), top.end(), before);
    rows_ = std::move(top);
    pos_ = std::min<uint64_t>(q_.offset, rows_.size());
    end_ = q_.limit >= rows_.size() - pos_ ? rows_.size() : pos_ + q_.limit;
  }
  std::optional<Document> next() override {
    if (sorter_) {
      Found f;
      if (served_ < q_.limit && sorter_->next(f.values, f.seq, f.misc)) {
        served_++;
        return Document::from_values(newest_, std::move(f.values), f.seq, f.misc);
      }
      sorter_.reset();  // its temporary files go now
      return std::nullopt;
    }
    if (pos_ >= end_) return std::nullopt;
    Item &it = rows_[pos_++];
    return Document::from_values(newest_, std::move(it.f.values), it.f.seq, it.f.misc);
  }

 private:
  struct Item {
    Found f;
    uint64_t pos = 0;
    uint64_t bytes = 0;
  };
  static uint64_t item_bytes(const Values &values) {
    uint64_t n = sizeof(Item) + values.capacity() * sizeof(Value);
    for (const Value &v : values)
      if (const auto *s = std::get_if<std::string>(&v)) n += s->capacity();
    return n;
  }
  SpecPtr spec_;
  const QuerySpec &q_ = *spec_;
  SchemaPtr newest_;
  std::vector<Item> rows_;
  size_t pos_ = 0, end_ = 0;
  std::unique_ptr<RowSorter> sorter_;  // when the rows went through an external sort
  uint64_t served_ = 0;
};

// Projects each row, remembering where the last one stood in the order for page_token().
class PagedCursor : public Cursor {
 public:
  PagedCursor(std::unique_ptr<Cursor> rows, const QuerySpec &q)
      : rows_(std::move(rows)),
        schema_(q.schema),
        keys_(q.order_keys()),
        select_(q.select),
        token_(q.after_token()) {}
  std::optional<Document> next() override {
    // After an error the sources' positions are unknown: asked again, the cursor repeats the
    // error rather than risk repeating or skipping rows (the page token resumes safely).
    if (failed_) fail(failed_->first, failed_->second);
    std::optional<Document> d = guarded_next();
    if (!d) return d;
    last_values_.clear();
    for (const OrderKey &k : keys_) last_values_.push_back(d->get(k.field));
    last_key_ = d->get(schema_->primary_key());
    token_.clear();
    d->project(select_);
    return d;
  }
  std::optional<Document> guarded_next() {
    try {
      return rows_->next();
    } catch (const Error &e) {
      failed_.emplace(e.status(), e.what());
      throw;
    } catch (const std::exception &e) {
      failed_.emplace(BDB_E_INTERNAL, e.what());
      throw;
    }
  }
  uint64_t count() override { return rows_->count(); }
  std::string page_token() const override {
    if (!token_.empty() || is_null(last_key_)) return token_;
    return token_ = make_page_token(*schema_, keys_, last_values_, last_key_);
  }

 private:
  std::unique_ptr<Cursor> rows_;
  SchemaPtr schema_;
  std::vector<OrderKey> keys_;
  std::vector<size_t> select_;
  Values last_values_;
  Value last_key_;
  mutable std::string token_;  // made when asked
  std::optional<std::pair<bdb_status, std::string>> failed_;
};

// The primary keys of an index plan's entries.
// False when they outgrow `budget` bytes (counted in `used`).
bool index_keys(Database &db, const TableSchema &schema, const Plan &plan,
                std::vector<std::string> &keys, uint64_t budget, uint64_t &used) {
  const Field &field = schema.field(static_cast<size_t>(schema.field_index(plan.index_field)));
  for (const KeyRange &r : plan.ranges)
    index_scan(db, plan.index_root, r.lo, r.hi, [&](const std::string &k) {
      auto n = index_field_length(*field.type, k);
      if (!n)
        fail(BDB_E_CORRUPT,
             "corrupt index " + schema.name() + "." + plan.index_field + ": malformed key");
      keys.push_back(k.substr(*n));
      used += sizeof(std::string) + keys.back().capacity();
      return used <= budget;
    });
  return used <= budget;
}

// The rows a plan reads: a (ranged) scan, or the rows whose keys an index names plus every
// row of the committed cache (the index covers merged rows only; conditions recheck all).
// Keys are held to be read in key order: an index plan whose keys outgrow the sort budget
// runs as a scan instead, so memory stays bounded whatever the result size.
std::unique_ptr<RowSource> open_source(Database &db, SnapshotPtr snap, SchemaPtr newest,
                                       const SpecPtr &spec, const Plan &plan) {
  const QuerySpec &q = *spec;
  // A sort, a count or a query without a limit reads every row its plan names: its blocks
  // are all read ahead from the start.
  bool reads_all =
      q.limit == std::numeric_limits<uint64_t>::max() || !(q.key_order() || plan.ordered);
  auto scan = [&](std::vector<KeyRange> ranges) {
    RowFilter filter;
    if (!q.where.empty() || !q.or_groups.empty())
      filter = [spec](const RowView &row) { return matches(*spec, row); };
    return scan_source(db, snap, newest, std::move(ranges), std::move(filter), plan.reverse,
                       reads_all);
  };
  if (plan.kind == Plan::kScan) return scan({});
  // An index plan reads the index, then the manifest page to find the rows' blocks: the page
  // is fetched beside the index's first nodes, not after them.
  if (plan.kind != Plan::kPrimaryKey)
    if (const TableRoot *root = snap->table_root(newest->name()))
      if (!root->manifest_key.empty()) db.prefetch_manifest(root->manifest_key);
  if (plan.kind == Plan::kPrimaryKey) {
    if (plan.ranges.empty())  // the conditions (or a page token) leave no key
      return keys_source(db, std::move(snap), std::move(newest), {});
    return scan(plan.ranges);
  }
  if (plan.ordered)
    return index_order_source(db, std::move(snap), newest, plan.index_root,
                              static_cast<size_t>(newest->field_index(plan.index_field)),
                              plan.ranges, q.descending);
  std::vector<std::string> keys;
  const uint64_t budget = sort_budget(db.options());
  uint64_t used = 0;
  bool fits = true;
  if (plan.kind == Plan::kUnion) {
    for (const Plan &part : plan.parts) {
      if (part.kind == Plan::kIndex)
        fits = fits && index_keys(db, *newest, part, keys, budget, used);
      else
        for (const KeyRange &r : part.ranges) keys.push_back(r.lo);  // key points
    }
  } else {
    fits = index_keys(db, *newest, plan, keys, budget, used);
  }
  if (!fits) {
    db.count_index_plan_scanned();
    return scan({});
  }
  if (auto ov = snap->overlay(newest->name()))
    for (const auto &[k, row] : *ov)
      if (!row->deleted) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  if (q.after && q.after->by_key(*q.schema))  // the next page of a key-ordered query
    keys.erase(keys.begin(), std::upper_bound(keys.begin(), keys.end(), q.after->pk_key));
  return keys_source(db, std::move(snap), std::move(newest), std::move(keys));
}

}  // namespace

namespace {

// Field positions are valid only for the layout the query was built on.
bool same_layout(const TableSchema &a, const TableSchema &b) {
  return &a == &b || a.canonical_json() == b.canonical_json();
}

}  // namespace

std::unique_ptr<Cursor> Database::query(const QuerySpec &asked) {
  asked.check();
  return retry_if_collected([&] { return query_once(asked); });
}

std::unique_ptr<Cursor> Database::query_once(const QuerySpec &asked) {
  ensure_fresh(false);
  SnapshotPtr snap = asked.as_of_seq    ? snapshot_as_of_seq(*asked.as_of_seq)
                     : asked.as_of_time ? snapshot_as_of_time(*asked.as_of_time)
                                        : pinned(snapshot());
  SchemaPtr newest = snap->schemas->newest(asked.schema->name());
  auto spec = std::make_shared<const QuerySpec>(
      same_layout(*asked.schema, *newest) ? asked : asked.bound_to(newest));
  const QuerySpec &q = *spec;
  Plan plan = plan_query(*this, *snap, q);
  auto source = open_source(*this, snap, newest, spec, plan);
  std::unique_ptr<Cursor> rows;
  if (q.key_order() || plan.ordered)  // an ordered plan gives a single-key order only
    rows = std::make_unique<StreamCursor>(std::move(source), newest, spec, plan.past_token);
  else
    rows = std::make_unique<SortedCursor>(*this, std::move(source), newest, spec);
  return std::make_unique<PagedCursor>(std::move(rows), q);
}

std::string Database::explain(const QuerySpec &asked) {
  asked.check();
  ensure_fresh(false);
  SnapshotPtr snap = asked.as_of_seq    ? snapshot_as_of_seq(*asked.as_of_seq)
                     : asked.as_of_time ? snapshot_as_of_time(*asked.as_of_time)
                                        : snapshot();
  SchemaPtr newest = snap->schemas->newest(asked.schema->name());
  const QuerySpec q = same_layout(*asked.schema, *newest) ? asked : asked.bound_to(newest);
  Plan plan = plan_query(*this, *snap, q);
  std::string text = explain_plan(plan, q);
  // open_source holds the keys an index or union plan finds, within the sort's budget.
  if ((plan.kind == Plan::kIndex && !plan.ordered) || plan.kind == Plan::kUnion)
    text += " (read as a scan instead if the keys found outgrow " +
            std::to_string(sort_budget(opts_) >> 10) + " KiB)";
  if (!q.key_order() && !plan.ordered)
    text += q.limit == std::numeric_limits<uint64_t>::max()
                ? "; then sorts the matching rows by " + q.order_text() +
                      " (spilling to temporary files beyond " +
                      std::to_string(sort_budget(opts_) >> 10) + " KiB)"
                : "; then keeps the first " + std::to_string(q.offset + q.limit) + " by " +
                      q.order_text();
  return text;
}

uint64_t Database::count(const QuerySpec &q) {
  q.check();
  QuerySpec plain = q;
  plain.clear_order();
  return retry_if_collected([&] {
    return query_once(plain)->count();  // the whole count retries, not the opening alone
  });
}

}  // namespace bucketdb
