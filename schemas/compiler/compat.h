// Schema evolution: can a new table version be registered beside the versions a database
// already has, and what does the migration do to rows written before (fields added, dropped,
// retyped)? The rules and their words are the engine's (core/schema/evolution.h): a
// registered version is immutable, the primary key's field and type never change nor narrow,
// and a change that could lose a value is refused unless lossy changes are allowed.
#pragma once

#include <ostream>
#include <vector>

#include "model.h"

namespace schemac {

// Writes a report per new table; true when every new table can be registered.
bool check_compatible(const std::vector<TableModel> &old_tables,
                      const std::vector<TableModel> &new_tables, bool allow_lossy,
                      std::ostream &out);

}  // namespace schemac
