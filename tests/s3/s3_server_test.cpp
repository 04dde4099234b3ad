// The s3 driver against the Ceph RGW test server, through the engine's storage host: errors
// (wrong secret, unknown bucket, server down, a missing key without s3:ListBucket), retries
// behind a fault-injecting proxy (503s, 429, timeouts, lost answers of conditional puts), odd
// keys, counters and connection reuse.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "abi/include/bucketdb/driver.h"
#include "conformance/bytes.h"
#include "core/util/error.h"
#include "core/util/interrupt.h"
#include "s3_test_support.h"
#include "tests/support/error_of.h"

namespace bdbs3test {
namespace {

using bucketdb::Bytes;
using bucketdb::PutCondition;
using bucketdb::PutOutcome;
using bucketdb::Storage;
using bucketdb::conformance::bytes;
using bucketdb::conformance::text;
using bucketdb::test::error_of;

// Shows the message in the test log: what a user would read.
void show(const bucketdb::Error &e) {
  std::cout << "    message: " << e.what() << "\n";
}

nlohmann::json stats(Storage &s) {
  return nlohmann::json::parse(s.driver_stats_json());
}

class S3Test : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!load_server_env()) GTEST_SKIP() << server_env_problem();
    prefix_ = unique_prefix();
  }
  void TearDown() override {
    if (prefix_.empty() || env("BDB_S3_BUCKET").empty()) return;
    try {
      auto s = open_store(store_uri(prefix_));
      for (const auto &k : s->list_all("")) s->del(k);
    } catch (const std::exception &e) {
      ADD_FAILURE() << "cleaning up " << prefix_ << ": " << e.what();
    }
  }
  // Every message a test saw, checked for secrets at the end.
  void expect_no_secret(const std::string &message) {
    for (const char *secret : {"bdb-test-secret-key", "bdb-limited-secret-key", "wrong-secret"})
      EXPECT_EQ(message.find(secret), std::string::npos) << message;
  }
  std::string uri(const std::string &extra = "", const std::string &endpoint = "") {
    return store_uri(prefix_, extra, endpoint);
  }
  std::string prefix_;
};

