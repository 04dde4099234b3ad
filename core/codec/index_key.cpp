#include "core/codec/index_key.h"

namespace bucketdb {

std::optional<size_t> index_field_length(const TypeInfo &type, std::string_view key) {
  if (key.empty()) return std::nullopt;
  if (key[0] == '\0') return 1;  // null
  if (key[0] != '\1') return std::nullopt;
  switch (type.kind) {
    case Kind::kUInt:
    case Kind::kInt:
    case Kind::kFloat: {
      size_t n = 1 + static_cast<size_t>(type.width);
      return key.size() >= n ? std::optional<size_t>(n) : std::nullopt;
    }
    case Kind::kBool:
      return key.size() >= 2 ? std::optional<size_t>(2) : std::nullopt;
    case Kind::kBlob:
      return key.size() >= 17 ? std::optional<size_t>(17) : std::nullopt;
    case Kind::kText:
    case Kind::kBytes:
      // Escaped bytes (0x00 written as 0x00 0xFF) ending with 0x00 0x00.
      for (size_t i = 1; i + 1 < key.size(); i++) {
        if (key[i] != '\0') continue;
        if (key[i + 1] == '\0') return i + 2;
        if (key[i + 1] != '\xff') return std::nullopt;
        i++;
      }
      return std::nullopt;
  }
  return std::nullopt;
}

std::string prefix_successor(std::string prefix) {
  while (!prefix.empty()) {
    unsigned char last = static_cast<unsigned char>(prefix.back());
    if (last < 0xff) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;
}

}  // namespace bucketdb
