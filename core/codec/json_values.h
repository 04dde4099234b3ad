// Field values <-> JSON. Integers stay exact (uint64 and int64 over their whole range); bytes
// are base64; a blob is its UUID text; NaN and infinities are the strings "NaN", "Infinity",
// "-Infinity"; a json field embeds its JSON text as a JSON value.
#pragma once

#include <nlohmann/json.hpp>

#include "core/codec/value.h"
#include "core/schema/schema.h"

namespace bucketdb {

// The value a JSON value gives a field, before check_value. Errors are BDB_E_TYPE naming the
// table and field. A blob field takes a UUID string here (an object with bytes is handled by
// the document, which stages the upload).
Value value_from_json(const TableSchema &schema, const Field &field, const nlohmann::json &j);
nlohmann::json value_to_json(const Field &field, const Value &v);

// Parses JSON text, failing with BDB_E_JSON and `what` in the message.
nlohmann::json parse_json(std::string_view text, const std::string &what);

}  // namespace bucketdb
