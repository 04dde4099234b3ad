// Checks on JSON text before it is trusted. Nesting depth: every JSON entry point checks it
// before the text reaches nlohmann's serializer (or a binding's parser), whose recursion
// would otherwise grow with the input until the stack ends (10,000 levels crash a reader on a
// 1 MiB stack). Duplicate keys: an object naming a key twice is an error, never "the last one
// wins" (a schema whose "id" appears twice would silently change its primary key's type).
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/include/bdb_common/json_depth.h"
#include "core/util/error.h"

namespace bucketdb {

using bdbcommon::json_depth_within;  // the check itself, shared with the command line
using bdbcommon::kMaxJsonDepth;

// BDB_E_JSON "WHAT: JSON nested deeper than 256 levels" unless json_depth_within(text).
inline void check_json_depth(std::string_view text, const std::string &what) {
  if (!json_depth_within(text))
    fail(BDB_E_JSON, what + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                         " levels (arrays and objects); flatten it");
}

// Builds a document from nlohmann's SAX events (or, with Build false, only checks the text),
// refusing what nlohmann's own parser lets through.
template <class Json, bool Build = true>
class StrictJsonBuilder {  // NOLINT(bugprone-exception-escape): nlohmann's SAX interface, whose
                           // callbacks may throw (allocation) into sax_parse, which passes it on
 public:
  using number_integer_t = typename Json::number_integer_t;
  using number_unsigned_t = typename Json::number_unsigned_t;
  using number_float_t = typename Json::number_float_t;
  using string_t = typename Json::string_t;
  using binary_t = typename Json::binary_t;

  bool null() { return put(Json(nullptr)); }
  bool boolean(bool v) { return put(Json(v)); }
  bool number_integer(number_integer_t v) { return put(Json(v)); }
  bool number_unsigned(number_unsigned_t v) { return put(Json(v)); }
  bool number_float(number_float_t v, const string_t &text) {
    // An integer literal beyond 64 bits arrives as a double: it would not stay exact.
    if (text.find_first_of(".eE") == string_t::npos)
      return out_of_range("the integer " + text + " does not fit 64 bits (write it as a string)");
    // Underflow: a mantissa with a non-zero digit that parsed as 0 (1e-400) would be kept as 0.
    if (v == 0 &&
        text.substr(0, text.find_first_of("eE")).find_first_of("123456789") != string_t::npos)
      return out_of_range("the number " + text + " is too small for a double (it would be 0)");
    return put(Json(v));
  }
  bool string(string_t &v) { return put(Json(std::move(v))); }
  bool binary(binary_t &) { return refuse("binary values are not JSON"); }
  bool start_object(std::size_t) {
    keys_.emplace_back();
    return open(Json::object());
  }
  bool key(string_t &k) {
    if (!keys_.back().insert(k).second)
      return refuse("the key '" + k + "' appears twice in one object");
    if (depth_ == 1) top_key_ = k;
    key_ = std::move(k);
    return true;
  }
  bool end_object() {
    keys_.pop_back();
    return close();
  }
  bool start_array(std::size_t) {
    if (depth_ == 0) root_is_array_ = true;
    return open(Json::array());
  }
  bool end_array() { return close(); }
  template <class Exception>
  bool parse_error(std::size_t, const std::string &, const Exception &e) {
    std::string msg = e.what();
    auto at = msg.find("parse error");
    auto q1 = msg.find('\''), q2 = msg.rfind('\'');
    if (msg.find("number overflow") != std::string::npos && q1 < q2)
      return out_of_range("the number " + msg.substr(q1 + 1, q2 - q1 - 1) + " is out of range");
    return refuse(at == std::string::npos ? msg : msg.substr(at));
  }

  Json &result() { return root_; }
  const std::string &error() const { return error_; }
  // Whether the text was well-formed but held a number no 64-bit value can hold exactly; then
  // range_field() is the top-level key it was under ("" for a bare value or inside an array).
  bool range_error() const { return range_error_; }
  const string_t &range_field() const { return range_field_; }

 private:
  bool refuse(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return false;
  }
  bool out_of_range(std::string why) {
    if (error_.empty()) {
      range_error_ = true;
      if (depth_ >= 1 && !root_is_array_) range_field_ = top_key_;
    }
    return refuse(std::move(why));
  }
  // Places a value where the parser is; containers stay open (pointers to them stay valid:
  // only the innermost container grows).
  Json *place(Json v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Json &parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(v));
      return &parent.back();
    }
    Json &slot = parent[key_];
    slot = std::move(v);
    return &slot;
  }
  bool put(Json v) {
    if constexpr (Build) place(std::move(v));
    return true;
  }
  bool open(Json v) {
    depth_++;
    if constexpr (Build) stack_.push_back(place(std::move(v)));
    return true;
  }
  bool close() {
    depth_--;
    if constexpr (Build) stack_.pop_back();
    return true;
  }
  Json root_;
  std::vector<Json *> stack_;
  std::vector<std::set<string_t>> keys_;
  string_t key_;
  std::string error_;
  size_t depth_ = 0;
  bool root_is_array_ = false;
  string_t top_key_;
  bool range_error_ = false;
  string_t range_field_;
};

// Parses `text` (nlohmann::json or ordered_json) after check_json_depth. Malformed text and an
// object with a duplicate key are BDB_E_JSON naming `what`; a number out of a double's range
// and an integer beyond 64 bits are well-formed JSON no field can hold: BDB_E_TYPE naming
// `what` and the top-level field it was under.
template <class Json>
Json parse_json_text(std::string_view text, const std::string &what) {
  check_json_depth(text, what);
  StrictJsonBuilder<Json> builder;
  if (!Json::sax_parse(text.begin(), text.end(), &builder)) {
    if (builder.range_error())
      fail(BDB_E_TYPE, what + ": " +
                           (builder.range_field().empty()
                                ? std::string()
                                : "field '" + std::string(builder.range_field()) + "': ") +
                           builder.error());
    fail(BDB_E_JSON, "malformed JSON in " + what + ": " +
                         (builder.error().empty() ? "not JSON" : builder.error()));
  }
  return std::move(builder.result());
}

// Whether `text` is JSON that parse_json_text accepts; if not, why.
inline bool json_text_valid(std::string_view text, std::string *why) {
  if (!json_depth_within(text)) {
    *why = "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }
  StrictJsonBuilder<nlohmann::json, false> checker;
  if (nlohmann::json::sax_parse(text.begin(), text.end(), &checker)) return true;
  *why = checker.error().empty() ? "not JSON" : checker.error();
  return false;
}

}  // namespace bucketdb
