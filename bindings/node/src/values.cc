#include "values.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

namespace bdbnode {

namespace {

constexpr double kMaxSafe = 9007199254740991.0;  // 2^53 - 1
constexpr double kMaxDateMs = 8.64e15;           // the range of a Date

// ---- describing values, for messages ------------------------------------------------------

std::string Describe(Napi::Value v) {
  switch (v.Type()) {
    case napi_undefined:
      return "undefined";
    case napi_null:
      return "null";
    case napi_boolean:
      return v.As<Napi::Boolean>().Value() ? "true" : "false";
    case napi_number:
      return v.ToString().Utf8Value();
    case napi_bigint:
      return v.ToString().Utf8Value() + "n";
    case napi_string: {
      std::string s = v.As<Napi::String>().Utf8Value();
      if (s.size() > 40) s = s.substr(0, 37) + "...";
      return "the string \"" + s + "\"";
    }
    case napi_symbol:
      return "a symbol";
    case napi_function:
      return "a function";
    default:
      break;
  }
  if (v.IsArray()) return "an array";
  if (v.IsBuffer()) return "a Buffer";
  if (v.IsTypedArray() || v.IsArrayBuffer() || v.IsDataView()) return "binary data";
  if (v.IsDate()) return "a Date";
  Napi::Value ctor = v.As<Napi::Object>().Get("constructor");
  if (ctor.IsFunction()) {
    std::string name = ctor.As<Napi::Object>().Get("name").ToString().Utf8Value();
    if (!name.empty() && name != "Object") return "a " + name;
  }
  return "an object";
}

[[noreturn]] void BadValue(Napi::Env env, const bdb_doc *doc, const std::string &field, int type,
                           const std::string &why) {
  Fail(env, BDB_E_TYPE,
       std::string("table ") + bdb_doc_table(doc) + ", field '" + field + "' (" + TypeName(type) +
           "): " + why);
}

// ---- bytes ------------------------------------------------------------------------------------

// The bytes of a Buffer, Uint8Array or ArrayBuffer; false for anything else.
bool BytesOf(Napi::Value v, const void **data, size_t *len) {
  if (v.IsTypedArray()) {
    auto ta = v.As<Napi::TypedArray>();
    if (ta.TypedArrayType() != napi_uint8_array && ta.TypedArrayType() != napi_uint8_clamped_array)
      return false;
    *data = static_cast<const uint8_t *>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
    *len = ta.ByteLength();
    return true;
  }
  if (v.IsArrayBuffer()) {
    auto ab = v.As<Napi::ArrayBuffer>();
    *data = ab.Data();
    *len = ab.ByteLength();
    return true;
  }
  return false;
}

std::string Base64(const void *data, size_t len) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto *p = static_cast<const unsigned char *>(data);
  std::string out;
  out.reserve((len + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < len; i += 3) {
    uint32_t n = (uint32_t(p[i]) << 16) | (uint32_t(p[i + 1]) << 8) | p[i + 2];
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < len) {
    uint32_t n = uint32_t(p[i]) << 16;
    if (i + 1 < len) n |= uint32_t(p[i + 1]) << 8;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < len ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// ---- JSON text out of JavaScript values ---------------------------------------------------

void QuoteJson(const std::string &s, std::string *out) {
  *out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          *out += buf;
        } else {
          *out += static_cast<char>(c);
        }
    }
  }
  *out += '"';
}

// A Number as JSON: integers in plain digits, others in the shortest form that reads back to
// the same double.
bool NumberJson(double d, std::string *out) {
  if (!std::isfinite(d)) return false;
  char buf[32];
  if (d == std::floor(d) && std::fabs(d) <= kMaxSafe) {
    std::snprintf(buf, sizeof buf, "%.0f", d);
  } else {
    for (int prec = 15; prec <= 17; prec++) {
      std::snprintf(buf, sizeof buf, "%.*g", prec, d);
      if (std::strtod(buf, nullptr) == d) break;
    }
  }
  *out += buf;
  return true;
}

std::string BigIntText(Napi::Value v) {
  return v.ToString().Utf8Value();
}

// Own enumerable string keys, as JSON.stringify and Object.keys take them.
Napi::Array OwnKeys(Napi::Env env, Napi::Object o) {
  napi_value keys;
  NAPI_THROW_IF_FAILED(env,
                       napi_get_all_property_names(env, o, napi_key_own_only,
                                                   static_cast<napi_key_filter>(
                                                       napi_key_enumerable | napi_key_skip_symbols),
                                                   napi_key_numbers_to_strings, &keys),
                       Napi::Array());
  return Napi::Array(env, keys);
}

enum class Mode { kJsonField, kLiteral };

struct JsonWriter {
  Napi::Env env;
  Mode mode;
  const std::string &what;
  std::string out;
  std::vector<napi_value> stack;  // objects being written, to refuse cycles

