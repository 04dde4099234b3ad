// What the C++ test suites share (unit, layers, driver, s3): a throw-away directory.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace bucketdb::test {

// A fresh directory under the system's temporary directory, removed with everything in it
// when the object dies. `tag` starts its name, so a leftover says which suite made it.
class TempDir {
 public:
  explicit TempDir(const std::string &tag = "bdb-test") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (tag + "-XXXXXX")).string();
    if (!::mkdtemp(tmpl.data())) std::abort();
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  const std::string &path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace bucketdb::test
