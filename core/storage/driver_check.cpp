#include "core/storage/driver_check.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <random>
#include <set>
#include <thread>

#include "core/storage/storage.h"
#include "core/util/error.h"

namespace bucketdb {

namespace {

// Thrown by a check that found the driver wrong, or that does not apply to it.
struct CheckFailed {
  std::string message;
};
struct CheckSkipped {
  std::string message;
};

void expect(bool ok, const std::string &message) {
  if (!ok) throw CheckFailed{message};
}

std::string text(const Bytes &b) {
  return std::string(b.begin(), b.end());
}
Bytes bytes(const std::string &s) {
  return Bytes(s.begin(), s.end());
}
std::string show(const std::string &s) {
  std::string out = s.size() > 80 ? s.substr(0, 80) + "..." : s;
  return "'" + out + "'";
}

Bytes random_bytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Bytes out(n);
  for (auto &b : out) b = static_cast<uint8_t>(rng() >> 56);
  return out;
}

// Runs fn(i) on n threads released together.
void race(int n, const std::function<void(int)> &fn) {
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  std::vector<std::string> errors(static_cast<size_t>(n));
  for (int i = 0; i < n; i++) {
    threads.emplace_back([&, i] {
      ready++;
      while (ready.load() < n) std::this_thread::yield();
      try {
        fn(i);
      } catch (const std::exception &e) {
        errors[static_cast<size_t>(i)] = e.what();
      }
    });
  }
  for (auto &t : threads) t.join();
  for (const auto &e : errors) expect(e.empty(), "a thread failed: " + e);
}

// Keys whose byte order differs from a per-directory walk ('-' and '.' sort before '/').
const std::vector<std::string> kTricky = {"a/b", "a-c", "a/c/d", "a0", "a.x",   "ab/c", "B",
                                          "b",   "z",   "é/x",   "~t", "a/c-e", "a/c0", "a/cd"};

const std::vector<std::string> kOddKeys = {
    "with space/a b c",
    "plus+equals=amp&pct%question?",
    "tilde~/~home",
    "ключ/日本/é",
    "emoji/\xF0\x9F\x98\x80",
    "literal%25percent/%2Edot/%zz",
    ".hidden/.x",
    "dots..inside/.../x.",
    "quote\"'/back\\slash",
    "colon:semi;comma,/hash#star*/bang!at@",
    "(parens)[brackets]{braces}<angle>|pipe^caret`",
};

class Checker {
 public:
  Checker(const std::string &uri, DriverCheckReport &report) : uri_(uri), report_(report) {
    std::random_device rd;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
    prefix_ = std::string("bdb-driver-check/") + buf + "/";
    report_.prefix = prefix_;
    store_ = open();
    report_.driver = store_->driver_name();
    report_.capabilities = store_->capabilities();
  }

  void run_all();

 private:
  std::unique_ptr<Storage> open(const std::string &extra = "") const {
    std::string u = uri_;
    if (!extra.empty()) u += (u.find('?') == std::string::npos ? "?" : "&") + extra;
    auto s = Storage::open(u);
    s->base_delay_ms = 2;
    s->max_delay_ms = 50;
    return s;
  }
  std::string key(const std::string &k) const { return prefix_ + k; }
  bool conditional() const { return report_.capabilities & BDB_DRV_CAP_CONDITIONAL_PUT; }
  void need_conditional() const {
    if (!conditional())
      throw CheckSkipped{
          "the driver does not claim conditional puts (BDB_DRV_CAP_CONDITIONAL_PUT)"};
  }

