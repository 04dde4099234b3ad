// The JSON nesting-depth check of every JSON entry point, the library's and the command line's:
// nlohmann's parser and serializer (and a binding's) recurse once per level, so text nested
// deeply enough ends the stack (10,000 levels crash a reader on a 1 MiB stack) instead of
// getting an error. One copy for both sides of the C ABI, so they agree on the limit.
#pragma once

#include <cstddef>
#include <string_view>

namespace bdbcommon {

// Deeper JSON is BDB_E_JSON at every entry point of the library, a usage error in the CLI.
constexpr size_t kMaxJsonDepth = 256;

// Whether `text` nests at most `limit` arrays and objects (brackets inside strings do not
// count; malformed text is the parser's to report). Linear, no recursion.
inline bool json_depth_within(std::string_view text, size_t limit = kMaxJsonDepth) {
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
      if (++depth > limit) return false;
    } else if ((c == ']' || c == '}') && depth) {
      depth--;
    }
  }
  return true;
}

}  // namespace bdbcommon
