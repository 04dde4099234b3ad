// A table schema version: fields in declaration order, the row layout they give, the primary
// key and the indexed fields. Built from the JSON form of the Node.js library.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/schema/types.h"

namespace bucketdb {

struct Field {
  std::string name;
  int type_id = 0;
  uint32_t max_length = 0;  // 0: no limit (varchar: characters; json, bytes: bytes)
  uint32_t offset = 0;      // of the slot within the row
  const TypeInfo *type = nullptr;
};

class TableSchema {
 public:
  // Parses and validates the JSON form; errors are BDB_E_JSON or BDB_E_SCHEMA naming the
  // table and field.
  static std::shared_ptr<const TableSchema> from_json(std::string_view json);

  const std::string &name() const { return name_; }
  uint32_t version() const { return version_; }
  const std::vector<Field> &fields() const { return fields_; }
  const Field &field(size_t i) const { return fields_[i]; }
  // -1 when there is no such field.
  int field_index(std::string_view name) const;
  size_t primary_key() const { return pk_; }
  const Field &primary_key_field() const { return fields_[pk_]; }
  const std::vector<size_t> &indexes() const { return indexes_; }
  uint32_t bitmap_bytes() const { return bitmap_bytes_; }
  uint32_t row_width() const { return row_width_; }
  // Canonical JSON (fixed key order), stored in the log and Block 0 and compared for equality.
  const std::string &canonical_json() const { return canonical_; }

 private:
  std::string name_;
  uint32_t version_ = 0;
  std::vector<Field> fields_;
  std::map<std::string, size_t, std::less<>> by_name_;
  size_t pk_ = 0;
  std::vector<size_t> indexes_;
  uint32_t bitmap_bytes_ = 0;
  uint32_t row_width_ = 0;
  std::string canonical_;
};

using SchemaPtr = std::shared_ptr<const TableSchema>;

// Table and field names become parts of object keys and JSON: letters, digits, '_', not
// starting with a digit, at most 128 bytes.
bool valid_identifier(std::string_view s);

}  // namespace bucketdb
