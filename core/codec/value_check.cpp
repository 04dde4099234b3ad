#include "core/codec/value_check.h"

#include <cmath>
#include <limits>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/codec/text.h"
#include "core/util/error.h"
#include "core/util/json_text.h"

namespace bucketdb {

const char *value_kind_name(const Value &v) {
  switch (v.index()) {
    case 0:
      return "null";
    case 1:
      return "unsigned integer";
    case 2:
      return "integer";
    case 3:
      return "boolean";
    case 4:
      return "number";
    case 5:
      return "string";
    default:
      return "blob";
  }
}

namespace {

[[noreturn]] void type_error(const TableSchema &s, const Field &f, const std::string &why) {
  fail(BDB_E_TYPE, "table " + s.name() + ", field '" + f.name + "' (" + f.type->name + "): " + why);
}

uint64_t umax(int width) {
  return width == 8 ? ~uint64_t{0} : (uint64_t{1} << (width * 8)) - 1;
}
int64_t imax(int width) {
  return static_cast<int64_t>(umax(width) >> 1);
}
int64_t imin(int width) {
  return -imax(width) - 1;
}

// An integral double that fits int64/uint64 exactly converts; anything else does not.
// A number written with a fraction or exponent converts to an integer field only when it is
// integral and at most 2^53 in magnitude: beyond that a double no longer says which integer
// was meant (JSON parsers turn integer literals beyond 64 bits into doubles, e.g.
// -9223372036854775809 would otherwise round to INT64_MIN and be stored).
constexpr double kExactDouble = 9007199254740992.0;  // 2^53
bool double_to_int(double d, int64_t *out) {
  if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > kExactDouble) return false;
  *out = static_cast<int64_t>(d);
  return true;
}
bool double_to_uint(double d, uint64_t *out) {
  if (!std::isfinite(d) || d != std::floor(d) || d < 0 || d > kExactDouble) return false;
  *out = static_cast<uint64_t>(d);
  return true;
}

bool reject(std::string *why, const std::string &reason) {
  *why = reason;
  return false;
}

// The rules behind check_value; on failure returns false with the reason in *why.
bool coerce(const Field &f, Value &v, std::string *why) {
  if (is_null(v)) return true;
  switch (f.type->kind) {
    case Kind::kUInt: {
      uint64_t u = 0;
      if (auto *p = std::get_if<uint64_t>(&v)) {
        u = *p;
      } else if (auto *i = std::get_if<int64_t>(&v)) {
        if (*i < 0) return reject(why, std::to_string(*i) + " is negative");
        u = static_cast<uint64_t>(*i);
      } else if (auto *d = std::get_if<double>(&v)) {
        if (!double_to_uint(*d, &u))
          return reject(why,
                        "expected an unsigned integer, got a fraction or a number out of range");
      } else {
        return reject(why,
                      std::string("expected an unsigned integer, got a ") + value_kind_name(v));
      }
      if (u > umax(f.type->width))
        return reject(why, std::to_string(u) + " is out of range (max " +
                               std::to_string(umax(f.type->width)) + ")");
      v = u;
      return true;
    }
    case Kind::kInt: {
      int64_t i = 0;
      if (auto *p = std::get_if<int64_t>(&v)) {
        i = *p;
      } else if (auto *u = std::get_if<uint64_t>(&v)) {
        if (*u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
          return reject(why, std::to_string(*u) + " is out of range");
        i = static_cast<int64_t>(*u);
      } else if (auto *d = std::get_if<double>(&v)) {
        if (!double_to_int(*d, &i))
          return reject(why, "expected an integer, got a fraction or a number out of range");
      } else {
        return reject(why, std::string("expected an integer, got a ") + value_kind_name(v));
      }
      if (i > imax(f.type->width) || i < imin(f.type->width))
        return reject(why, std::to_string(i) + " is out of range (" +
                               std::to_string(imin(f.type->width)) + " to " +
                               std::to_string(imax(f.type->width)) + ")");
      v = i;
      return true;
    }
    case Kind::kBool:
      if (!std::holds_alternative<bool>(v))
        return reject(why, std::string("expected true or false, got a ") + value_kind_name(v));
      return true;
    case Kind::kFloat: {
      double d;
      if (auto *p = std::get_if<double>(&v))
        d = *p;
      else if (auto *i = std::get_if<int64_t>(&v))
        d = static_cast<double>(*i);
      else if (auto *u = std::get_if<uint64_t>(&v))
        d = static_cast<double>(*u);
      else
        return reject(why, std::string("expected a number, got a ") + value_kind_name(v));
      if (f.type->width == 4 && std::isfinite(d) &&
          std::fabs(d) > static_cast<double>(std::numeric_limits<float>::max()))
        return reject(why, "number is out of float32 range");
      if (f.type->width == 4 && d != 0 && static_cast<float>(d) == 0.0f)
        return reject(why, "number is too small for float32 (it would be stored as 0)");
      v = d;
      return true;
    }
    case Kind::kText: {
      auto *p = std::get_if<std::string>(&v);
      if (!p) return reject(why, std::string("expected a string, got a ") + value_kind_name(v));
      auto chars = utf8_length(*p);
      if (!chars) return reject(why, "text is not valid UTF-8");
      if (f.type_id == BDB_TYPE_JSON) {
        std::string bad_json;
        if (!json_text_valid(*p, &bad_json))
          return reject(why, "text is not valid JSON: " + bad_json);
        if (f.max_length && p->size() > f.max_length)
          return reject(why, "JSON text of " + std::to_string(p->size()) +
                                 " bytes is longer than maxLength " + std::to_string(f.max_length));
      } else if (f.max_length && *chars > f.max_length) {
        return reject(why, "text of " + std::to_string(*chars) +
                               " characters is longer than maxLength " +
                               std::to_string(f.max_length) + " (it is never truncated)");
      }
      if (p->size() > 0x7fffffffu) return reject(why, "value larger than 2 GiB");
      return true;
    }
    case Kind::kBytes: {
      auto *p = std::get_if<std::string>(&v);
      if (!p) return reject(why, std::string("expected bytes, got a ") + value_kind_name(v));
      if (f.max_length && p->size() > f.max_length)
        return reject(why, std::to_string(p->size()) + " bytes is longer than maxLength " +
                               std::to_string(f.max_length));
      if (p->size() > 0x7fffffffu) return reject(why, "value larger than 2 GiB");
      return true;
    }
    case Kind::kBlob:
      if (!std::holds_alternative<Id128>(v))
        return reject(why, std::string("expected a blob id, got a ") + value_kind_name(v));
      return true;
  }
  return true;
}

}  // namespace

Value check_value(const TableSchema &s, const Field &f, Value v) {
  std::string why;
  if (!coerce(f, v, &why)) type_error(s, f, why);
  return v;
}

Value convert_value(const Field &from, const Field &to, const Value &v) {
  if (is_null(v)) return v;
  if (from.type_id == to.type_id && (!to.max_length || to.max_length >= from.max_length)) return v;
  Value out = v;
  std::string why;
  return coerce(to, out, &why) ? out : Value{};
}

}  // namespace bucketdb

namespace bucketdb {
Values convert_values(const TableSchema &from, const Values &v, const TableSchema &to) {
  if (&from == &to) return v;
  Values out(to.fields().size());
  for (size_t i = 0; i < out.size(); i++) {
    int j = from.field_index(to.field(i).name);
    if (j >= 0)
      out[i] =
          convert_value(from.field(static_cast<size_t>(j)), to.field(i), v[static_cast<size_t>(j)]);
  }
  return out;
}

Values convert_values(const TableSchema &from, Values &&v, const TableSchema &to) {
  if (&from == &to) return std::move(v);
  return convert_values(from, static_cast<const Values &>(v), to);
}
}  // namespace bucketdb
