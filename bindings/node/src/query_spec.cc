#include "query_spec.h"

#include "values.h"

namespace bdbnode {

namespace {

bool Present(Napi::Value v) {
  return !v.IsUndefined() && !v.IsNull();
}

std::string Text(Napi::Env env, Napi::Value v, const std::string &what) {
  if (!v.IsString()) Fail(env, BDB_E_INVALID, what + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

}  // namespace

QuerySpec QuerySpec::FromJs(Napi::Env env, Napi::Object spec) {
  QuerySpec q;
  q.table = Text(env, spec.Get("table"), "the table name");
  std::string what = "query on " + q.table;
  Napi::Value where = spec.Get("where");
  if (where.IsArray()) {
    auto a = where.As<Napi::Array>();
    bool or_next = false;
    for (uint32_t i = 0; i < a.Length(); i++) {
      Napi::Value c = a.Get(i);
      if (c.IsString()) {  // "or"
        or_next = true;
        continue;
      }
      auto t = c.As<Napi::Array>();
      Cond cond;
      cond.or_group = or_next;
      or_next = false;
      cond.field = Text(env, t.Get(0u), what + ": a field name");
      cond.op = Text(env, t.Get(1u), what + ": an operator");
      if (cond.op != "isnull" && cond.op != "notnull") {
        cond.has_value = true;
        cond.value = ToJsonLiteral(env, t.Get(2u), what + ", field '" + cond.field + "'");
      }
      q.conds.push_back(std::move(cond));
    }
    if (or_next) {  // a trailing or(): let the library say what is wrong
      Cond cond;
      cond.or_group = true;
      q.conds.push_back(std::move(cond));
    }
  }
  Napi::Value order = spec.Get("order");
  if (order.IsArray()) {
    auto a = order.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); i++) {
      Napi::Object k = a.Get(i).As<Napi::Object>();
      q.order.push_back({Text(env, k.Get("field"), what + ": the order field"),
                         k.Get("desc").ToBoolean().Value()});
    }
  }
  if (Present(spec.Get("limit"))) {
    q.has_limit = true;
    q.limit = ToUint64(env, spec.Get("limit"), what + ": limit");
  }
  if (Present(spec.Get("offset"))) {
    q.has_offset = true;
    q.offset = ToUint64(env, spec.Get("offset"), what + ": offset");
  }
  if (Present(spec.Get("after"))) {
    q.has_after = true;
    q.after = Text(env, spec.Get("after"), what + ": the page token");
  }
  Napi::Value select = spec.Get("select");
  if (select.IsArray()) {
    auto a = select.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); i++)
      q.select.push_back(Text(env, a.Get(i), what + ": a selected field"));
  }
  if (Present(spec.Get("asOf"))) {
    q.has_as_of = true;
    q.as_of = ToUint64(env, spec.Get("asOf"), what + ": asOf");
  }
  if (Present(spec.Get("asOfTime"))) {
    q.has_as_of_time = true;
    q.as_of_time = ToUint64(env, spec.Get("asOfTime"), what + ": asOfTime");
  }
  return q;
}

Status QuerySpec::Build(bdb_db *db, bdb_query **out) const {
  bdb_query *q = nullptr;
  bdb_status st = bdb_query_new(db, table.c_str(), &q);
  for (const Cond &c : conds) {
    if (st == BDB_OK && c.or_group) st = bdb_query_or(q);
    if (st == BDB_OK && !c.field.empty())
      st = bdb_query_where(q, c.field.c_str(), c.op.c_str(),
                           c.has_value ? c.value.c_str() : nullptr);
  }
  for (size_t i = 0; i < order.size() && st == BDB_OK; i++)
    st = (i == 0 ? bdb_query_order : bdb_query_order_then)(q, order[i].field.c_str(),
                                                           order[i].desc ? 1 : 0);
  if (st == BDB_OK && has_limit) st = bdb_query_limit(q, limit);
  if (st == BDB_OK && has_offset) st = bdb_query_offset(q, offset);
  for (const std::string &f : select)
    if (st == BDB_OK) st = bdb_query_select(q, f.c_str());
  if (st == BDB_OK && has_after) st = bdb_query_after(q, after.c_str());
  if (st == BDB_OK && has_as_of) st = bdb_query_as_of(q, as_of);
  if (st == BDB_OK && has_as_of_time) st = bdb_query_as_of_time(q, as_of_time);
  if (st != BDB_OK) {
    Status s = Status::Lib(st);
    bdb_query_free(q);
    return s;
  }
  *out = q;
  return {};
}

}  // namespace bdbnode
