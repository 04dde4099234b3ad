// A query over one table: conditions joined by AND, groups of them joined by OR, an order,
// offset, limit and projection.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/codec/row_codec.h"
#include "core/codec/value.h"
#include "core/engine/document.h"
#include "core/engine/order_key.h"
#include "core/engine/page_token.h"
#include "core/schema/schema.h"

namespace bucketdb {

enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kPrefix, kIsNull, kNotNull };

// A literal converted for comparison with one field.
struct Literal {
  enum Kind { kUInt, kInt, kDouble, kBool, kBytes, kBlob } kind = kUInt;
  uint64_t u = 0;
  int64_t i = 0;
  double d = 0;
  bool b = false;
  std::string s;  // text or bytes
  Id128 id{};
};

struct Condition {
  size_t field;
  Op op;
  std::vector<Literal> values;  // one, or many for kIn; none for null tests
};

struct QuerySpec {
  SchemaPtr schema;              // the table's newest version when the query was made
  std::vector<Condition> where;  // the group being built (AND)
  // Groups closed by add_or(): a row matches when every condition of some group holds
  // (these, or `where`). Empty: `where` alone.
  std::vector<std::vector<Condition>> or_groups;
  // The order's first key (none: primary key), then further keys (add_order) that break its
  // ties; rows equal in every key come in primary-key order.
  std::optional<size_t> order_field;
  bool descending = false;
  std::vector<OrderKey> then_by;
  uint64_t offset = 0;
  uint64_t limit = std::numeric_limits<uint64_t>::max();
  std::vector<size_t> select;
  // Keyset pagination: only rows after this position (set_after). Kept apart from the order,
  // so a count that drops the order still counts from the position.
  std::optional<PageAfter> after;
  // Read the database as of a log sequence number or a MISC time (history); none: now.
  std::optional<uint64_t> as_of_seq;
  std::optional<uint64_t> as_of_time;

  // Parses "=", "!=", ... and a JSON literal, checked against the field's type.
  void add_condition(const std::string &field, const std::string &op, const char *value_json);
  // Closes the current group of conditions: what follows is an alternative to it.
  void add_or();
  // Before running: BDB_E_INVALID when an OR has no condition on one of its sides, or when
  // the page token was made for another order.
  void check() const;
  // One key: replaces the order (and any further keys).
  void set_order(const std::string &field, bool desc);
  // A further key, after those set (the first when none is).
  void add_order(const std::string &field, bool desc);
  void add_select(const std::string &field);
  // Continues after the page a cursor's page_token() ended ("" starts from the beginning).
  void set_after(const std::string &token);
  const std::string &after_token() const { return after_token_; }
  // The field and direction rows come in first: the primary key, ascending, unless ordered.
  size_t effective_order() const { return order_field.value_or(schema->primary_key()); }
  // Every key of the order, the primary key ascending when none is set; keys after the
  // primary key are left out (it is unique: they never decide).
  std::vector<OrderKey> order_keys() const;
  // Whether the order is the first key alone (an index or the primary key can give it).
  bool single_key_order() const {
    return then_by.empty() || effective_order() == schema->primary_key();
  }
  bool key_order() const {
    return !order_field || (*order_field == schema->primary_key() && !descending);
  }
  void clear_order() {
    order_field.reset();
    descending = false;
    then_by.clear();
    order_name_.clear();
    then_names_.clear();
  }
  // The order as text for messages ("name, age descending").
  std::string order_text() const;

  // The same query against another version of the table (a newer one registered since the
  // query was built): fields are found again by name and literals re-checked against their
  // types; a field the version lacks is BDB_E_SCHEMA.
  QuerySpec bound_to(SchemaPtr other) const;

 private:
  // What the caller asked, by name, so the query can be bound again.
  struct Asked {
    std::string field, op;  // op "or": add_or()
    std::optional<std::string> value;
  };
  std::vector<Asked> asked_;
  std::string order_name_;
  std::vector<std::string> then_names_;
  std::vector<std::string> select_names_;
  std::string after_token_;
};

bool matches(const QuerySpec &q, const Values &row);
// The same on a stored row of q.schema's layout, reading only the fields the conditions name.
bool matches(const QuerySpec &q, const RowView &row);

class Cursor {
 public:
  virtual ~Cursor() = default;
  // nullopt at the end.
  virtual std::optional<Document> next() = 0;
  // How many rows next() would still return, in place of reading them: the cursor is used up
  // (a page token asked after it says nothing).
  virtual uint64_t count() {
    uint64_t n = 0;
    while (next()) n++;
    return n;
  }
  // Where the rows returned so far end, for the next page's set_after; before the first row,
  // the position the query started from ("" for the beginning).
  virtual std::string page_token() const { return ""; }
};

}  // namespace bucketdb
