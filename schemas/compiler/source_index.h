// Where tables and fields are declared in an IDL file. FlatBuffers 2.0.8 keeps no line numbers
// in its definitions, so the compiler finds them with a light scan of the source text to name
// the line in its own errors.
#pragma once

#include <map>
#include <string>
#include <utility>

namespace schemac {

struct SourceIndex {
  // Keys are fully qualified names ("app.users") and (qualified table, field).
  std::map<std::string, int> type_lines;
  std::map<std::pair<std::string, std::string>, int> field_lines;
  // The first field declared on a line: (qualified table, field).
  std::map<int, std::pair<std::string, std::string>> field_at_line;

  int type_line(const std::string &qualified) const;
  int field_line(const std::string &qualified_table, const std::string &field) const;
};

SourceIndex index_source(const std::string &text);

}  // namespace schemac
