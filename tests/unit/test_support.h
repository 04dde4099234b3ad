// Helpers shared by the unit tests: fresh stores and schemas.
#pragma once

#include <memory>
#include <string>

#include "core/engine/database.h"

namespace bucketdb::test {

// A temporary directory removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string &path() const { return path_; }

 private:
  std::string path_;
};

// "memory:<unique>" so that several handles in this process can share one store.
std::string fresh_memory_uri();

Options quiet_options();  // autoMerge off, log silent

std::unique_ptr<Database> open_db(const std::string &uri, Options o = quiet_options());

extern const char *kUsersSchema;  // id varchar PK, name varchar, age uint8, score float64, ...

}  // namespace bucketdb::test
