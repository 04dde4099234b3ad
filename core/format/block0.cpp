#include "core/format/block0.h"

#include "core/format/envelope.h"

namespace bucketdb {

namespace {

// Each format is written only when its addition holds something, so a database that never
// dropped a table nor changed a schema within the grace stays readable by older builds.
uint32_t format_needed(const Block0 &b) {
  for (const auto &h : b.history)
    if (!h.versions.empty()) return 4;
  return b.dropped.empty() ? 2 : 3;
}

}  // namespace

Bytes encode_block0(const Block0 &b) {
  Bytes o = begin_object();
  Writer w(o);
  // Format 3 adds the dropped tables, 4 the schema versions of history points.
  const uint32_t format = format_needed(b);
  w.u32(format);
  w.u64(b.generation);
  w.u64(b.applied_seq);
  w.u64(b.log_floor);
  w.u64(b.misc_high);
  w.raw(b.merge_id.data(), b.merge_id.size());
  w.u64(b.merge_time_ms);
  w.raw(b.applied_commit_id.data(), b.applied_commit_id.size());
  w.varint(b.schemas.size());
  for (const auto &s : b.schemas) w.blob(s);
  w.varint(b.tables.size());
  for (const auto &t : b.tables) {
    w.blob(t.name);
    w.blob(t.manifest_key);
    w.u64(t.rows);
    w.u64(t.blocks);
    w.u64(t.bytes);
    w.u32(t.oldest_version);
    w.varint(t.indexes.size());
    for (const auto &ix : t.indexes) {
      w.blob(ix.field);
      w.u32(ix.type_id);
      w.blob(ix.root);
      w.u8(ix.built ? 1 : 0);
      w.blob(ix.backfill_after);
    }
  }
  w.varint(b.garbage.size());
  for (const auto &g : b.garbage) {
    w.blob(g.key);
    w.u64(g.since_ms);
    w.u64(g.generation);
  }
  w.varint(b.merges.size());
  for (const auto &m : b.merges) {
    w.u64(m.applied_seq);
    w.u64(m.time_ms);
  }
  w.varint(b.history.size());
  for (const auto &h : b.history) {
    w.u64(h.generation);
    w.u64(h.applied_seq);
    w.u64(h.misc_high);
    w.u64(h.superseded_ms);
    w.varint(h.manifests.size());
    for (const auto &[table, key] : h.manifests) {
      w.blob(table);
      w.blob(key);
    }
  }
  if (format >= 3) {
    w.varint(b.dropped.size());
    for (const auto &d : b.dropped) {
      w.blob(d.name);
      w.u64(d.seq);
      w.u64(d.since_ms);
      w.varint(d.schemas.size());
      for (const auto &s : d.schemas) w.blob(s);
    }
  }
  if (format >= 4)
    for (const auto &h : b.history) {
      w.varint(h.versions.size());
      for (const auto &[table, version] : h.versions) {
        w.blob(table);
        w.u32(version);
      }
    }
  seal_in_place(ObjectKind::kBlock0, o);
  return o;
}

Block0 decode_block0(const Bytes &object, const std::string &key) {
  Reader r(open_object(ObjectKind::kBlock0, object, key), key);
  Block0 b;
  // One reader for every format: 2 added applied_commit_id, 3 the dropped tables, 4 the
  // schema versions of history points.
  const uint32_t format = r.u32();
  if (format < 1 || format > 4)
    r.corrupt("unsupported Block 0 format " + std::to_string(format) +
              " (this build reads 1 to 4; a newer BucketDB wrote it)");
  b.generation = r.u64();
  b.applied_seq = r.u64();
  b.log_floor = r.u64();
  b.misc_high = r.u64();
  auto id = r.raw(16);
  std::copy(id.begin(), id.end(), b.merge_id.begin());
  b.merge_time_ms = r.u64();
  if (format >= 2) {
    auto applied = r.raw(16);
    std::copy(applied.begin(), applied.end(), b.applied_commit_id.begin());
  }
  b.schemas.resize(r.count(1));
  for (auto &s : b.schemas) s = std::string(r.blob());
  b.tables.resize(r.count(31));
  for (auto &t : b.tables) {
    t.name = std::string(r.blob());
    t.manifest_key = std::string(r.blob());
    t.rows = r.u64();
    t.blocks = r.u64();
    t.bytes = r.u64();
    t.oldest_version = r.u32();
    t.indexes.resize(r.count(8));
    for (auto &ix : t.indexes) {
      ix.field = std::string(r.blob());
      ix.type_id = r.u32();
      ix.root = std::string(r.blob());
      ix.built = r.u8() != 0;
      ix.backfill_after = std::string(r.blob());
    }
  }
  b.garbage.resize(r.count(17));
  for (auto &g : b.garbage) {
    g.key = std::string(r.blob());
    g.since_ms = r.u64();
    g.generation = r.u64();
  }
  b.merges.resize(r.count(16));
  for (auto &m : b.merges) {
    m.applied_seq = r.u64();
    m.time_ms = r.u64();
  }
  b.history.resize(r.count(33));
  for (auto &h : b.history) {
    h.generation = r.u64();
    h.applied_seq = r.u64();
    h.misc_high = r.u64();
    h.superseded_ms = r.u64();
    h.manifests.resize(r.count(2));
    for (auto &[table, manifest] : h.manifests) {
      table = std::string(r.blob());
      manifest = std::string(r.blob());
    }
  }
  if (format >= 3) {
    b.dropped.resize(r.count(18));
    for (auto &d : b.dropped) {
      d.name = std::string(r.blob());
      d.seq = r.u64();
      d.since_ms = r.u64();
      d.schemas.resize(r.count(1));
      for (auto &s : d.schemas) s = std::string(r.blob());
    }
  }
  if (format >= 4)
    for (auto &h : b.history) {
      h.versions.resize(r.count(5));
      for (auto &[table, version] : h.versions) {
        table = std::string(r.blob());
        version = r.u32();
      }
    }
  r.expect_done();
  b.format = format_needed(b);  // as encode_block0 writes it back
  if (b.log_floor > b.applied_seq) r.corrupt("log floor above applied sequence");
  return b;
}

}  // namespace bucketdb
