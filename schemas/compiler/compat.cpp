#include "compat.h"

#include <map>
#include <string>

#include "core/schema/evolution.h"
#include "descriptor.h"

namespace schemac {

namespace {

// The engine's view of a mapped table (its canonical JSON is exactly what it registers).
bucketdb::SchemaPtr engine_schema(const TableModel &t) {
  return bucketdb::TableSchema::from_json(canonical_json(t));
}

// The field-by-field difference; `footer` adds what happens to the rows already written.
void migration(const bucketdb::TableSchema &from, const bucketdb::TableSchema &to,
               std::ostream &out, bool footer) {
  using bucketdb::SchemaChange;
  auto changes = bucketdb::schema_changes(from, to);
  for (const SchemaChange &c : changes) {
    const char *lost = c.conversion.lossless ? "" : " [loses data]";
    switch (c.kind) {
      case SchemaChange::kAdded:
        out << "  + " << c.field << " (" << c.to_label << "): " << c.conversion.effect << "\n";
        break;
      case SchemaChange::kRetyped:
        out << "  ~ " << c.field << ": " << c.from_label << " -> " << c.to_label << ": "
            << c.conversion.effect << lost << "\n";
        break;
      case SchemaChange::kDropped:
        out << "  - " << c.field << " (" << c.from_label << "): " << c.conversion.effect << lost
            << "\n";
        break;
      case SchemaChange::kIndexAdded:
        out << "  + index on " << c.field << "\n";
        break;
      case SchemaChange::kIndexDropped:
        out << "  - index on " << c.field << "\n";
        break;
    }
  }
  if (changes.empty()) out << "  (no field changes)\n";
  if (!footer) return;
  out << "  Rows keep version " << from.version() << " until a merge rewrites them; reads convert "
      << "them to version " << to.version() << ".\n";
}

}  // namespace

bool check_compatible(const std::vector<TableModel> &old_tables,
                      const std::vector<TableModel> &new_tables, bool allow_lossy,
                      std::ostream &out) {
  std::map<std::string, std::map<uint32_t, const TableModel *>> known;
  for (const auto &t : old_tables) known[t.name][t.version] = &t;
  bool all_ok = true;
  for (const auto &t : new_tables) {
    auto it = known.find(t.name);
    if (it == known.end()) {
      out << t.name << ": version " << t.version
          << " is a new table; it can be registered (no migration)\n";
      continue;
    }
    const auto &versions = it->second;
    auto fresh = engine_schema(t);
    auto same = versions.find(t.version);
    if (same != versions.end()) {
      if (canonical_json(*same->second) == canonical_json(t)) {
        out << t.name << ": version " << t.version
            << " is already registered with this definition; registering it again is a no-op\n";
      } else {
        out << t.name << ": INCOMPATIBLE: version " << t.version
            << " is already registered with a different definition (registered versions are "
               "immutable); give the new definition bdb_version: "
            << versions.rbegin()->first + 1 << "\n";
        migration(*engine_schema(*same->second), *fresh, out, false);
        all_ok = false;
      }
      continue;
    }
    const TableModel &newest_model = *versions.rbegin()->second;
    auto newest = engine_schema(newest_model);
    if (t.version < newest_model.version) {
      out << t.name << ": INCOMPATIBLE: version " << t.version
          << " is older than the registered version " << newest_model.version
          << "; reads use the highest version, so a new definition needs bdb_version: "
          << newest_model.version + 1 << "\n";
      all_ok = false;
      continue;
    }
    std::string refused = bucketdb::evolution_problem(*newest, *fresh, allow_lossy);
    if (!refused.empty()) {
      out << t.name << ": INCOMPATIBLE: " << refused << "\n";
      migration(*newest, *fresh, out, false);
      all_ok = false;
      continue;
    }
    bool lossy = !bucketdb::evolution_problem(*newest, *fresh, false).empty();
    out << t.name << ": version " << t.version << " can be registered beside version "
        << newest_model.version << (lossy ? " with lossy changes allowed" : "")
        << "; the migration:\n";
    migration(*newest, *fresh, out, true);
  }
  return all_ok;
}

}  // namespace schemac