  std::string put_ok(const std::string &k, const Bytes &data, Storage *s = nullptr) {
    std::string etag;
    PutOutcome o = (s ? *s : *store_).put(key(k), data, PutCondition{}, &etag);
    expect(o == PutOutcome::kOk, "put " + show(k) + " without conditions failed its precondition");
    if (conditional()) expect(!etag.empty(), "put " + show(k) + " returned no ETag");
    return etag;
  }
  std::string put_ok(const std::string &k, const std::string &data) {
    return put_ok(k, bytes(data));
  }
  PutOutcome put_if(const std::string &k, const std::string &data, const PutCondition &c,
                    std::string *etag = nullptr, Storage *s = nullptr) {
    return (s ? *s : *store_).put(key(k), bytes(data), c, etag);
  }
  std::optional<std::string> get_text(const std::string &k, Storage *s = nullptr) {
    auto obj = (s ? *s : *store_).get(key(k));
    if (!obj) return std::nullopt;
    return text(obj->data);
  }
  void expect_text(const std::string &k, const std::string &want) {
    auto got = get_text(k);
    expect(got.has_value(), "get " + show(k) + ": missing after a put");
    expect(*got == want, "get " + show(k) + " returned " + show(*got) + ", expected " + show(want));
  }
  std::vector<std::string> list(const std::string &p, Storage *s = nullptr) {
    std::vector<std::string> out;
    for (auto &k : (s ? *s : *store_).list_all(key(p))) {
      expect(k.compare(0, prefix_.size(), prefix_) == 0,
             "list " + show(key(p)) + " returned " + show(k) + ", outside the prefix");
      out.push_back(k.substr(prefix_.size()));
    }
    return out;
  }
  static std::string join(const std::vector<std::string> &v) {
    std::string s;
    for (const auto &k : v) s += (s.empty() ? "" : ", ") + k;
    return "[" + s + "]";
  }
  void expect_list(const std::string &p, std::vector<std::string> want) {
    std::sort(want.begin(), want.end());
    auto got = list(p);
    expect(got == want, "list " + show(p) + " gave " + join(got) + ", expected " + join(want));
  }
  static PutCondition if_match(const std::string &etag) {
    PutCondition c;
    c.if_match = etag;
    return c;
  }
  static PutCondition if_none_match() {
    PutCondition c;
    c.if_none_match = true;
    return c;
  }

  void run(const std::string &name, const std::function<void()> &fn);
  void cleanup();

  // The checks, in the order they run.
  void get_missing();
  void put_get();
  void overwrite();
  void empty_object();
  void binary_data();
  void large_objects();
  void del();
  void prefix_is_not_an_object();
  void list_order();
  void list_prefix();
  void list_after_changes();
  void list_pages();
  void conditional_get();
  void conditional_if_match();
  void conditional_if_none_match();
  void failed_conditions_leave_no_trace();
  void race_put_if_absent();
  void race_if_match();
  void torn_reads();
  void odd_keys();
  void long_key();
  void stats();

  std::string uri_;
  DriverCheckReport &report_;
  std::string prefix_;
  std::unique_ptr<Storage> store_;
};

void Checker::run(const std::string &name, const std::function<void()> &fn) {
  DriverCheck c;
  c.name = name;
  auto start = std::chrono::steady_clock::now();
  try {
    fn();
  } catch (const CheckFailed &e) {
    c.outcome = DriverCheck::kFail;
    c.message = e.message;
  } catch (const CheckSkipped &e) {
    c.outcome = DriverCheck::kSkip;
    c.message = e.message;
  } catch (const Error &e) {
    c.outcome = DriverCheck::kFail;
    c.message = std::string(bdb_status_str(e.status())) + ": " + e.what();
  } catch (const std::exception &e) {
    c.outcome = DriverCheck::kFail;
    c.message = e.what();
  }
  c.ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now() - start)
                                   .count());
  report_.checks.push_back(c);
}

void Checker::run_all() {
  run("get of a missing key", [&] { get_missing(); });
  run("put then get (data and ETag, from a second handle too)", [&] { put_get(); });
  run("overwrite replaces data and ETag", [&] { overwrite(); });
  run("empty object", [&] { empty_object(); });
  run("binary data with NUL bytes", [&] { binary_data(); });
  run("large objects (64 KiB, 3 MiB)", [&] { large_objects(); });
  run("delete, idempotent", [&] { del(); });
  run("a prefix of keys is not an object", [&] { prefix_is_not_an_object(); });
  run("list in byte order", [&] { list_order(); });
  run("list filters by any prefix", [&] { list_prefix(); });
  run("list after overwrites and deletes", [&] { list_after_changes(); });
  run("list pagination", [&] { list_pages(); });
  run("get with If-None-Match", [&] { conditional_get(); });
  run("put with If-Match", [&] { conditional_if_match(); });
  run("put with If-None-Match: *", [&] { conditional_if_none_match(); });
  run("failed conditional puts leave no trace", [&] { failed_conditions_leave_no_trace(); });
  run("put-if-absent from 8 threads has one winner", [&] { race_put_if_absent(); });
  run("If-Match from 8 threads has one winner", [&] { race_if_match(); });
  run("readers never see a torn object", [&] { torn_reads(); });
  run("keys with odd characters", [&] { odd_keys(); });
  run("a key of the longest length", [&] { long_key(); });
  run("stats are a JSON object", [&] { stats(); });
  run("cleanup (delete everything under the prefix)", [&] { cleanup(); });
}

