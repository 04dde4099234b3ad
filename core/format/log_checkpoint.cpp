#include "core/format/log_checkpoint.h"

#include "core/format/envelope.h"

namespace bucketdb {

Bytes encode_log_checkpoint(uint64_t applied_seq, const std::vector<const Bytes *> &entries) {
  Bytes o = begin_object();
  Writer w(o);
  w.u64(applied_seq);
  w.varint(entries.size());
  for (const Bytes *e : entries) {
    w.varint(e->size());
    w.raw(e->data(), e->size());
  }
  seal_in_place(ObjectKind::kLogCheckpoint, o);
  return o;
}

LogCheckpoint decode_log_checkpoint(const Bytes &object, const std::string &key) {
  Reader r(open_object(ObjectKind::kLogCheckpoint, object, key), key);
  LogCheckpoint c;
  c.applied_seq = r.u64();
  size_t n = r.count(kEnvelopeOverhead + 1);
  c.entries.reserve(n);
  for (size_t i = 0; i < n; i++) {
    std::string_view e = r.blob();
    c.entries.emplace_back(e.begin(), e.end());
  }
  r.expect_done();
  return c;
}

}  // namespace bucketdb
