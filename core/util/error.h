// The engine's one error type. Core code throws it; the C ABI shims catch it and turn it into a
// status code plus the thread's last-error message, so no exception crosses the ABI.
#pragma once

#include <stdexcept>
#include <string>

#include "abi/include/bucketdb/bucketdb.h"

namespace bucketdb {

// A message as what() can carry it: what() is a C string, so a NUL from the input (a field
// name, a key) would cut the message there; it shows as \0 instead.
inline std::string without_nul(std::string message) {
  for (size_t at = message.find('\0'); at != std::string::npos; at = message.find('\0', at + 2))
    message.replace(at, 1, "\\0");
  return message;
}

class Error : public std::runtime_error {
 public:
  Error(bdb_status status, const std::string &message)
      : std::runtime_error(without_nul(message)), status_(status) {}
  bdb_status status() const { return status_; }

 private:
  bdb_status status_;
};

// An object a snapshot names is gone: corruption, unless another process merged and collected
// it meanwhile (Database::retry_if_collected tells the two apart).
class MissingObject : public Error {
 public:
  explicit MissingObject(const std::string &message) : Error(BDB_E_CORRUPT, message) {}
};

[[noreturn]] inline void fail(bdb_status status, const std::string &message) {
  throw Error(status, message);
}

}  // namespace bucketdb
