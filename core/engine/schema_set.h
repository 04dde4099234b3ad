// Every registered schema version, by table. Immutable: registering makes a new set, so a
// snapshot keeps the schemas it was taken with.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "core/schema/schema.h"

namespace bucketdb {

class SchemaSet {
 public:
  // The newest version of a table; BDB_E_SCHEMA naming the table when there is none.
  SchemaPtr newest(const std::string &table) const;
  SchemaPtr find_newest(const std::string &table) const;                // nullptr when none
  SchemaPtr version(const std::string &table, uint32_t version) const;  // nullptr when none
  // A set with `s` added. Same name and version with a different definition is BDB_E_SCHEMA;
  // with the same definition, *added is false and the set is unchanged.
  std::shared_ptr<const SchemaSet> with(SchemaPtr s, bool *added) const;
  // A set without any version of `table` (a drop: the name is free again).
  std::shared_ptr<const SchemaSet> without(const std::string &table) const;
  const std::map<std::string, std::map<uint32_t, SchemaPtr>> &tables() const { return tables_; }

 private:
  std::map<std::string, std::map<uint32_t, SchemaPtr>> tables_;
};

}  // namespace bucketdb
