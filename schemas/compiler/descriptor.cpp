#include "descriptor.h"

#include <sstream>

#include <nlohmann/json.hpp>

namespace schemac {

using ojson = nlohmann::ordered_json;

std::string canonical_json(const TableModel &t) {
  ojson c;
  c["name"] = t.name;
  c["version"] = t.version;
  ojson fields = ojson::object();
  for (const auto &f : t.fields) {
    ojson fj;
    fj["typeId"] = f.type_id;
    if (f.max_length) fj["maxLength"] = f.max_length;
    fields[f.name] = fj;
  }
  c["fields"] = fields;
  c["primaryKey"] = t.pk().name;
  ojson idx = ojson::array();
  for (size_t i : t.indexes) idx.push_back(t.fields[i].name);
  c["indexes"] = idx;
  return c.dump();
}

namespace {

bool table_from_json(const ojson &j, const std::string &source, TableModel *t, Diagnostics &diag) {
  auto bad = [&](const std::string &why) {
    diag.error(source, 0, "not a schema descriptor: " + why);
    return false;
  };
  if (!j.is_object()) return bad("expected a JSON object");
  if (!j.contains("name") || !j["name"].is_string()) return bad("'name' (a string) is required");
  t->name = j["name"].get<std::string>();
  if (!j.contains("version") || !j["version"].is_number_unsigned())
    return bad("table " + t->name + ": 'version' (a positive integer) is required");
  t->version = j["version"].get<uint32_t>();
  if (!j.contains("fields") || !j["fields"].is_object())
    return bad("table " + t->name + ": 'fields' (an object) is required");
  for (auto it = j["fields"].begin(); it != j["fields"].end(); ++it) {
    FieldModel f;
    f.name = it.key();
    const ojson &fj = it.value();
    if (!fj.is_object() || !fj.contains("typeId") || !fj["typeId"].is_number_unsigned() ||
        !type_info(fj["typeId"].get<int>()))
      return bad("table " + t->name + ", field '" + f.name + "': 'typeId' must be 1 to 16");
    f.type_id = fj["typeId"].get<int>();
    if (fj.contains("maxLength")) {
      if (!fj["maxLength"].is_number_unsigned())
        return bad("table " + t->name + ", field '" + f.name + "': bad 'maxLength'");
      f.max_length = fj["maxLength"].get<uint32_t>();
    }
    t->fields.push_back(f);
  }
  if (t->fields.empty()) return bad("table " + t->name + " has no fields");
  if (!j.contains("primaryKey") || !j["primaryKey"].is_string())
    return bad("table " + t->name + ": 'primaryKey' (a field name) is required");
  int pk = t->field_index(j["primaryKey"].get<std::string>());
  if (pk < 0) return bad("table " + t->name + ": primaryKey is not a field");
  t->primary_key = static_cast<size_t>(pk);
  t->fields[t->primary_key].key = true;
  if (j.contains("indexes")) {
    if (!j["indexes"].is_array()) return bad("table " + t->name + ": 'indexes' must be an array");
    for (const auto &ij : j["indexes"]) {
      int i = ij.is_string() ? t->field_index(ij.get<std::string>()) : -1;
      if (i < 0) return bad("table " + t->name + ": an index names no field");
      t->indexes.push_back(static_cast<size_t>(i));
      t->fields[static_cast<size_t>(i)].indexed = true;
    }
  }
  t->file = source;
  compute_layout(*t);
  return true;
}

}  // namespace

bool tables_from_json(const std::string &text, const std::string &source,
                      std::vector<TableModel> *out, Diagnostics &diag) {
  std::vector<ojson> items;
  auto whole = ojson::parse(text, nullptr, false);
  if (!whole.is_discarded()) {
    if (whole.is_array()) {
      for (auto &item : whole) items.push_back(item);
    } else {
      items.push_back(whole);
    }
  } else {
    std::istringstream in(text);
    int line_no = 0;
    for (std::string line; std::getline(in, line);) {
      line_no++;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto j = ojson::parse(line, nullptr, false);
      if (j.is_discarded()) {
        diag.error(source, line_no, "malformed JSON");
        return false;
      }
      items.push_back(j);
    }
  }
  for (const auto &item : items) {
    TableModel t;
    if (!table_from_json(item, source, &t, diag)) return false;
    out->push_back(std::move(t));
  }
  return true;
}

}  // namespace schemac
