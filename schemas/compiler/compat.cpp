#include "compat.h"

#include <map>
#include <string>

#include "descriptor.h"

namespace schemac {

namespace {

bool is_integer(const FieldModel &f) {
  return f.type->kind == Kind::kUInt || f.type->kind == Kind::kInt;
}

// Whether every value of integer type `a` fits integer type `b`.
bool int_range_within(const FieldModel &a, const FieldModel &b) {
  bool as = a.type->kind == Kind::kInt, bs = b.type->kind == Kind::kInt;
  if (as && !bs) return false;  // negatives
  if (!as && bs) return b.type->width > a.type->width;
  return b.type->width >= a.type->width;
}

std::string length_unit(int type_id) {
  return type_id == 10 ? " characters" : " bytes";
}

// What reading an old value as the new type does, after the engine's convert_value.
std::string conversion(const FieldModel &from, const FieldModel &to) {
  const std::string kAll = "every value converts";
  const std::string kNone = "every value becomes null";
  std::string limit;
  if (to.max_length && (!from.max_length || to.max_length < from.max_length))
    limit = "values longer than " + std::to_string(to.max_length) + length_unit(to.type_id) +
            " become null";
  if (from.type_id == to.type_id) return limit.empty() ? kAll : limit;

  Kind fk = from.type->kind, tk = to.type->kind;
  if (is_integer(from) && is_integer(to))
    return int_range_within(from, to)
               ? kAll
               : std::string("values that do not fit ") + to.type->name + " become null";
  if (is_integer(from) && tk == Kind::kFloat) {
    int exact_width = to.type->width == 8 ? 4 : 2;  // 53- and 24-bit significands
    if (from.type->width <= exact_width) return kAll;
    return kAll + std::string("; integers beyond 2^") + (to.type->width == 8 ? "53" : "24") +
           " are rounded";
  }
  if (fk == Kind::kFloat && is_integer(to))
    return std::string("integral values that fit ") + to.type->name +
           " (and 2^53 in magnitude) convert; fractions, NaN and infinities become null";
  if (fk == Kind::kFloat && tk == Kind::kFloat)
    return to.type->width == 4
               ? "values beyond float32's range become null; the rest are rounded to float32"
               : kAll;
  if ((fk == Kind::kText || fk == Kind::kBytes) && (tk == Kind::kText || tk == Kind::kBytes)) {
    std::string s;
    if (to.type_id == 9 && from.type_id != 9)
      s = from.type_id == 16 ? "values that are not UTF-8 JSON text become null"
                             : "values that are not JSON text become null";
    else if (to.type_id == 10 && from.type_id == 16)
      s = "values that are not valid UTF-8 become null";
    else if (to.type_id == 16)
      s = "every value converts (its UTF-8 bytes)";
    else
      s = kAll;
    return limit.empty() ? s : s + "; " + limit;
  }
  return kNone;
}

std::string field_label(const FieldModel &f) {
  return type_label(f.type_id, f.max_length);
}

// The field-by-field difference; `footer` adds what happens to the rows already written.
void migration(const TableModel &from, const TableModel &to, std::ostream &out, bool footer) {
  bool any = false;
  for (const auto &f : to.fields) {
    int i = from.field_index(f.name);
    if (i < 0) {
      out << "  + " << f.name << " (" << field_label(f)
          << "): added; rows written before read it as null\n";
      any = true;
      continue;
    }
    const FieldModel &old = from.fields[static_cast<size_t>(i)];
    if (old.type_id == f.type_id && old.max_length == f.max_length) continue;
    out << "  ~ " << f.name << ": " << field_label(old) << " -> " << field_label(f) << ": "
        << conversion(old, f) << "\n";
    any = true;
  }
  for (const auto &f : from.fields)
    if (to.field_index(f.name) < 0) {
      out << "  - " << f.name << " (" << field_label(f)
          << "): dropped; reads no longer return it (the data goes when blocks are merged)\n";
      any = true;
    }
  for (size_t i : to.indexes) {
    int j = from.field_index(to.fields[i].name);
    if (j < 0 || !from.fields[static_cast<size_t>(j)].indexed) {
      out << "  + index on " << to.fields[i].name << "\n";
      any = true;
    }
  }
  for (size_t i : from.indexes) {
    int j = to.field_index(from.fields[i].name);
    if (j < 0 || !to.fields[static_cast<size_t>(j)].indexed) {
      out << "  - index on " << from.fields[i].name << "\n";
      any = true;
    }
  }
  if (!any) out << "  (no field changes)\n";
  const FieldModel &pk = to.pk();
  const FieldModel &old_pk = from.pk();
  if (pk.max_length && (!old_pk.max_length || pk.max_length < old_pk.max_length))
    out << "  warning: primary key values longer than " << pk.max_length << length_unit(pk.type_id)
        << " would read as null; keep the old maxLength\n";
  if (!footer) return;
  out << "  Rows keep version " << from.version << " until a merge rewrites them; reads convert "
      << "them to version " << to.version << ".\n";
}

}  // namespace

bool check_compatible(const std::vector<TableModel> &old_tables,
                      const std::vector<TableModel> &new_tables, std::ostream &out) {
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
        migration(*same->second, t, out, false);
        all_ok = false;
      }
      continue;
    }
    const TableModel &newest = *versions.rbegin()->second;
    const FieldModel &a = newest.pk(), &b = t.pk();
    if (a.name != b.name || a.type_id != b.type_id) {
      out << t.name << ": INCOMPATIBLE: version " << t.version << " changes the primary key from '"
          << a.name << "' (" << a.type->name << ") to '" << b.name << "' (" << b.type->name
          << "); the engine refuses this: a table keeps its primary key in every version\n";
      all_ok = false;
      continue;
    }
    if (t.version < newest.version) {
      out << t.name << ": INCOMPATIBLE: version " << t.version
          << " is older than the registered version " << newest.version
          << "; reads use the highest version, so a new definition needs bdb_version: "
          << newest.version + 1 << "\n";
      all_ok = false;
      continue;
    }
    out << t.name << ": version " << t.version << " can be registered beside version "
        << newest.version << "; the migration:\n";
    migration(newest, t, out, true);
  }
  return all_ok;
}

}  // namespace schemac
