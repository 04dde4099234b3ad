// Keyset pagination: a token that says where a page ended (the last row's values of the order's
// keys and its primary key), bound to the table and the order's fields and directions, so a
// web app can hand it to the request for the next page. The text is base64url; "" means "from
// the start". Positions compare by the order-preserving key encoding, key by key, ties in
// primary-key order.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/codec/value.h"
#include "core/engine/order_key.h"
#include "core/schema/schema.h"

namespace bucketdb {

struct PageAfter {
  size_t field = 0;  // the order's first field (the primary key for key order)
  bool descending = false;
  std::string value_key;  // append_nullable_key of the last row's value of it
  // The order's further keys, with the last row's values of them (encoded the same way).
  struct Next {
    OrderKey key;
    std::string value_key;
  };
  std::vector<Next> then;
  std::string pk_key;  // encode_key of its primary key

  // The order the token was made for.
  std::vector<OrderKey> keys() const;

  // Does the row come after the position, in the order the token was made for?
  bool admits(const TableSchema &schema, const Values &row) const;
  // In primary-key order, the rows after are a key range: [pk_key + "\0", end).
  bool by_key(const TableSchema &schema) const {
    return field == schema.primary_key() && !descending;
  }
};

// `values[i]` is the last row's value of `keys[i]`.
std::string make_page_token(const TableSchema &schema, const std::vector<OrderKey> &keys,
                            const Values &values, const Value &pk);

// BDB_E_INVALID naming the table when the token is malformed, damaged or made for another
// table; BDB_E_SCHEMA when the table no longer has one of its order's fields.
PageAfter parse_page_token(const TableSchema &schema, std::string_view token);

}  // namespace bucketdb
