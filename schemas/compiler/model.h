// What the compiler knows about a table once its IDL is mapped: the engine's view (type ids,
// maxLength, primary key, indexes, row layout) plus where each part came from, for messages.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace schemac {

// The field types of SPEC section 3, as the engine defines them (core/schema/types.cpp).
enum class Kind { kUInt, kInt, kBool, kFloat, kText, kBytes, kBlob };

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
bool type_can_be_primary_key(int type_id);
bool type_can_be_indexed(int type_id);
// "varchar(36)", "json", "uint8": a type as messages name it.
std::string type_label(int type_id, uint32_t max_length);

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
