// Random identifiers: 128-bit commit, merge and blob ids, and their text forms.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bucketdb {

using Id128 = std::array<uint8_t, 16>;

Id128 random_id();  // from the OS's random source
// UUIDv7 layout: 48 bits of Unix milliseconds, then random bits. Objects named by such an id
// carry their creation time in their key, so a listing alone tells how old an orphan is.
Id128 time_id(uint64_t unix_ms);
std::optional<uint64_t> id_time_ms(const Id128 &id);  // nullopt unless a time id
std::optional<Id128> parse_hex_id(std::string_view hex32);
std::string uuid_text(const Id128 &id);  // RFC 4122 layout, lower-case, 36 characters
std::optional<Id128> parse_uuid(std::string_view text);
std::string hex_text(const Id128 &id);  // 32 hex digits
uint64_t random_u64();

}  // namespace bucketdb
