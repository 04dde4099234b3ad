// Order-preserving byte encoding of values: comparing encodings with memcmp gives the value
// order. Used to sort rows by primary key, to prune blocks by first/last key, and for index
// keys. Unsigned integers: big-endian. Signed: sign bit flipped, big-endian. Floats: the IEEE
// trick (negative: all bits flipped; positive: sign bit flipped), -0 folded into +0, NaN
// canonical and greatest. Text and bytes: 0x00 escaped as 0x00 0xFF, terminated by 0x00 0x00.
#pragma once

#include <string>

#include "core/codec/value.h"
#include "core/schema/types.h"

namespace bucketdb {

void append_key(std::string &out, const TypeInfo &type, const Value &v);
inline std::string encode_key(const TypeInfo &type, const Value &v) {
  std::string s;
  append_key(s, type, v);
  return s;
}
// Index keys order nulls first: 0x00 for null, else 0x01 + append_key.
void append_nullable_key(std::string &out, const TypeInfo &type, const Value &v);

// Total order on two values of one type (nulls first), consistent with the key encoding.
int compare_values(const TypeInfo &type, const Value &a, const Value &b);

}  // namespace bucketdb
