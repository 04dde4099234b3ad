// Code generation: one C99 header and one C++17 header per input .fbs file, holding every
// table declared in it. Both are header-only (static inline), so a consumer needs no library
// beyond libbucketdb and the runtime header <bucketdb/codec.h>.
#pragma once

#include <string>
#include <vector>

#include "model.h"

namespace schemac {

struct OutputNames {
  std::string c_header;    // "users_bdb.h"
  std::string cpp_header;  // "users_bdb.hpp"
};

// From the input's file name: users.fbs -> users_bdb.h, users_bdb.hpp.
OutputNames output_names(const std::string &fbs_path);

std::string emit_c(const std::string &source, const OutputNames &names,
                   const std::vector<TableModel> &tables);
std::string emit_cpp(const std::string &source, const OutputNames &names,
                     const std::vector<TableModel> &tables);

// Shared by both emitters.
std::string c_string_literal(const std::string &s);
std::string field_comment(const TableModel &t, size_t field);
const char *c_type_of(int type_id);

}  // namespace schemac