void Checker::get_missing() {
  expect(!store_->get(key("missing")), "get of a key never written returned an object");
  bool not_modified = true;
  expect(!store_->get_if_changed(key("missing"), "abc", &not_modified) && !not_modified,
         "get of a missing key with If-None-Match did not answer 'not found'");
}

void Checker::put_get() {
  std::string etag = put_ok("k1", "hello world");
  auto obj = store_->get(key("k1"));
  expect(obj.has_value(), "get after put: not found");
  expect(text(obj->data) == "hello world", "get after put returned " + show(text(obj->data)));
  if (!etag.empty())
    expect(obj->etag == etag,
           "get returned ETag " + show(obj->etag) + ", put returned " + show(etag));
  auto other = open();
  auto again = other->get(key("k1"));
  expect(again && text(again->data) == "hello world", "a second handle does not see the put");
  expect(again->etag == obj->etag, "a second handle sees another ETag");
}

void Checker::overwrite() {
  std::set<std::string> seen;
  for (int i = 0; i < 5; i++) {
    std::string data =
        "version " + std::to_string(i) + std::string(static_cast<size_t>(i) * 3, 'x');
    std::string etag = put_ok("over/write", data);
    if (!etag.empty())
      expect(seen.insert(etag).second, "ETag " + show(etag) + " came back for new content");
    expect_text("over/write", data);
  }
  put_ok("over/write", "s");  // shorter after longer: nothing of the old version may remain
  expect_text("over/write", "s");
}

void Checker::empty_object() {
  put_ok("empty", "");
  auto obj = store_->get(key("empty"));
  expect(obj.has_value(), "an empty object reads as missing");
  expect(obj->data.empty(),
         "an empty object read back with " + std::to_string(obj->data.size()) + " bytes");
  expect_list("empty", {"empty"});
}

void Checker::binary_data() {
  Bytes all(512);
  for (size_t i = 0; i < all.size(); i++) all[i] = static_cast<uint8_t>(i);
  put_ok("bin", all);
  auto obj = store_->get(key("bin"));
  expect(obj && obj->data == all, "bytes 0-255 (NUL included) did not round-trip");
}

void Checker::large_objects() {
  for (size_t size : {size_t{64} * 1024, size_t{64} * 1024 + 1, size_t{3} * 1024 * 1024 + 7}) {
    Bytes data = random_bytes(size, size);
    std::string etag = put_ok("large", data);
    auto obj = store_->get(key("large"));
    expect(obj.has_value(), "a " + std::to_string(size) + "-byte object reads as missing");
    expect(obj->data.size() == size, "a " + std::to_string(size) + "-byte object read back with " +
                                         std::to_string(obj->data.size()) + " bytes");
    expect(obj->data == data, "a " + std::to_string(size) + "-byte object came back different");
    if (!etag.empty()) expect(obj->etag == etag, "a large object's ETag differs from its put's");
  }
}

void Checker::del() {
  put_ok("del/me", "x");
  put_ok("del/keep", "y");
  store_->del(key("del/me"));
  expect(!store_->get(key("del/me")), "a deleted key still reads");
  expect_text("del/keep", "y");
  expect_list("del/", {"del/keep"});
  store_->del(key("del/me"));
  store_->del(key("never/existed/at/all"));
  put_ok("del/me", "back");
  expect_text("del/me", "back");
}

void Checker::prefix_is_not_an_object() {
  put_ok("dir/child", "x");
  expect(!store_->get(key("dir")), "get of a prefix of a key returned an object");
  store_->del(key("dir"));
  expect_text("dir/child", "x");
}

