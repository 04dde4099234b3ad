// Keys: any byte but NUL stored faithfully, or refused with BDB_E_INVALID naming the key.
#include <algorithm>

#include "driver_fixture.h"

namespace bdbtest {
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

TEST_P(DriverTest, KeysWithOddCharactersAreStoredFaithfully) {
  for (const auto &k : kOddKeys) put_ok(k, "value of " + k);
  for (const auto &k : kOddKeys) EXPECT_EQ(get_text(k), "value of " + k) << k;
  std::vector<std::string> want = kOddKeys;
  std::sort(want.begin(), want.end());
  EXPECT_EQ(list_keys(store(), ""), want);
  EXPECT_EQ(list_keys(store(), "ключ/"), std::vector<std::string>{"ключ/日本/é"});
  EXPECT_EQ(list_keys(store(), ".h"), std::vector<std::string>{".hidden/.x"});
  for (const auto &k : kOddKeys) store().del(key(k));
  EXPECT_TRUE(list_keys(store(), "").empty());
}

TEST_P(DriverTest, EscapeLookalikesStayDistinct) {
  // A file-backed store escapes '%' and a leading '.': the raw and escaped spellings must not
  // meet.
  for (std::string k : {".a", "%2Ea", "%252Ea", "%", "%25", "a%", "a%2"}) put_ok(k, k);
  for (std::string k : {".a", "%2Ea", "%252Ea", "%", "%25", "a%", "a%2"}) EXPECT_EQ(get_text(k), k);
  EXPECT_EQ(list_keys(store(), "").size(), 7u);
}

TEST_P(DriverTest, KeysThatWouldEscapeTheDirectoryAreRefusedByFileStores) {
  for (std::string k : {"../x", "/abs", "a/../../b", "..", ".", "a/./b", "a//b", "a/", "a/.."}) {
    SCOPED_TRACE(k);
    if (kind() != Kind::kFile) {
      // Other stores may hold them as plain strings; if they do, faithfully.
      try {
        if (put(store(), k, "v") == PutOutcome::kOk) {
          EXPECT_EQ(get_text(k), "v");
        }
      } catch (const bucketdb::Error &e) {
        EXPECT_EQ(e.status(), BDB_E_INVALID) << e.what();
      }
      continue;
    }
    for (const char *op : {"put", "get", "delete"}) {
      auto e = expect_error([&] {
        if (op[0] == 'p') put(store(), k, "v");
        if (op[0] == 'g') store().get(key(k));
        if (op[0] == 'd') store().del(key(k));
      });
      EXPECT_EQ(e.status(), BDB_E_INVALID) << op << ": " << e.what();
      EXPECT_NE(std::string(e.what()).find(k), std::string::npos) << e.what();
    }
  }
  if (kind() == Kind::kFile) {
    EXPECT_TRUE(list_keys(store(), "").empty());
  }
}

TEST_P(DriverTest, EmptyKeyIsRefused) {
  if (kind() == Kind::kExternal) GTEST_SKIP() << "with a prefix the key is not empty";
  auto e = expect_error([&] { put(store(), "", "v"); });
  EXPECT_EQ(e.status(), BDB_E_INVALID) << e.what();
}

TEST_P(DriverTest, KeyAndKeyPrefixTogetherWorkOrAreRefusedCleanly) {
  // S3 holds "x" and "x/y" side by side; a directory tree cannot, and may refuse the second.
  for (auto order : {std::vector<std::string>{"x", "x/y"}, std::vector<std::string>{"q/r", "q"}}) {
    put_ok(order[0], "first");
    try {
      ASSERT_EQ(put(store(), order[1], "second"), PutOutcome::kOk);
      EXPECT_EQ(get_text(order[1]), "second");
      EXPECT_EQ(
          list_keys(store(), order[0].substr(0, 1)),
          (std::vector<std::string>{std::min(order[0], order[1]), std::max(order[0], order[1])}));
    } catch (const bucketdb::Error &e) {
      EXPECT_EQ(e.status(), BDB_E_INVALID) << e.what();
      EXPECT_NE(std::string(e.what()).find(order[1]), std::string::npos) << e.what();
      EXPECT_FALSE(store().get(key(order[1])));
    }
    EXPECT_EQ(get_text(order[0]), "first");
  }
}

TEST_P(DriverTest, LongSegmentsAreStoredOrRefusedCleanly) {
  std::string k = "long/" + std::string(300, 's') + "/end";
  try {
    ASSERT_EQ(put(store(), k, "v"), PutOutcome::kOk);
    EXPECT_EQ(get_text(k), "v");
  } catch (const bucketdb::Error &e) {
    EXPECT_EQ(e.status(), BDB_E_INVALID) << e.what();
    EXPECT_NE(std::string(e.what()).find("long/sss"), std::string::npos) << e.what();
  }
  if (kind() == Kind::kMemory) {
    EXPECT_EQ(get_text(k), "v");
  }
}

}  // namespace
}  // namespace bdbtest