  [[noreturn]] void Bad(const std::string &why) { Fail(env, BDB_E_TYPE, what + ": " + why); }

  // Writes v; false if it is to be left out (undefined, a function or a symbol), as
  // JSON.stringify leaves them out of objects.
  bool Write(Napi::Value v, const std::string &key) {
    switch (v.Type()) {
      case napi_undefined:
      case napi_function:
      case napi_symbol:
        return false;
      case napi_null:
        out += "null";
        return true;
      case napi_boolean:
        out += v.As<Napi::Boolean>().Value() ? "true" : "false";
        return true;
      case napi_number:
        if (!NumberJson(v.As<Napi::Number>().DoubleValue(), &out))
          Bad(Describe(v) + " has no JSON form");
        return true;
      case napi_bigint:
        out += BigIntText(v);
        return true;
      case napi_string:
        QuoteJson(v.As<Napi::String>().Utf8Value(), &out);
        return true;
      default:
        break;
    }
    Napi::Object o = v.As<Napi::Object>();
    if (mode == Mode::kLiteral) {
      const void *data;
      size_t len;
      if (v.IsDate()) {
        double ms = v.As<Napi::Date>().ValueOf();
        if (!std::isfinite(ms)) Bad("an invalid Date");
        NumberJson(ms, &out);
        return true;
      }
      if (BytesOf(v, &data, &len)) {
        QuoteJson(Base64(data, len), &out);
        return true;
      }
    }
    for (napi_value s : stack)
      if (o.StrictEquals(Napi::Value(env, s))) Bad("a value that contains itself");
    Napi::Value to_json = o.Get("toJSON");
    if (to_json.IsFunction()) {
      Napi::Value r = to_json.As<Napi::Function>().Call(o, {Napi::String::New(env, key)});
      stack.push_back(o);
      bool wrote = Write(r, key);
      stack.pop_back();
      return wrote;
    }
    if (o.InstanceOf(env.Global().Get("Map").As<Napi::Function>()) ||
        o.InstanceOf(env.Global().Get("Set").As<Napi::Function>()))
      Bad(Describe(v) + " has no JSON form (convert it to an object or array first)");
    stack.push_back(o);
    if (v.IsArray()) {
      auto a = v.As<Napi::Array>();
      out += '[';
      for (uint32_t i = 0; i < a.Length(); i++) {
        if (i) out += ',';
        if (!Write(a.Get(i), std::to_string(i))) out += "null";
      }
      out += ']';
    } else {
      Napi::Array keys = OwnKeys(env, o);
      out += '{';
      bool first = true;
      for (uint32_t i = 0; i < keys.Length(); i++) {
        Napi::Value k = keys.Get(i);
        std::string name = k.As<Napi::String>().Utf8Value();
        size_t mark = out.size();
        if (!first) out += ',';
        QuoteJson(name, &out);
        out += ':';
        if (Write(o.Get(k), name))
          first = false;
        else
          out.resize(mark);
      }
      out += '}';
    }
    stack.pop_back();
    return true;
  }
};

std::string ToJsonText(Napi::Env env, Napi::Value v, Mode mode, const std::string &what) {
  JsonWriter w{env, mode, what, {}, {}};
  if (!w.Write(v, "")) w.Bad(Describe(v) + " has no JSON form");
  return std::move(w.out);
}

// ---- JSON text into JavaScript values -------------------------------------------------------

// Builds the value as nlohmann's parser reads it, keeping the object's key order and every
// integer exact.
class JsBuilder : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit JsBuilder(Napi::Env env) : env_(env) {}
  Napi::Value result() const { return result_; }

