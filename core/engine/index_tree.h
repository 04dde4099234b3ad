// Secondary indexes as copy-on-write B+Trees of immutable nodes (format/index_node.h).
// A merge applies a batch of removals and additions in one pass: only the nodes on changed
// paths are rewritten; the replaced ones become garbage. Nodes are cut near a byte size, so
// fan-out is high (a million rows fit in three levels).
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/object_store.h"
#include "core/format/block0.h"
#include "core/format/index_node.h"

namespace bucketdb {

class Database;

class IndexTreeWriter {
 public:
  // new_key: a fresh object key for a node; written/garbage collect what it wrote/replaced.
  // Nodes are written through `writes`, concurrently: the caller waits for them before it
  // names the new root anywhere.
  IndexTreeWriter(Database &db, size_t node_bytes, std::function<std::string()> new_key,
                  ObjectStore::Writes &writes, std::vector<std::string> &written,
                  std::vector<std::string> &replaced)
      : db_(db),
        node_bytes_(node_bytes),
        new_key_(std::move(new_key)),
        writes_(writes),
        written_(written),
        replaced_(replaced) {}

  // The root after removing `remove` and adding `add` (each sorted, without duplicates) to
  // the tree at `root` ("" = empty). Returns "" for an empty tree. Removing an absent key or
  // adding a present one is a no-op.
  std::string apply(const std::string &root, const std::vector<std::string> &remove,
                    std::vector<std::string> add);

 private:
  struct Ref {
    std::string first, node;
  };
  using Muts = std::vector<std::pair<std::string_view, bool>>;  // key (in apply's), add?
  std::vector<Ref> update(const std::string &node_key, Muts::const_iterator b,
                          Muts::const_iterator e, uint8_t *level);
  std::vector<Ref> write_level(uint8_t level, std::vector<std::string> keys,
                               std::vector<std::string> children);
  // Loads the nodes on the paths the mutations take, a level at a time with all of a level's
  // nodes in flight together: the update then finds them cached.
  void load_paths(const std::string &root, const Muts &muts);

  Database &db_;
  size_t node_bytes_;
  std::function<std::string()> new_key_;
  ObjectStore::Writes &writes_;
  std::vector<std::string> &written_;
  std::vector<std::string> &replaced_;
};

// Calls fn(key) for every key k of the tree with lo <= k < hi (hi "" = no upper bound), in
// order, until fn returns false.
void index_scan(Database &db, const std::string &root, const std::string &lo, const std::string &hi,
                const std::function<bool(const std::string &)> &fn);

// The greatest key k of the tree with lo <= k < hi (hi "" = no upper bound), if any.
std::optional<std::string> index_last_before(Database &db, const std::string &root,
                                             const std::string &lo, const std::string &hi);

// Every node key of a tree (for the orphan sweep).
void index_nodes(Database &db, const std::string &root, std::set<std::string> &out);

}  // namespace bucketdb
