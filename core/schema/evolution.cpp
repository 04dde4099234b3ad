#include "core/schema/evolution.h"

#include <set>

namespace bucketdb {

namespace {

bool is_integer(const TypeInfo &t) {
  return t.kind == Kind::kUInt || t.kind == Kind::kInt;
}

// Whether every value of integer type `a` fits integer type `b`.
bool int_range_within(const TypeInfo &a, const TypeInfo &b) {
  bool as = a.kind == Kind::kInt, bs = b.kind == Kind::kInt;
  if (as && !bs) return false;  // negatives
  if (!as && bs) return b.width > a.width;
  return b.width >= a.width;
}

Conversion lossy(std::string why) {
  return Conversion{false, std::move(why)};
}

}  // namespace

Conversion convert_type(int from_type, uint32_t from_max, int to_type, uint32_t to_max) {
  const TypeInfo *fp = type_info(from_type), *tp = type_info(to_type);
  if (!fp || !tp) return lossy("every value becomes null");
  const TypeInfo &f = *fp, &t = *tp;
  Conversion all{true, "every value converts"};  // not const: a return moves it

  // A length limit on the new field must hold the longest value the old one allowed, counted
  // in the new field's unit (varchar counts characters, of up to 4 bytes each).
  std::string too_long;
  if (t.heap && to_max) {
    uint64_t bound = from_max;
    if (from_type == BDB_TYPE_VARCHAR && to_type != BDB_TYPE_VARCHAR) bound = 4ull * from_max;
    if (!from_max || bound > to_max)
      too_long = "values longer than " + std::to_string(to_max) +
                 (to_type == BDB_TYPE_VARCHAR ? " characters" : " bytes") + " become null";
  }
  auto with_limit = [&](Conversion c) {
    if (too_long.empty()) return c;
    if (c.lossless) return lossy(too_long);
    return lossy(c.effect + "; " + too_long);
  };
  if (from_type == to_type) return with_limit(all);

  if (is_integer(f) && is_integer(t))
    return int_range_within(f, t)
               ? all
               : lossy(std::string("values that do not fit ") + t.name + " become null");
  if (is_integer(f) && t.kind == Kind::kFloat) {
    int exact_width = t.width == 8 ? 4 : 2;  // 53- and 24-bit significands
    if (f.width <= exact_width) return all;
    return lossy(std::string("integers beyond 2^") + (t.width == 8 ? "53" : "24") +
                 " in magnitude are rounded");
  }
  if (f.kind == Kind::kFloat && is_integer(t))
    return lossy(std::string("only integral values that fit ") + t.name +
                 " convert; fractions, NaN and infinities become null");
  if (f.kind == Kind::kFloat && t.kind == Kind::kFloat)
    return t.width == 4 ? lossy(
                              "values beyond float32's range become null; the rest are "
                              "rounded to float32")
                        : all;
  bool f_text = f.kind == Kind::kText || f.kind == Kind::kBytes;
  bool t_text = t.kind == Kind::kText || t.kind == Kind::kBytes;
  if (f_text && t_text) {
    if (to_type == BDB_TYPE_JSON)
      return with_limit(lossy(from_type == BDB_TYPE_BYTES
                                  ? "values that are not UTF-8 JSON text become null"
                                  : "values that are not JSON text become null"));
    if (to_type == BDB_TYPE_VARCHAR && from_type == BDB_TYPE_BYTES)
      return with_limit(lossy("values that are not valid UTF-8 become null"));
    if (to_type == BDB_TYPE_BYTES)
      return with_limit(Conversion{true, "every value converts (its UTF-8 bytes)"});
    return with_limit(all);  // json text read as varchar
  }
  return lossy("every value becomes null");
}

std::vector<SchemaChange> schema_changes(const TableSchema &from, const TableSchema &to) {
  std::vector<SchemaChange> out;
  auto label = [](const Field &f) { return type_label(f.type_id, f.max_length); };
  for (const Field &f : to.fields()) {
    int i = from.field_index(f.name);
    if (i < 0) {
      out.push_back({SchemaChange::kAdded,
                     f.name,
                     "",
                     label(f),
                     {true, "added; rows written before read it as null"}});
      continue;
    }
    const Field &old = from.field(static_cast<size_t>(i));
    if (old.type_id == f.type_id && old.max_length == f.max_length) continue;
    out.push_back({SchemaChange::kRetyped, f.name, label(old), label(f),
                   convert_type(old.type_id, old.max_length, f.type_id, f.max_length)});
  }
  for (const Field &f : from.fields())
    if (to.field_index(f.name) < 0)
      out.push_back({SchemaChange::kDropped,
                     f.name,
                     label(f),
                     "",
                     {false, "dropped; reads no longer return its values"}});
  auto indexed = [](const TableSchema &s, const std::string &name) {
    for (size_t i : s.indexes())
      if (s.field(i).name == name) return true;
    return false;
  };
  for (size_t i : to.indexes())
    if (!indexed(from, to.field(i).name))
      out.push_back({SchemaChange::kIndexAdded, to.field(i).name, "", "", {true, "index added"}});
  for (size_t i : from.indexes())
    if (!indexed(to, from.field(i).name))
      out.push_back(
          {SchemaChange::kIndexDropped, from.field(i).name, "", "", {true, "index dropped"}});
  return out;
}

std::string evolution_problem(const TableSchema &newest, const TableSchema &to, bool allow_lossy) {
  const std::string what = "table " + to.name() + " version " + std::to_string(to.version());
  const Field &a = newest.primary_key_field(), &b = to.primary_key_field();
  if (a.name != b.name || a.type_id != b.type_id)
    return what + " changes the primary key from '" + a.name + "' (" + a.type->name + ") to '" +
           b.name + "' (" + b.type->name + "); a table keeps its primary key in every version";
  Conversion key = convert_type(a.type_id, a.max_length, b.type_id, b.max_length);
  if (!key.lossless)
    return what + " narrows the primary key '" + b.name + "' from " +
           type_label(a.type_id, a.max_length) + " to " + type_label(b.type_id, b.max_length) +
           " (" + key.effect + "); a primary key never narrows";
  if (allow_lossy) return "";
  std::string lost;
  for (const SchemaChange &c : schema_changes(newest, to)) {
    if (c.conversion.lossless) continue;
    lost += lost.empty() ? "" : "; ";
    lost += "field '" + c.field + "' ";
    lost += c.kind == SchemaChange::kDropped
                ? "(" + c.from_label + ") is dropped"
                : c.from_label + " -> " + c.to_label + ": " + c.conversion.effect;
  }
  if (lost.empty()) return "";
  return what + " would lose data of rows written in version " + std::to_string(newest.version()) +
         ": " + lost +
         ". Keep the old definitions, or register it allowing lossy changes (C: "
         "BDB_SCHEMA_ALLOW_LOSSY; CLI: schema add --allow-lossy) to convert what fits and "
         "null the rest";
}

}  // namespace bucketdb
