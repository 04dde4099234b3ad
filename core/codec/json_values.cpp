#include "core/codec/json_values.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "core/codec/text.h"
#include "core/util/error.h"
#include "core/util/json_text.h"

namespace bucketdb {

nlohmann::json parse_json(std::string_view text, const std::string &what) {
  return parse_json_text<nlohmann::json>(text, what);
}

namespace {

double shortest_float32(float f) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, f);
  *r.ptr = '\0';
  return std::strtod(buf, nullptr);
}

[[noreturn]] void bad(const TableSchema &s, const Field &f, const std::string &why) {
  fail(BDB_E_TYPE, "table " + s.name() + ", field '" + f.name + "' (" + f.type->name + "): " + why);
}

const char *json_kind(const nlohmann::json &j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::boolean:
      return "boolean";
    case nlohmann::json::value_t::string:
      return "string";
    case nlohmann::json::value_t::array:
      return "array";
    case nlohmann::json::value_t::object:
      return "object";
    default:
      return "number";
  }
}

Value number(const nlohmann::json &j) {
  if (j.is_number_unsigned()) return j.get<uint64_t>();
  if (j.is_number_integer()) return j.get<int64_t>();
  return j.get<double>();
}

}  // namespace

Value value_from_json(const TableSchema &s, const Field &f, const nlohmann::json &j) {
  if (j.is_null()) return std::monostate{};
  switch (f.type->kind) {
    case Kind::kUInt:
    case Kind::kInt:
      if (!j.is_number()) bad(s, f, std::string("expected an integer, got a ") + json_kind(j));
      return number(j);
    case Kind::kFloat:
      if (j.is_string()) {
        const std::string &t = j.get_ref<const std::string &>();
        if (t == "NaN") return std::numeric_limits<double>::quiet_NaN();
        if (t == "Infinity") return std::numeric_limits<double>::infinity();
        if (t == "-Infinity") return -std::numeric_limits<double>::infinity();
      }
      if (!j.is_number()) bad(s, f, std::string("expected a number, got a ") + json_kind(j));
      return number(j);
    case Kind::kBool:
      if (!j.is_boolean()) bad(s, f, std::string("expected true or false, got a ") + json_kind(j));
      return j.get<bool>();
    case Kind::kText:
      if (f.type_id == BDB_TYPE_JSON) return j.dump();
      if (!j.is_string()) bad(s, f, std::string("expected a string, got a ") + json_kind(j));
      return j.get<std::string>();
    case Kind::kBytes: {
      if (!j.is_string()) bad(s, f, std::string("expected base64 text, got a ") + json_kind(j));
      auto bytes = base64_decode(j.get_ref<const std::string &>());
      if (!bytes) bad(s, f, "text is not valid base64");
      return *bytes;
    }
    case Kind::kBlob: {
      if (!j.is_string())
        bad(s, f, std::string("expected a blob id or {\"base64\": ...}, got a ") + json_kind(j));
      auto id = parse_uuid(j.get_ref<const std::string &>());
      if (!id) bad(s, f, "'" + j.get<std::string>() + "' is not a blob id (a UUID)");
      return *id;
    }
  }
  return std::monostate{};
}

nlohmann::json value_to_json(const Field &f, const Value &v) {
  if (is_null(v)) return nullptr;
  switch (f.type->kind) {
    case Kind::kUInt:
      return std::get<uint64_t>(v);
    case Kind::kInt:
      return std::get<int64_t>(v);
    case Kind::kBool:
      return std::get<bool>(v);
    case Kind::kFloat: {
      double d = std::get<double>(v);
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      // A float32 prints as the shortest text that reads back as the same float32 (0.1, not
      // 0.10000000149011612): the double nearest to that text prints the same way.
      if (f.type->width == 4) return shortest_float32(static_cast<float>(d));
      return d;
    }
    case Kind::kText:
      if (f.type_id == BDB_TYPE_JSON) {
        const std::string &text = std::get<std::string>(v);
        // Written before nesting was limited: serializing it would recurse past the stack.
        if (!json_depth_within(text))
          fail(BDB_E_TYPE, "field '" + f.name + "' (json): the stored JSON is nested deeper than " +
                               std::to_string(kMaxJsonDepth) +
                               " levels; read it as text (bdb_doc_get_string)");
        auto j = nlohmann::json::parse(text, nullptr, false);
        if (!j.is_discarded()) return j;
      }
      return std::get<std::string>(v);
    case Kind::kBytes:
      return base64_encode(std::get<std::string>(v));
    case Kind::kBlob:
      return uuid_text(std::get<Id128>(v));
  }
  return nullptr;
}

}  // namespace bucketdb