TEST_F(S3Test, WrongSecretIsAClear403SignatureDoesNotMatch) {
  ScopedEnv secret("AWS_SECRET_ACCESS_KEY", "wrong-secret");
  auto s = open_store(uri());
  for (auto op : {0, 1, 2}) {
    auto e = error_of([&] {
      if (op == 0) s->put("k", bytes("v"), {});
      if (op == 1) s->get("k");
      if (op == 2) s->list("", "");
    });
    show(e);
    EXPECT_EQ(e.status(), BDB_E_PERMISSION) << e.what();
    EXPECT_NE(std::string(e.what()).find("HTTP 403 SignatureDoesNotMatch"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
    expect_no_secret(e.what());
  }
  EXPECT_EQ(stats(*s)["retries"], 0) << "a 403 is never retried";
}

TEST_F(S3Test, UnknownAccessKeyIsAClear403) {
  ScopedEnv id("AWS_ACCESS_KEY_ID", "NOSUCHKEY");
  auto s = open_store(uri());
  auto e = error_of([&] { s->get("k"); });
  show(e);
  EXPECT_EQ(e.status(), BDB_E_PERMISSION) << e.what();
  EXPECT_NE(std::string(e.what()).find("InvalidAccessKeyId"), std::string::npos) << e.what();
}

TEST_F(S3Test, MissingCredentialsFailAtOpen) {
  ScopedEnv secret("AWS_SECRET_ACCESS_KEY", nullptr);
  auto e = error_of([&] { open_store(uri()); });
  show(e);
  EXPECT_EQ(e.status(), BDB_E_PERMISSION) << e.what();
  EXPECT_NE(std::string(e.what()).find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

TEST_F(S3Test, UnknownBucketIsNoSuchBucketNeverAnEmptyStore) {
  auto s =
      open_store("s3://bdb-no-such-bucket/x?endpoint=" + env("AWS_ENDPOINT_URL") + "&style=path");
  for (auto op : {0, 1, 2, 3}) {
    auto e = error_of([&] {
      if (op == 0) s->get("k");
      if (op == 1) s->list("", "");
      if (op == 2) s->put("k", bytes("v"), {});
      if (op == 3) s->del("k");
    });
    show(e);
    EXPECT_EQ(e.status(), BDB_E_INVALID) << e.what();
    EXPECT_NE(std::string(e.what()).find("HTTP 404 NoSuchBucket"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("bdb-no-such-bucket"), std::string::npos) << e.what();
  }
  EXPECT_EQ(stats(*s)["retries"], 0);
}

// An interrupted call (bdb_db_interrupt) stops retrying at once: the driver's back-off asks
// the host (bdb_driver_host.interrupted). Twenty back-offs of up to 2 s would take ~20 s.
TEST_F(S3Test, RetriesStopWhenTheCallIsInterrupted) {
  int port = closed_port();
  auto s = open_store(uri("retries=20&retry_base_ms=2000&retry_max_ms=2000",
                          "http://127.0.0.1:" + std::to_string(port)));
  bucketdb::Interrupter interrupter;
  std::thread stop([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    interrupter.interrupt();
  });
  auto t0 = std::chrono::steady_clock::now();
  auto e = error_of([&] {
    bucketdb::InterruptScope scope(interrupter, "test_call");
    s->get("k");
  });
  stop.join();
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  EXPECT_EQ(e.status(), BDB_E_INTERRUPTED) << e.what();
  EXPECT_NE(std::string(e.what()).find("test_call: interrupted"), std::string::npos) << e.what();
  EXPECT_LT(ms, 1500);
}

TEST_F(S3Test, ServerDownFailsClearlyAfterTheRetries) {
  int port = closed_port();
  auto s =
      open_store(uri("retries=2&retry_base_ms=10", "http://127.0.0.1:" + std::to_string(port)));
  auto t0 = std::chrono::steady_clock::now();
  auto e = error_of([&] { s->get("k"); });
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  show(e);
  EXPECT_EQ(e.status(), BDB_E_IO) << e.what();
  std::string msg = e.what();
  EXPECT_NE(msg.find("after 3 attempts"), std::string::npos) << msg;
  EXPECT_NE(msg.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << msg;
  EXPECT_NE(msg.find("onnect"), std::string::npos) << msg;  // curl: "Couldn't connect ..."
  EXPECT_LT(ms, 3000) << "a refused connection fails fast";
  EXPECT_EQ(stats(*s)["retries"], 2);
}

TEST_F(S3Test, MissingKeyWithoutListBucketIsAPermissionErrorNotNotFound) {
  // bdb-limited may get and put under limited/ but has no s3:ListBucket (scripts/
  // s3-test-server.sh sets the bucket policy): RGW then answers a missing key with 403.
  auto owner = open_store(store_uri("limited"));
  ASSERT_EQ(owner->put(prefix_ + "/there", bytes("yes"), {}), PutOutcome::kOk);
  ScopedEnv id("AWS_ACCESS_KEY_ID", env("BDB_S3_LIMITED_ACCESS_KEY_ID").c_str());
  ScopedEnv secret("AWS_SECRET_ACCESS_KEY", env("BDB_S3_LIMITED_SECRET_ACCESS_KEY").c_str());
  auto s = open_store(store_uri("limited"));
  auto obj = s->get(prefix_ + "/there");
  ASSERT_TRUE(obj);
  EXPECT_EQ(text(obj->data), "yes");
  auto e = error_of([&] { s->get(prefix_ + "/missing"); });
  show(e);
  EXPECT_EQ(e.status(), BDB_E_PERMISSION) << e.what();
  EXPECT_NE(std::string(e.what()).find("s3:ListBucket"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("403 AccessDenied"), std::string::npos) << e.what();
  auto le = error_of([&] { s->list(prefix_, ""); });
  EXPECT_EQ(le.status(), BDB_E_PERMISSION) << le.what();
  EXPECT_NE(std::string(le.what()).find("s3:ListBucket"), std::string::npos) << le.what();
  EXPECT_EQ(stats(*s)["retries"], 0) << "never retried";
  expect_no_secret(e.what());
  owner->del(prefix_ + "/there");
}

TEST_F(S3Test, ThreeTimes503ThenSuccess) {
  FaultProxy proxy;
  auto s = open_store(uri("retry_base_ms=10", proxy.endpoint()));
  proxy.arm("action=status&status=503&count=3&method=PUT");
  EXPECT_EQ(s->put("k", bytes("value"), {}), PutOutcome::kOk);
  EXPECT_EQ(proxy.faults(), 3);
  proxy.arm("action=status&status=503&count=3&method=GET");
  auto obj = s->get("k");
  ASSERT_TRUE(obj);
  EXPECT_EQ(text(obj->data), "value");
  proxy.arm("action=status&status=503&count=3&method=GET");
  EXPECT_EQ(s->list_all("").size(), 1u);
  auto st = stats(*s);
  EXPECT_EQ(st["retries"], 9);
  EXPECT_EQ(st["errors"], 0);
}

TEST_F(S3Test, ThrottlingAndTimeoutsAreRetried) {
  FaultProxy proxy;
  auto s = open_store(uri("retry_base_ms=10&timeout_ms=1500", proxy.endpoint()));
  proxy.arm("action=status&status=429&count=2");
  EXPECT_EQ(s->put("k", bytes("v"), {}), PutOutcome::kOk);
  proxy.arm("action=delay&ms=3000&count=1&method=GET");
  auto obj = s->get("k");
  ASSERT_TRUE(obj);
  EXPECT_EQ(text(obj->data), "v");
  EXPECT_EQ(stats(*s)["retries"], 3);
}

TEST_F(S3Test, GivesUpAfterTheRetriesWithATransientError) {
  FaultProxy proxy;
  auto s = open_store(uri("retries=2&retry_base_ms=5", proxy.endpoint()));
  proxy.arm("action=status&status=503&count=100");
  auto e = error_of([&] { s->get("k"); });
  show(e);
  EXPECT_EQ(e.status(), BDB_E_IO) << e.what();
  EXPECT_NE(std::string(e.what()).find("HTTP 503 SlowDown"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("after 3 attempts"), std::string::npos) << e.what();
  EXPECT_EQ(proxy.faults(), 3);
}

TEST_F(S3Test, OtherClientErrorsAreNeverRetried) {
  FaultProxy proxy;
  auto s = open_store(uri("retry_base_ms=5", proxy.endpoint()));
  proxy.arm("action=status&status=400&count=1");
  auto e = error_of([&] { s->put("k", bytes("v"), {}); });
  EXPECT_EQ(e.status(), BDB_E_INVALID) << e.what();
  EXPECT_NE(std::string(e.what()).find("HTTP 400 InvalidArgument"), std::string::npos);
  EXPECT_EQ(proxy.faults(), 1);
  EXPECT_EQ(stats(*s)["retries"], 0);
  EXPECT_EQ(s->put("k", bytes("v"), {}), PutOutcome::kOk);
}

TEST_F(S3Test, PutIfAbsentWhoseAnswerIsLostIsFoundToBeOurs) {
  FaultProxy proxy;
  auto s = open_store(uri("retry_base_ms=5", proxy.endpoint()));
  PutCondition create;
  create.if_none_match = true;
  // The put lands, the answer becomes a 500: a blind retry would get 412.
  proxy.arm("action=lose&count=1&method=PUT");
  std::string etag;
  EXPECT_EQ(s->put("committed/1", bytes("commit one"), create, &etag), PutOutcome::kOk);
  EXPECT_FALSE(etag.empty());
  // The connection dies after the put landed.
  proxy.arm("action=drop&count=1&method=PUT");
  EXPECT_EQ(s->put("committed/2", bytes("commit two"), create), PutOutcome::kOk);
  EXPECT_EQ(stats(*s)["ambiguous_puts_resolved"], 2);
  // Someone else's create is still refused.
  EXPECT_EQ(s->put("committed/1", bytes("another"), create), PutOutcome::kPreconditionFailed);
  EXPECT_EQ(text(s->get("committed/1")->data), "commit one");
}

TEST_F(S3Test, LostAnswerWhileAnotherWriterWonIsAConflict) {
  FaultProxy proxy;
  auto s = open_store(uri("retry_base_ms=5", proxy.endpoint()));
  std::string base;
  ASSERT_EQ(s->put("block0", bytes("v1"), {}, &base), PutOutcome::kOk);
  ASSERT_EQ(s->put("block0", bytes("v2 by another writer"), {}), PutOutcome::kOk);
  // Ceph 16 answers a losing If-Match with 500 instead of 412: the driver looks, sees another
  // writer's object, and reports the conflict without retrying.
  PutCondition cas;
  cas.if_match = base;
  proxy.arm("action=status&status=500&count=1&method=PUT");
  EXPECT_EQ(s->put("block0", bytes("v2 by us"), cas), PutOutcome::kPreconditionFailed);
  EXPECT_EQ(stats(*s)["retries"], 0);
  EXPECT_EQ(text(s->get("block0")->data), "v2 by another writer");
}

TEST_F(S3Test, LostAnswerOfIfMatchWithOurBytesIsLeftToTheCaller) {
  FaultProxy proxy;
  auto s = open_store(uri("retry_base_ms=5&if_match=unquoted", proxy.endpoint()));
  std::string base;
  ASSERT_EQ(s->put("counter", bytes("5"), {}, &base), PutOutcome::kOk);
  PutCondition cas;
  cas.if_match = base;
  // Our "6" lands but its answer is lost. "6" could as well be another writer's increment, so
  // the driver says "may or may not have landed"; the host retries, gets 412, and tells the
  // caller to look (kPreconditionFailedAfterRetry).
  proxy.arm("action=lose&count=1&method=PUT");
  s->max_attempts = 2;
  s->base_delay_ms = 1;
  EXPECT_EQ(s->put("counter", bytes("6"), cas), PutOutcome::kPreconditionFailedAfterRetry);
  EXPECT_EQ(text(s->get("counter")->data), "6");
}

TEST_F(S3Test, IfMatchQuotingFollowsTheServer) {
  // RGW 16 compares a PUT's If-Match with its bare ETag: quoted never matches.
  auto quoted = open_store(uri("if_match=quoted"));
  std::string etag;
  ASSERT_EQ(quoted->put("q", bytes("1"), {}, &etag), PutOutcome::kOk);
  PutCondition cas;
  cas.if_match = etag;
  EXPECT_EQ(quoted->put("q", bytes("2"), cas), PutOutcome::kPreconditionFailed);
  // auto (the default) learns it from that 412 and the unchanged ETag, once per store.
  auto automatic = open_store(uri());
  EXPECT_EQ(automatic->put("q", bytes("2"), cas, &etag), PutOutcome::kOk);
  cas.if_match = etag;
  EXPECT_EQ(automatic->put("q", bytes("3"), cas, &etag), PutOutcome::kOk);
  EXPECT_EQ(stats(*automatic)["requests"]["head"], 1);
  cas.if_match = etag;
  EXPECT_EQ(open_store(uri("if_match=unquoted"))->put("q", bytes("4"), cas), PutOutcome::kOk);
}

TEST_F(S3Test, OddKeysRoundTripThroughPutGetAndListOnePerPage) {
  const std::vector<std::string> keys = {
      "with space/a b", "plus+equals=amp&pct%question?", "tilde~/~x",          "ключ/日本/é",
      "%2F%25literal",  "ctl\001char\ttab\nline",        "q\"uote'<tag>&amp;", "trailing space ",
      "a/../b/./c//d",
  };
  for (const char *style : {"path", "virtual"}) {
    SCOPED_TRACE(style);
    std::string u = std::string(style) == "path"
                        ? uri("page=1")
                        : "s3://" + env("BDB_S3_BUCKET") + "/" + prefix_ +
                              "?style=virtual&page=1&endpoint=" + env("BDB_S3_VHOST_ENDPOINT");
    auto s = open_store(u);
    for (const auto &k : keys) ASSERT_EQ(s->put(k, bytes("v:" + k), {}), PutOutcome::kOk) << k;
    for (const auto &k : keys) {
      auto obj = s->get(k);
      ASSERT_TRUE(obj) << k;
      EXPECT_EQ(text(obj->data), "v:" + k);
    }
    std::vector<std::string> want = keys;
    std::sort(want.begin(), want.end());
    EXPECT_EQ(s->list_all(""), want);  // one key a page: every token carries an odd key
    EXPECT_EQ(s->list_all("ключ/"), std::vector<std::string>{"ключ/日本/é"});
    EXPECT_EQ(s->list_all("plus+"), std::vector<std::string>{"plus+equals=amp&pct%question?"});
    for (const auto &k : keys) s->del(k);
    EXPECT_TRUE(s->list_all("").empty());
  }
}

TEST_F(S3Test, KeyPrefixesKeepStoresApart) {
  auto a = open_store(store_uri(prefix_ + "/a"));
  auto b = open_store(store_uri(prefix_ + "/b"));
  ASSERT_EQ(a->put("k", bytes("from a"), {}), PutOutcome::kOk);
  EXPECT_FALSE(b->get("k"));
  EXPECT_TRUE(b->list_all("").empty());
  EXPECT_EQ(a->list_all(""), std::vector<std::string>{"k"});
  auto whole = open_store(uri());
  EXPECT_EQ(whole->list_all(""), std::vector<std::string>{"a/k"});
  a->del("k");
}

TEST_F(S3Test, StatsCountRequestsBytesAndConnectionReuse) {
  auto s = open_store(uri());
  for (int i = 0; i < 10; i++)
    ASSERT_EQ(s->put("k" + std::to_string(i), bytes("12345"), {}), PutOutcome::kOk);
  for (int i = 0; i < 10; i++) ASSERT_TRUE(s->get("k" + std::to_string(i)));
  EXPECT_FALSE(s->get("missing"));
  s->list_all("");
  s->del("k0");
  auto st = stats(*s);
  EXPECT_EQ(st["requests"]["put"], 10);
  EXPECT_EQ(st["requests"]["get"], 11);
  EXPECT_EQ(st["requests"]["list"], 1);
  EXPECT_EQ(st["requests"]["delete"], 1);
  EXPECT_EQ(st["bytes_out"], 50);
  EXPECT_GE(st["bytes_in"], 50);
  EXPECT_EQ(st["not_found"], 1);
  EXPECT_EQ(st["errors"], 0);
  EXPECT_LE(st["connections"], 2) << "23 requests in a row reuse one connection";
}

TEST_F(S3Test, TlsCertificatesAreAlwaysVerified) {
  char tmpl[] = "/tmp/bdb-s3-tls-XXXXXX";
  ASSERT_TRUE(mkdtemp(tmpl));
  std::string dir = tmpl;
  if (!make_test_certificate(dir)) GTEST_SKIP() << "no openssl command to make a certificate";
  {
    FaultProxy tls(dir + "/cert.pem", dir + "/key.pem");
    // A self-signed certificate is refused, at once and without retries.
    auto s = open_store(uri("", tls.endpoint()));
    auto e = error_of([&] { s->put("k", bytes("v"), {}); });
    show(e);
    EXPECT_EQ(e.status(), BDB_E_IO) << e.what();
    EXPECT_NE(std::string(e.what()).find("TLS error"), std::string::npos) << e.what();
    EXPECT_EQ(stats(*s)["retries"], 0);
    // ca_bundle names the certificate to trust.
    auto trusted = open_store(uri("ca_bundle=" + dir + "/cert.pem", tls.endpoint()));
    EXPECT_EQ(trusted->put("k", bytes("over TLS"), {}), PutOutcome::kOk);
    EXPECT_EQ(text(trusted->get("k")->data), "over TLS");
  }
  std::filesystem::remove_all(dir);
}

TEST_F(S3Test, StoresWithoutConditionalWritesSaySoAndRefuseThem) {
  // For Backblaze B2, which answers a conditional put with 501 NotImplemented.
  auto s = open_store(uri("conditional_writes=off"));
  EXPECT_FALSE(s->conditional_put());
  EXPECT_TRUE(s->capabilities() & BDB_DRV_CAP_STRONG_LIST);
  PutCondition create;
  create.if_none_match = true;
  // The host sends such a store no conditions (the engine's timeshare rule stands in for
  // them), so the driver's own refusal of conditions is never met through it.
  EXPECT_EQ(s->put("k", bytes("v"), create), PutOutcome::kOk);
  EXPECT_EQ(s->put("k", bytes("v"), create), PutOutcome::kOk);  // no condition: a plain put
  EXPECT_EQ(s->put("k", bytes("v"), {}), PutOutcome::kOk);
  EXPECT_TRUE(open_store(uri())->conditional_put());
  // Sent anyway, B2 answers 501; the error points at the option.
  FaultProxy proxy;
  auto b2 = open_store(uri("", proxy.endpoint()));
  proxy.arm("action=status&status=501&count=1&method=PUT");
  auto e2 = error_of([&] { b2->put("k2", bytes("v"), create); });
  show(e2);
  EXPECT_EQ(stats(*b2)["retries"], 0);
  EXPECT_EQ(e2.status(), BDB_E_INVALID) << e2.what();
  EXPECT_NE(std::string(e2.what()).find("conditional_writes=off"), std::string::npos);
}

TEST_F(S3Test, UnsignedPayloadIsAccepted) {
  auto s = open_store(uri("payload=unsigned"));
  EXPECT_EQ(s->put("u", bytes("unsigned body"), {}), PutOutcome::kOk);
  EXPECT_EQ(text(s->get("u")->data), "unsigned body");
}

}  // namespace
}  // namespace bdbs3test
