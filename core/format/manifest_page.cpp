#include "core/format/manifest_page.h"

#include <algorithm>

#include "core/format/envelope.h"

namespace bucketdb {

const BlockRef *ManifestPage::block_for(std::string_view key) const {
  size_t i;
  if (first_keys.size() == blocks.size())
    i = first_keys.upper_bound(key,
                               [this](size_t j) { return std::string_view(blocks[j].first_key); });
  else
    i = static_cast<size_t>(
        std::upper_bound(blocks.begin(), blocks.end(), key,
                         [](std::string_view k, const BlockRef &b) { return k < b.first_key; }) -
        blocks.begin());
  if (i == 0) return nullptr;
  const BlockRef &b = blocks[i - 1];
  return key <= b.last_key ? &b : nullptr;
}

Bytes encode_manifest_page(const ManifestPage &p) {
  Bytes o = begin_object();
  Writer w(o);
  w.u8(0);
  w.blob(p.table);
  w.varint(p.blocks.size());
  for (const auto &b : p.blocks) {
    w.blob(b.key);
    w.u32(b.schema_version);
    w.u64(b.rows);
    w.u64(b.bytes);
    w.blob(b.first_key);
    w.blob(b.last_key);
  }
  seal_in_place(ObjectKind::kManifestPage, o);
  return o;
}

std::shared_ptr<const ManifestPage> decode_manifest_page(const Bytes &object,
                                                         const std::string &key) {
  Reader r(open_object(ObjectKind::kManifestPage, object, key), key);
  auto p = std::make_shared<ManifestPage>();
  uint8_t level = r.u8();
  if (level != 0) r.corrupt("unsupported manifest level " + std::to_string(level));
  p->table = std::string(r.blob());
  p->blocks.resize(r.count(23));
  for (auto &b : p->blocks) {
    b.key = std::string(r.blob());
    b.schema_version = r.u32();
    b.rows = r.u64();
    b.bytes = r.u64();
    b.first_key = std::string(r.blob());
    b.last_key = std::string(r.blob());
    if (b.last_key < b.first_key) r.corrupt("block " + b.key + " has last key before first key");
  }
  for (size_t i = 1; i < p->blocks.size(); i++)
    if (p->blocks[i].first_key <= p->blocks[i - 1].last_key) r.corrupt("blocks out of key order");
  r.expect_done();
  p->first_keys.build(p->blocks.size(),
                      [&](size_t i) { return std::string_view(p->blocks[i].first_key); });
  return p;
}

}  // namespace bucketdb
