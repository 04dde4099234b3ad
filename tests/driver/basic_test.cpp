// get / put / delete semantics every driver must share.
#include <set>

#include "driver_fixture.h"

namespace bdbtest {
namespace {

TEST_P(DriverTest, BuiltinDriversReportTheirCapabilities) {
  if (!builtin()) GTEST_SKIP() << "external driver: capabilities are its own";
  EXPECT_TRUE(store().conditional_put());
  EXPECT_EQ(store().driver_name(), expected_driver_name());
}

TEST_P(DriverTest, GetOfMissingKeyIsNullopt) {
  EXPECT_FALSE(store().get(key("missing")));
  bool not_modified = true;
  EXPECT_FALSE(store().get_if_changed(key("missing"), "abc", &not_modified));
  EXPECT_FALSE(not_modified);
}

TEST_P(DriverTest, PutThenGetRoundTripsDataAndEtag) {
  std::string etag = put_ok("k1", "hello world");
  EXPECT_FALSE(etag.empty());
  auto obj = store().get(key("k1"));
  ASSERT_TRUE(obj);
  EXPECT_EQ(text(obj->data), "hello world");
  EXPECT_EQ(obj->etag, etag);
  // A second handle on the same store sees it too.
  auto other = open();
  auto again = other->get(key("k1"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->etag, etag);
}

TEST_P(DriverTest, OverwriteReplacesDataAndChangesEtag) {
  std::set<std::string> seen;
  for (int i = 0; i < 6; i++) {
    std::string data = "version " + std::to_string(i) + std::string(static_cast<size_t>(i), 'x');
    std::string etag = put_ok("over/write", data);
    EXPECT_TRUE(seen.insert(etag).second) << "ETag " << etag << " repeated at version " << i;
    auto obj = store().get(key("over/write"));
    ASSERT_TRUE(obj);
    EXPECT_EQ(text(obj->data), data);
    EXPECT_EQ(obj->etag, etag);
  }
  // Shorter after longer: nothing of the old version may remain.
  put_ok("over/write", "s");
  EXPECT_EQ(get_text("over/write"), "s");
}

TEST_P(DriverTest, BuiltinEtagChangesEvenForTheSameBytes) {
  if (!builtin()) GTEST_SKIP() << "S3 ETags are content hashes: the same bytes keep them";
  std::string last;
  for (int i = 0; i < 10; i++) {
    std::string etag = put_ok("same", "identical bytes");
    EXPECT_NE(etag, last) << "write " << i;
    EXPECT_EQ(store().get(key("same"))->etag, etag);
    last = etag;
  }
}

TEST_P(DriverTest, EmptyObjectIsAnObject) {
  std::string etag = put_ok("empty", "");
  auto obj = store().get(key("empty"));
  ASSERT_TRUE(obj);
  EXPECT_TRUE(obj->data.empty());
  EXPECT_EQ(obj->etag, etag);
  EXPECT_EQ(list_keys(store(), "empty"), std::vector<std::string>{"empty"});
}

TEST_P(DriverTest, BinaryDataIncludingNulRoundTrips) {
  Bytes all(512);
  for (size_t i = 0; i < all.size(); i++) all[i] = static_cast<uint8_t>(i);
  ASSERT_EQ(store().put(key("bin"), all, {}), PutOutcome::kOk);
  EXPECT_EQ(store().get(key("bin"))->data, all);
}

TEST_P(DriverTest, LargeObjectsRoundTrip) {
  for (size_t size : {size_t{3} * 1024 * 1024 + 7, size_t{64} * 1024, size_t{64} * 1024 + 1}) {
    Bytes data = random_bytes(size, size);
    std::string etag;
    ASSERT_EQ(store().put(key("large"), data, {}, &etag), PutOutcome::kOk);
    auto obj = store().get(key("large"));
    ASSERT_TRUE(obj);
    EXPECT_EQ(obj->data.size(), size);
    EXPECT_TRUE(obj->data == data) << "contents differ at size " << size;
    EXPECT_EQ(obj->etag, etag);
  }
}

TEST_P(DriverTest, DeleteRemovesTheKey) {
  put_ok("del/me", "x");
  put_ok("del/keep", "y");
  store().del(key("del/me"));
  EXPECT_FALSE(store().get(key("del/me")));
  EXPECT_EQ(get_text("del/keep"), "y");
  EXPECT_EQ(list_keys(store(), "del/"), std::vector<std::string>{"del/keep"});
}

TEST_P(DriverTest, DeleteIsIdempotent) {
  put_ok("twice", "x");
  store().del(key("twice"));
  store().del(key("twice"));
  store().del(key("never/existed/at/all"));
  EXPECT_FALSE(store().get(key("twice")));
  // And the key can be made again.
  put_ok("twice", "back");
  EXPECT_EQ(get_text("twice"), "back");
}

TEST_P(DriverTest, RecreatedKeyWithNewContentHasNewEtag) {
  std::string first = put_ok("re", "one");
  store().del(key("re"));
  std::string second = put_ok("re", "two");
  EXPECT_NE(first, second);
}

TEST_P(DriverTest, PrefixOfKeysIsNotAnObject) {
  put_ok("dir/child", "x");
  EXPECT_FALSE(store().get(key("dir")));
  store().del(key("dir"));  // nothing there: a no-op, not an error
  EXPECT_EQ(get_text("dir/child"), "x");
}

TEST_P(DriverTest, BuiltinKeyLengthLimit) {
  if (!builtin()) GTEST_SKIP() << "external stores have their own limits";
  std::string longest;
  while (longest.size() < BDB_DRV_MAX_KEY) longest += std::string(99, 'k') + "/";
  longest.resize(BDB_DRV_MAX_KEY);
  if (longest.back() == '/') longest.back() = 'k';
  put_ok(longest, "max");
  EXPECT_EQ(get_text(longest), "max");
  auto e = expect_error([&] { put(store(), longest + "x", "too long"); });
  EXPECT_EQ(e.status(), BDB_E_INVALID) << e.what();
}

}  // namespace
}  // namespace bdbtest
