// The one reading of a driver's config (what follows "scheme:" in a database URI) that every
// driver and layer shares, so that one URI means one thing whichever driver it reaches:
//
//   BASE?name=value&name2=value2
//
// - BASE (a path, "bucket/prefix", a store name, an inner URI) is returned as written: what it
//   means is the driver's own business.
// - Option values are percent-decoded (%XX; '+' stays '+', as in a URI, unlike a form). So a
//   value may hold '&', '=', '?' or '%' written %26, %3D, %3F, %25 (an inner URI in
//   tiered.fast, a secret, a path).
// - A name is taken as written; an item without '=', with an empty name, or with a malformed
//   %-escape is refused by name (never echoing the value, which may be a secret). A repeated
//   name keeps its last value; empty items ("a=1&&b=2") are skipped.
// - A layer ("crypt", "tiered", ...) takes the options named "LAYER.*" out of the query and
//   passes the inner URI on with the rest of the query exactly as written (still encoded), so
//   each driver decodes its own options once.
#pragma once

#include <map>
#include <string>

namespace bdbdrv {

// %XX decoding; false on a '%' not followed by two hex digits.
inline bool percent_decode(const std::string &s, std::string *out) {
  out->clear();
  auto hex = [](char c) {
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
  };
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] != '%') {
      *out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return false;
    int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
    if (hi < 0 || lo < 0) return false;
    *out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

namespace uri_detail {

// Calls item(text) for each non-empty item of the query.
template <typename Fn>
bool for_each_item(const std::string &query, Fn &&item) {
  size_t start = 0;
  while (start <= query.size()) {
    size_t amp = query.find('&', start);
    if (amp == std::string::npos) amp = query.size();
    std::string text = query.substr(start, amp - start);
    if (!text.empty() && !item(text)) return false;
    start = amp + 1;
  }
  return true;
}

// name=value with the value decoded, or false with *why naming the item's name.
inline bool split_item(const std::string &text, size_t name_from, std::string *name,
                       std::string *value, std::string *why, const std::string &expected) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == name_from) {
    *why = "malformed option '" + text.substr(0, eq) + "' (expected " + expected + ")";
    return false;
  }
  *name = text.substr(name_from, eq - name_from);
  if (!percent_decode(text.substr(eq + 1), value)) {
    *why = "malformed %-escape in the value of option '" + text.substr(0, eq) + "'";
    return false;
  }
  return true;
}

}  // namespace uri_detail

// "base?k=v&k2=v2" split into base and options (values decoded). False with *why on a
// malformed option.
inline bool parse_config(const std::string &config, std::string *base,
                         std::map<std::string, std::string> *opts, std::string *why) {
  size_t q = config.find('?');
  *base = config.substr(0, q);
  if (q == std::string::npos) return true;
  return uri_detail::for_each_item(config.substr(q + 1), [&](const std::string &text) {
    std::string name, value;
    if (!uri_detail::split_item(text, 0, &name, &value, why, "name=value")) return false;
    (*opts)[name] = value;
    return true;
  });
}

// For layered drivers: splits "inner-uri?a=1&layer.x=2" into the layer's own options (names
// "layer.*", returned without the prefix, values decoded) and the inner URI with the rest of
// the query as written.
inline bool split_layer_config(const std::string &config, const std::string &layer,
                               std::string *inner, std::map<std::string, std::string> *opts,
                               std::string *why) {
  size_t q = config.find('?');
  *inner = config.substr(0, q);
  if (q == std::string::npos) return true;
  std::string keep, prefix = layer + ".";
  bool ok = uri_detail::for_each_item(config.substr(q + 1), [&](const std::string &text) {
    if (text.compare(0, prefix.size(), prefix) != 0) {
      keep += (keep.empty() ? "" : "&") + text;
      return true;
    }
    std::string name, value;
    if (!uri_detail::split_item(text, prefix.size(), &name, &value, why, layer + ".name=value"))
      return false;
    (*opts)[name] = value;
    return true;
  });
  if (ok && !keep.empty()) *inner += "?" + keep;
  return ok;
}

}  // namespace bdbdrv
