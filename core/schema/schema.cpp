#include "core/schema/schema.h"

#include <nlohmann/json.hpp>

#include "core/util/error.h"
#include "core/util/json_text.h"

namespace bucketdb {

using ojson = nlohmann::ordered_json;

bool valid_identifier(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  if (s[0] >= '0' && s[0] <= '9') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

namespace {

[[noreturn]] void bad(const std::string &table, const std::string &why) {
  fail(BDB_E_SCHEMA, "schema" + (table.empty() ? std::string() : " '" + table + "'") + ": " + why);
}

uint64_t unsigned_member(const ojson &j, const char *key, const std::string &table,
                         const std::string &where, uint64_t max) {
  const ojson &v = j.at(key);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0))
    bad(table, where + " '" + key + "' must be a non-negative integer");
  uint64_t n = v.get<uint64_t>();
  if (n > max) bad(table, where + " '" + key + "' is larger than " + std::to_string(max));
  return n;
}

}  // namespace

int TableSchema::field_index(std::string_view name) const {
  // Most tables have a handful of fields: a scan beats the map's string compares.
  if (fields_.size() <= 16) {
    for (size_t i = 0; i < fields_.size(); i++)
      if (fields_[i].name == name) return static_cast<int>(i);
    return -1;
  }
  auto it = by_name_.find(name);
  return it == by_name_.end() ? -1 : static_cast<int>(it->second);
}

std::shared_ptr<const TableSchema> TableSchema::from_json(std::string_view json) {
  ojson j = parse_json_text<ojson>(json, "schema");
  if (!j.is_object()) bad("", "expected a JSON object");
  auto s = std::make_shared<TableSchema>();
  std::string table;
  if (!j.contains("name") || !j["name"].is_string()) bad("", "'name' (a string) is required");
  table = j["name"].get<std::string>();
  if (!valid_identifier(table))
    bad(table,
        "table name must be letters, digits and '_', not starting with a digit, at most "
        "128 bytes");
  s->name_ = table;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string &k = it.key();
    if (k != "name" && k != "version" && k != "fields" && k != "primaryKey" && k != "indexes")
      bad(table, "unknown member '" + k + "'");
  }
  if (!j.contains("version")) bad(table, "'version' is required");
  s->version_ = static_cast<uint32_t>(unsigned_member(j, "version", table, "", 0xffffffffu));
  if (s->version_ == 0) bad(table, "'version' must be at least 1");

  if (!j.contains("fields") || !j["fields"].is_object() || j["fields"].empty())
    bad(table, "'fields' must be a non-empty object of {name: {typeId, maxLength}}");
  if (j["fields"].size() > 4096) bad(table, "more than 4096 fields");
  for (auto it = j["fields"].begin(); it != j["fields"].end(); ++it) {
    const std::string &fname = it.key();
    std::string where = "field '" + fname + "'";
    if (!valid_identifier(fname))
      bad(table,
          where + ": field names must be letters, digits and '_', not starting with a digit");
    const ojson &fj = it.value();
    if (!fj.is_object()) bad(table, where + " must be an object like {\"typeId\": 10}");
    for (auto m = fj.begin(); m != fj.end(); ++m)
      if (m.key() != "typeId" && m.key() != "maxLength")
        bad(table, where + ": unknown member '" + m.key() + "'");
    if (!fj.contains("typeId")) bad(table, where + ": 'typeId' is required");
    Field f;
    f.name = fname;
    f.type_id = static_cast<int>(unsigned_member(fj, "typeId", table, where, 1000));
    f.type = type_info(f.type_id);
    if (!f.type) bad(table, where + ": unknown typeId " + std::to_string(f.type_id) + " (1-16)");
    if (fj.contains("maxLength")) {
      if (!f.type->heap) bad(table, where + ": maxLength applies only to varchar, json and bytes");
      f.max_length =
          static_cast<uint32_t>(unsigned_member(fj, "maxLength", table, where, 0x7fffffffu));
      // 0 is how "no limit" is stored, so accepting it would silently mean the opposite.
      if (f.max_length == 0)
        bad(table, where +
                       ": maxLength 0 would allow only empty values; give at least 1, or "
                       "leave maxLength out for no limit");
    }
    s->by_name_[fname] = s->fields_.size();
    s->fields_.push_back(f);
  }

  if (!j.contains("primaryKey") || !j["primaryKey"].is_string())
    bad(table, "'primaryKey' (a field name) is required");
  std::string pk = j["primaryKey"].get<std::string>();
  int pki = s->field_index(pk);
  if (pki < 0) bad(table, "primaryKey '" + pk + "' is not a field");
  if (!type_can_be_primary_key(s->fields_[static_cast<size_t>(pki)].type_id))
    bad(table, "primaryKey '" + pk + "' has type " +
                   s->fields_[static_cast<size_t>(pki)].type->name +
                   "; a primary key must be an integer, timestamp, varchar or bytes field");
  s->pk_ = static_cast<size_t>(pki);

  if (j.contains("indexes")) {
    if (!j["indexes"].is_array()) bad(table, "'indexes' must be an array of field names");
    for (const auto &ij : j["indexes"]) {
      if (!ij.is_string()) bad(table, "'indexes' must be an array of field names");
      std::string iname = ij.get<std::string>();
      int fi = s->field_index(iname);
      if (fi < 0) bad(table, "index on unknown field '" + iname + "'");
      if (!type_can_be_indexed(s->fields_[static_cast<size_t>(fi)].type_id))
        bad(table, "field '" + iname + "' of type " +
                       s->fields_[static_cast<size_t>(fi)].type->name + " cannot be indexed");
      for (size_t have : s->indexes_)
        if (have == static_cast<size_t>(fi)) bad(table, "field '" + iname + "' indexed twice");
      s->indexes_.push_back(static_cast<size_t>(fi));
    }
  }

  s->bitmap_bytes_ = static_cast<uint32_t>((s->fields_.size() + 7) / 8);
  uint32_t off = s->bitmap_bytes_;
  for (auto &f : s->fields_) {
    f.offset = off;
    off += f.type->slot;
  }
  s->row_width_ = off;

  ojson c;
  c["name"] = s->name_;
  c["version"] = s->version_;
  ojson fields = ojson::object();
  for (const auto &f : s->fields_) {
    ojson fj;
    fj["typeId"] = f.type_id;
    if (f.max_length) fj["maxLength"] = f.max_length;
    fields[f.name] = fj;
  }
  c["fields"] = fields;
  c["primaryKey"] = pk;
  ojson idx = ojson::array();
  for (size_t i : s->indexes_) idx.push_back(s->fields_[i].name);
  c["indexes"] = idx;
  s->canonical_ = c.dump();
  return s;
}

}  // namespace bucketdb