void Checker::list_order() {
  for (const auto &k : kTricky) put_ok("order/" + k, k);
  std::vector<std::string> want;
  for (const auto &k : kTricky) want.push_back("order/" + k);
  expect_list("order/", want);
}

void Checker::list_prefix() {
  std::vector<std::string> keys = {"pf/data/users/1", "pf/data/users/2", "pf/data/us",
                                   "pf/data/usa/x",   "pf/data/u",       "pf/datb/x",
                                   "pf/data0",        "pf/dat",          "pf/data/users0"};
  for (const auto &k : keys) put_ok(k, "v");
  for (std::string p : {"pf/data/us", "pf/data/users/", "pf/data/", "pf/data", "pf/dat",
                        "pf/data/users/1", "pf/nothing", "pf/d"}) {
    std::vector<std::string> want;
    for (const auto &k : keys)
      if (k.compare(0, p.size(), p) == 0) want.push_back(k);
    expect_list(p, want);
  }
}

void Checker::list_after_changes() {
  put_ok("l/one", "1");
  put_ok("l/two", "2");
  put_ok("l/one", "1 again");
  put_ok("l/three/deep", "3");
  store_->del(key("l/two"));
  expect_list("l/", {"l/one", "l/three/deep"});
}

void Checker::list_pages() {
  std::vector<std::string> keys;
  for (int i = 0; i < 25; i++) keys.push_back("pg/" + std::to_string(i * 7 % 25) + "/x");
  for (const auto &k : keys) put_ok(k, "v");
  std::sort(keys.begin(), keys.end());
  // Small pages when the driver takes the built-in drivers' page option; its own otherwise.
  std::unique_ptr<Storage> paged;
  try {
    paged = open("page=2");
  } catch (const Error &) {
    paged = open();
  }
  std::vector<std::string> got;
  std::string token;
  int pages = 0;
  do {
    Storage::Page p = paged->list(key("pg/"), token);
    expect(p.next_token.empty() || p.next_token != token, "the same continuation token came twice");
    for (const auto &k : p.keys) got.push_back(k.substr(std::min(k.size(), prefix_.size())));
    token = p.next_token;
    expect(++pages < 1000, "more than 1000 pages for 25 keys");
  } while (!token.empty());
  expect(std::is_sorted(got.begin(), got.end()),
         "pages are not in ascending key order: " + join(got));
  expect(got == keys, "pages gave " + join(got) + ", expected " + join(keys));
}

void Checker::conditional_get() {
  std::string etag = put_ok("block0", "manifest v1");
  bool not_modified = false;
  expect(!store_->get_if_changed(key("block0"), etag, &not_modified) && not_modified,
         "If-None-Match with the current ETag did not answer 'not modified'");
  std::string etag2 = put_ok("block0", "manifest v2");
  auto obj = store_->get_if_changed(key("block0"), etag, &not_modified);
  expect(obj && !not_modified && text(obj->data) == "manifest v2",
         "If-None-Match with an old ETag did not return the new object");
  store_->del(key("block0"));
  expect(!store_->get_if_changed(key("block0"), etag2, &not_modified) && !not_modified,
         "If-None-Match on a deleted key did not answer 'not found'");
}

void Checker::conditional_if_match() {
  need_conditional();
  std::string etag = put_ok("cas", "v1");
  std::string etag2;
  expect(put_if("cas", "v2", if_match(etag), &etag2) == PutOutcome::kOk,
         "If-Match with the current ETag failed");
  expect(etag2 != etag, "a conditional put kept the old ETag");
  expect_text("cas", "v2");
  expect(put_if("cas", "v3", if_match("\"" + etag2 + "\"")) == PutOutcome::kOk,
         "If-Match with the current ETag in quotes failed");
  expect(put_if("cas", "v4", if_match(etag)) == PutOutcome::kPreconditionFailed,
         "If-Match with a stale ETag succeeded");
  expect(put_if("cas", "v4", if_match("not-an-etag")) == PutOutcome::kPreconditionFailed,
         "If-Match with a made-up ETag succeeded");
  expect_text("cas", "v3");
  expect(put_if("nothing", "v", if_match("0123456789abcdef0123456789abcdef")) ==
             PutOutcome::kPreconditionFailed,
         "If-Match on a missing key succeeded");
  std::string gone = put_ok("gone", "v1");
  store_->del(key("gone"));
  expect(put_if("gone", "v2", if_match(gone)) == PutOutcome::kPreconditionFailed,
         "If-Match on a key deleted since succeeded");
  expect(!store_->get(key("nothing")) && !store_->get(key("gone")),
         "a failed If-Match put created the key");
}

