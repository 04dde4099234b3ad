#include "core/format/log_entry.h"

#include "core/format/envelope.h"

namespace bucketdb {

Bytes encode_log_entry(const LogEntry &e) {
  Bytes o = begin_object();
  Writer w(o);
  w.u64(e.seq);
  w.u8(e.node_id);
  w.raw(e.commit_id.data(), e.commit_id.size());
  w.raw(e.prev_commit_id.data(), e.prev_commit_id.size());
  w.u64(e.writer);
  w.u64(e.misc);
  w.varint(e.ops.size());
  for (const LogOp &op : e.ops) {
    w.u8(op.type);
    w.blob(op.table);
    switch (op.type) {
      case LogOp::kPut:
        w.u32(op.schema_version);
        w.blob(op.key);
        w.blob(op.fixed);
        w.blob(op.heap);
        break;
      case LogOp::kDelete:
        w.blob(op.key);
        break;
      case LogOp::kSchema:
        w.blob(op.schema_json);
        break;
      case LogOp::kDropTable:
        break;
    }
  }
  bool drops = false;
  for (const LogOp &op : e.ops) drops |= op.type == LogOp::kDropTable;
  seal_in_place(ObjectKind::kLogEntry, o, drops ? 3 : 2);
  return o;
}

LogEntry decode_log_entry(const Bytes &object, const std::string &key) {
  uint8_t version = 0;
  Reader r(open_object(ObjectKind::kLogEntry, object, key, &version), key);
  LogEntry e;
  e.seq = r.u64();
  e.node_id = r.u8();
  auto id = r.raw(16);
  std::copy(id.begin(), id.end(), e.commit_id.begin());
  if (version >= 2) {
    auto prev = r.raw(16);
    std::copy(prev.begin(), prev.end(), e.prev_commit_id.begin());
    e.writer = r.u64();
  }
  e.misc = r.u64();
  size_t n = r.count(2);
  e.ops.resize(n);
  for (LogOp &op : e.ops) {
    uint8_t t = r.u8();
    op.table = std::string(r.blob());
    switch (t) {
      case LogOp::kPut:
        op.type = LogOp::kPut;
        op.schema_version = r.u32();
        op.key = std::string(r.blob());
        op.fixed = std::string(r.blob());
        op.heap = std::string(r.blob());
        break;
      case LogOp::kDelete:
        op.type = LogOp::kDelete;
        op.key = std::string(r.blob());
        break;
      case LogOp::kSchema:
        op.type = LogOp::kSchema;
        op.schema_json = std::string(r.blob());
        break;
      case LogOp::kDropTable:
        if (version < 3) r.corrupt("a table drop in an entry of format " + std::to_string(version));
        op.type = LogOp::kDropTable;
        break;
      default:
        r.corrupt("unknown operation type " + std::to_string(t));
    }
  }
  r.expect_done();
  return e;
}

}  // namespace bucketdb
