// What the compiler knows about a table once its IDL is mapped: the engine's view (type ids,
// maxLength, primary key, indexes, row layout) plus where each part came from, for messages.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/schema/types.h"

namespace schemac {

// The field types of SPEC section 3: the engine's own table (the ids, slots and kinds are the
// row format, so there is one definition of them).
using bucketdb::Kind;
using bucketdb::type_can_be_indexed;
using bucketdb::type_can_be_primary_key;
using bucketdb::type_info;
using bucketdb::type_label;
using bucketdb::TypeInfo;

struct FieldModel {
  std::string name;
  int type_id = 0;
  uint32_t max_length = 0;  // 0: no limit
  bool key = false;
  bool indexed = false;
  int line = 0;  // in the table's file; 0 when unknown (e.g. from a JSON descriptor)
  uint32_t offset = 0;
  const TypeInfo *type = nullptr;
};

struct TableModel {
  std::string name;             // the engine's table name (the IDL name, unqualified)
  std::vector<std::string> ns;  // FlatBuffers namespace components
  uint32_t version = 1;
  std::vector<FieldModel> fields;
  size_t primary_key = 0;
  std::vector<size_t> indexes;  // in declaration order
  std::string file;
  int line = 0;
  uint32_t bitmap_bytes = 0;
  uint32_t row_width = 0;

  const FieldModel &pk() const { return fields[primary_key]; }
  // -1 when there is no such field.
  int field_index(const std::string &field) const;
};

// Fills offsets, bitmap_bytes and row_width the way the engine lays out rows.
void compute_layout(TableModel &t);

}  // namespace schemac
