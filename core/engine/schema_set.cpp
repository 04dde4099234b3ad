#include "core/engine/schema_set.h"

#include "core/util/error.h"

namespace bucketdb {

SchemaPtr SchemaSet::find_newest(const std::string &table) const {
  auto it = tables_.find(table);
  if (it == tables_.end() || it->second.empty()) return nullptr;
  return it->second.rbegin()->second;
}

SchemaPtr SchemaSet::newest(const std::string &table) const {
  SchemaPtr s = find_newest(table);
  if (!s) fail(BDB_E_SCHEMA, "unknown table '" + table + "' (register its schema first)");
  return s;
}

SchemaPtr SchemaSet::version(const std::string &table, uint32_t v) const {
  auto it = tables_.find(table);
  if (it == tables_.end()) return nullptr;
  auto jt = it->second.find(v);
  return jt == it->second.end() ? nullptr : jt->second;
}

std::shared_ptr<const SchemaSet> SchemaSet::with(SchemaPtr s, bool *added) const {
  SchemaPtr have = version(s->name(), s->version());
  if (have) {
    if (have->canonical_json() != s->canonical_json())
      fail(BDB_E_SCHEMA, "table " + s->name() + " version " + std::to_string(s->version()) +
                             " is already registered with a different definition; register "
                             "a new version instead");
    *added = false;
    return nullptr;
  }
  if (SchemaPtr prev = find_newest(s->name())) {
    const Field &a = prev->primary_key_field(), &b = s->primary_key_field();
    if (a.name != b.name || a.type_id != b.type_id)
      fail(BDB_E_SCHEMA, "table " + s->name() + " version " + std::to_string(s->version()) +
                             " changes the primary key from '" + a.name + "' (" + a.type->name +
                             ") to '" + b.name + "' (" + b.type->name +
                             "); a table keeps its primary key in every version");
  }
  auto next = std::make_shared<SchemaSet>(*this);
  next->tables_[s->name()][s->version()] = std::move(s);
  *added = true;
  return next;
}

std::shared_ptr<const SchemaSet> SchemaSet::without(const std::string &table) const {
  auto next = std::make_shared<SchemaSet>(*this);
  next->tables_.erase(table);
  return next;
}

}  // namespace bucketdb
