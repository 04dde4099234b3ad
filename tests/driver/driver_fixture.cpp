#include "driver_fixture.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>

namespace bdbtest {

std::vector<Backend> backends() {
  std::vector<Backend> out = {{"memory", Kind::kMemory, ""}, {"file", Kind::kFile, ""}};
  if (const char *env = std::getenv("BDB_CONFORMANCE_URIS")) {
    std::istringstream in(env);
    std::string uri;
    for (int i = 0; in >> uri; i++)
      out.push_back({"env" + std::to_string(i), Kind::kExternal, uri});
  }
  return out;
}

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  static const uint64_t salt = std::random_device{}();
  return std::to_string(::getpid()) + "-" + std::to_string(salt % 100000) + "-" +
         std::to_string(counter++);
}

std::string fresh_temp_dir() {
  std::string tmpl = "/tmp/bdb-driver-XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

namespace {

std::string env(const char *name) {
  const char *v = std::getenv(name);
  return v ? v : "";
}

void replace_all(std::string *s, const std::string &from, const std::string &to) {
  for (size_t at = s->find(from); at != std::string::npos; at = s->find(from, at + to.size()))
    s->replace(at, from.size(), to);
}

}  // namespace

TestStore::TestStore(const Backend &backend) : kind_(backend.kind) {
  switch (kind_) {
    case Kind::kMemory:
      uri_ = "memory:conf-" + unique_suffix();
      wrap_in_layer();
      break;
    case Kind::kFile:
      dir_ = fresh_temp_dir();
      uri_ = "file:" + dir_ + "/store";  // the driver makes the last level itself
      wrap_in_layer();
      break;
    case Kind::kExternal:
      uri_ = backend.uri;
      prefix_ =
          "bdb-conformance/" + unique_suffix() + "-" + std::to_string(std::random_device{}()) + "/";
      break;
  }
}

TestStore::~TestStore() {
  if (kind_ == Kind::kExternal) {
    try {
      auto store = Storage::open(uri_);
      for (const auto &k : store->list_all(prefix_)) store->del(k);
    } catch (const std::exception &e) {
      ADD_FAILURE() << "cleaning up " << prefix_ << ": " << e.what();
    }
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::string TestStore::builtin() const {
  return kind_ == Kind::kMemory ? "memory" : kind_ == Kind::kFile ? "file" : "";
}

std::string TestStore::expected_name() const {
  std::string layer = env("BDB_CONFORMANCE_LAYER");
  if (kind_ != Kind::kExternal && !layer.empty()) return layer.substr(0, layer.find(':'));
  return builtin();
}

// The memory or file store wrapped in BDB_CONFORMANCE_LAYER, if set (see driver_fixture.h).
void TestStore::wrap_in_layer() {
  const std::string layer = env("BDB_CONFORMANCE_LAYER");
  if (layer.empty()) return;
  std::string opts = env("BDB_CONFORMANCE_LAYER_OPTS");
  if (opts.find("@DIR@") != std::string::npos) {
    if (dir_.empty()) dir_ = fresh_temp_dir();
    replace_all(&opts, "@DIR@", dir_);
  }
  replace_all(&opts, "@ID@", "conf-" + unique_suffix());
  uri_ = layer + uri_ + (opts.empty() ? "" : "?" + opts);
}

}  // namespace bdbtest
