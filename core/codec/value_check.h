// Coerces a value given through any setter (JSON, typed C setters) into the exact form a
// field stores, or fails with BDB_E_TYPE naming the table and field: integers out of the
// type's range, fractions for integer types, invalid UTF-8, text longer than maxLength, JSON
// text that does not parse. Nothing is ever truncated.
#pragma once

#include <string>

#include "core/codec/value.h"
#include "core/schema/schema.h"

namespace bucketdb {

Value check_value(const TableSchema &schema, const Field &field, Value v);

// Converts a value of one schema version's field to another version's field of the same name
// (schema evolution): exact when the value fits the new type, else null.
Value convert_value(const Field &from, const Field &to, const Value &v);

const char *value_kind_name(const Value &v);

}  // namespace bucketdb

namespace bucketdb {
// A row of one schema version in another version's layout: fields matched by name and
// converted with convert_value; fields the old version lacks are null.
Values convert_values(const TableSchema &from, const Values &v, const TableSchema &to);
// The same, moving the values when no conversion is needed (the common case: one version).
Values convert_values(const TableSchema &from, Values &&v, const TableSchema &to);
}  // namespace bucketdb
