#include "core/engine/document.h"

#include <chrono>

#include "core/codec/json_values.h"
#include "core/codec/text.h"
#include "core/codec/value_check.h"
#include "core/util/error.h"

namespace bucketdb {

Document::Document(SchemaPtr schema)
    : schema_(std::move(schema)),
      values_(schema_->fields().size()),
      set_(schema_->fields().size(), false) {}

size_t Document::field(std::string_view name) const {
  int i = schema_->field_index(name);
  if (i < 0)
    fail(BDB_E_SCHEMA, "table " + schema_->name() + " has no field '" + std::string(name) + "'");
  return static_cast<size_t>(i);
}

void Document::set(size_t f, Value v) {
  values_[f] = check_value(*schema_, schema_->field(f), std::move(v));
  if (!all_set_) set_[f] = true;
  blobs_.erase(f);
}

void Document::set_blob_bytes(size_t f, std::string bytes) {
  const Field &fd = schema_->field(f);
  if (fd.type_id != BDB_TYPE_BLOB)
    fail(BDB_E_TYPE, "table " + schema_->name() + ", field '" + fd.name + "' (" + fd.type->name +
                         ") is not a blob field");
  values_[f] =
      time_id(static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count()));
  if (!all_set_) set_[f] = true;
  blobs_[f] = std::move(bytes);
}

void Document::set_json_object(const nlohmann::json &obj) {
  if (!obj.is_object())
    fail(BDB_E_TYPE, "a document of table " + schema_->name() + " must be a JSON object");
  Document next = *this;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    size_t f = field(it.key());
    const Field &fd = schema_->field(f);
    if (fd.type_id == BDB_TYPE_BLOB && it.value().is_object()) {
      const auto &o = it.value();
      if (o.size() != 1 || !o.contains("base64") || !o["base64"].is_string())
        fail(BDB_E_TYPE, "table " + schema_->name() + ", field '" + fd.name +
                             "' (blob): expected a blob id or {\"base64\": \"...\"}");
      auto bytes = base64_decode(o["base64"].get_ref<const std::string &>());
      if (!bytes)
        fail(BDB_E_TYPE, "table " + schema_->name() + ", field '" + fd.name +
                             "' (blob): base64 text is not valid");
      next.set_blob_bytes(f, std::move(*bytes));
      continue;
    }
    next.set(f, value_from_json(*schema_, fd, it.value()));
  }
  *this = std::move(next);
}

nlohmann::ordered_json Document::to_json_value() const {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (size_t i = 0; i < values_.size(); i++) {
    if (!is_set(i) || is_null(values_[i])) continue;
    j[schema_->field(i).name] = value_to_json(schema_->field(i), values_[i]);
  }
  return j;
}

std::string Document::to_json() const {
  return to_json_value().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Document::Document(SchemaPtr schema, Values values)
    : schema_(std::move(schema)), values_(std::move(values)), all_set_(true) {}

Document Document::from_values(SchemaPtr schema, Values values, uint64_t version, uint64_t misc) {
  Document d(std::move(schema), std::move(values));
  d.version = version;
  d.misc = misc;
  return d;
}

void Document::project(const std::vector<size_t> &fields) {
  if (fields.empty()) return;
  std::vector<bool> keep(values_.size(), false);
  keep[schema_->primary_key()] = true;
  for (size_t f : fields) keep[f] = true;
  if (all_set_) {
    set_.assign(values_.size(), true);
    all_set_ = false;
  }
  for (size_t i = 0; i < values_.size(); i++)
    if (!keep[i]) {
      set_[i] = false;
      values_[i] = std::monostate{};
    }
}

}  // namespace bucketdb
