// Schema evolution (SPEC section 3): what a new version of a table does to the rows written in
// another one. Reads convert an old row field by field, by name; a value that does not fit its
// new type reads as null, so a change that could lose a value must be asked for explicitly.
// The engine refuses such a version unless the registration allows it, and the schema
// compiler's --check-compatible reports the same, in the same words.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/schema/schema.h"

namespace bucketdb {

// What reading a value stored as one field type through another does.
struct Conversion {
  bool lossless = true;  // every value converts exactly
  std::string effect;    // "every value converts", "values longer than 2 characters become null"
};
Conversion convert_type(int from_type, uint32_t from_max_length, int to_type,
                        uint32_t to_max_length);

struct SchemaChange {
  enum Kind { kAdded, kDropped, kRetyped, kIndexAdded, kIndexDropped };
  Kind kind;
  std::string field;
  std::string from_label, to_label;  // "varchar(36)", for kAdded/kDropped/kRetyped
  Conversion conversion;             // lossless is false when a value could be lost
};

// Field by field, how rows of `from` read as `to`: fields of `to` in declaration order, then
// the fields `to` drops, then index changes. A dropped field loses its values.
std::vector<SchemaChange> schema_changes(const TableSchema &from, const TableSchema &to);

// Why registering `to` beside the newest registered version `newest` of the table is refused,
// or "" when it may be registered. Lossy changes are refused unless `allow_lossy`; a primary
// key that changes name or type, or narrows, is refused always.
std::string evolution_problem(const TableSchema &newest, const TableSchema &to, bool allow_lossy);

}  // namespace bucketdb
