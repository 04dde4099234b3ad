// The field types of SPEC section 3: ids, names, row slot sizes.
#pragma once

#include <cstdint>
#include <string>

#include "abi/include/bucketdb/bucketdb.h"

namespace bucketdb {

enum class Kind : uint8_t { kUInt, kInt, kBool, kFloat, kText, kBytes, kBlob };

struct TypeInfo {
  int id;
  const char *name;
  uint32_t slot;  // bytes in the fixed part of a row
  Kind kind;
  bool heap;  // value lives in the heap; the slot holds (offset, length)
  int width;  // integer/float width in bytes, or 0
};

// nullptr for an unknown id.
const TypeInfo *type_info(int type_id);
// A primary key must have a total order that survives encoding: integers, timestamps,
// varchar and bytes.
bool type_can_be_primary_key(int type_id);
bool type_can_be_indexed(int type_id);
// "varchar(36)", "json", "uint8": a type as messages name it.
std::string type_label(int type_id, uint32_t max_length);

}  // namespace bucketdb
