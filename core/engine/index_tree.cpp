#include "core/engine/index_tree.h"

#include <algorithm>

#include "core/engine/database.h"
#include "core/util/error.h"

namespace bucketdb {

std::vector<IndexTreeWriter::Ref> IndexTreeWriter::write_level(uint8_t level,
                                                               std::vector<std::string> keys,
                                                               std::vector<std::string> children) {
  std::vector<Ref> refs;
  std::shared_ptr<IndexNode> node;
  size_t bytes = 0;
  auto flush = [&] {
    if (!node) return;
    std::string key = new_key_();
    std::string first = node->keys.front();
    db_.store_index_node(key, std::move(node), writes_);
    written_.push_back(key);
    refs.push_back(Ref{std::move(first), key});
    node = nullptr;
    bytes = 0;
  };
  for (size_t i = 0; i < keys.size(); i++) {
    if (!node) {
      node = std::make_shared<IndexNode>();
      node->level = level;
    }
    bytes += keys[i].size() + 2;
    node->keys.push_back(keys[i]);  // a copy: a node's keys side by side in memory
    if (level > 0) {
      bytes += children[i].size() + 2;
      node->children.push_back(std::move(children[i]));
    }
    if (bytes >= node_bytes_) flush();
  }
  flush();
  return refs;
}

std::vector<IndexTreeWriter::Ref> IndexTreeWriter::update(const std::string &node_key,
                                                          Muts::const_iterator b,
                                                          Muts::const_iterator e, uint8_t *level) {
  auto node = db_.load_index_node(node_key);
  *level = node->level;
  replaced_.push_back(node_key);
  if (node->level == 0) {
    std::vector<std::string> merged;
    merged.reserve(node->keys.size() + static_cast<size_t>(e - b));
    auto k = node->keys.begin();
    for (auto m = b; m != e; ++m) {
      for (; k != node->keys.end() && *k < m->first; ++k) merged.push_back(*k);
      bool present = k != node->keys.end() && *k == m->first;
      if (present) ++k;
      if (m->second) merged.emplace_back(m->first);  // added (or kept)
    }
    for (; k != node->keys.end(); ++k) merged.push_back(*k);
    return write_level(0, std::move(merged), {});
  }
  std::vector<std::string> firsts, nodes;
  auto m = b;
  const size_t n = node->keys.size();
  for (size_t i = 0; i < n; i++) {
    auto end = i + 1 < n ? std::lower_bound(m, e, std::string_view(node->keys[i + 1]),
                                            [](const auto &mut, std::string_view key) {
                                              return mut.first < key;
                                            })
                         : e;
    if (m == end) {
      firsts.push_back(node->keys[i]);
      nodes.push_back(node->children[i]);
      continue;
    }
    uint8_t child_level = 0;
    for (Ref &r : update(node->children[i], m, end, &child_level)) {
      firsts.push_back(std::move(r.first));
      nodes.push_back(std::move(r.node));
    }
    m = end;
  }
  return write_level(node->level, std::move(firsts), std::move(nodes));
}

void IndexTreeWriter::load_paths(const std::string &root, const Muts &muts) {
  struct Visit {
    std::string node;
    Muts::const_iterator b, e;
  };
  // Beyond half the cache, prefetched nodes would push each other out before they are used.
  const uint64_t budget = db_.options().max_memory_bytes / 2;
  std::vector<Visit> level{{root, muts.begin(), muts.end()}};
  while (!level.empty() && level.size() * node_bytes_ <= budget) {
    for (const Visit &v : level) db_.prefetch_index_node(v.node);
    std::vector<Visit> below;
    for (const Visit &v : level) {
      auto node = db_.load_index_node(v.node);  // joins its prefetch
      if (node->level == 0) continue;
      auto m = v.b;
      const size_t n = node->keys.size();
      for (size_t i = 0; i < n && m != v.e; i++) {
        auto end = i + 1 < n ? std::lower_bound(m, v.e, std::string_view(node->keys[i + 1]),
                                                [](const auto &mut, std::string_view key) {
                                                  return mut.first < key;
                                                })
                             : v.e;
        if (m != end) below.push_back(Visit{node->children[i], m, end});
        m = end;
      }
    }
    level = std::move(below);
  }
}

std::string IndexTreeWriter::apply(const std::string &root, const std::vector<std::string> &remove,
                                   std::vector<std::string> add) {
  Muts muts;
  muts.reserve(remove.size() + add.size());
  auto r = remove.cbegin(), a = add.cbegin();
  while (r != remove.end() || a != add.end()) {
    if (a == add.end() || (r != remove.end() && *r < *a)) {
      muts.emplace_back(*r++, false);
    } else {
      if (r != remove.end() && *r == *a) ++r;  // removed and added again: it stays
      muts.emplace_back(*a++, true);
    }
  }
  if (muts.empty()) return root;
  std::vector<Ref> refs;
  uint8_t level = 0;
  if (root.empty()) {
    refs = write_level(0, std::move(add), {});
  } else {
    load_paths(root, muts);
    refs = update(root, muts.begin(), muts.end(), &level);
  }
  while (refs.size() > 1) {
    std::vector<std::string> firsts, nodes;
    for (Ref &ref : refs) {
      firsts.push_back(std::move(ref.first));
      nodes.push_back(std::move(ref.node));
    }
    refs = write_level(++level, std::move(firsts), std::move(nodes));
  }
  if (refs.empty()) return "";
  std::string top = refs[0].node;
  // An internal root with a single child is a level too many: its child is the root.
  for (;;) {
    auto node = db_.load_index_node(top);
    if (node->level == 0 || node->keys.size() != 1) break;
    // Garbage either way (one this merge wrote may still be in flight: not deleted now).
    replaced_.push_back(top);
    top = node->children[0];
  }
  return top;
}

namespace {

using NodePtr = std::shared_ptr<const IndexNode>;

bool visit(Database &db, const NodePtr &node, const std::string &lo, const std::string &hi,
           const std::function<bool(const std::string &)> &fn) {
  const auto &keys = node->keys;
  if (node->level == 0) {
    for (auto k = keys.begin() + static_cast<std::ptrdiff_t>(node->lower_bound(lo));
         k != keys.end(); ++k) {
      if (!hi.empty() && *k >= hi) return false;
      if (!fn(*k)) return false;
    }
    return true;
  }
  size_t i = node->upper_bound(lo);
  for (size_t j = i ? i - 1 : 0; j < keys.size(); j++) {
    if (!hi.empty() && keys[j] >= hi) return false;
    if (!visit(db, db.load_index_node(*node, j), lo, hi, fn)) return false;
  }
  return true;
}

// Children are visited from the last whose first key is below hi down to the one holding lo.
std::optional<std::string> last_before(Database &db, const NodePtr &node, const std::string &lo,
                                       const std::string &hi) {
  const auto &keys = node->keys;
  auto end =
      keys.begin() + static_cast<std::ptrdiff_t>(hi.empty() ? keys.size() : node->lower_bound(hi));
  if (node->level == 0) {
    if (end == keys.begin() || *(end - 1) < lo) return std::nullopt;
    return *(end - 1);
  }
  for (size_t j = static_cast<size_t>(end - keys.begin()); j-- > 0;) {
    if (auto k = last_before(db, db.load_index_node(*node, j), lo, hi)) return k;
    if (keys[j] <= lo) break;  // every earlier child holds keys below lo
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> index_last_before(Database &db, const std::string &root,
                                             const std::string &lo, const std::string &hi) {
  if (root.empty()) return std::nullopt;
  return last_before(db, db.load_index_node(root), lo, hi);
}

void index_scan(Database &db, const std::string &root, const std::string &lo, const std::string &hi,
                const std::function<bool(const std::string &)> &fn) {
  if (!root.empty()) visit(db, db.load_index_node(root), lo, hi, fn);
}

void index_nodes(Database &db, const std::string &root, std::set<std::string> &out) {
  if (root.empty()) return;
  out.insert(root);
  auto node = db.load_index_node(root);
  for (const auto &child : node->children) index_nodes(db, child, out);
}

}  // namespace bucketdb
