// A query as the JavaScript layer describes it, read on the main thread and built into a
// bdb_query on an executor thread (bdb_query_new may read the log to find its table).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "addon.h"

namespace bdbnode {

struct QuerySpec {
  struct Cond {
    bool or_group = false;  // bdb_query_or: the conditions after it are an alternative
    std::string field, op;
    bool has_value = false;
    std::string value;  // a JSON literal
  };
  std::string table;
  std::vector<Cond> conds;
  struct Order {
    std::string field;
    bool desc = false;
  };
  std::vector<Order> order;  // the first key, then the ones after it (bdb_query_order_then)
  bool has_limit = false, has_offset = false, has_after = false;
  uint64_t limit = 0, offset = 0;
  std::string after;
  std::vector<std::string> select;
  bool has_as_of = false, has_as_of_time = false;
  uint64_t as_of = 0, as_of_time = 0;

  // {table, where: [[field, op, value] | "or", ...], order: [{field, desc}, ...], limit, offset,
  //  select: [...], after, asOf, asOfTime}
  static QuerySpec FromJs(Napi::Env env, Napi::Object spec);
  // On success the caller frees *out.
  Status Build(bdb_db *db, bdb_query **out) const;
};

}  // namespace bdbnode
