#include "core/engine/schema_history.h"

#include <algorithm>
#include <map>

#include "core/util/error.h"

namespace bucketdb {

TableVersions versions_of(const Block0 &b0, const std::string &block0_key) {
  std::map<std::string, uint32_t> newest;
  for (const auto &json : b0.schemas) {
    SchemaPtr sp;
    try {
      sp = TableSchema::from_json(json);
    } catch (const Error &e) {
      fail(BDB_E_CORRUPT, "corrupt object " + block0_key + ": bad schema: " + e.what());
    }
    uint32_t &v = newest[sp->name()];
    v = std::max(v, sp->version());
  }
  return TableVersions(newest.begin(), newest.end());
}

TableVersions versions_superseded(const Block0 &before, const SchemaSet &now,
                                  const std::string &block0_key) {
  TableVersions out;
  for (const auto &[table, version] : versions_of(before, block0_key)) {
    SchemaPtr newest = now.find_newest(table);
    if (newest && newest->version() > version) out.emplace_back(table, version);
  }
  return out;
}

std::shared_ptr<const SchemaSet> schemas_in_force(std::shared_ptr<const SchemaSet> set,
                                                  const TableVersions &in_force) {
  for (const auto &[table, version] : in_force) {
    auto it = set->tables().find(table);
    if (it == set->tables().end() || it->second.rbegin()->first <= version) continue;
    std::vector<SchemaPtr> kept;
    for (const auto &[v, sp] : it->second)
      if (v <= version) kept.push_back(sp);
    auto next = set->without(table);
    for (SchemaPtr &sp : kept) {
      bool added = false;
      next = next->with(std::move(sp), &added);
    }
    set = next;
  }
  return set;
}

}  // namespace bucketdb
