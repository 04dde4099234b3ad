// Random identifiers: 128-bit commit, merge and blob ids, and their text forms.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bucketdb {

using Id128 = std::array<uint8_t, 16>;

Id128 random_id();                 // from the OS's random source
std::string uuid_text(const Id128 &id);   // RFC 4122 layout, lower-case, 36 characters
std::optional<Id128> parse_uuid(std::string_view text);
std::string hex_text(const Id128 &id);    // 32 hex digits
uint64_t random_u64();

}  // namespace bucketdb
