// get / put / delete of whole objects, ETags, the longest key, stats.
#include <nlohmann/json.hpp>

#include <set>

#include "conformance/context.h"

namespace bucketdb::conformance {

namespace {

void reports_name_and_capabilities(Context &c) {
  expect(!c.store().name().empty(), "the driver table has no name");
  const std::string &want = c.target().expected_name;
  if (!want.empty())
    expect(c.store().name() == want,
           "the driver reports the name " + show(c.store().name()) + ", expected " + show(want));
  if (c.builtin())
    expect(c.store().conditional(), "a built-in driver does not claim conditional puts");
}

void get_of_missing_key(Context &c) {
  expect(!c.store().get(c.key("missing")), "get of a key never written returned an object");
  bool not_modified = true;
  expect(!c.store().get_if_changed(c.key("missing"), "abc", &not_modified) && !not_modified,
         "get of a missing key with If-None-Match did not answer 'not found'");
}

void put_then_get(Context &c) {
  std::string etag = c.put_ok("k1", "hello world");
  auto obj = c.store().get(c.key("k1"));
  expect(obj.has_value(), "get after put: not found");
  expect(text(obj->data) == "hello world", "get after put returned " + show(text(obj->data)));
  expect(obj->etag == etag, "get returned ETag " + show(obj->etag) + ", put " + show(etag));
  auto other = c.open();
  auto again = other->get(c.key("k1"));
  expect(again && text(again->data) == "hello world", "a second handle does not see the put");
  expect(again->etag == etag, "a second handle sees another ETag");
}

void overwrite(Context &c) {
  std::set<std::string> seen;
  for (int i = 0; i < 6; i++) {
    std::string data =
        "version " + std::to_string(i) + std::string(static_cast<size_t>(i) * 3, 'x');
    std::string etag = c.put_ok("over/write", data);
    if (!etag.empty())
      expect(seen.insert(etag).second, "ETag " + show(etag) + " came back for new content");
    auto obj = c.store().get(c.key("over/write"));
    expect(obj.has_value(), "get 'over/write': missing after a put");
    expect(text(obj->data) == data,
           "get 'over/write' returned " + show(text(obj->data)) + ", expected " + show(data));
    expect(obj->etag == etag,
           "get 'over/write' returned ETag " + show(obj->etag) + ", put " + show(etag));
  }
  c.put_ok("over/write", "s");  // shorter after longer: nothing of the old version may remain
  c.expect_text("over/write", "s");
}

void etag_changes_for_equal_bytes(Context &c) {
  if (!c.builtin()) skip("ETags may be content hashes (S3): equal bytes may keep them");
  std::string last;
  for (int i = 0; i < 10; i++) {
    std::string etag = c.put_ok("same", "identical bytes");
    expect(etag != last,
           "write " + std::to_string(i) + " of the same bytes kept ETag " + show(etag));
    auto obj = c.store().get(c.key("same"));
    expect(obj && obj->etag == etag, "get 'same' returned another ETag than its put");
    last = etag;
  }
}

void empty_object(Context &c) {
  std::string etag = c.put_ok("empty", "");
  auto obj = c.store().get(c.key("empty"));
  expect(obj.has_value(), "an empty object reads as missing");
  expect(obj->data.empty(),
         "an empty object read back with " + std::to_string(obj->data.size()) + " bytes");
  expect(obj->etag == etag, "an empty object's ETag differs from its put's");
  c.expect_list("empty", {"empty"});
}

void binary_data(Context &c) {
  Bytes all(512);
  for (size_t i = 0; i < all.size(); i++) all[i] = static_cast<uint8_t>(i);
  expect(c.store().put(c.key("bin"), all) == Put::kOk, "put 'bin' failed its precondition");
  auto obj = c.store().get(c.key("bin"));
  expect(obj && obj->data == all, "bytes 0-255 (NUL included) did not round-trip");
}

void large_objects(Context &c) {
  for (size_t size : {size_t{3} * 1024 * 1024 + 7, size_t{64} * 1024, size_t{64} * 1024 + 1}) {
    Bytes data = random_bytes(size, size);
    std::string etag;
    expect(c.store().put(c.key("large"), data, {}, &etag) == Put::kOk,
           "put 'large' failed its precondition");
    auto obj = c.store().get(c.key("large"));
    std::string what = "a " + std::to_string(size) + "-byte object";
    expect(obj.has_value(), what + " reads as missing");
    expect(obj->data.size() == size,
           what + " read back with " + std::to_string(obj->data.size()) + " bytes");
    expect(obj->data == data, what + " came back different");
    expect(obj->etag == etag, what + "'s ETag differs from its put's");
  }
}

void delete_removes_the_key(Context &c) {
  c.put_ok("del/me", "x");
  c.put_ok("del/keep", "y");
  c.store().del(c.key("del/me"));
  expect(!c.store().get(c.key("del/me")), "a deleted key still reads");
  c.expect_text("del/keep", "y");
  c.expect_list("del/", {"del/keep"});
}

void delete_is_idempotent(Context &c) {
  c.put_ok("twice", "x");
  c.store().del(c.key("twice"));
  c.store().del(c.key("twice"));
  c.store().del(c.key("never/existed/at/all"));
  expect(!c.store().get(c.key("twice")), "a key deleted twice still reads");
  c.put_ok("twice", "back");  // and the key can be made again
  c.expect_text("twice", "back");
}

void recreated_key_has_new_etag(Context &c) {
  std::string first = c.put_ok("re", "one");
  c.store().del(c.key("re"));
  std::string second = c.put_ok("re", "two");
  if (!first.empty())
    expect(first != second, "new content after a delete kept ETag " + show(first));
}

void prefix_is_not_an_object(Context &c) {
  c.put_ok("dir/child", "x");
  expect(!c.store().get(c.key("dir")), "get of a prefix of a key returned an object");
  c.store().del(c.key("dir"));  // nothing there: a no-op, not an error
  c.expect_text("dir/child", "x");
}

// The longest key (BDB_DRV_MAX_KEY bytes, prefix included): stored, or refused by a driver that
// is not built in; the built-in drivers refuse one byte more.
void longest_key(Context &c) {
  std::string k;
  size_t room = BDB_DRV_MAX_KEY - c.key("").size();
  while (k.size() < room) k += std::string(99, 'k') + "/";
  k.resize(room);
  if (k.back() == '/') k.back() = 'k';
  try {
    c.put_ok(k, "longest");
  } catch (const DriverError &e) {
    if (c.builtin()) throw;
    expect(e.status() == BDB_DRV_INVALID,
           std::string("a 1024-byte key failed with ") + status_name(e.status()) + ": " + e.what());
    skip("the driver refuses 1024-byte keys with BDB_DRV_INVALID");
  }
  c.expect_text(k, "longest");
  if (!c.builtin()) return;
  auto e = expect_error("a put of a key one byte over BDB_DRV_MAX_KEY",
                        [&] { c.put(k + "x", "too long"); });
  expect(e.status() == BDB_DRV_INVALID,
         "a key over BDB_DRV_MAX_KEY failed with " + status_name(e.status()) + ", not INVALID");
}

void stats(Context &c) {
  std::string s = c.store().stats();
  if (s.empty()) skip("the driver has no stats()");
  auto j = nlohmann::json::parse(s, nullptr, false);
  expect(!j.is_discarded() && j.is_object(), "stats() wrote " + show(s) + ", not a JSON object");
}

}  // namespace

std::vector<Check> object_checks() {
  return {
      {"ReportsItsNameAndCapabilities", "the driver reports its name and capabilities",
       reports_name_and_capabilities},
      {"GetOfMissingKey", "get of a missing key", get_of_missing_key},
      {"PutThenGet", "put then get (data and ETag, from a second handle too)", put_then_get},
      {"Overwrite", "overwrite replaces data and ETag", overwrite},
      {"EtagChangesForEqualBytes", "a put of equal bytes gets a new ETag (built-in drivers)",
       etag_changes_for_equal_bytes},
      {"EmptyObject", "empty object", empty_object},
      {"BinaryData", "binary data with NUL bytes", binary_data},
      {"LargeObjects", "large objects (64 KiB, 3 MiB)", large_objects},
      {"DeleteRemovesTheKey", "delete removes the key and only it", delete_removes_the_key},
      {"DeleteIsIdempotent", "delete, idempotent", delete_is_idempotent},
      {"RecreatedKeyHasNewEtag", "a key made again after a delete has a new ETag",
       recreated_key_has_new_etag},
      {"PrefixIsNotAnObject", "a prefix of keys is not an object", prefix_is_not_an_object},
      {"LongestKey", "a key of the longest length", longest_key},
      {"Stats", "stats are a JSON object", stats},
  };
}

}  // namespace bucketdb::conformance
