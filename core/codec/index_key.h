// Keys of secondary indexes: the field's order-preserving encoding with nulls first
// (append_nullable_key), then the row's encoded primary key. Ordered by field value, then by
// primary key; unique per row.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/codec/key_codec.h"

namespace bucketdb {

inline std::string index_key(const TypeInfo &type, const Value &v, std::string_view pk) {
  std::string k;
  append_nullable_key(k, type, v);
  k.append(pk.data(), pk.size());
  return k;
}

// Length of the field part of an index key (so the rest is the primary key), or nullopt if
// the key is malformed.
std::optional<size_t> index_field_length(const TypeInfo &type, std::string_view key);

// The smallest key greater than every key that starts with `prefix` (empty: no such key,
// i.e. unbounded).
std::string prefix_successor(std::string prefix);

}  // namespace bucketdb
