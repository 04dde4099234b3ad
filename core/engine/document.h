// A document: the values of one row of a table's newest schema version, which fields were
// set (a patch writes only those), blob bytes waiting for upload, and, for a document read
// from the database, its version (the log sequence number that wrote it) and MISC stamp.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/codec/value.h"
#include "core/schema/schema.h"

namespace bucketdb {

class Document {
 public:
  explicit Document(SchemaPtr schema);

  const TableSchema &schema() const { return *schema_; }
  const SchemaPtr &schema_ptr() const { return schema_; }
  // Field index by name; BDB_E_SCHEMA naming table and field when unknown.
  size_t field(std::string_view name) const;

  void set(size_t field, Value v);  // checks the value against the field
  void set_blob_bytes(size_t field, std::string bytes);
  // Sets every member of a JSON object; unknown fields and wrong types are errors and leave
  // the document as it was.
  void set_json_object(const nlohmann::json &obj);

  const Value &get(size_t field) const { return values_[field]; }
  bool is_set(size_t field) const { return all_set_ || set_[field]; }
  const Values &values() const { return values_; }
  const std::map<size_t, std::string> &pending_blobs() const { return blobs_; }
  void clear_pending_blobs() { blobs_.clear(); }

  // Fields that are set and non-null, in declaration order.
  std::string to_json() const;
  nlohmann::ordered_json to_json_value() const;

  uint64_t version = 0;
  uint64_t misc = 0;

  // Builds a read document from stored values (all fields set).
  static Document from_values(SchemaPtr schema, Values values, uint64_t version, uint64_t misc);
  // Keeps only these fields (and the primary key) set, for projections.
  void project(const std::vector<size_t> &fields);

 private:
  Document(SchemaPtr schema, Values values);  // every field set
  SchemaPtr schema_;
  Values values_;
  std::vector<bool> set_;  // empty while all_set_
  bool all_set_ = false;   // a read document: every field set, without a vector to say so
  std::map<size_t, std::string> blobs_;
};

}  // namespace bucketdb