void Checker::conditional_if_none_match() {
  need_conditional();
  std::string etag;
  expect(
      put_if("committed/00000000000000000001", "first", if_none_match(), &etag) == PutOutcome::kOk,
      "If-None-Match: * on a new key failed");
  expect(put_if("committed/00000000000000000001", "second", if_none_match()) ==
             PutOutcome::kPreconditionFailed,
         "If-None-Match: * on an existing key succeeded: the log could lose a commit");
  expect_text("committed/00000000000000000001", "first");
  store_->del(key("committed/00000000000000000001"));
  expect(put_if("committed/00000000000000000001", "again", if_none_match()) == PutOutcome::kOk,
         "If-None-Match: * after a delete failed");
}

void Checker::failed_conditions_leave_no_trace() {
  need_conditional();
  put_ok("trace/a", "1");
  put_if("trace/a", "2", if_none_match());
  put_if("trace/b/c", "2", if_match("0123456789abcdef0123456789abcdef"));
  expect_list("trace/", {"trace/a"});
  expect_text("trace/a", "1");
}

void Checker::race_put_if_absent() {
  need_conditional();
  auto other = open();  // half the threads go through a second handle
  for (int round = 0; round < 10; round++) {
    std::string k = "race/committed/" + std::to_string(round);
    std::vector<PutOutcome> outcomes(8);
    race(8, [&](int i) {
      outcomes[static_cast<size_t>(i)] = put_if(k, "writer " + std::to_string(i), if_none_match(),
                                                nullptr, i % 2 ? other.get() : nullptr);
    });
    int winners = 0, winner = -1;
    for (int i = 0; i < 8; i++)
      if (outcomes[static_cast<size_t>(i)] == PutOutcome::kOk) winners++, winner = i;
    expect(winners == 1, "round " + std::to_string(round) + ": " + std::to_string(winners) +
                             " of 8 racing If-None-Match puts succeeded");
    expect_text(k, "writer " + std::to_string(winner));
  }
}

void Checker::race_if_match() {
  need_conditional();
  auto other = open();
  for (int round = 0; round < 5; round++) {
    std::string base = put_ok("race/block0", "base " + std::to_string(round));
    std::vector<PutOutcome> outcomes(8);
    race(8, [&](int i) {
      outcomes[static_cast<size_t>(i)] =
          put_if("race/block0", "writer " + std::to_string(i), if_match(base), nullptr,
                 i % 2 ? other.get() : nullptr);
    });
    int winners = 0, winner = -1;
    for (int i = 0; i < 8; i++)
      if (outcomes[static_cast<size_t>(i)] == PutOutcome::kOk) winners++, winner = i;
    expect(winners == 1, "round " + std::to_string(round) + ": " + std::to_string(winners) +
                             " of 8 racing If-Match puts succeeded");
    expect_text("race/block0", "writer " + std::to_string(winner));
  }
}

void Checker::torn_reads() {
  // Each version is one byte value repeated, with its length in front: easy to check whole.
  auto make = [](int writer, int n) {
    size_t len = 1 + static_cast<size_t>((writer * 7919 + n * 104729) % 70000);
    return std::to_string(len) + ":" + std::string(len, static_cast<char>('a' + writer));
  };
  auto whole = [](const std::string &s) {
    size_t colon = s.find(':');
    if (colon == std::string::npos || colon + 1 >= s.size()) return false;
    return s.compare(0, colon, std::to_string(s.size() - colon - 1)) == 0 &&
           s.find_first_not_of(s.back(), colon + 1) == std::string::npos;
  };
  put_ok("hot", make(0, 0));
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0}, reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; r++) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        try {
          auto obj = store_->get(key("hot"));
          if (!obj || !whole(text(obj->data))) bad++;
        } catch (const std::exception &) {
          bad++;
        }
        reads++;
      }
    });
  }
  try {
    race(3, [&](int w) {
      for (int n = 0; n < 15; n++) put_if("hot", make(w, n), PutCondition{});
    });
  } catch (...) {
    stop = true;
    for (auto &t : readers) t.join();
    throw;
  }
  stop = true;
  for (auto &t : readers) t.join();
  expect(bad.load() == 0, std::to_string(bad.load()) + " of " + std::to_string(reads.load()) +
                              " reads during overwrites saw a missing or torn object");
}

