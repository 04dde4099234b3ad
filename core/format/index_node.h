// A node of a secondary index's copy-on-write B+Tree (`indexes/{table}/{field}/{id}`).
// Leaves hold index keys in order: the field's order-preserving encoding (nulls first) then
// the row's primary key, so every key is unique and names its row. Internal nodes hold, per
// child, the child's first key and its object key.
//   payload: u8 level (0 = leaf) | count | leaf: keys | internal: (first key, child key)s
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/util/bytes.h"

namespace bucketdb {

struct IndexNode {
  uint8_t level = 0;
  std::vector<std::string> keys;      // leaf: index keys; internal: each child's first key
  std::vector<std::string> children;  // internal only: object keys, parallel to `keys`
};

Bytes encode_index_node(const IndexNode &n);
std::shared_ptr<const IndexNode> decode_index_node(const Bytes &object, const std::string &key);

}  // namespace bucketdb
