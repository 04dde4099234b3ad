// The schema descriptor: a table's JSON form exactly as the engine canonicalises it
// (core/schema/schema.cpp: keys name, version, fields, primaryKey, indexes in that order,
// indexes always present, maxLength only when set), so registering the embedded descriptor
// stores the very same text.
#pragma once

#include <string>
#include <vector>

#include "diagnostics.h"
#include "model.h"

namespace schemac {

std::string canonical_json(const TableModel &t);

// Tables from JSON text: one descriptor object, an array of them, or one per line (what
// `bucketdb schema list` prints). Errors name `source`.
bool tables_from_json(const std::string &text, const std::string &source,
                      std::vector<TableModel> *out, Diagnostics &diag);

}  // namespace schemac
