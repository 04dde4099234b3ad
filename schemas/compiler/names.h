// The identifiers generated code uses for a table and its fields, and the checks that they
// neither collide nor clash with C/C++ keywords.
//   C:   struct app_users_row, functions app_users_row_encode..., macros APP_USERS_VERSION...
//   C++: class app::UsersRow with accessors id(), set_id(), has_name(), clear_name()...
#pragma once

#include <string>
#include <vector>

#include "diagnostics.h"
#include "model.h"

namespace schemac {

struct TableNames {
  std::string c_type;                // "app_users_row": the struct, and the prefix of its functions
  std::string c_macro;               // "APP_USERS": the prefix of its macros
  std::string cpp_ns;                // "app::x", or "" for the global namespace
  std::string cpp_class;             // "UsersRow"
  std::vector<std::string> members;  // per field: struct member and accessor name
};

TableNames names_for(const TableModel &t);

// The include guard of a generated header: "BDB_GENERATED_" and its file name, upper case,
// every other character '_' ("users_bdb.h" -> BDB_GENERATED_USERS_BDB_H_).
std::string guard_for(const std::string &file);

// Errors for generated names that would collide, within a table or between the tables of one
// run (one consumer may include all their headers).
void check_names(const std::vector<TableModel> &tables, Diagnostics &diag);

}  // namespace schemac