void Checker::odd_keys() {
  std::vector<std::string> stored;
  for (const auto &k : kOddKeys) {
    std::string full = "odd/" + k;
    try {
      put_ok(full, "value of " + k);
      stored.push_back(full);
    } catch (const Error &e) {
      expect(
          e.status() == BDB_E_INVALID,
          "put " + show(full) + " failed with " + bdb_status_str(e.status()) +
              " (a key a driver cannot store must be refused with BDB_DRV_INVALID): " + e.what());
      expect(std::string(e.what()).find(k) != std::string::npos,
             "the refusal of " + show(full) + " does not name the key: " + e.what());
    }
  }
  for (const auto &k : stored) expect_text(k, "value of " + k.substr(4));
  expect_list("odd/", stored);
}

void Checker::long_key() {
  std::string k;
  while (prefix_.size() + k.size() < BDB_DRV_MAX_KEY) k += std::string(99, 'k') + "/";
  k.resize(BDB_DRV_MAX_KEY - prefix_.size());
  if (k.back() == '/') k.back() = 'k';
  try {
    put_ok(k, "longest");
  } catch (const Error &e) {
    expect(e.status() == BDB_E_INVALID, std::string("a 1024-byte key failed with ") +
                                            bdb_status_str(e.status()) + ": " + e.what());
    throw CheckSkipped{"the driver refuses 1024-byte keys with BDB_DRV_INVALID"};
  }
  expect_text(k, "longest");
}

void Checker::stats() {
  std::string s = store_->driver_stats_json();
  auto j = nlohmann::json::parse(s, nullptr, false);
  expect(!j.is_discarded() && j.is_object(), "stats() wrote " + show(s) + ", not a JSON object");
}

void Checker::cleanup() {
  auto keys = store_->list_all(prefix_);
  for (const auto &k : keys) store_->del(k);
  auto left = store_->list_all(prefix_);
  expect(left.empty(), std::to_string(left.size()) + " keys are still listed after deleting them");
}

const char *outcome_name(DriverCheck::Outcome o) {
  return o == DriverCheck::kPass ? "pass" : o == DriverCheck::kFail ? "fail" : "skip";
}

}  // namespace

size_t DriverCheckReport::count(DriverCheck::Outcome o) const {
  return static_cast<size_t>(std::count_if(checks.begin(), checks.end(),
                                           [&](const DriverCheck &c) { return c.outcome == o; }));
}

std::string DriverCheckReport::json() const {
  nlohmann::ordered_json caps = nlohmann::ordered_json::array();
  if (capabilities & BDB_DRV_CAP_CONDITIONAL_PUT) caps.push_back("conditional_put");
  if (capabilities & BDB_DRV_CAP_STRONG_LIST) caps.push_back("strong_list");
  if (capabilities & BDB_DRV_CAP_IF_NONE_MATCH_GET) caps.push_back("if_none_match_get");
  if (capabilities & BDB_DRV_CAP_RETRIES) caps.push_back("retries");
  nlohmann::ordered_json j;
  j["uri"] = uri;
  j["driver"] = driver;
  j["capabilities"] = caps;
  j["prefix"] = prefix;
  j["passed"] = count(DriverCheck::kPass);
  j["failed"] = count(DriverCheck::kFail);
  j["skipped"] = count(DriverCheck::kSkip);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto &c : checks)
    list.push_back({{"name", c.name},
                    {"result", outcome_name(c.outcome)},
                    {"message", c.message},
                    {"ms", c.ms}});
  j["checks"] = list;
  // Driver messages may hold any bytes: never let one make the report unprintable.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

DriverCheckReport check_driver(const std::string &uri) {
  DriverCheckReport report;
  report.uri = uri;
  Checker checker(uri, report);
  checker.run_all();
  return report;
}

}  // namespace bucketdb
