// The shell's own JSON parsing (--where values, schema files, indented output) checks nesting
// first, as the library does at its entry points: nlohmann's parser and serializer recurse
// once per level, so deep input would end the stack instead of getting an error.
#pragma once

#include <cstddef>
#include <string_view>

namespace bdbcli {

// The library's limit (bucketdb.h: JSON nested deeper than 256 levels is BDB_E_JSON).
constexpr size_t kMaxJsonDepth = 256;

// Whether `text` nests at most kMaxJsonDepth arrays and objects; brackets inside strings do
// not count and malformed text is the parser's to report. Linear, no recursion.
inline bool json_depth_ok(std::string_view text) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); i++) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return false;
    } else if ((c == ']' || c == '}') && depth) {
      depth--;
    }
  }
  return true;
}

}  // namespace bdbcli
