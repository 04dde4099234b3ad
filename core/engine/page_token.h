// Keyset pagination: a token that says where a page ended (the last row's value of the order
// field and its primary key), bound to the table, the order field and its direction, so a web
// app can hand it to the request for the next page. The text is base64url; "" means "from the
// start". Positions compare by the order-preserving key encoding, ties in primary-key order.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/codec/value.h"
#include "core/schema/schema.h"

namespace bucketdb {

struct PageAfter {
  size_t field = 0;  // the order field (the primary key for key order)
  bool descending = false;
  std::string value_key;  // append_nullable_key of the last row's order value
  std::string pk_key;     // encode_key of its primary key

  // Does the row come after the position, in the order the token was made for?
  bool admits(const TableSchema &schema, const Values &row) const;
  // In primary-key order, the rows after are a key range: [pk_key + "\0", end).
  bool by_key(const TableSchema &schema) const {
    return field == schema.primary_key() && !descending;
  }
};

std::string make_page_token(const TableSchema &schema, size_t field, bool descending,
                            const Value &value, const Value &pk);

// BDB_E_INVALID naming the table when the token is malformed, damaged or made for another
// table; BDB_E_SCHEMA when the table no longer has its order field.
PageAfter parse_page_token(const TableSchema &schema, std::string_view token);

}  // namespace bucketdb
