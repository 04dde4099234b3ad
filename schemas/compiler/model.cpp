#include "model.h"

namespace schemac {

namespace {
// Must match core/schema/types.cpp: the ids, slots and kinds are the row format.
const TypeInfo kTypes[] = {
    {0, "", 0, Kind::kUInt, false, 0},         {1, "uint8", 1, Kind::kUInt, false, 1},
    {2, "uint32", 4, Kind::kUInt, false, 4},   {3, "uint64", 8, Kind::kUInt, false, 8},
    {4, "int32", 4, Kind::kInt, false, 4},     {5, "int64", 8, Kind::kInt, false, 8},
    {6, "boolean", 1, Kind::kBool, false, 1},  {7, "float64", 8, Kind::kFloat, false, 8},
    {8, "timestamp", 8, Kind::kInt, false, 8}, {9, "json", 8, Kind::kText, true, 0},
    {10, "varchar", 8, Kind::kText, true, 0},  {11, "blob", 16, Kind::kBlob, false, 0},
    {12, "uint16", 2, Kind::kUInt, false, 2},  {13, "int8", 1, Kind::kInt, false, 1},
    {14, "int16", 2, Kind::kInt, false, 2},    {15, "float32", 4, Kind::kFloat, false, 4},
    {16, "bytes", 8, Kind::kBytes, true, 0},
};
}  // namespace

const TypeInfo *type_info(int type_id) {
  if (type_id < 1 || type_id > 16) return nullptr;
  return &kTypes[type_id];
}

bool type_can_be_primary_key(int type_id) {
  const TypeInfo *t = type_info(type_id);
  return t && (t->kind == Kind::kUInt || t->kind == Kind::kInt || type_id == 10 || type_id == 16);
}

bool type_can_be_indexed(int type_id) {
  return type_info(type_id) && type_id != 9 && type_id != 11;
}

std::string type_label(int type_id, uint32_t max_length) {
  const TypeInfo *t = type_info(type_id);
  std::string s = t ? t->name : "type " + std::to_string(type_id);
  if (max_length) s += "(" + std::to_string(max_length) + ")";
  return s;
}

int TableModel::field_index(const std::string &field) const {
  for (size_t i = 0; i < fields.size(); i++)
    if (fields[i].name == field) return static_cast<int>(i);
  return -1;
}

void compute_layout(TableModel &t) {
  t.bitmap_bytes = static_cast<uint32_t>((t.fields.size() + 7) / 8);
  uint32_t off = t.bitmap_bytes;
  for (auto &f : t.fields) {
    f.type = type_info(f.type_id);
    f.offset = off;
    off += f.type->slot;
  }
  t.row_width = off;
}

}  // namespace schemac
