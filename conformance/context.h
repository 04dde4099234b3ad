// What a check works with: its store, more handles on it, and the helpers that turn a driver's
// answer into a pass, a failure (CheckFailed, with a message saying what went wrong) or a skip.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "conformance/bytes.h"
#include "conformance/store.h"
#include "conformance/suite.h"

namespace bucketdb::conformance {

// Thrown by a check that found the driver wrong, or that does not apply to it.
struct CheckFailed {
  std::string message;
};
struct CheckSkipped {
  std::string message;
};

inline void expect(bool ok, const std::string &message) {
  if (!ok) throw CheckFailed{message};
}
[[noreturn]] inline void skip(const std::string &why) {
  throw CheckSkipped{why};
}

std::string show(const std::string &s);  // quoted, cut at 80 bytes
std::string join(const std::vector<std::string> &v);
std::string sorted_join(std::vector<std::string> v);

// Runs fn, which must throw DriverError; `what` says what was tried ("put of an empty key").
DriverError expect_error(const std::string &what, const std::function<void()> &fn);
// The refusal a driver owes a key it cannot store: BDB_DRV_INVALID naming the key.
void expect_refusal(const DriverError &e, const std::string &key);

PutOptions if_match(const std::string &etag);
PutOptions if_none_match();

// Runs fn(i) on n threads released together; a thread's exception fails the check.
void race(int n, const std::function<void(int)> &fn);

class Context {
 public:
  explicit Context(const Target &target);

  const Target &target() const { return target_; }
  Store &store() { return *store_; }
  // Another handle on the same store; `query` (e.g. "page=2") is added to the URI. A driver
  // that is not built in and refuses the option is opened without it.
  std::unique_ptr<Store> open(const std::string &query = "") const;

  bool builtin() const { return !target_.builtin.empty(); }
  bool builtin(const char *kind) const { return target_.builtin == kind; }
  bool own_store() const { return target_.prefix.empty(); }
  // Whether a put must return an ETag: built-in drivers and conditional ones always do.
  bool etags() { return builtin() || store().conditional(); }
  void need_conditional();

  std::string key(const std::string &k) const { return target_.prefix + k; }
  Put put(const std::string &k, const std::string &data, const PutOptions &options = {},
          std::string *etag = nullptr, Store *s = nullptr);
  // A put without conditions that must succeed; its ETag.
  std::string put_ok(const std::string &k, const std::string &data, Store *s = nullptr);
  std::optional<std::string> get_text(const std::string &k, Store *s = nullptr);
  void expect_text(const std::string &k, const std::string &want);
  // Keys under key(p), without the prefix; each one must lie under it.
  std::vector<std::string> list_keys(const std::string &p, Store *s = nullptr);
  void expect_list(const std::string &p, std::vector<std::string> want);

 private:
  Target target_;
  std::unique_ptr<Store> store_;
};

// The checks of each file (checks_*.cpp), in order.
std::vector<Check> object_checks();
std::vector<Check> conditional_checks();
std::vector<Check> list_checks();
std::vector<Check> key_checks();
std::vector<Check> race_checks();

}  // namespace bucketdb::conformance
