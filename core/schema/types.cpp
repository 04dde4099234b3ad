#include "core/schema/types.h"

namespace bucketdb {

namespace {
const TypeInfo kTypes[] = {
    {0, "", 0, Kind::kUInt, false, 0},
    {BDB_TYPE_UINT8, "uint8", 1, Kind::kUInt, false, 1},
    {BDB_TYPE_UINT32, "uint32", 4, Kind::kUInt, false, 4},
    {BDB_TYPE_UINT64, "uint64", 8, Kind::kUInt, false, 8},
    {BDB_TYPE_INT32, "int32", 4, Kind::kInt, false, 4},
    {BDB_TYPE_INT64, "int64", 8, Kind::kInt, false, 8},
    {BDB_TYPE_BOOL, "boolean", 1, Kind::kBool, false, 1},
    {BDB_TYPE_FLOAT64, "float64", 8, Kind::kFloat, false, 8},
    {BDB_TYPE_TIMESTAMP, "timestamp", 8, Kind::kInt, false, 8},
    {BDB_TYPE_JSON, "json", 8, Kind::kText, true, 0},
    {BDB_TYPE_VARCHAR, "varchar", 8, Kind::kText, true, 0},
    {BDB_TYPE_BLOB, "blob", 16, Kind::kBlob, false, 0},
    {BDB_TYPE_UINT16, "uint16", 2, Kind::kUInt, false, 2},
    {BDB_TYPE_INT8, "int8", 1, Kind::kInt, false, 1},
    {BDB_TYPE_INT16, "int16", 2, Kind::kInt, false, 2},
    {BDB_TYPE_FLOAT32, "float32", 4, Kind::kFloat, false, 4},
    {BDB_TYPE_BYTES, "bytes", 8, Kind::kBytes, true, 0},
};
}  // namespace

const TypeInfo *type_info(int type_id) {
  if (type_id < 1 || type_id > 16) return nullptr;
  return &kTypes[type_id];
}

bool type_can_be_primary_key(int type_id) {
  const TypeInfo *t = type_info(type_id);
  if (!t) return false;
  return t->kind == Kind::kUInt || t->kind == Kind::kInt || type_id == BDB_TYPE_VARCHAR ||
         type_id == BDB_TYPE_BYTES;
}

bool type_can_be_indexed(int type_id) {
  const TypeInfo *t = type_info(type_id);
  return t && type_id != BDB_TYPE_JSON && type_id != BDB_TYPE_BLOB;
}

std::string type_label(int type_id, uint32_t max_length) {
  const TypeInfo *t = type_info(type_id);
  std::string s = t ? t->name : "type " + std::to_string(type_id);
  if (max_length) s += "(" + std::to_string(max_length) + ")";
  return s;
}

}  // namespace bucketdb
