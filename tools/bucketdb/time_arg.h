// --as-of-time values: milliseconds since the epoch, or ISO 8601 in UTC
// ("2026-11-25T18:00:00Z", optionally with ".123" milliseconds).
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>

namespace bdbcli {

inline std::optional<uint64_t> parse_time_ms(const std::string &text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos &&
      text.size() <= 19)
    return std::stoull(text);
  std::tm tm{};
  const char *rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!rest) return std::nullopt;
  uint64_t ms = 0;
  if (*rest == '.') {
    int digits = 0;
    for (rest++; *rest >= '0' && *rest <= '9'; rest++)
      if (digits++ < 3) ms = ms * 10 + static_cast<uint64_t>(*rest - '0');
    for (; digits < 3; digits++) ms *= 10;
  }
  if (std::string(rest) != "Z") return std::nullopt;
  time_t secs = timegm(&tm);
  if (secs < 0) return std::nullopt;
  return static_cast<uint64_t>(secs) * 1000 + ms;
}

}  // namespace bdbcli
