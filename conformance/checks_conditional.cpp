// Conditional get (If-None-Match) and conditional put (If-Match, If-None-Match: *): what the
// commit log and Block 0 rest on (SPEC section 4).
#include "conformance/context.h"

namespace bucketdb::conformance {

namespace {

const char *const kMadeUpEtag = "0123456789abcdef0123456789abcdef";

void get_if_changed(Context &c) {
  std::string etag = c.put_ok("block0", "manifest v1");
  if (etag.empty()) skip("the driver returns no ETags");
  bool not_modified = false;
  expect(!c.store().get_if_changed(c.key("block0"), etag, &not_modified) && not_modified,
         "If-None-Match with the current ETag did not answer 'not modified'");
  std::string etag2 = c.put_ok("block0", "manifest v2");
  auto obj = c.store().get_if_changed(c.key("block0"), etag, &not_modified);
  expect(obj && !not_modified && text(obj->data) == "manifest v2",
         "If-None-Match with an old ETag did not return the new object");
  expect(obj->etag == etag2, "If-None-Match returned ETag " + show(obj->etag) + ", not the put's");
  c.store().del(c.key("block0"));
  expect(!c.store().get_if_changed(c.key("block0"), etag2, &not_modified) && !not_modified,
         "If-None-Match on a deleted key did not answer 'not found'");
}

void if_match_with_current_etag(Context &c) {
  c.need_conditional();
  std::string etag = c.put_ok("cas", "v1");
  std::string etag2;
  expect(c.put("cas", "v2", if_match(etag), &etag2) == Put::kOk,
         "If-Match with the current ETag failed");
  expect(etag2 != etag, "a conditional put kept the old ETag");
  auto obj = c.store().get(c.key("cas"));
  expect(obj && text(obj->data) == "v2", "If-Match with the current ETag did not replace");
  expect(obj->etag == etag2, "get returned another ETag than the conditional put");
}

void if_match_quoted(Context &c) {
  c.need_conditional();
  std::string etag = c.put_ok("quoted", "v1");
  expect(c.put("quoted", "v2", if_match("\"" + etag + "\"")) == Put::kOk,
         "If-Match with the current ETag in quotes failed");
  c.expect_text("quoted", "v2");
}

void if_match_with_stale_etag(Context &c) {
  c.need_conditional();
  std::string old_etag = c.put_ok("cas", "v1");
  std::string new_etag = c.put_ok("cas", "v2");
  expect(c.put("cas", "v3", if_match(old_etag)) == Put::kPreconditionFailed,
         "If-Match with a stale ETag succeeded");
  expect(c.put("cas", "v3", if_match("not-an-etag")) == Put::kPreconditionFailed,
         "If-Match with a made-up ETag succeeded");
  auto obj = c.store().get(c.key("cas"));
  expect(obj && text(obj->data) == "v2", "a failed If-Match put changed the object");
  expect(obj->etag == new_etag, "a failed If-Match put changed the ETag");
}

void if_match_on_missing_key(Context &c) {
  c.need_conditional();
  expect(c.put("nothing", "v", if_match(kMadeUpEtag)) == Put::kPreconditionFailed,
         "If-Match on a missing key succeeded");
  expect(!c.store().get(c.key("nothing")), "a failed If-Match put created the key");
  std::string etag = c.put_ok("gone", "v1");  // nor on a key deleted since its ETag was read
  c.store().del(c.key("gone"));
  expect(c.put("gone", "v2", if_match(etag)) == Put::kPreconditionFailed,
         "If-Match on a key deleted since succeeded");
  expect(!c.store().get(c.key("gone")), "a failed If-Match put made the deleted key again");
  c.expect_list("", {});
}

void if_none_match_creates_once(Context &c) {
  c.need_conditional();
  const std::string k = "committed/00000000000000000001";
  std::string etag;
  expect(c.put(k, "first", if_none_match(), &etag) == Put::kOk,
         "If-None-Match: * on a new key failed");
  expect(!etag.empty(), "If-None-Match: * returned no ETag");
  expect(c.put(k, "second", if_none_match()) == Put::kPreconditionFailed,
         "If-None-Match: * on an existing key succeeded: the log could lose a commit");
  auto obj = c.store().get(c.key(k));
  expect(obj && text(obj->data) == "first", "a failed If-None-Match put changed the object");
  expect(obj->etag == etag, "a failed If-None-Match put changed the ETag");
}

void if_none_match_after_delete(Context &c) {
  c.need_conditional();
  expect(c.put("once", "a", if_none_match()) == Put::kOk, "If-None-Match: * on a new key failed");
  c.store().del(c.key("once"));
  expect(c.put("once", "b", if_none_match()) == Put::kOk, "If-None-Match: * after a delete failed");
  c.expect_text("once", "b");
}

void failed_conditions_leave_no_trace(Context &c) {
  c.need_conditional();
  c.put_ok("a/x", "1");
  expect(c.put("a/x", "2", if_none_match()) == Put::kPreconditionFailed,
         "If-None-Match: * on an existing key succeeded");
  expect(c.put("b/c/d", "2", if_match(kMadeUpEtag)) == Put::kPreconditionFailed,
         "If-Match on a missing key succeeded");
  c.expect_list("", {"a/x"});
  c.expect_text("a/x", "1");
}

}  // namespace

std::vector<Check> conditional_checks() {
  return {
      {"GetIfChanged", "get with If-None-Match", get_if_changed},
      {"IfMatchWithCurrentEtag", "put with If-Match and the current ETag replaces",
       if_match_with_current_etag},
      {"IfMatchQuoted", "put with If-Match takes a quoted ETag", if_match_quoted},
      {"IfMatchWithStaleEtag", "put with If-Match and a stale ETag fails",
       if_match_with_stale_etag},
      {"IfMatchOnMissingKey", "put with If-Match on a missing key fails", if_match_on_missing_key},
      {"IfNoneMatchCreatesOnce", "put with If-None-Match: * creates only once",
       if_none_match_creates_once},
      {"IfNoneMatchAfterDelete", "put with If-None-Match: * succeeds again after a delete",
       if_none_match_after_delete},
      {"FailedConditionsLeaveNoTrace", "failed conditional puts leave no trace",
       failed_conditions_leave_no_trace},
  };
}

}  // namespace bucketdb::conformance
