#include "conformance/context.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace bucketdb::conformance {

std::string show(const std::string &s) {
  return "'" + (s.size() > 80 ? s.substr(0, 80) + "..." : s) + "'";
}

std::string join(const std::vector<std::string> &v) {
  std::string s;
  for (const auto &k : v) s += (s.empty() ? "" : ", ") + k;
  return "[" + s + "]";
}

std::string sorted_join(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return join(v);
}

DriverError expect_error(const std::string &what, const std::function<void()> &fn) {
  try {
    fn();
  } catch (const DriverError &e) {
    return e;
  }
  throw CheckFailed{what + " succeeded; it must fail"};
}

void expect_refusal(const DriverError &e, const std::string &key) {
  expect(e.status() == BDB_DRV_INVALID,
         "refusing " + show(key) + " failed with " + status_name(e.status()) +
             " (a key a driver cannot store is BDB_DRV_INVALID): " + e.what());
  expect(std::string(e.what()).find(key) != std::string::npos,
         "the refusal of " + show(key) + " does not name the key: " + e.what());
}

PutOptions if_match(const std::string &etag) {
  PutOptions o;
  o.if_match = etag;
  return o;
}

PutOptions if_none_match() {
  PutOptions o;
  o.if_none_match = true;
  return o;
}

void race(int n, const std::function<void(int)> &fn) {
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(n));
  std::vector<std::string> errors(static_cast<size_t>(n));
  for (int i = 0; i < n; i++) {
    threads.emplace_back([&, i] {
      ready++;
      while (ready.load() < n) std::this_thread::yield();
      try {
        fn(i);
      } catch (const CheckFailed &e) {
        errors[static_cast<size_t>(i)] = e.message;
      } catch (const std::exception &e) {
        errors[static_cast<size_t>(i)] = e.what();
      }
    });
  }
  for (auto &t : threads) t.join();
  for (const auto &e : errors) expect(e.empty(), "a thread failed: " + e);
}

Context::Context(const Target &target) : target_(target), store_(open()) {}

std::unique_ptr<Store> Context::open(const std::string &query) const {
  if (query.empty()) return std::make_unique<Store>(target_.host, target_.uri);
  const std::string &u = target_.uri;
  std::string with = u + (u.find('?') == std::string::npos ? "?" : "&") + query;
  try {
    return std::make_unique<Store>(target_.host, with);
  } catch (const DriverError &e) {
    if (builtin() || e.status() != BDB_DRV_INVALID) throw;
    return std::make_unique<Store>(target_.host, u);  // it pages as it likes
  }
}

void Context::need_conditional() {
  if (!store().conditional())
    skip("the driver does not claim conditional puts (BDB_DRV_CAP_CONDITIONAL_PUT)");
}

Put Context::put(const std::string &k, const std::string &data, const PutOptions &options,
                 std::string *etag, Store *s) {
  return (s ? *s : store()).put(key(k), bytes(data), options, etag);
}

std::string Context::put_ok(const std::string &k, const std::string &data, Store *s) {
  std::string etag;
  expect(put(k, data, {}, &etag, s) == Put::kOk,
         "put " + show(k) + " without conditions failed its precondition");
  if (etags()) expect(!etag.empty(), "put " + show(k) + " returned no ETag");
  return etag;
}

std::optional<std::string> Context::get_text(const std::string &k, Store *s) {
  auto obj = (s ? *s : store()).get(key(k));
  if (!obj) return std::nullopt;
  return text(obj->data);
}

void Context::expect_text(const std::string &k, const std::string &want) {
  auto got = get_text(k);
  expect(got.has_value(), "get " + show(k) + ": missing, expected " + show(want));
  expect(*got == want, "get " + show(k) + " returned " + show(*got) + ", expected " + show(want));
}

std::vector<std::string> Context::list_keys(const std::string &p, Store *s) {
  std::vector<std::string> out;
  const std::string &prefix = target_.prefix;
  for (auto &k : (s ? *s : store()).list_all(key(p))) {
    expect(k.compare(0, prefix.size(), prefix) == 0,
           "list " + show(key(p)) + " returned " + show(k) + ", outside the prefix");
    out.push_back(k.substr(prefix.size()));
  }
  return out;
}

void Context::expect_list(const std::string &p, std::vector<std::string> want) {
  std::sort(want.begin(), want.end());
  auto got = list_keys(p);
  expect(got == want, "list " + show(p) + " gave " + join(got) + ", expected " + join(want));
}

}  // namespace bucketdb::conformance