  bool null() override { return Put(env_.Null()); }
  bool boolean(bool b) override { return Put(Napi::Boolean::New(env_, b)); }
  bool number_integer(number_integer_t n) override { return Put(IntToJs(env_, n)); }
  bool number_unsigned(number_unsigned_t n) override { return Put(UintToJs(env_, n)); }
  bool number_float(number_float_t d, const string_t &) override {
    return Put(Napi::Number::New(env_, d));
  }
  bool string(string_t &s) override { return Put(Napi::String::New(env_, s)); }
  bool binary(binary_t &) override { return false; }
  bool start_object(std::size_t) override {
    Napi::Object o = Napi::Object::New(env_);
    Put(o);
    frames_.push_back({o, false, {}});
    return true;
  }
  bool key(string_t &k) override {
    frames_.back().key = k;
    return true;
  }
  bool end_object() override {
    frames_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    Napi::Array a = Napi::Array::New(env_);
    Put(a);
    frames_.push_back({a, true, {}});
    return true;
  }
  bool end_array() override { return end_object(); }
  bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) override {
    return false;
  }

 private:
  struct Frame {
    Napi::Object container;
    bool array;
    std::string key;
  };
  bool Put(Napi::Value v) {
    if (frames_.empty()) {
      result_ = v;
    } else if (frames_.back().array) {
      auto a = frames_.back().container.As<Napi::Array>();
      a.Set(a.Length(), v);
    } else {
      frames_.back().container.Set(frames_.back().key, v);
    }
    return true;
  }

  Napi::Env env_;
  Napi::Value result_;
  std::vector<Frame> frames_;
};

// ---- fields out -------------------------------------------------------------------------------

Napi::Value TimestampToJs(Napi::Env env, int64_t ms) {
  if (std::fabs(static_cast<double>(ms)) <= kMaxDateMs)
    return Napi::Date::New(env, static_cast<double>(ms));
  return Napi::BigInt::New(env, ms);  // beyond what a Date holds: the exact milliseconds
}

Napi::Value FieldToJs(Napi::Env env, const bdb_doc *doc, const char *f, int type) {
  switch (type) {
    case BDB_TYPE_UINT8:
    case BDB_TYPE_UINT16:
    case BDB_TYPE_UINT32:
    case BDB_TYPE_UINT64: {
      uint64_t u;
      Check(env, bdb_doc_get_uint(doc, f, &u));
      return UintToJs(env, u);
    }
    case BDB_TYPE_INT8:
    case BDB_TYPE_INT16:
    case BDB_TYPE_INT32:
    case BDB_TYPE_INT64: {
      int64_t i;
      Check(env, bdb_doc_get_int(doc, f, &i));
      return IntToJs(env, i);
    }
    case BDB_TYPE_TIMESTAMP: {
      int64_t i;
      Check(env, bdb_doc_get_int(doc, f, &i));
      return TimestampToJs(env, i);
    }
    case BDB_TYPE_BOOL: {
      int b;
      Check(env, bdb_doc_get_bool(doc, f, &b));
      return Napi::Boolean::New(env, b != 0);
    }
    case BDB_TYPE_FLOAT64:
    case BDB_TYPE_FLOAT32: {
      double d;
      Check(env, bdb_doc_get_double(doc, f, &d));
      return Napi::Number::New(env, d);
    }
    case BDB_TYPE_VARCHAR: {
      const char *s;
      size_t n;
      Check(env, bdb_doc_get_string(doc, f, &s, &n));
      return Napi::String::New(env, s, n);
    }
    case BDB_TYPE_JSON: {
      const char *s;
      size_t n;
      Check(env, bdb_doc_get_string(doc, f, &s, &n));
      return JsonTextToJs(env, std::string_view(s, n));
    }
    case BDB_TYPE_BYTES: {
      const void *p;
      size_t n;
      Check(env, bdb_doc_get_bytes(doc, f, &p, &n));
      return Napi::Buffer<uint8_t>::Copy(env, static_cast<const uint8_t *>(p), n);
    }
    case BDB_TYPE_BLOB: {
      char id[37];
      Check(env, bdb_doc_get_blob_id(doc, f, id));
      return Napi::String::New(env, id);
    }
    default: {  // a type newer than this binding: its JSON form
      char *json = nullptr;
      Check(env, bdb_doc_get_json(doc, f, &json));
      std::string text = TakeString(json);
      return JsonTextToJs(env, text);
    }
  }
}

