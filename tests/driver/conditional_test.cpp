// Conditional get (If-None-Match) and conditional put (If-Match, If-None-Match: *).
#include "driver_fixture.h"

namespace bdbtest {
namespace {

class ConditionalTest : public DriverTest {
 protected:
  void SetUp() override {
    DriverTest::SetUp();
    if (!store().conditional_put()) GTEST_SKIP() << "driver has no conditional put";
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
};

INSTANTIATE_TEST_SUITE_P(Conformance, ConditionalTest, ::testing::ValuesIn(backends()),
                         backend_name);

TEST_P(ConditionalTest, GetIfChangedAnswersNotModified) {
  std::string etag = put_ok("block0", "manifest v1");
  bool not_modified = false;
  EXPECT_FALSE(store().get_if_changed(key("block0"), etag, &not_modified));
  EXPECT_TRUE(not_modified);

  std::string etag2 = put_ok("block0", "manifest v2");
  auto obj = store().get_if_changed(key("block0"), etag, &not_modified);
  ASSERT_TRUE(obj);
  EXPECT_FALSE(not_modified);
  EXPECT_EQ(text(obj->data), "manifest v2");
  EXPECT_EQ(obj->etag, etag2);

  store().del(key("block0"));
  EXPECT_FALSE(store().get_if_changed(key("block0"), etag2, &not_modified));
  EXPECT_FALSE(not_modified);
}

TEST_P(ConditionalTest, IfMatchWithCurrentEtagReplaces) {
  std::string etag = put_ok("cas", "v1");
  std::string etag2;
  EXPECT_EQ(put(store(), "cas", "v2", if_match(etag), &etag2), PutOutcome::kOk);
  EXPECT_NE(etag2, etag);
  auto obj = store().get(key("cas"));
  EXPECT_EQ(text(obj->data), "v2");
  EXPECT_EQ(obj->etag, etag2);
}

TEST_P(ConditionalTest, IfMatchAcceptsQuotedEtags) {
  std::string etag = put_ok("quoted", "v1");
  EXPECT_EQ(put(store(), "quoted", "v2", if_match("\"" + etag + "\"")), PutOutcome::kOk);
  EXPECT_EQ(get_text("quoted"), "v2");
}

TEST_P(ConditionalTest, IfMatchWithStaleEtagFails) {
  std::string old_etag = put_ok("cas", "v1");
  std::string new_etag = put_ok("cas", "v2");
  EXPECT_EQ(put(store(), "cas", "v3", if_match(old_etag)), PutOutcome::kPreconditionFailed);
  EXPECT_EQ(put(store(), "cas", "v3", if_match("not-an-etag")), PutOutcome::kPreconditionFailed);
  auto obj = store().get(key("cas"));
  EXPECT_EQ(text(obj->data), "v2");
  EXPECT_EQ(obj->etag, new_etag);
}

TEST_P(ConditionalTest, IfMatchOnMissingKeyFails) {
  EXPECT_EQ(put(store(), "nothing", "v", if_match("0123456789abcdef0123456789abcdef")),
            PutOutcome::kPreconditionFailed);
  EXPECT_FALSE(store().get(key("nothing")));
  // Nor on a key deleted since its ETag was read.
  std::string etag = put_ok("gone", "v1");
  store().del(key("gone"));
  EXPECT_EQ(put(store(), "gone", "v2", if_match(etag)), PutOutcome::kPreconditionFailed);
  EXPECT_FALSE(store().get(key("gone")));
  EXPECT_TRUE(list_keys(store(), "").empty());
}

TEST_P(ConditionalTest, IfNoneMatchCreatesOnlyOnce) {
  std::string etag;
  EXPECT_EQ(put(store(), "committed/00000000000000000001", "first", if_none_match(), &etag),
            PutOutcome::kOk);
  EXPECT_FALSE(etag.empty());
  EXPECT_EQ(put(store(), "committed/00000000000000000001", "second", if_none_match()),
            PutOutcome::kPreconditionFailed);
  auto obj = store().get(key("committed/00000000000000000001"));
  EXPECT_EQ(text(obj->data), "first");
  EXPECT_EQ(obj->etag, etag);
}

TEST_P(ConditionalTest, IfNoneMatchSucceedsAgainAfterDelete) {
  EXPECT_EQ(put(store(), "once", "a", if_none_match()), PutOutcome::kOk);
  store().del(key("once"));
  EXPECT_EQ(put(store(), "once", "b", if_none_match()), PutOutcome::kOk);
  EXPECT_EQ(get_text("once"), "b");
}

TEST_P(ConditionalTest, FailedConditionalPutsLeaveNoTrace) {
  put_ok("a/x", "1");
  EXPECT_EQ(put(store(), "a/x", "2", if_none_match()), PutOutcome::kPreconditionFailed);
  EXPECT_EQ(put(store(), "b/c/d", "2", if_match("0123456789abcdef0123456789abcdef")),
            PutOutcome::kPreconditionFailed);
  EXPECT_EQ(list_keys(store(), ""), std::vector<std::string>{"a/x"});
}

}  // namespace
}  // namespace bdbtest
