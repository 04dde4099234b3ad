// Errors in the compiler's input, in the form editors and build logs link to:
// "file:line: error: message". All of them are collected before the compiler gives up, so one
// run shows every field that does not map.
#pragma once

#include <string>
#include <vector>

namespace schemac {

class Diagnostics {
 public:
  void error(const std::string &file, int line, const std::string &message) {
    std::string where = file;
    if (line > 0) where += ":" + std::to_string(line);
    errors_.push_back(where + ": error: " + message);
  }
  // A message already in "file:line: ..." form (e.g. from FlatBuffers' parser).
  void raw(const std::string &message) { errors_.push_back(message); }
  bool ok() const { return errors_.empty(); }
  const std::vector<std::string> &errors() const { return errors_; }

 private:
  std::vector<std::string> errors_;
};

}  // namespace schemac