// ---- fields in --------------------------------------------------------------------------------

void SetInteger(Napi::Env env, bdb_doc *doc, const std::string &field, int type, Napi::Value v,
                const char *unit = "") {
  const char *f = field.c_str();
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d) || d != std::floor(d))
      BadValue(env, doc, field, type, Describe(v) + " is not an integer" + unit);
    if (std::fabs(d) > kMaxSafe)
      BadValue(env, doc, field, type,
               Describe(v) + " is beyond 2^53, where Numbers are not exact: pass a BigInt");
    Check(env, bdb_doc_set_int(doc, f, static_cast<int64_t>(d)));
    return;
  }
  if (v.IsBigInt()) {
    bool lossless = false;
    int64_t i = v.As<Napi::BigInt>().Int64Value(&lossless);
    if (lossless) {
      Check(env, bdb_doc_set_int(doc, f, i));
      return;
    }
    uint64_t u = v.As<Napi::BigInt>().Uint64Value(&lossless);
    if (lossless) {
      Check(env, bdb_doc_set_uint(doc, f, u));
      return;
    }
    BadValue(env, doc, field, type, Describe(v) + " is out of range");
  }
  BadValue(
      env, doc, field, type,
      std::string("expected an integer") + unit + " (a Number or a BigInt), got " + Describe(v));
}

void SetField(Napi::Env env, bdb_doc *doc, const std::string &field, Napi::Value v) {
  const char *f = field.c_str();
  if (v.IsUndefined()) return;
  int type = bdb_doc_field_type(doc, f);
  if (type == 0 || v.IsNull()) {  // an unknown field: the engine's own error names it
    Check(env, bdb_doc_set_null(doc, f));
    return;
  }
  const void *data;
  size_t len;
  switch (type) {
    case BDB_TYPE_UINT8:
    case BDB_TYPE_UINT16:
    case BDB_TYPE_UINT32:
    case BDB_TYPE_UINT64:
    case BDB_TYPE_INT8:
    case BDB_TYPE_INT16:
    case BDB_TYPE_INT32:
    case BDB_TYPE_INT64:
      SetInteger(env, doc, field, type, v);
      return;
    case BDB_TYPE_TIMESTAMP:
      if (v.IsDate()) {
        double ms = v.As<Napi::Date>().ValueOf();
        if (!std::isfinite(ms)) BadValue(env, doc, field, type, "an invalid Date");
        Check(env, bdb_doc_set_int(doc, f, static_cast<int64_t>(ms)));
        return;
      }
      SetInteger(env, doc, field, type, v, " of milliseconds or a Date");
      return;
    case BDB_TYPE_BOOL:
      if (!v.IsBoolean())
        BadValue(env, doc, field, type, "expected true or false, got " + Describe(v));
      Check(env, bdb_doc_set_bool(doc, f, v.As<Napi::Boolean>().Value() ? 1 : 0));
      return;
    case BDB_TYPE_FLOAT64:
    case BDB_TYPE_FLOAT32:
      if (!v.IsNumber()) BadValue(env, doc, field, type, "expected a number, got " + Describe(v));
      Check(env, bdb_doc_set_double(doc, f, v.As<Napi::Number>().DoubleValue()));
      return;
    case BDB_TYPE_VARCHAR: {
      if (!v.IsString()) BadValue(env, doc, field, type, "expected a string, got " + Describe(v));
      std::string s = v.As<Napi::String>().Utf8Value();
      Check(env, bdb_doc_set_string(doc, f, s.data(), s.size()));
      return;
    }
    case BDB_TYPE_JSON: {
      std::string what =
          std::string("table ") + bdb_doc_table(doc) + ", field '" + field + "' (json)";
      std::string text = ToJsonText(env, v, Mode::kJsonField, what);
      Check(env, bdb_doc_set_json(doc, f, text.c_str()));
      return;
    }
    case BDB_TYPE_BYTES:
      if (!BytesOf(v, &data, &len))
        BadValue(env, doc, field, type, "expected a Buffer or Uint8Array, got " + Describe(v));
      Check(env, bdb_doc_set_bytes(doc, f, data, len));
      return;
    case BDB_TYPE_BLOB: {
      Napi::Value content = v;
      if (v.IsObject() && v.As<Napi::Object>().InstanceOf(Data(env).blob.Value()))
        content = v.As<Napi::Object>().Get("data");
      if (BytesOf(content, &data, &len)) {
        Check(env, bdb_doc_set_blob(doc, f, data, len));
        return;
      }
      if (v.IsString()) {  // the id of a blob the row already holds
        std::string quoted;
        QuoteJson(v.As<Napi::String>().Utf8Value(), &quoted);
        Check(env, bdb_doc_set_json(doc, f, quoted.c_str()));
        return;
      }
      BadValue(
          env, doc, field, type,
          "expected db.Blob(buffer), a Buffer, or the id of a stored blob, got " + Describe(v));
    }
    default: {
      std::string what = std::string("table ") + bdb_doc_table(doc) + ", field '" + field + "'";
      std::string text = ToJsonText(env, v, Mode::kLiteral, what);
      Check(env, bdb_doc_set_json(doc, f, text.c_str()));
    }
  }
}

}  // namespace

