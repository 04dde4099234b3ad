// A manifest page (`manifest/{table}/{id}`): the list of a table's data blocks in primary-key
// order, with the key range each covers, so a point lookup reads one block. Immutable and
// copy-on-write: a merge writes a new page and Block 0 points at it.
//   payload: u8 level (0: leaf) | table | count | entries
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/format/data_block.h"
#include "core/format/key_probes.h"
#include "core/util/bytes.h"
#include "core/util/weak_slots.h"

namespace bucketdb {

struct BlockRef {
  std::string key;  // object key of the data block
  uint32_t schema_version = 0;
  uint64_t rows = 0;
  uint64_t bytes = 0;
  std::string first_key;  // encoded primary keys
  std::string last_key;
};

struct ManifestPage {
  std::string table;
  std::vector<BlockRef> blocks;
  KeyProbes first_keys;         // over the blocks' first keys, built when decoded
  WeakSlots<BlockHint> loaded;  // the engine's cached data blocks, by entry
  UseMark used;                 // for the object cache, by readers that come through a root

  // The block whose key range may hold `key`, or nullptr.
  const BlockRef *block_for(std::string_view key) const;
};

Bytes encode_manifest_page(const ManifestPage &p);
std::shared_ptr<const ManifestPage> decode_manifest_page(const Bytes &object,
                                                         const std::string &key);

}  // namespace bucketdb
