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
    case ObjectKind::kLogCheckpoint:
      return "log checkpoint";
  }
  return "object";
}

uint8_t format_version(ObjectKind kind) {
  return kind == ObjectKind::kLogEntry ? 3 : kFormatVersion;
}

Bytes begin_object() {
  return Bytes(kEnvelopeHeader, 0);
}

void seal_in_place(ObjectKind kind, Bytes &o) {
  seal_in_place(kind, o, format_version(kind));
}

void seal_in_place(ObjectKind kind, Bytes &o, uint8_t version) {
  std::memcpy(o.data(), "BKDB", 4);
  o[4] = static_cast<uint8_t>(kind);
  o[5] = version;
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

namespace {

// An object a storage layer wrote, read without that layer (the database opened as file:...
// instead of crypt:file:...): its first bytes say which layer. The core knows no plugin, so
// the layers' stored forms are recognised here by their first bytes:
//  - crypt: "BDBC" then its format version (plugins/crypt/crypt_format.h);
//  - compress: 0x3C then the object as it is, or 0xC3 then one zstd frame, whose magic is
//    28 B5 2F FD (plugins/compress/compress_driver.cpp).
const char *layer_of(const Bytes &o) {
  if (o.size() >= 5 && std::memcmp(o.data(), "BDBC", 4) == 0) return "crypt";
  if (o.size() >= 5 && o[0] == 0x3C && std::memcmp(o.data() + 1, "BKDB", 4) == 0) return "compress";
  static const uint8_t kZstd[4] = {0x28, 0xB5, 0x2F, 0xFD};
  if (o.size() >= 5 && o[0] == 0xC3 && std::memcmp(o.data() + 1, kZstd, 4) == 0) return "compress";
  return nullptr;
}

}  // namespace

std::string_view open_object(ObjectKind kind, const Bytes &o, const std::string &key,
                             uint8_t *version) {
  auto corrupt = [&](const std::string &why) {
    fail(BDB_E_CORRUPT, "corrupt object " + key + " (" + object_kind_name(kind) + "): " + why);
  };
  if (const char *layer = layer_of(o))
    corrupt(std::string("it was written through the ") + layer + ": layer; open the database " +
            "through it (e.g. " + layer + ":file:PATH or " + layer +
            ":s3://...), with the layers it was written through, in the same order");
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
