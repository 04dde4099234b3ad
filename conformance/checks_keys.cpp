// Keys: any bytes but NUL stored faithfully, or refused with BDB_DRV_INVALID naming the key.
#include <algorithm>

#include "conformance/context.h"

namespace bucketdb::conformance {

namespace {

const std::vector<std::string> kOddKeys = {
    "with space/a b c",
    "plus+equals=amp&pct%question?",
    "tilde~/~home",
    "ключ/日本/é",
    "emoji/\xF0\x9F\x98\x80",
    "literal%25percent/%2Edot/%zz",
    ".hidden/.x",
    ".tmp.not-a-temp-file",
    ".bucketdb-lock",
    "dots..inside/.../x.",
    "quote\"'/back\\slash",
    "colon:semi;comma,/hash#star*/bang!at@",
    "tab\there/new\nline",
    "(parens)[brackets]{braces}<angle>|pipe^caret`",
};

// Puts k; true when stored. A driver that is not built in may refuse it, cleanly.
bool put_or_refuse(Context &c, const std::string &k, const std::string &data) {
  try {
    c.put_ok(k, data);
    return true;
  } catch (const DriverError &e) {
    if (c.builtin()) throw;
    expect_refusal(e, k);
    expect(!c.store().get(c.key(k)), "a refused put of " + show(k) + " left an object");
    return false;
  }
}

void odd_keys(Context &c) {
  std::vector<std::string> stored;
  for (const auto &k : kOddKeys)
    if (put_or_refuse(c, k, "value of " + k)) stored.push_back(k);
  for (const auto &k : stored) c.expect_text(k, "value of " + k);
  c.expect_list("", stored);
  auto has = [&](const std::string &k) {
    return std::find(stored.begin(), stored.end(), k) != stored.end();
  };
  if (has("ключ/日本/é")) c.expect_list("ключ/", {"ключ/日本/é"});
  if (has(".hidden/.x")) c.expect_list(".h", {".hidden/.x"});
  for (const auto &k : stored) c.store().del(c.key(k));
  c.expect_list("", {});
}

void escape_lookalikes(Context &c) {
  // A file-backed store escapes '%' and a leading '.': raw and escaped spellings must not meet.
  std::vector<std::string> keys = {".a", "%2Ea", "%252Ea", "%", "%25", "a%", "a%2"}, stored;
  for (const auto &k : keys)
    if (put_or_refuse(c, k, k)) stored.push_back(k);
  for (const auto &k : stored) c.expect_text(k, k);
  c.expect_list("", stored);
}

void keys_leaving_a_directory(Context &c) {
  for (std::string k : {"../x", "/abs", "a/../../b", "..", ".", "a/./b", "a//b", "a/", "a/.."}) {
    if (!c.builtin("file")) {
      // Other stores may hold them as plain strings; if they do, faithfully.
      try {
        if (c.put(k, "v") == Put::kOk) c.expect_text(k, "v");
      } catch (const DriverError &e) {
        expect(e.status() == BDB_DRV_INVALID,
               "put " + show(k) + " failed with " + status_name(e.status()) + ": " + e.what());
      }
      continue;
    }
    for (const char *op : {"put", "get", "delete"}) {
      auto e = expect_error(std::string("a ") + op + " of " + show(k) + " on a file store", [&] {
        if (op[0] == 'p') c.put(k, "v");
        if (op[0] == 'g') c.store().get(c.key(k));
        if (op[0] == 'd') c.store().del(c.key(k));
      });
      expect_refusal(e, k);
    }
  }
  if (c.builtin("file")) c.expect_list("", {});
}

void empty_key(Context &c) {
  if (!c.own_store()) skip("under a key prefix no key is empty");
  auto e = expect_error("a put of the empty key", [&] { c.put("", "v"); });
  expect(e.status() == BDB_DRV_INVALID,
         "the empty key failed with " + status_name(e.status()) + ", not INVALID: " + e.what());
}

void key_and_key_prefix(Context &c) {
  // S3 holds "x" and "x/y" side by side; a directory tree cannot, and may refuse the second.
  for (auto order : {std::vector<std::string>{"x", "x/y"}, std::vector<std::string>{"q/r", "q"}}) {
    c.put_ok(order[0], "first");
    try {
      expect(c.put(order[1], "second") == Put::kOk,
             "put " + show(order[1]) + " failed its precondition");
      c.expect_text(order[1], "second");
      c.expect_list(order[0].substr(0, 1), {order[0], order[1]});
    } catch (const DriverError &e) {
      expect_refusal(e, order[1]);
      expect(!c.store().get(c.key(order[1])),
             "a refused put of " + show(order[1]) + " left an object");
    }
    c.expect_text(order[0], "first");
  }
}

void long_segments(Context &c) {
  std::string k = "long/" + std::string(300, 's') + "/end";
  try {
    expect(c.put(k, "v") == Put::kOk, "put of a 300-byte segment failed its precondition");
  } catch (const DriverError &e) {
    expect(!c.builtin("memory"),
           std::string("the memory store refused a 300-byte segment: ") + e.what());
    expect(e.status() == BDB_DRV_INVALID,
           "a 300-byte segment failed with " + status_name(e.status()) + ": " + e.what());
    expect(std::string(e.what()).find("long/sss") != std::string::npos,
           std::string("the refusal of a 300-byte segment does not name the key: ") + e.what());
    return;
  }
  c.expect_text(k, "v");
}

}  // namespace

std::vector<Check> key_checks() {
  return {
      {"OddKeys", "keys with odd characters", odd_keys},
      {"EscapeLookalikes", "keys that look like escapes stay distinct", escape_lookalikes},
      {"KeysLeavingADirectory", "keys like '../x' (refused by file stores)",
       keys_leaving_a_directory},
      {"EmptyKey", "the empty key is refused", empty_key},
      {"KeyAndKeyPrefix", "a key and a key under it: both stored, or refused cleanly",
       key_and_key_prefix},
      {"LongSegments", "a 300-byte path segment: stored, or refused cleanly", long_segments},
  };
}

}  // namespace bucketdb::conformance
