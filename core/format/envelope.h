// Every object BucketDB writes is wrapped the same way:
//   "BKDB" | u8 kind | u8 format version | u16 flags (0) | u64 payload length | payload |
//   u64 XXH64 (seed 0) of everything before it
// A reader checks magic, kind, version, length and checksum before it trusts a byte; any
// mismatch is BDB_E_CORRUPT naming the object's key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/bytes.h"

namespace bucketdb {

enum class ObjectKind : uint8_t {
  kBlock0 = 1,
  kLogEntry = 2,
  kDataBlock = 3,
  kManifestPage = 4,
  kIndexNode = 5,
  kBlob = 6,
  kLogCheckpoint = 7,
};

// The newest format version of each kind: readers take every version from 1 up to it, and
// writers use it unless seal_in_place is given an older one. Log entries are at 3: 2 names
// the commit before it, 3 may hold a table drop (an entry without one is still written as 2).
constexpr uint8_t kFormatVersion = 1;
uint8_t format_version(ObjectKind kind);
constexpr size_t kEnvelopeHeader = 16;
constexpr size_t kEnvelopeOverhead = kEnvelopeHeader + 8;

const char *object_kind_name(ObjectKind kind);

// Wraps payload bytes.
Bytes seal(ObjectKind kind, std::string_view payload);
// Starts an object in place: write the payload after the header, then call seal_in_place.
Bytes begin_object();
void seal_in_place(ObjectKind kind, Bytes &object);
void seal_in_place(ObjectKind kind, Bytes &object, uint8_t version);
// The payload of a sealed object, after every check; *version (may be null) is its format
// version.
std::string_view open_object(ObjectKind kind, const Bytes &object, const std::string &key,
                             uint8_t *version = nullptr);

}  // namespace bucketdb
