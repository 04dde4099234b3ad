// The driver conformance checks users run on their own plugin (`bucketdb driver-check URI`,
// bdb_driver_check): get/put/delete/list semantics, pagination, ETags, both conditional puts,
// races between threads, odd and long keys, large objects. They work through Storage like the
// engine does, under a random key prefix that they delete afterwards, so they are safe on a
// store that holds other data. tests/driver is the fuller suite the project runs on itself.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bucketdb {

struct DriverCheck {
  enum Outcome { kPass, kFail, kSkip };
  std::string name;
  Outcome outcome = kPass;
  std::string message;  // why it failed or was skipped
  uint64_t ms = 0;
};

struct DriverCheckReport {
  std::string uri;
  std::string driver;  // its scheme name
  uint64_t capabilities = 0;
  std::string prefix;  // the key prefix the checks used
  std::vector<DriverCheck> checks;

  size_t count(DriverCheck::Outcome o) const;
  std::string json() const;
};

// Throws Error when the driver cannot be found, loaded or opened.
DriverCheckReport check_driver(const std::string &uri);

}  // namespace bucketdb
