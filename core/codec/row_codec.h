// The row codec: a document of one schema version <-> a fixed-width row plus heap bytes.
//
// Row layout: a null bitmap (bit i set = field i is null), then every field's slot in
// declaration order, little-endian. Heap types (json, varchar, bytes) hold (u32 offset,
// u32 length) into the heap that travels with the row (a log entry's row heap, or a block's
// heap). A blob slot holds the blob's 16-byte id.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/codec/value.h"
#include "core/schema/schema.h"

namespace bucketdb {

// Appends the row to `fixed` (exactly schema.row_width() bytes) and its heap values to `heap`
// (offsets relative to the start of `heap`). Values must already be checked (check_value).
void encode_row(const TableSchema &schema, const Values &values, std::string &fixed,
                std::string &heap);

// A read-only view of one encoded row. Every heap reference is bounds-checked: a bad one is
// BDB_E_CORRUPT naming `what`.
class RowView {
 public:
  RowView(const TableSchema &schema, const uint8_t *fixed, std::string_view heap,
          const std::string *what)
      : schema_(&schema), fixed_(fixed), heap_(heap), what_(what) {}
  bool null(size_t field) const { return (fixed_[field >> 3] >> (field & 7)) & 1; }
  Value get(size_t field) const;
  // Heap bytes of a json/varchar/bytes field (must not be null).
  std::string_view heap_value(size_t field) const;
  Values decode() const;
  const TableSchema &schema() const { return *schema_; }

 private:
  const TableSchema *schema_;
  const uint8_t *fixed_;
  std::string_view heap_;
  const std::string *what_;
};

}  // namespace bucketdb
