#include "core/format/envelope.h"

#include <xxhash.h>

#include <cstring>

#include "core/util/error.h"

namespace bucketdb {

const char *object_kind_name(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kBlock0:
      return "block0";
    case ObjectKind::kLogEntry:
      return "log entry";
    case ObjectKind::kDataBlock:
      return "data block";
    case ObjectKind::kManifestPage:
      return "manifest page";
    case ObjectKind::kIndexNode:
      return "index node";
    case ObjectKind::kBlob:
      return "blob";
  }
  return "object";
}

uint8_t format_version(ObjectKind kind) {
  return kind == ObjectKind::kLogEntry ? 2 : kFormatVersion;
}

Bytes begin_object() {
  return Bytes(kEnvelopeHeader, 0);
}

void seal_in_place(ObjectKind kind, Bytes &o) {
  std::memcpy(o.data(), "BKDB", 4);
  o[4] = static_cast<uint8_t>(kind);
  o[5] = format_version(kind);
  o[6] = o[7] = 0;
  store_le(o.data() + 8, o.size() - kEnvelopeHeader, 8);
  uint64_t h = XXH64(o.data(), o.size(), 0);
  size_t n = o.size();
  o.resize(n + 8);
  store_le(o.data() + n, h, 8);
}

Bytes seal(ObjectKind kind, std::string_view payload) {
  Bytes o(kEnvelopeHeader + payload.size(), 0);
  if (!payload.empty()) std::memcpy(o.data() + kEnvelopeHeader, payload.data(), payload.size());
  seal_in_place(kind, o);
  return o;
}

std::string_view open_object(ObjectKind kind, const Bytes &o, const std::string &key,
                             uint8_t *version) {
  auto corrupt = [&](const std::string &why) {
    fail(BDB_E_CORRUPT, "corrupt object " + key + " (" + object_kind_name(kind) + "): " + why);
  };
  if (o.size() < kEnvelopeOverhead) corrupt("too short (" + std::to_string(o.size()) + " bytes)");
  if (std::memcmp(o.data(), "BKDB", 4) != 0) corrupt("bad magic");
  uint64_t stored = load_le(o.data() + o.size() - 8, 8);
  if (XXH64(o.data(), o.size() - 8, 0) != stored) corrupt("checksum mismatch");
  if (o[4] != static_cast<uint8_t>(kind))
    corrupt("holds a " + std::string(object_kind_name(static_cast<ObjectKind>(o[4]))) + " (kind " +
            std::to_string(o[4]) + ")");
  if (o[5] < 1 || o[5] > format_version(kind))
    corrupt("format version " + std::to_string(o[5]) + " is not supported (this build reads 1 to " +
            std::to_string(format_version(kind)) + "; a newer BucketDB wrote it)");
  if (version) *version = o[5];
  uint64_t len = load_le(o.data() + 8, 8);
  if (len != o.size() - kEnvelopeOverhead) corrupt("length field does not match its size");
  return std::string_view(reinterpret_cast<const char *>(o.data()) + kEnvelopeHeader,
                          static_cast<size_t>(len));
}

}  // namespace bucketdb
