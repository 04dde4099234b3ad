// A node of a secondary index's copy-on-write B+Tree (`indexes/{table}/{field}/{id}`).
// Leaves hold index keys in order: the field's order-preserving encoding (nulls first) then
// the row's primary key, so every key is unique and names its row. Internal nodes hold, per
// child, the child's first key and its object key.
//   payload: u8 level (0 = leaf) | count | leaf: keys | internal: (first key, child key)s
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <memory>
#include <string>
#include <vector>

#include "core/format/key_probes.h"
#include "core/util/bytes.h"
#include "core/util/weak_slots.h"

namespace bucketdb {

struct IndexNode {
  uint8_t level = 0;
  std::vector<std::string> keys;      // leaf: index keys; internal: each child's first key
  std::vector<std::string> children;  // internal only: object keys, parallel to `keys`
  KeyProbes probes;                   // over `keys`, once the node is complete
  WeakSlots<> loaded;                 // runtime only: the engine's cached children
  UseMark used;                       // runtime only: read through a parent, for the cache

  void build_probes() {
    probes.build(keys.size(), [this](size_t i) { return std::string_view(keys[i]); });
  }
  // The first key >= k, or > k, as an index in [0, keys.size()].
  size_t lower_bound(std::string_view k) const {
    if (probes.size() != keys.size())
      return static_cast<size_t>(std::lower_bound(keys.begin(), keys.end(), k) - keys.begin());
    return probes.lower_bound(k, [this](size_t i) { return std::string_view(keys[i]); });
  }
  size_t upper_bound(std::string_view k) const {
    if (probes.size() != keys.size())
      return static_cast<size_t>(std::upper_bound(keys.begin(), keys.end(), k) - keys.begin());
    return probes.upper_bound(k, [this](size_t i) { return std::string_view(keys[i]); });
  }
};

Bytes encode_index_node(const IndexNode &n);
std::shared_ptr<const IndexNode> decode_index_node(const Bytes &object, const std::string &key);

}  // namespace bucketdb
