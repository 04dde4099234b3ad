// One field's value in memory. Integers keep their signedness so uint64 and int64 are exact
// over their whole range; text, json and bytes are byte strings; a blob is its 128-bit id.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/util/ids.h"

namespace bucketdb {

using Value = std::variant<std::monostate, uint64_t, int64_t, bool, double, std::string, Id128>;

inline bool is_null(const Value &v) {
  return std::holds_alternative<std::monostate>(v);
}

using Values = std::vector<Value>;

}  // namespace bucketdb
