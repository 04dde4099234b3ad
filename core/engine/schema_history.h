// Which schema version was in force at a past log position. A history read shows rows as
// they were: through the version in force then, not a newer one that narrowed a field (a
// lossy change converts what does not fit to null; the old blocks keep the values for the
// grace, and history must be able to read them).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/engine/schema_set.h"
#include "core/format/block0.h"

namespace bucketdb {

using TableVersions = std::vector<std::pair<std::string, uint32_t>>;  // table, newest version

// The newest version of each table in `before` (a Block 0 a merge replaces) for the tables
// `now` holds a newer version of: what its history point records (Block 0 format 4).
TableVersions versions_superseded(const Block0 &before, const SchemaSet &now,
                                  const std::string &block0_key);
// The newest version of each table Block 0 `b0` registers (those folded into it).
TableVersions versions_of(const Block0 &b0, const std::string &block0_key);
// `set` without the versions newer than the one given for each table listed.
std::shared_ptr<const SchemaSet> schemas_in_force(std::shared_ptr<const SchemaSet> set,
                                                  const TableVersions &in_force);

}  // namespace bucketdb
