// CLI11 validators for the shell's numeric flags. CLI11 2.1 converts "-1" to a huge uint64 and
// its numeric range checks go through double, so counts are checked as text here.
#pragma once

#include <cerrno>
#include <cstdlib>
#include <string>

#include <CLI/CLI.hpp>

namespace bdbcli {

// A decimal uint64, digits only; `positive` also refuses 0.
inline CLI::Validator count_validator(bool positive) {
  return CLI::Validator(
      [positive](std::string &text) -> std::string {
        bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        errno = 0;
        unsigned long long v = digits ? std::strtoull(text.c_str(), nullptr, 10) : 0;
        if (!digits || errno == ERANGE)
          return "'" + text + "' is not a whole number from 0 to 18446744073709551615";
        if (positive && v == 0) return "must be at least 1";
        return {};
      },
      positive ? "N >= 1" : "N >= 0");
}

}  // namespace bdbcli
