// Schema evolution: can a new table version be registered beside the versions a database
// already has, and what does the migration do to rows written before (fields added, dropped,
// retyped)? The rules are the engine's: a registered version is immutable, the primary key's
// field and type never change, and old rows are converted on read (a value that does not
// convert to its new type reads as null).
#pragma once

#include <ostream>
#include <vector>

#include "model.h"

namespace schemac {

// Writes a report per new table; true when every new table can be registered.
bool check_compatible(const std::vector<TableModel> &old_tables,
                      const std::vector<TableModel> &new_tables, std::ostream &out);

}  // namespace schemac