const char *TypeName(int type) {
  static const char *const kNames[] = {
      "unknown", "uint8",   "uint32", "uint64", "int32", "int64", "boolean", "float64", "timestamp",
      "json",    "varchar", "blob",   "uint16", "int8",  "int16", "float32", "bytes"};
  return type > 0 && type < 17 ? kNames[type] : kNames[0];
}

Napi::Value IntToJs(Napi::Env env, int64_t v) {
  if (v >= -9007199254740991LL && v <= 9007199254740991LL)
    return Napi::Number::New(env, static_cast<double>(v));
  return Napi::BigInt::New(env, v);
}

Napi::Value UintToJs(Napi::Env env, uint64_t v) {
  if (v <= 9007199254740991ULL) return Napi::Number::New(env, static_cast<double>(v));
  return Napi::BigInt::New(env, v);
}

Napi::Value JsonTextToJs(Napi::Env env, std::string_view text) {
  JsBuilder b(env);
  if (!nlohmann::json::sax_parse(text.begin(), text.end(), &b))
    Fail(env, BDB_E_JSON, "malformed JSON from the library: " + std::string(text.substr(0, 60)));
  return b.result();
}

Napi::Object DocToObject(Napi::Env env, const bdb_doc *doc) {
  Napi::Object o = Napi::Object::New(env);
  size_t n = bdb_doc_field_count(doc);
  for (size_t i = 0; i < n; i++) {
    const char *f = bdb_doc_field_name(doc, i);
    if (!f || !bdb_doc_has(doc, f)) continue;
    o.Set(f, FieldToJs(env, doc, f, bdb_doc_field_type(doc, f)));
  }
  return o;
}

Napi::Object DocToRecord(Napi::Env env, const bdb_doc *doc) {
  Napi::Object r = Napi::Object::New(env);
  r.Set("row", DocToObject(env, doc));
  r.Set("version", UintToJs(env, bdb_doc_version(doc)));
  r.Set("misc", UintToJs(env, bdb_doc_misc(doc)));
  return r;
}

void SetFields(Napi::Env env, bdb_doc *doc, Napi::Object values) {
  Napi::Array keys = OwnKeys(env, values);
  for (uint32_t i = 0; i < keys.Length(); i++) {
    Napi::Value k = keys.Get(i);
    SetField(env, doc, k.As<Napi::String>().Utf8Value(), values.Get(k));
  }
}

std::string ToJsonLiteral(Napi::Env env, Napi::Value v, const std::string &what) {
  return ToJsonText(env, v, Mode::kLiteral, what);
}

uint64_t ToUint64(Napi::Env env, Napi::Value v, const std::string &what) {
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (d >= 0 && d <= kMaxSafe && d == std::floor(d)) return static_cast<uint64_t>(d);
  } else if (v.IsBigInt()) {
    bool lossless = false;
    uint64_t u = v.As<Napi::BigInt>().Uint64Value(&lossless);
    if (lossless) return u;
  }
  Fail(env, BDB_E_INVALID,
       what + " must be a non-negative integer (a safe Number or a BigInt), got " + Describe(v));
}

}  // namespace bdbnode
