#include "core/format/index_node.h"

#include "core/format/envelope.h"

namespace bucketdb {

Bytes encode_index_node(const IndexNode &n) {
  Bytes o = begin_object();
  Writer w(o);
  w.u8(n.level);
  w.varint(n.keys.size());
  for (size_t i = 0; i < n.keys.size(); i++) {
    w.blob(n.keys[i]);
    if (n.level > 0) w.blob(n.children[i]);
  }
  seal_in_place(ObjectKind::kIndexNode, o);
  return o;
}

std::shared_ptr<const IndexNode> decode_index_node(const Bytes &object, const std::string &key) {
  Reader r(open_object(ObjectKind::kIndexNode, object, key), key);
  auto n = std::make_shared<IndexNode>();
  n->level = r.u8();
  if (n->level > 32) r.corrupt("index node level " + std::to_string(n->level));
  size_t count = r.count(1);
  n->keys.resize(count);
  if (n->level > 0) n->children.resize(count);
  for (size_t i = 0; i < count; i++) {
    n->keys[i] = std::string(r.blob());
    if (n->level > 0) n->children[i] = std::string(r.blob());
    if (i > 0 && !(n->keys[i - 1] < n->keys[i])) r.corrupt("keys out of order");
  }
  if (n->level > 0 && count == 0) r.corrupt("internal node without children");
  r.expect_done();
  n->build_probes();
  return n;
}

}  // namespace bucketdb
