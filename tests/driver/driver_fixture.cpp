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

INSTANTIATE_TEST_SUITE_P(Conformance, DriverTest, ::testing::ValuesIn(backends()), backend_name);

Bytes bytes(const std::string &s) {
  return Bytes(s.begin(), s.end());
}
std::string text(const Bytes &b) {
  return std::string(b.begin(), b.end());
}

Bytes random_bytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Bytes out(n);
  for (size_t i = 0; i < n; i++) out[i] = static_cast<uint8_t>(rng() >> 56);
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

std::string DriverTest::expected_driver_name() const {
  std::string layer = env("BDB_CONFORMANCE_LAYER");
  if (!layer.empty()) return layer.substr(0, layer.find(':'));
  return kind() == Kind::kMemory ? "memory" : "file";
}

// The memory or file store wrapped in BDB_CONFORMANCE_LAYER, if set (see driver_fixture.h).
void DriverTest::wrap_in_layer() {
  const std::string layer = env("BDB_CONFORMANCE_LAYER");
  if (layer.empty()) return;
  std::string opts = env("BDB_CONFORMANCE_LAYER_OPTS");
  if (opts.find("@DIR@") != std::string::npos) {
    if (dir_.empty()) dir_ = fresh_temp_dir();
    replace_all(&opts, "@DIR@", dir_);
  }
  replace_all(&opts, "@ID@", "conf-" + unique_suffix());
  base_uri_ = layer + base_uri_ + (opts.empty() ? "" : "?" + opts);
}

void DriverTest::SetUp() {
  switch (kind()) {
    case Kind::kMemory:
      base_uri_ = "memory:conf-" + unique_suffix();
      wrap_in_layer();
      break;
    case Kind::kFile:
      dir_ = fresh_temp_dir();
      base_uri_ = "file:" + dir_ + "/store";  // the driver makes the last level itself
      wrap_in_layer();
      break;
    case Kind::kExternal:
      base_uri_ = GetParam().uri;
      prefix_ =
          "bdb-conformance/" + unique_suffix() + "-" + std::to_string(std::random_device{}()) + "/";
      break;
  }
  store_ = open();
}

void DriverTest::TearDown() {
  if (kind() == Kind::kExternal && store_) {
    try {
      for (const auto &k : store_->list_all(prefix_)) store_->del(k);
    } catch (const std::exception &e) {
      ADD_FAILURE() << "cleaning up " << prefix_ << ": " << e.what();
    }
  }
  store_.reset();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::string DriverTest::uri(size_t page) const {
  if (page == 0) return base_uri_;
  return base_uri_ + (base_uri_.find('?') == std::string::npos ? "?" : "&") +
         "page=" + std::to_string(page);
}

std::unique_ptr<Storage> DriverTest::open(size_t page) const {
  std::unique_ptr<Storage> s;
  try {
    s = Storage::open(uri(page));
  } catch (const bucketdb::Error &e) {
    // An external driver may not know ?page=N: then it pages as it likes.
    if (page == 0 || kind() != Kind::kExternal || e.status() != BDB_E_URI) throw;
    s = Storage::open(uri(0));
  }
  s->base_delay_ms = 1;
  s->max_delay_ms = 20;
  return s;
}

std::vector<std::string> DriverTest::list_keys(Storage &s, const std::string &prefix) const {
  std::vector<std::string> out;
  for (auto &k : s.list_all(key(prefix))) {
    EXPECT_EQ(k.compare(0, prefix_.size(), prefix_), 0) << k;
    out.push_back(k.substr(prefix_.size()));
  }
  return out;
}

PutOutcome DriverTest::put(Storage &s, const std::string &k, const std::string &data,
                           const PutCondition &cond, std::string *etag) const {
  return s.put(key(k), bytes(data), cond, etag);
}

std::string DriverTest::put_ok(const std::string &k, const std::string &data) {
  std::string etag;
  EXPECT_EQ(put(store(), k, data, {}, &etag), PutOutcome::kOk) << k;
  return etag;
}

std::optional<std::string> DriverTest::get_text(const std::string &k) {
  auto obj = store().get(key(k));
  if (!obj) return std::nullopt;
  return text(obj->data);
}

}  // namespace bdbtest
