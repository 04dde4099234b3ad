// UTF-8 checks and base64, for varchar/json fields and for bytes in JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bucketdb {

// Number of code points, or nullopt if s is not valid UTF-8 (overlongs and surrogates too).
std::optional<size_t> utf8_length(std::string_view s);
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace bucketdb
